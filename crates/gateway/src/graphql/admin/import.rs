//! Import of Adobe Commerce customer CSV files through the admin API, for files within the
//! request body limit (larger ones go to `POST /admin/import/…` or the CLI).

use async_graphql::{Context, Enum, InputObject, Object, SimpleObject};
use clientele_customers::{
    ImportBehavior, ImportEntity, ImportOptions, ImportReport, ValidationStrategy,
};
use clientele_staff::acl;

use super::error::AdminResult;
use super::guard::{Needs, require_resource, website_scope};
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
            .import(input.content.as_bytes(), &options, |_| {})
            .await
            .admin()?;
        Ok(report.into())
    }
}
