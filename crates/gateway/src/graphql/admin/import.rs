//! Import of Adobe Commerce customer CSV files through the admin API: `importCustomers` for files
//! within the request body limit, applied at once; the jobs of files uploaded to
//! `POST /admin/import/…` or with the CLI (`importJob`, `importJobs`, `cancelImportJob`).

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use clientele_customers::{
    ImportBehavior, ImportControl, ImportEntity, ImportJob, ImportOptions, ImportReport, JobState,
    ValidationStrategy,
};
use clientele_staff::acl;

use super::common::{SearchResultPageInfo, list_cost, page_request};
use super::error::{AdminResult, admin_error};
use super::guard::{Needs, require_resource, website_scope};
use crate::graphql::codes::code;
use crate::services::Services;

/// Which file is imported.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub(crate) enum ImportEntityEnum {
    /// Customers Main File.
    Customer,
    /// Customer Addresses.
    CustomerAddress,
}

/// What the rows do.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub(crate) enum ImportBehaviorEnum {
    /// Add new records, update existing ones with the non-empty cells.
    AddUpdate,
    /// Overwrite existing records with their rows; add new ones.
    Replace,
    /// Delete the records the rows name.
    Delete,
}

/// How bad rows are treated.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub(crate) enum ImportValidationStrategyEnum {
    /// Any bad row refuses the whole file.
    StopOnError,
    /// Skip bad rows unless there are more than `allowed_error_count`.
    SkipErrors,
}

/// Input of `importCustomers`.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct ImportCustomersInput {
    /// Which file.
    entity: ImportEntityEnum,
    /// What the rows do (default ADD_UPDATE).
    behavior: Option<ImportBehaviorEnum>,
    /// How bad rows are treated (default STOP_ON_ERROR).
    validation_strategy: Option<ImportValidationStrategyEnum>,
    /// Bad rows tolerated with SKIP_ERRORS (default 10).
    allowed_error_count: Option<i32>,
    /// Check every row and write nothing (Adobe Commerce's "Check Data").
    dry_run: Option<bool>,
    /// The CSV file's text, header first.
    content: String,
}

/// A bad row of an import.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct ImportRowError {
    /// Line of the file (the header is line 1).
    line: i64,
    /// Column at fault, when one is.
    column: Option<String>,
    /// Why the row was refused.
    message: String,
}

/// Records an import adds, changes and deletes.
#[derive(SimpleObject)]
#[graphql(name = "ImportCounts", rename_fields = "snake_case")]
pub(crate) struct ImportCountsObject {
    /// Records added.
    created: i64,
    /// Records changed.
    updated: i64,
    /// Records deleted.
    deleted: i64,
}

/// What an import did (`created`, `updated` and `deleted` are zero unless `committed`), and what
/// its rows would do (`planned`).
#[derive(SimpleObject)]
#[graphql(name = "ImportReport", rename_fields = "snake_case")]
pub(crate) struct ImportReportObject {
    /// Data rows read.
    rows: i64,
    /// Records added.
    created: i64,
    /// Records changed.
    updated: i64,
    /// Records deleted.
    deleted: i64,
    /// What the file's valid rows add, change and delete: what was written when `committed`,
    /// otherwise what writing them would have done (a dry run, a refused file).
    planned: ImportCountsObject,
    /// Bad rows left out.
    skipped: i64,
    /// Bad rows in all.
    error_count: i64,
    /// The first bad rows (at most 1000).
    errors: Vec<ImportRowError>,
    /// Whether the changes were written.
    committed: bool,
}

impl From<ImportReport> for ImportReportObject {
    fn from(r: ImportReport) -> Self {
        Self {
            rows: r.rows as i64,
            created: r.created as i64,
            updated: r.updated as i64,
            deleted: r.deleted as i64,
            planned: ImportCountsObject {
                created: r.planned.created as i64,
                updated: r.planned.updated as i64,
                deleted: r.planned.deleted as i64,
            },
            skipped: r.skipped as i64,
            error_count: r.error_count as i64,
            errors: r
                .errors
                .into_iter()
                .map(|e| ImportRowError {
                    line: e.line as i64,
                    column: e.column,
                    message: e.message,
                })
                .collect(),
            committed: r.committed,
        }
    }
}

