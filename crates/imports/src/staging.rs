//! Staging an upload: its bytes are stored in chunks of a mebibyte as they arrive (flat memory on
//! the node, whatever the file's size), its records counted, and its header checked as soon as
//! it is complete.

use std::sync::Arc;

use chrono::Duration;
use clientele_kernel::db::begin_write;
use clientele_kernel::{Error, Result};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::entity::{import_job, import_job_chunk};
use crate::jobs::{
    Claimed, Fence, HeaderCheck, ImportJob, ImportJobs, JobState, LEASE_SECS, RECEIVING_LEASE_SECS,
    delete_staged,
};
use crate::model::ImportOptions;

/// Bytes of an upload stored per chunk.
pub(crate) const CHUNK: usize = 1024 * 1024;

/// Bytes kept to check an upload's header as soon as it arrives.
const HEAD_LIMIT: usize = 64 * 1024;

/// An upload being staged. Dropped without [`ImportUpload::finish`], the job is failed once its
/// lease runs out; [`ImportUpload::abandon`] removes it at once.
pub struct ImportUpload {
    jobs: ImportJobs,
    header: Arc<dyn HeaderCheck>,
    id: String,
    options: ImportOptions,
    /// The file's first bytes, until its header is checked.
    head: Vec<u8>,
    header_checked: bool,
    buffer: Vec<u8>,
    next_seq: i32,
    bytes: u64,
    records: RecordCounter,
}

impl ImportUpload {
    /// The job's id.
    pub fn id(&self) -> Uuid {
        Uuid::parse_str(&self.id).unwrap_or_default()
    }

    /// Bytes received so far.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// Data rows counted so far (a last row without a line break is counted at the end).
    pub fn rows(&self) -> u64 {
        self.records.records.saturating_sub(1)
    }

    /// Adds the next bytes of the file. The header is checked as soon as it has arrived, so a
    /// file with an unknown or a missing column is refused before the rest is sent.
    pub async fn write(&mut self, data: &[u8]) -> Result<()> {
        self.records.feed(data);
        if !self.header_checked {
            self.head.extend_from_slice(data);
            if self.records.records > 0 || self.head.len() >= HEAD_LIMIT {
                self.check_header().await?;
            }
        }
        self.bytes += data.len() as u64;
        self.buffer.extend_from_slice(data);
        while self.buffer.len() >= CHUNK {
            let rest = self.buffer.split_off(CHUNK);
            let chunk = std::mem::replace(&mut self.buffer, rest);
            self.store(chunk).await?;
        }
        Ok(())
    }

    /// Stores the rest and queues the job for the next node free to run it. A file without a
    /// header row is refused (and removed).
    pub async fn finish(self) -> Result<ImportJob> {
        let jobs = self.jobs.clone();
        let id = self.id();
        self.seal(JobState::Queued).await?;
        jobs.local.queued.notify_one();
        jobs.job(id).await
    }

    /// Stores the rest and claims the job for a run of this node at once (the CLI).
    pub async fn claim(self) -> Result<Claimed> {
        let options = self.options.clone();
        let id = self.id();
        let fence = self.seal(JobState::Running).await?;
        Ok(Claimed { id, options, fence })
    }

    /// Stores what is left of the file and moves the job on to `state`: queued, or running as
    /// this node's first run.
    async fn seal(mut self, state: JobState) -> Result<Fence> {
        let records = self.records.finish();
        let checked = if records == 0 {
            Err(Error::invalid(
                "file",
                "The file is empty: it has no header row.",
            ))
        } else if self.header_checked {
            Ok(())
        } else {
            self.check_header().await
        };
        if let Err(refusal) = checked {
            self.abandon().await?;
            return Err(refusal);
        }
        if !self.buffer.is_empty() {
            let chunk = std::mem::take(&mut self.buffer);
            self.store(chunk).await?;
        }
        let now = self.jobs.clock.now();
        let running = state == JobState::Running;
        import_job::Entity::update_many()
            .col_expr(import_job::Column::State, Expr::value(state.name()))
            .col_expr(import_job::Column::Bytes, Expr::value(self.bytes as i64))
            .col_expr(
                import_job::Column::RowsTotal,
                Expr::value(Some(records as i64 - 1)),
            )
            .col_expr(import_job::Column::Attempt, Expr::value(i32::from(running)))
            .col_expr(
                import_job::Column::StartedAt,
                Expr::value(running.then_some(now)),
            )
            .col_expr(
                import_job::Column::LeaseExpires,
                Expr::value(running.then(|| now + Duration::seconds(LEASE_SECS))),
            )
            .filter(import_job::Column::Id.eq(self.id.clone()))
            .filter(import_job::Column::State.eq(JobState::Receiving.name()))
            .exec(&self.jobs.db)
            .await?;
        tracing::info!(job = %self.id, bytes = self.bytes, rows = records - 1, state = state.name(), "import file staged");
        Ok(Fence {
            id: self.id,
            attempt: i32::from(running),
        })
    }

