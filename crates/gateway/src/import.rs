//! The import options and report as the HTTP route, the admin API and the CLI spell them.

use clientele_customers::{ImportBehavior, ImportReport, ValidationStrategy};
use serde_json::{Value, json};

/// A behaviour by name: Adobe Commerce's `append` (or `add_update`), `replace`, `delete`.
pub(crate) fn parse_behavior(name: Option<&str>) -> Result<ImportBehavior, String> {
    match name.unwrap_or("append") {
        "append" | "add_update" => Ok(ImportBehavior::AddUpdate),
        "replace" => Ok(ImportBehavior::Replace),
        "delete" => Ok(ImportBehavior::Delete),
        other => Err(format!(
            "\"{other}\" is not a behavior; use append, replace or delete."
        )),
    }
}

/// A validation strategy by name: `stop_on_error` or `skip_errors`.
pub(crate) fn parse_strategy(name: Option<&str>) -> Result<ValidationStrategy, String> {
    match name.unwrap_or("stop_on_error") {
        "stop_on_error" | "validation-stop-on-errors" => Ok(ValidationStrategy::StopOnError),
        "skip_errors" | "validation-skip-errors" => Ok(ValidationStrategy::SkipErrors),
        other => Err(format!(
            "\"{other}\" is not a validation strategy; use stop_on_error or skip_errors."
        )),
    }
}

/// The report as JSON.
pub(crate) fn report_json(report: &ImportReport) -> Value {
    json!({
        "rows": report.rows,
        "created": report.created,
        "updated": report.updated,
        "deleted": report.deleted,
        "skipped": report.skipped,
        "error_count": report.error_count,
        "errors": report.errors.iter().map(|e| json!({
            "line": e.line,
            "column": e.column,
            "message": e.message,
        })).collect::<Vec<_>>(),
        "committed": report.committed,
    })
}