/// Import mutations.
#[derive(Default)]
pub(crate) struct ImportMutation;

#[Object]
impl ImportMutation {
    /// Imports a Customers Main File or Customer Addresses CSV; all or nothing is written.
    #[graphql(guard = "Needs(&[acl::IMPORT])")]
    async fn import_customers(
        &self,
        ctx: &Context<'_>,
        input: ImportCustomersInput,
    ) -> async_graphql::Result<ImportReportObject> {
        require_resource(ctx, acl::ALL_CUSTOMERS)?;
        let services = ctx.data::<Services>()?;
        let options = ImportOptions {
            entity: match input.entity {
                ImportEntityEnum::Customer => ImportEntity::Customers,
                ImportEntityEnum::CustomerAddress => ImportEntity::Addresses,
            },
            behavior: match input.behavior.unwrap_or(ImportBehaviorEnum::AddUpdate) {
                ImportBehaviorEnum::AddUpdate => ImportBehavior::AddUpdate,
                ImportBehaviorEnum::Replace => ImportBehavior::Replace,
                ImportBehaviorEnum::Delete => ImportBehavior::Delete,
            },
            strategy: match input
                .validation_strategy
                .unwrap_or(ImportValidationStrategyEnum::StopOnError)
            {
                ImportValidationStrategyEnum::StopOnError => ValidationStrategy::StopOnError,
                ImportValidationStrategyEnum::SkipErrors => ValidationStrategy::SkipErrors,
            },
            allowed_errors: u64::try_from(input.allowed_error_count.unwrap_or(10)).unwrap_or(0),
            dry_run: input.dry_run.unwrap_or(false),
            websites: website_scope(ctx)?,
        };
        let report = services
            .back_office
            .import(
                std::io::Cursor::new(input.content.into_bytes()),
                &options,
                &ImportControl::default(),
            )
            .await
            .admin()?;
        Ok(report.into())
    }

    /// Cancels an import job: one that has not started ends at once; a running one stops at its
    /// next thousand rows and writes nothing. A job that has ended is refused (`CONFLICT`).
    #[graphql(guard = "Needs(&[acl::IMPORT])")]
    async fn cancel_import_job(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<ImportJobObject> {
        require_resource(ctx, acl::ALL_CUSTOMERS)?;
        let services = ctx.data::<Services>()?;
        let job = services
            .back_office
            .import_jobs()
            .cancel(job_id(&id)?)
            .await
            .admin()?;
        Ok(job.into())
    }
}

/// Where an import job is.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub(crate) enum ImportJobStateEnum {
    /// The file is being uploaded.
    Receiving,
    /// The file is staged; the job waits for a node to run it.
    Queued,
    /// A node is applying the file.
    Running,
    /// The file was applied (or, for a dry run, checked).
    Succeeded,
    /// Nothing was written: the file was refused (see `report`) or the job could not run
    /// (see `error`).
    Failed,
    /// The job was cancelled; nothing was written.
    Cancelled,
}

impl From<JobState> for ImportJobStateEnum {
    fn from(state: JobState) -> Self {
        match state {
            JobState::Receiving => Self::Receiving,
            JobState::Queued => Self::Queued,
            JobState::Running => Self::Running,
            JobState::Succeeded => Self::Succeeded,
            JobState::Failed => Self::Failed,
            JobState::Cancelled => Self::Cancelled,
        }
    }
}

/// An import job: a file uploaded to `POST /admin/import/…` or with the CLI, applied in the
/// background, all or nothing.
#[derive(SimpleObject)]
#[graphql(name = "ImportJob", rename_fields = "snake_case")]
pub(crate) struct ImportJobObject {
    /// The job's id.
    id: ID,
    /// Which file.
    entity: ImportEntityEnum,
    /// What the rows do.
    behavior: ImportBehaviorEnum,
    /// How bad rows are treated.
    validation_strategy: ImportValidationStrategyEnum,
    /// Bad rows tolerated with SKIP_ERRORS.
    allowed_error_count: i64,
    /// Whether the file is only checked.
    dry_run: bool,
    /// Where the job is.
    state: ImportJobStateEnum,
    /// Whether the job was asked to stop.
    cancel_requested: bool,
    /// Bytes of the file received.
    bytes: i64,
    /// Data rows of the file, once it is staged.
    rows_total: Option<i64>,
    /// Data rows read so far by the run under way (or by the last run).
    rows_done: i64,
    /// Runs started (a run is started again when its node stopped).
    attempt: i64,
    /// Who uploaded the file: `staff:<id>`, `integration:<id>` or `cli`.
    created_by: String,
    /// When the upload started.
    created_at: DateTime<Utc>,
    /// When the first run started.
    started_at: Option<DateTime<Utc>>,
    /// When the job ended.
    finished_at: Option<DateTime<Utc>>,
    /// What the run did, once it read the whole file: rows, counts, bad rows by line.
    report: Option<ImportReportObject>,
    /// Why nothing was written, when the job failed.
    error: Option<String>,
}

