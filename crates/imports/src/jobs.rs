//! Import jobs. An upload is staged in the database in chunks of a mebibyte (flat memory on the
//! node, any file size up to the route's limit), counted as it arrives, and queued. Any node may
//! then claim it for a lease it renews while it works; the file is applied in one transaction
//! that also marks the job done, so a job is applied once or not at all. A job whose node
//! stopped is taken up again when its lease runs out (at most three attempts), and a stopping
//! node puts its job back at once.

use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use chrono::{DateTime, Duration, Utc};
use clientele_kernel::Clock;
use clientele_kernel::db::begin_write;
use clientele_kernel::{Error, Page, PageRequest, Result};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use tokio::sync::Notify;
use uuid::Uuid;

use crate::entity::{import_job, import_job_chunk};
use crate::model::{
    ImportBehavior, ImportControl, ImportEntity, ImportOptions, ImportReport, ValidationStrategy,
};

/// How long a claimed job stays its node's without a renewal.
pub(crate) const LEASE_SECS: i64 = 60;

/// How long an upload may pause between two chunks before it counts as abandoned.
pub(crate) const RECEIVING_LEASE_SECS: i64 = 300;

/// Runs of a job before it is given up (its node stopped each time).
const MAX_ATTEMPTS: i32 = 3;

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobState {
    /// The file is being uploaded.
    Receiving,
    /// The file is staged; the job waits for a node.
    Queued,
    /// A node is applying the file.
    Running,
    /// The file was applied (or, for a dry run, checked).
    Succeeded,
    /// Nothing was written: the file was refused, or the job could not run.
    Failed,
    /// The job was cancelled; nothing was written.
    Cancelled,
}

impl JobState {
    /// Its name, as stored and shown.
    pub fn name(self) -> &'static str {
        match self {
            Self::Receiving => "receiving",
            Self::Queued => "queued",
            Self::Running => "running",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
        }
    }

    pub(crate) fn from_name(name: &str) -> Result<Self> {
        Ok(match name {
            "receiving" => Self::Receiving,
            "queued" => Self::Queued,
            "running" => Self::Running,
            "succeeded" => Self::Succeeded,
            "failed" => Self::Failed,
            "cancelled" => Self::Cancelled,
            other => return Err(corrupt(format!("unknown import job state {other:?}"))),
        })
    }

    /// Whether the job has ended.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Succeeded | Self::Failed | Self::Cancelled)
    }
}

/// An import job.
#[derive(Debug, Clone)]
pub struct ImportJob {
    /// Its id.
    pub id: Uuid,
    /// What the file is imported with.
    pub options: ImportOptions,
    /// Who uploaded it.
    pub created_by: String,
    /// Where it is.
    pub state: JobState,
    /// Whether it was asked to stop.
    pub cancel_requested: bool,
    /// Bytes of the file received.
    pub bytes: u64,
    /// Data rows of the file, once it is staged.
    pub rows_total: Option<u64>,
    /// Data rows read so far by the run under way (or by the last run).
    pub rows_done: u64,
    /// Runs started.
    pub attempt: u32,
    /// What the run did, once it ran to the end of the file.
    pub report: Option<ImportReport>,
    /// Why nothing was written, when the job failed.
    pub error: Option<String>,
    /// When the upload started.
    pub created_at: DateTime<Utc>,
    /// When the first run started.
    pub started_at: Option<DateTime<Utc>>,
    /// When the job ended.
    pub finished_at: Option<DateTime<Utc>>,
}

/// The run of a job a node holds: writes on the job's behalf count only while it is still the
/// job's latest run.
#[derive(Debug, Clone)]
pub struct Fence {
    pub(crate) id: String,
    pub(crate) attempt: i32,
}

impl Fence {
    /// The job's id.
    pub fn job_id(&self) -> &str {
        &self.id
    }
}

/// The jobs this node runs, and the bell that wakes its worker when an upload is queued here.
#[derive(Clone, Default)]
pub(crate) struct LocalJobs {
    running: Arc<Mutex<HashMap<String, ImportControl>>>,
    pub(crate) queued: Arc<Notify>,
}

