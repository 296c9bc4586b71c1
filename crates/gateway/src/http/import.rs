//! `POST /admin/import/customer` and `POST /admin/import/customer_address`: Adobe Commerce's
//! "Customers Main File" and "Customer Addresses" CSV files as the request body, for staff and
//! integrations holding "All Customers" and "Import". Answers with the import report.
//!
//! Query parameters: `behavior` (`add_update`, default, `replace` or `delete`),
//! `validation_strategy` (`stop_on_error`, default, or `skip_errors`), `allowed_error_count`
//! (default 10), `dry_run` (`true` validates and writes nothing); any other is refused. Every
//! answer, refusals included, is JSON.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use clientele_customers::{ImportEntity, ImportOptions, ImportReport};
use clientele_kernel::Error;
use clientele_staff::acl;
use serde_json::json;

use super::AppState;
use super::admin_auth::staff_actor;
use super::transport::{Endpoint, Refusal, json_response, refuse};
use crate::import::{parse_upload_options, report_json};

/// Runs the import of the uploaded file.
pub(crate) async fn upload(
    State(state): State<AppState>,
    Path(entity): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let endpoint = Endpoint::Admin;
    let bad = |message: &str| {
        refuse(
            endpoint,
            StatusCode::BAD_REQUEST,
            Refusal::BadRequest,
            message,
        )
    };
    let actor = match staff_actor(
        &state,
        &headers,
        &[acl::ALL_CUSTOMERS, acl::IMPORT],
        "This import",
    )
    .await
    {
        Ok(actor) => actor,
        Err(refusal) => return refusal,
    };
    let entity = match entity.as_str() {
        "customer" => ImportEntity::Customers,
        "customer_address" => ImportEntity::Addresses,
        _ => return bad("Import customer or customer_address."),
    };
    let upload = match parse_upload_options(query.as_deref()) {
        Ok(upload) => upload,
        Err(message) => return bad(&message),
    };
    let body = match body {
        Ok(body) => body,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return refuse(
                endpoint,
                StatusCode::PAYLOAD_TOO_LARGE,
                Refusal::BadRequest,
                "The file is too large; import it with `clientele customers import`.",
            );
        }
        Err(rejection) => {
            tracing::info!(%rejection, "import upload not read");
            return bad("The file could not be read; send it again.");
        }
    };
    let options = ImportOptions {
        entity,
        behavior: upload.behavior,
        strategy: upload.strategy,
        allowed_errors: upload.allowed_errors,
        dry_run: upload.dry_run,
        websites: actor
            .permissions()
            .website_ids
            .as_ref()
            .map(|ids| ids.iter().copied().collect()),
    };
    let services = &state.services;
    let result: clientele_kernel::Result<ImportReport> = services
        .back_office
        .import(&body[..], &options, |_| {})
        .await;
    match result {
        Ok(report) => json_response(
            StatusCode::OK,
            json!({ "data": report_json(&report) }).to_string(),
        ),
        Err(Error::Invalid { message, .. }) => bad(&message),
        Err(Error::Conflict(message)) => refuse(
            endpoint,
            StatusCode::CONFLICT,
            Refusal::BadRequest,
            &message,
        ),
        Err(Error::Unavailable) => refuse(
            endpoint,
            StatusCode::SERVICE_UNAVAILABLE,
            Refusal::Unavailable,
            "The service is temporarily unavailable.",
        ),
        Err(error) => {
            tracing::error!(?error, "import failed");
            refuse(
                endpoint,
                StatusCode::INTERNAL_SERVER_ERROR,
                Refusal::Internal,
                "Internal server error",
            )
        }
    }
}