impl From<ImportJob> for ImportJobObject {
    fn from(job: ImportJob) -> Self {
        let count = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        Self {
            id: ID(job.id.to_string()),
            entity: match job.options.entity {
                ImportEntity::Customers => ImportEntityEnum::Customer,
                ImportEntity::Addresses => ImportEntityEnum::CustomerAddress,
            },
            behavior: match job.options.behavior {
                ImportBehavior::AddUpdate => ImportBehaviorEnum::AddUpdate,
                ImportBehavior::Replace => ImportBehaviorEnum::Replace,
                ImportBehavior::Delete => ImportBehaviorEnum::Delete,
            },
            validation_strategy: match job.options.strategy {
                ValidationStrategy::StopOnError => ImportValidationStrategyEnum::StopOnError,
                ValidationStrategy::SkipErrors => ImportValidationStrategyEnum::SkipErrors,
            },
            allowed_error_count: count(job.options.allowed_errors),
            dry_run: job.options.dry_run,
            state: job.state.into(),
            cancel_requested: job.cancel_requested,
            bytes: count(job.bytes),
            rows_total: job.rows_total.map(count),
            rows_done: count(job.rows_done),
            attempt: i64::from(job.attempt),
            created_by: job.created_by,
            created_at: job.created_at,
            started_at: job.started_at,
            finished_at: job.finished_at,
            report: job.report.map(Into::into),
            error: job.error,
        }
    }
}

/// A page of import jobs, newest first.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct ImportJobs {
    /// Jobs of this page.
    items: Vec<ImportJobObject>,
    /// Jobs in all.
    total_count: i64,
    /// Paging facts.
    page_info: SearchResultPageInfo,
}

fn job_id(id: &ID) -> async_graphql::Result<uuid::Uuid> {
    uuid::Uuid::parse_str(id).map_err(|_| {
        admin_error(
            format!("There is no import job with id \"{}\".", id.as_str()),
            code::NOT_FOUND,
        )
    })
}

/// Import job queries.
#[derive(Default)]
pub(crate) struct ImportQuery;

#[Object]
impl ImportQuery {
    /// One import job: where it is, its progress, and its report once it ended.
    #[graphql(guard = "Needs(&[acl::IMPORT])")]
    async fn import_job(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<ImportJobObject> {
        require_resource(ctx, acl::ALL_CUSTOMERS)?;
        let services = ctx.data::<Services>()?;
        let job = services
            .back_office
            .import_jobs()
            .job(job_id(&id)?)
            .await
            .admin()?;
        Ok(job.into())
    }

    /// The import jobs, newest first.
    #[graphql(
        guard = "Needs(&[acl::IMPORT])",
        complexity = "list_cost(page_size, child_complexity)"
    )]
    async fn import_jobs(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "pageSize", default_with = "Some(20)")] page_size: Option<i64>,
        #[graphql(name = "currentPage", default_with = "Some(1)")] current_page: Option<i64>,
    ) -> async_graphql::Result<ImportJobs> {
        require_resource(ctx, acl::ALL_CUSTOMERS)?;
        let services = ctx.data::<Services>()?;
        let page = services
            .back_office
            .import_jobs()
            .list(page_request(page_size, current_page)?)
            .await
            .admin()?;
        Ok(ImportJobs {
            page_info: SearchResultPageInfo::of(&page),
            total_count: i64::try_from(page.total_count).unwrap_or(i64::MAX),
            items: page.items.into_iter().map(Into::into).collect(),
        })
    }
}