impl LocalJobs {
    fn running(&self) -> MutexGuard<'_, HashMap<String, ImportControl>> {
        self.running.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Import jobs: staging, the queue, claims and leases, progress, cancellation and history.
/// Clones share this node's running jobs.
#[derive(Clone)]
pub struct ImportJobs {
    pub(crate) db: DatabaseConnection,
    pub(crate) clock: Clock,
    pub(crate) local: LocalJobs,
}

impl ImportJobs {
    /// The jobs stored in `db`, timed by `clock`.
    pub fn new(db: DatabaseConnection, clock: Clock) -> Self {
        Self {
            db,
            clock,
            local: LocalJobs::default(),
        }
    }
}

/// Checks a file's header as the run will, so an upload with a bad header is refused as soon as
/// the header has arrived.
#[async_trait::async_trait]
pub trait HeaderCheck: Send + Sync {
    /// Refuses `headers` for a file imported with `options`.
    async fn check(&self, headers: &[String], options: &ImportOptions) -> Result<()>;
}

/// A job claimed for a run of this node.
#[derive(Debug, Clone)]
pub struct Claimed {
    /// The job's id.
    pub id: Uuid,
    /// What the file is imported with.
    pub options: ImportOptions,
    /// The run: writes on the job's behalf count while it still holds the job.
    pub fence: Fence,
}

/// How a run ended, as its runner reports it to [`ImportJobs::end`].
#[derive(Debug)]
pub enum RunEnd {
    /// The file was written, and the job marked done in the same transaction ([`mark_applied`]).
    Applied,
    /// The file was read to its end (or to too many errors) and nothing was written: a dry run,
    /// or a refused file.
    Read(ImportReport),
    /// The run was cancelled.
    Cancelled,
    /// The node is stopping, or the job was taken from it: the job goes back to the queue.
    Stopped,
    /// The run could not go on, for this reason.
    Failed(String),
}

/// Follows a run on this node until dropped.
pub struct Following {
    jobs: ImportJobs,
    id: String,
    heartbeat: Option<tokio::task::JoinHandle<()>>,
}

impl Drop for Following {
    fn drop(&mut self) {
        if let Some(heartbeat) = self.heartbeat.take() {
            heartbeat.abort();
        }
        self.jobs.local.running().remove(&self.id);
    }
}

/// Marks the job applied, inside the import's own transaction; false when the run no longer
/// holds the job (it was cancelled, or taken over after its lease ran out).
pub async fn mark_applied(
    txn: &DatabaseTransaction,
    fence: &Fence,
    report: &ImportReport,
    now: DateTime<Utc>,
) -> Result<bool> {
    let done = import_job::Entity::update_many()
        .col_expr(
            import_job::Column::State,
            Expr::value(JobState::Succeeded.name()),
        )
        .col_expr(
            import_job::Column::Report,
            Expr::value(report_text(report)?),
        )
        .col_expr(
            import_job::Column::RowsDone,
            Expr::value(report.rows as i64),
        )
        .col_expr(import_job::Column::FinishedAt, Expr::value(now))
        .col_expr(
            import_job::Column::LeaseExpires,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(held(fence))
        .filter(import_job::Column::CancelRequested.eq(false))
        .exec(txn)
        .await?;
    if done.rows_affected != 1 {
        return Ok(false);
    }
    delete_staged(txn, &fence.id).await?;
    Ok(true)
}

/// Whether the job was asked to stop.
pub async fn cancel_requested(db: &DatabaseConnection, fence: &Fence) -> Result<bool> {
    Ok(import_job::Entity::find_by_id(fence.id.clone())
        .one(db)
        .await?
        .is_some_and(|job| job.cancel_requested))
}

/// The job's row while `fence`'s run holds it.
pub(crate) fn held(fence: &Fence) -> sea_orm::Condition {
    sea_orm::Condition::all()
        .add(import_job::Column::Id.eq(fence.id.clone()))
        .add(import_job::Column::Attempt.eq(fence.attempt))
        .add(import_job::Column::State.eq(JobState::Running.name()))
}

fn report_text(report: &ImportReport) -> Result<String> {
    serde_json::to_string(report).map_err(|e| Error::Internal(e.into()))
}

pub(crate) fn corrupt(what: String) -> Error {
    Error::Internal(anyhow::anyhow!(what))
}

/// Deletes what a job keeps only until it ends: its file and the passwords hashed from it.
pub(crate) async fn delete_staged(db: &impl ConnectionTrait, id: &str) -> Result<()> {
    import_job_chunk::Entity::delete_many()
        .filter(import_job_chunk::Column::JobId.eq(id))
        .exec(db)
        .await?;
    crate::passwords::forget(db, id).await
}

/// A staged file, read chunk by chunk with blocking calls (from the import's reading thread).
struct StagedFile {
    db: DatabaseConnection,
    job: String,
    next_seq: i32,
    current: Cursor<Vec<u8>>,
    runtime: tokio::runtime::Handle,
    ended: bool,
}

impl Read for StagedFile {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            let read = self.current.read(buf)?;
            if read > 0 || self.ended || buf.is_empty() {
                return Ok(read);
            }
            let chunk = self
                .runtime
                .block_on(
                    import_job_chunk::Entity::find_by_id((self.job.clone(), self.next_seq))
                        .one(&self.db),
                )
                .map_err(std::io::Error::other)?;
            match chunk {
                Some(chunk) => {
                    self.current = Cursor::new(chunk.data);
                    self.next_seq += 1;
                }
                None => self.ended = true,
            }
        }
    }
}