    /// Removes the job and what was staged of its file.
    pub async fn abandon(self) -> Result<()> {
        let txn = begin_write(&self.jobs.db).await?;
        delete_staged(&txn, &self.id).await?;
        import_job::Entity::delete_by_id(self.id).exec(&txn).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Checks the header once its record is complete in the file's first bytes (a header of over
    /// 64 KiB is left to the run to check).
    async fn check_header(&mut self) -> Result<()> {
        self.header_checked = true;
        let head = std::mem::take(&mut self.head);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(&head[..]);
        let mut header = csv::StringRecord::new();
        if self.records.records > 0 && matches!(reader.read_record(&mut header), Ok(true)) {
            let names = crate::parse::column_names(&header);
            self.header.check(&names, &self.options).await?;
        }
        Ok(())
    }

    async fn store(&mut self, data: Vec<u8>) -> Result<()> {
        let db = &self.jobs.db;
        import_job_chunk::Entity::insert(import_job_chunk::ActiveModel {
            job_id: Set(self.id.clone()),
            seq: Set(self.next_seq),
            data: Set(data),
        })
        .exec_without_returning(db)
        .await?;
        self.next_seq += 1;
        let lease = self.jobs.clock.now() + Duration::seconds(RECEIVING_LEASE_SECS);
        import_job::Entity::update_many()
            .col_expr(import_job::Column::Bytes, Expr::value(self.bytes as i64))
            .col_expr(import_job::Column::LeaseExpires, Expr::value(Some(lease)))
            .filter(import_job::Column::Id.eq(self.id.clone()))
            .exec(db)
            .await?;
        Ok(())
    }
}

/// Counts the CSV records of a file as it streams by, quoted line breaks and all, without
/// keeping it.
pub(crate) struct RecordCounter {
    reader: csv_core::Reader,
    records: u64,
    output: Vec<u8>,
    ends: Vec<usize>,
}

impl RecordCounter {
    pub(crate) fn new() -> Self {
        Self {
            reader: csv_core::Reader::new(),
            records: 0,
            output: vec![0; 64 * 1024],
            ends: vec![0; 1024],
        }
    }

    fn feed(&mut self, mut input: &[u8]) {
        while !input.is_empty() {
            let (result, read, _, _) =
                self.reader
                    .read_record(input, &mut self.output, &mut self.ends);
            input = &input[read..];
            if result == csv_core::ReadRecordResult::Record {
                self.records += 1;
            }
        }
    }

    /// Records in all, the header included.
    fn finish(&mut self) -> u64 {
        loop {
            match self
                .reader
                .read_record(&[], &mut self.output, &mut self.ends)
                .0
            {
                csv_core::ReadRecordResult::Record => self.records += 1,
                csv_core::ReadRecordResult::End => return self.records,
                _ => {}
            }
        }
    }
}

impl ImportJobs {
    /// Starts staging an upload for a job with `options`, on behalf of `created_by`.
    pub async fn begin_upload(
        &self,
        options: &ImportOptions,
        created_by: &str,
        header: Arc<dyn HeaderCheck>,
    ) -> Result<ImportUpload> {
        let id = Uuid::new_v4().to_string();
        let now = self.clock.now();
        let websites = match &options.websites {
            Some(ids) => Some(serde_json::to_string(ids).map_err(|e| Error::Internal(e.into()))?),
            None => None,
        };
        import_job::Entity::insert(import_job::ActiveModel {
            id: Set(id.clone()),
            entity: Set(options.entity.name().to_owned()),
            behavior: Set(options.behavior.name().to_owned()),
            validation_strategy: Set(options.strategy.name().to_owned()),
            allowed_errors: Set(i64::try_from(options.allowed_errors).unwrap_or(i64::MAX)),
            dry_run: Set(options.dry_run),
            websites: Set(websites),
            created_by: Set(created_by.chars().take(255).collect()),
            state: Set(JobState::Receiving.name().to_owned()),
            cancel_requested: Set(false),
            bytes: Set(0),
            rows_total: Set(None),
            rows_done: Set(0),
            attempt: Set(0),
            lease_expires: Set(Some(now + Duration::seconds(RECEIVING_LEASE_SECS))),
            report: Set(None),
            error: Set(None),
            created_at: Set(now),
            started_at: Set(None),
            finished_at: Set(None),
        })
        .exec_without_returning(&self.db)
        .await?;
        Ok(ImportUpload {
            jobs: self.clone(),
            header,
            id,
            options: options.clone(),
            head: Vec::new(),
            header_checked: false,
            buffer: Vec::with_capacity(CHUNK),
            next_seq: 0,
            bytes: 0,
            records: RecordCounter::new(),
        })
    }
}
