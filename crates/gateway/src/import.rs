//! The import options and report as the HTTP route, the admin API and the CLI spell them: one
//! set of names everywhere, Adobe Commerce's (`add_update`, `replace`, `delete`).

use clientele_customers::{ImportBehavior, ImportJob, ImportReport, ValidationStrategy};
use serde_json::{Value, json};

/// A behaviour by name: `add_update` (the default), `replace` or `delete`. Adobe Commerce's
/// older name for add/update, `append`, is understood too.
pub(crate) fn parse_behavior(name: Option<&str>) -> Result<ImportBehavior, String> {
    match name.unwrap_or("add_update") {
        "add_update" | "append" => Ok(ImportBehavior::AddUpdate),
        "replace" => Ok(ImportBehavior::Replace),
        "delete" => Ok(ImportBehavior::Delete),
        other => Err(format!(
            "\"{other}\" is not a behavior; use add_update, replace or delete."
        )),
    }
}

/// The options of an upload, from its query string.
#[derive(Debug, PartialEq)]
pub(crate) struct UploadOptions {
    /// What the rows do.
    pub(crate) behavior: ImportBehavior,
    /// How bad rows are treated.
    pub(crate) strategy: ValidationStrategy,
    /// Bad rows tolerated with `skip_errors`.
    pub(crate) allowed_errors: u64,
    /// Check only, write nothing.
    pub(crate) dry_run: bool,
}

/// The query parameters an upload takes, in the order the refusal names them.
const UPLOAD_PARAMETERS: [&str; 4] = [
    "behavior",
    "validation_strategy",
    "allowed_error_count",
    "dry_run",
];

/// Reads an upload's query string. A parameter it does not know (say, `behaviour`) or one given
/// twice is refused rather than ignored, so a file never runs with options other than those
/// meant.
pub(crate) fn parse_upload_options(query: Option<&str>) -> Result<UploadOptions, String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query.unwrap_or(""))
        .map_err(|_| "The query string is not valid.".to_owned())?;
    for (index, (name, _)) in pairs.iter().enumerate() {
        if !UPLOAD_PARAMETERS.contains(&name.as_str()) {
            return Err(format!(
                "\"{name}\" is not a parameter of an import; use {}.",
                UPLOAD_PARAMETERS.join(", ")
            ));
        }
        if pairs[..index].iter().any(|(earlier, _)| earlier == name) {
            return Err(format!("\"{name}\" is given more than once."));
        }
    }
    let value = |name: &str| {
        pairs
            .iter()
            .find(|(given, _)| given == name)
            .map(|(_, value)| value.as_str())
    };
    Ok(UploadOptions {
        behavior: parse_behavior(value("behavior"))?,
        strategy: parse_strategy(value("validation_strategy"))?,
        allowed_errors: match value("allowed_error_count") {
            None => 10,
            Some(count) => count.parse().map_err(|_| {
                format!("\"{count}\" is not an allowed_error_count; use a whole number from 0.")
            })?,
        },
        dry_run: match value("dry_run") {
            None | Some("false" | "0") => false,
            Some("true" | "1") => true,
            Some(other) => {
                return Err(format!(
                    "\"{other}\" is not a dry_run value; use true or false."
                ));
            }
        },
    })
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
        "planned": {
            "created": report.planned.created,
            "updated": report.planned.updated,
            "deleted": report.planned.deleted,
        },
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

/// A job as JSON: its options, where it is, its progress and, once it ended, its report.
pub(crate) fn job_json(job: &ImportJob) -> Value {
    json!({
        "id": job.id,
        "entity": job.options.entity.name(),
        "behavior": job.options.behavior.name(),
        "validation_strategy": job.options.strategy.name(),
        "allowed_error_count": job.options.allowed_errors,
        "dry_run": job.options.dry_run,
        "state": job.state.name(),
        "cancel_requested": job.cancel_requested,
        "bytes": job.bytes,
        "rows_total": job.rows_total,
        "rows_done": job.rows_done,
        "attempt": job.attempt,
        "created_by": job.created_by,
        "created_at": job.created_at.to_rfc3339(),
        "started_at": job.started_at.map(|at| at.to_rfc3339()),
        "finished_at": job.finished_at.map(|at| at.to_rfc3339()),
        "report": job.report.as_ref().map(report_json),
        "error": job.error,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upload_options_take_adobe_commerces_names_and_refuse_anything_else() {
        let options = parse_upload_options(Some(
            "behavior=delete&validation_strategy=skip_errors&allowed_error_count=3&dry_run=1",
        ))
        .unwrap();
        assert_eq!(
            options,
            UploadOptions {
                behavior: ImportBehavior::Delete,
                strategy: ValidationStrategy::SkipErrors,
                allowed_errors: 3,
                dry_run: true,
            }
        );
        let defaults = parse_upload_options(None).unwrap();
        assert_eq!(
            (
                defaults.behavior,
                defaults.strategy,
                defaults.allowed_errors,
                defaults.dry_run
            ),
            (
                ImportBehavior::AddUpdate,
                ValidationStrategy::StopOnError,
                10,
                false
            )
        );
        for (query, refusal) in [
            (
                "behaviour=delete",
                "\"behaviour\" is not a parameter of an import; use behavior, validation_strategy, allowed_error_count, dry_run.",
            ),
            (
                "behavior=append&behavior=delete",
                "\"behavior\" is given more than once.",
            ),
            (
                "behavior=upsert",
                "\"upsert\" is not a behavior; use add_update, replace or delete.",
            ),
            (
                "dry_run=yes",
                "\"yes\" is not a dry_run value; use true or false.",
            ),
            (
                "allowed_error_count=-1",
                "\"-1\" is not an allowed_error_count; use a whole number from 0.",
            ),
        ] {
            assert_eq!(parse_upload_options(Some(query)), Err(refusal.to_owned()));
        }
    }
}