impl ImportJobs {
    /// One job, with the progress of its run when this node runs it.
    pub async fn job(&self, id: Uuid) -> Result<ImportJob> {
        let model = import_job::Entity::find_by_id(id.to_string())
            .one(&self.db)
            .await?
            .ok_or_else(|| Error::NotFound {
                entity: "Import job",
                key: id.to_string(),
            })?;
        self.job_of(model)
    }

    /// The jobs, newest first.
    pub async fn list(&self, page: PageRequest) -> Result<Page<ImportJob>> {
        let db = &self.db;
        let total_count = import_job::Entity::find().count(db).await?;
        let items = import_job::Entity::find()
            .order_by_desc(import_job::Column::CreatedAt)
            .order_by_desc(import_job::Column::Id)
            .offset(page.offset())
            .limit(page.page_size)
            .all(db)
            .await?
            .into_iter()
            .map(|model| self.job_of(model))
            .collect::<Result<_>>()?;
        Ok(Page {
            items,
            total_count,
            request: page,
        })
    }

    /// Cancels a job. A job that has not started ends at once; a running one stops at its next
    /// batch and writes nothing. A job that has ended is refused.
    pub async fn cancel(&self, id: Uuid) -> Result<ImportJob> {
        let db = &self.db;
        let key = id.to_string();
        let job = self.job(id).await?;
        if job.state.is_final() {
            return Err(Error::Conflict(format!(
                "The import job has already {}.",
                job.state.name()
            )));
        }
        let now = self.clock.now();
        let txn = begin_write(db).await?;
        let unstarted = import_job::Entity::update_many()
            .col_expr(
                import_job::Column::State,
                Expr::value(JobState::Cancelled.name()),
            )
            .col_expr(import_job::Column::CancelRequested, Expr::value(true))
            .col_expr(import_job::Column::FinishedAt, Expr::value(now))
            .filter(import_job::Column::Id.eq(key.clone()))
            .filter(
                import_job::Column::State
                    .is_in([JobState::Receiving.name(), JobState::Queued.name()]),
            )
            .exec(&txn)
            .await?;
        if unstarted.rows_affected == 1 {
            delete_staged(&txn, &key).await?;
        }
        txn.commit().await?;
        if unstarted.rows_affected != 1 {
            let local = self.local.running().get(&key).cloned();
            if let Some(control) = &local {
                control.cancel();
            }
            // On SQLite the run holds the only writer until it ends; the flag in memory is
            // what stops it, and the run records the cancellation itself.
            if local.is_none() || db.get_database_backend() == DbBackend::Postgres {
                import_job::Entity::update_many()
                    .col_expr(import_job::Column::CancelRequested, Expr::value(true))
                    .filter(import_job::Column::Id.eq(key))
                    .filter(import_job::Column::State.eq(JobState::Running.name()))
                    .exec(db)
                    .await?;
            }
        }
        tracing::info!(job = %id, "import job cancel requested");
        self.job(id).await
    }

