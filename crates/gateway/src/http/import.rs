//! `POST /admin/import/customer` and `POST /admin/import/customer_address`: Adobe Commerce's
//! "Customers Main File" and "Customer Addresses" CSV files as the request body, for staff and
//! integrations holding "All Customers" and "Import". The file is streamed into the database as
//! it arrives (up to the configured limit, 1 GiB by default) and queued as an import job; the
//! answer, `202 Accepted`, is the job, and `GET /admin/import/jobs/{id}` (or the admin API's
//! `importJob`) follows it to its end.
//!
//! Query parameters: `behavior` (`add_update`, default, `replace` or `delete`),
//! `validation_strategy` (`stop_on_error`, default, or `skip_errors`), `allowed_error_count`
//! (default 10), `dry_run` (`true` validates and writes nothing); any other is refused. Every
//! answer, refusals included, is JSON.

use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use clientele_customers::{ImportEntity, ImportOptions, ImportUpload};
use clientele_kernel::Error;
use clientele_staff::acl;
use futures_util::StreamExt;
use serde_json::json;

use super::AppState;
use super::admin_auth::staff_actor;
use super::transport::{Endpoint, Refusal, json_response, refuse};
use crate::import::{job_json, parse_upload_options};

const ENDPOINT: Endpoint = Endpoint::Admin;

fn bad(message: &str) -> Response {
    refuse(
        ENDPOINT,
        StatusCode::BAD_REQUEST,
        Refusal::BadRequest,
        message,
    )
}

/// Stages the uploaded file and queues its import job.
pub(crate) async fn upload(
    State(state): State<AppState>,
    Path(entity): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Body,
) -> Response {
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
    let Some(entity) = ImportEntity::from_name(&entity) else {
        return bad("Import customer or customer_address.");
    };
    let upload = match parse_upload_options(query.as_deref()) {
        Ok(upload) => upload,
        Err(message) => return bad(&message),
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
    let back_office = &state.services.back_office;
    let staged = match back_office.begin_upload(&options, &actor.label()).await {
        Ok(staged) => staged,
        Err(error) => return failure(error),
    };
    let staged = match receive(staged, body, state.settings.import_body_limit).await {
        Ok(staged) => staged,
        Err(refusal) => return refusal,
    };
    match staged.finish().await {
        Ok(job) => {
            let mut response = json_response(
                StatusCode::ACCEPTED,
                json!({ "data": job_json(&job) }).to_string(),
            );
            if let Ok(location) = HeaderValue::from_str(&format!("/admin/import/jobs/{}", job.id)) {
                response.headers_mut().insert(header::LOCATION, location);
            }
            response
        }
        Err(error) => failure(error),
    }
}

/// Streams the body into the job's staging, refusing it past `limit` bytes.
async fn receive(
    mut staged: ImportUpload,
    body: Body,
    limit: usize,
) -> Result<ImportUpload, Response> {
    let mut stream = body.into_data_stream();
    let refusal = loop {
        let data = match stream.next().await {
            None => return Ok(staged),
            Some(Ok(data)) => data,
            Some(Err(error)) => {
                tracing::info!(%error, "import upload not read");
                break bad("The file could not be read; send it again.");
            }
        };
        if staged.bytes() + data.len() as u64 > limit as u64 {
            break refuse(
                ENDPOINT,
                StatusCode::PAYLOAD_TOO_LARGE,
                Refusal::BadRequest,
                &format!(
                    "The file is larger than the import limit of {limit} bytes; import it with \
                     `clientele customers import`."
                ),
            );
        }
        if let Err(error) = staged.write(&data).await {
            break failure(error);
        }
    };
    if let Err(error) = staged.abandon().await {
        tracing::warn!(?error, "a refused upload's staging was not removed");
    }
    Err(refusal)
}

/// `GET /admin/import/jobs/{id}`: a job, its progress and, once it ended, its report.
pub(crate) async fn job(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(refusal) = staff_actor(
        &state,
        &headers,
        &[acl::ALL_CUSTOMERS, acl::IMPORT],
        "This import job",
    )
    .await
    {
        return refusal;
    }
    let Ok(id) = uuid::Uuid::parse_str(&id) else {
        return not_found();
    };
    match state.services.back_office.import_jobs().job(id).await {
        Ok(job) => json_response(
            StatusCode::OK,
            json!({ "data": job_json(&job) }).to_string(),
        ),
        Err(Error::NotFound { .. }) => not_found(),
        Err(error) => failure(error),
    }
}

fn not_found() -> Response {
    refuse(
        ENDPOINT,
        StatusCode::NOT_FOUND,
        Refusal::NotFound,
        "There is no import job with this id.",
    )
}

/// The answer to a failed step: the refusal's own words, or a generic one (logged).
fn failure(error: Error) -> Response {
    match error {
        Error::Invalid { message, .. } => bad(&message),
        Error::Conflict(message) => {
            refuse(ENDPOINT, StatusCode::CONFLICT, Refusal::Conflict, &message)
        }
        Error::Unavailable => refuse(
            ENDPOINT,
            StatusCode::SERVICE_UNAVAILABLE,
            Refusal::Unavailable,
            "The service is temporarily unavailable.",
        ),
        error => {
            tracing::error!(?error, "import upload failed");
            refuse(
                ENDPOINT,
                StatusCode::INTERNAL_SERVER_ERROR,
                Refusal::Internal,
                "Internal server error",
            )
        }
    }
}