    /// Waits until an upload on this node queues a job.
    pub async fn queued(&self) {
        self.local.queued.notified().await;
    }

    /// Puts the jobs this node runs back in the queue, for another node or a restart to take up.
    pub fn stop_all(&self) {
        for control in self.local.running().values() {
            control.stop();
        }
    }

    /// Settles jobs whose node went away, then claims the oldest waiting job for a run of this
    /// node, if there is one.
    pub async fn claim_next(&self) -> Result<Option<Claimed>> {
        let now = self.clock.now();
        let open = import_job::Entity::find()
            .filter(import_job::Column::State.is_in([
                JobState::Receiving.name(),
                JobState::Queued.name(),
                JobState::Running.name(),
            ]))
            .order_by_asc(import_job::Column::CreatedAt)
            .limit(50)
            .all(&self.db)
            .await?;
        let mut next = None;
        for job in open {
            let lapsed = job.lease_expires.is_some_and(|lease| lease < now);
            match (JobState::from_name(&job.state)?, lapsed) {
                (JobState::Receiving, true) => {
                    self.settle(&job, JobState::Failed, "The upload did not finish.")
                        .await?;
                }
                (JobState::Running, true) if job.cancel_requested => {
                    self.settle(&job, JobState::Cancelled, "").await?;
                }
                (JobState::Running, true) if job.attempt >= MAX_ATTEMPTS => {
                    let why = format!(
                        "The import was interrupted {MAX_ATTEMPTS} times; nothing was written."
                    );
                    self.settle(&job, JobState::Failed, &why).await?;
                }
                (JobState::Queued, _) | (JobState::Running, true) if next.is_none() => {
                    next = Some(job);
                }
                _ => {}
            }
        }
        let Some(job) = next else {
            return Ok(None);
        };
        let Some(fence) = self.claim(&job).await? else {
            return Ok(None);
        };
        Ok(Some(Claimed {
            id: Uuid::parse_str(&fence.id).map_err(|e| Error::Internal(e.into()))?,
            options: options_of(&job)?,
            fence,
        }))
    }

    /// Ends a job whose node went away, unless something else moved it meanwhile.
    async fn settle(&self, job: &import_job::Model, state: JobState, why: &str) -> Result<()> {
        let txn = begin_write(&self.db).await?;
        let settled = import_job::Entity::update_many()
            .col_expr(import_job::Column::State, Expr::value(state.name()))
            .col_expr(
                import_job::Column::Error,
                Expr::value((!why.is_empty()).then(|| why.to_owned())),
            )
            .col_expr(
                import_job::Column::FinishedAt,
                Expr::value(self.clock.now()),
            )
            .filter(import_job::Column::Id.eq(job.id.clone()))
            .filter(import_job::Column::State.eq(job.state.clone()))
            .filter(import_job::Column::Attempt.eq(job.attempt))
            .exec(&txn)
            .await?;
        if settled.rows_affected == 1 {
            delete_staged(&txn, &job.id).await?;
        }
        txn.commit().await?;
        if settled.rows_affected == 1 {
            tracing::warn!(job = %job.id, state = state.name(), why, "import job settled");
        }
        Ok(())
    }

    /// Takes a job for a run of this node, unless another node took it first.
    async fn claim(&self, job: &import_job::Model) -> Result<Option<Fence>> {
        let now = self.clock.now();
        let claimable = sea_orm::Condition::any()
            .add(import_job::Column::State.eq(JobState::Queued.name()))
            .add(
                sea_orm::Condition::all()
                    .add(import_job::Column::State.eq(JobState::Running.name()))
                    .add(import_job::Column::LeaseExpires.lt(now)),
            );
        let attempt = job.attempt + 1;
        let claimed = import_job::Entity::update_many()
            .col_expr(
                import_job::Column::State,
                Expr::value(JobState::Running.name()),
            )
            .col_expr(import_job::Column::Attempt, Expr::value(attempt))
            .col_expr(import_job::Column::RowsDone, Expr::value(0_i64))
            .col_expr(
                import_job::Column::LeaseExpires,
                Expr::value(Some(now + Duration::seconds(LEASE_SECS))),
            )
            .col_expr(
                import_job::Column::StartedAt,
                Expr::value(Some(job.started_at.unwrap_or(now))),
            )
            .filter(import_job::Column::Id.eq(job.id.clone()))
            .filter(import_job::Column::Attempt.eq(job.attempt))
            .filter(claimable)
            .exec(&self.db)
            .await?;
        Ok((claimed.rows_affected == 1).then(|| Fence {
            id: job.id.clone(),
            attempt,
        }))
    }

    /// Runs a claimed job to its end and records how it ended.
    /// Starts following a claimed run on this node: its progress and cancellation through
    /// `control`, and (on PostgreSQL) the renewal of its lease. Following ends when the returned
    /// guard is dropped.
    pub fn follow(&self, claimed: &Claimed, control: &ImportControl) -> Following {
        tracing::info!(job = %claimed.fence.id, attempt = claimed.fence.attempt, "import job started");
        self.local
            .running()
            .insert(claimed.fence.id.clone(), control.clone());
        // Renewals are written beside the import's transaction, which PostgreSQL allows; on
        // SQLite that transaction holds the only writer, and one node is all there is.
        let heartbeat = (self.db.get_database_backend() == DbBackend::Postgres).then(|| {
            tokio::spawn(heartbeat(
                self.clone(),
                claimed.fence.clone(),
                control.clone(),
            ))
        });
        Following {
            jobs: self.clone(),
            id: claimed.fence.id.clone(),
            heartbeat,
        }
    }

    /// The claimed job's staged file, read chunk by chunk (from a blocking thread).
    pub fn staged_file(&self, claimed: &Claimed) -> Box<dyn Read + Send> {
        Box::new(StagedFile {
            db: self.db.clone(),
            job: claimed.fence.id.clone(),
            next_seq: 0,
            current: Cursor::new(Vec::new()),
            runtime: tokio::runtime::Handle::current(),
            ended: false,
        })
    }

    /// Records how a run ended, unless the run no longer holds the job, and answers the job.
    pub async fn end(&self, claimed: &Claimed, ended: RunEnd, rows_read: u64) -> Result<ImportJob> {
        let fence = &claimed.fence;
        let id = claimed.id;
        let (state, report, why) = match ended {
            RunEnd::Applied => {
                tracing::info!(job = %fence.id, "import job applied");
                return self.job(id).await;
            }
            RunEnd::Stopped => {
                self.requeue(fence).await?;
                return self.job(id).await;
            }
            RunEnd::Read(report) if report.refused() => (
                JobState::Failed,
                Some(report),
                Some("The file has errors; nothing was written.".to_owned()),
            ),
            RunEnd::Read(report) => (JobState::Succeeded, Some(report), None),
            RunEnd::Cancelled => (JobState::Cancelled, None, None),
            RunEnd::Failed(why) => (JobState::Failed, None, Some(why)),
        };
        let report_text = report.as_ref().map(report_text).transpose()?;
        let txn = begin_write(&self.db).await?;
        let done = import_job::Entity::update_many()
            .col_expr(import_job::Column::State, Expr::value(state.name()))
            .col_expr(import_job::Column::Report, Expr::value(report_text))
            .col_expr(import_job::Column::Error, Expr::value(why))
            .col_expr(import_job::Column::RowsDone, Expr::value(rows_read as i64))
            .col_expr(
                import_job::Column::FinishedAt,
                Expr::value(Some(self.clock.now())),
            )
            .col_expr(
                import_job::Column::LeaseExpires,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .filter(held(fence))
            .exec(&txn)
            .await?;
        if done.rows_affected == 1 {
            delete_staged(&txn, &fence.id).await?;
        }
        txn.commit().await?;
        tracing::info!(job = %fence.id, state = state.name(), "import job ended");
        self.job(id).await
    }

    /// Puts a job back in the queue, its run not counted.
    async fn requeue(&self, fence: &Fence) -> Result<()> {
        import_job::Entity::update_many()
            .col_expr(
                import_job::Column::State,
                Expr::value(JobState::Queued.name()),
            )
            .col_expr(import_job::Column::Attempt, Expr::value(fence.attempt - 1))
            .col_expr(
                import_job::Column::LeaseExpires,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .filter(held(fence))
            .filter(import_job::Column::CancelRequested.eq(false))
            .exec(&self.db)
            .await?;
        tracing::info!(job = %fence.id, "import job put back in the queue");
        Ok(())
    }

    fn job_of(&self, model: import_job::Model) -> Result<ImportJob> {
        let mut job = ImportJob {
            id: Uuid::parse_str(&model.id).map_err(|e| Error::Internal(e.into()))?,
            options: options_of(&model)?,
            created_by: model.created_by,
            state: JobState::from_name(&model.state)?,
            cancel_requested: model.cancel_requested,
            bytes: model.bytes.max(0) as u64,
            rows_total: model.rows_total.map(|rows| rows.max(0) as u64),
            rows_done: model.rows_done.max(0) as u64,
            attempt: model.attempt.max(0) as u32,
            report: model
                .report
                .as_deref()
                .map(serde_json::from_str)
                .transpose()
                .map_err(|e| Error::Internal(e.into()))?,
            error: model.error,
            created_at: model.created_at,
            started_at: model.started_at,
            finished_at: model.finished_at,
        };
        if job.state == JobState::Running
            && let Some(control) = self.local.running().get(&model.id)
        {
            job.rows_done = control.rows_read();
            job.cancel_requested |= control.is_cancelled();
        }
        Ok(job)
    }
}

/// Renews the run's lease and records its progress every few seconds; passes on a cancellation
/// asked of another node, and stops the run if the job was taken from it.
async fn heartbeat(jobs: ImportJobs, fence: Fence, control: ImportControl) {
    let every = std::time::Duration::from_secs((LEASE_SECS / 6) as u64);
    loop {
        tokio::time::sleep(every).await;
        let lease = jobs.clock.now() + Duration::seconds(LEASE_SECS);
        let renewed = import_job::Entity::update_many()
            .col_expr(import_job::Column::LeaseExpires, Expr::value(Some(lease)))
            .col_expr(
                import_job::Column::RowsDone,
                Expr::value(control.rows_read() as i64),
            )
            .filter(held(&fence))
            .exec(&jobs.db)
            .await;
        match renewed {
            Ok(done) if done.rows_affected == 0 => control.stop(),
            Ok(_) => match cancel_requested(&jobs.db, &fence).await {
                Ok(true) => control.cancel(),
                Ok(false) => {}
                Err(error) => tracing::warn!(?error, "import job check failed"),
            },
            Err(error) => tracing::warn!(?error, "import job lease not renewed"),
        }
    }
}

fn options_of(model: &import_job::Model) -> Result<ImportOptions> {
    let unknown = |what: &str, value: &str| corrupt(format!("unknown import {what} {value:?}"));
    Ok(ImportOptions {
        entity: ImportEntity::from_name(&model.entity)
            .ok_or_else(|| unknown("entity", &model.entity))?,
        behavior: ImportBehavior::from_name(&model.behavior)
            .ok_or_else(|| unknown("behavior", &model.behavior))?,
        strategy: ValidationStrategy::from_name(&model.validation_strategy)
            .ok_or_else(|| unknown("validation strategy", &model.validation_strategy))?,
        allowed_errors: model.allowed_errors.max(0) as u64,
        dry_run: model.dry_run,
        websites: model
            .websites
            .as_deref()
            .map(serde_json::from_str)
            .transpose()
            .map_err(|e| Error::Internal(e.into()))?,
    })
}
