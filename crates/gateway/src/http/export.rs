//! `GET /admin/export/customers`: the Customers grid as a CSV or Excel XML download for staff and
//! integrations holding "All Customers". The file streams in batches, so memory stays flat.
//!
//! Query parameters: `format` (`csv`, default, or `xml`), `search` (keyword), `filter` (JSON, the
//! shape of `CustomerGridFilterInput`), `ids` (comma-separated ids; only these).

use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use clientele_customer_export::{ExportFormat, export_head, export_rows, export_tail};
use clientele_staff::acl;
use futures_util::{StreamExt, stream};
use serde::Deserialize;
use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use clientele_audit::{ActionKind, NewAdminAction, Outcome};

use super::AppState;
use super::admin_auth::staff_actor;
use super::transport::{Endpoint, Refusal, refuse};
use crate::grid_filter::{CustomerGridFilterInput, grid_query, scoped};

/// Rows read per database round trip.
const BATCH: u64 = 1000;
/// Most ids one export may list.
const MAX_IDS: usize = 10_000;

#[derive(Deserialize)]
pub(crate) struct ExportParams {
    format: Option<String>,
    search: Option<String>,
    filter: Option<String>,
    ids: Option<String>,
}

/// Streams the export.
pub(crate) async fn customers(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(params): Query<ExportParams>,
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
    let actor = match staff_actor(&state, &headers, &[acl::ALL_CUSTOMERS], "This download").await {
        Ok(actor) => actor,
        Err(refusal) => return refusal,
    };
    let format = match params.format.as_deref().unwrap_or("csv") {
        "csv" => ExportFormat::Csv,
        "xml" | "excel" => ExportFormat::ExcelXml,
        _ => return bad("format must be csv or xml."),
    };
    let filter: CustomerGridFilterInput = match params.filter.as_deref() {
        None | Some("") => CustomerGridFilterInput::default(),
        Some(json) => match serde_json::from_str(json) {
            Ok(f) => f,
            Err(e) => {
                return bad(&format!(
                    "filter is not a valid CustomerGridFilterInput: {e}"
                ));
            }
        },
    };
    let scope = actor
        .permissions()
        .website_ids
        .as_ref()
        .map(|ids| ids.iter().copied().collect());
    let query = match grid_query(params.search, filter) {
        Ok(q) => scoped(q, scope),
        Err(e) => return bad(&e.to_string()),
    };
    let ids = match params.ids.as_deref() {
        None | Some("") => None,
        Some(list) => match list
            .split(',')
            .map(|id| id.trim().parse::<i32>())
            .collect::<Result<Vec<_>, _>>()
        {
            Ok(ids) if ids.len() <= MAX_IDS => Some(ids),
            Ok(_) => {
                return bad("ids may list at most 10000 customers; use search or filter for more.");
            }
            Err(_) => return bad("ids must be comma-separated numbers."),
        },
    };
    // No personal data leaves without its line in the staff audit log.
    let mut targets = serde_json::Map::new();
    if let Some(ids) = &ids {
        targets.insert("ids".into(), serde_json::json!(ids));
    }
    if let Err(refusal) = audit_download(
        &state,
        &actor,
        &headers,
        peer,
        "GET /admin/export/customers",
        targets,
    )
    .await
    {
        return refusal;
    }
    let labels = match state.services.export_labels().await {
        Ok(l) => l,
        Err(error) => {
            tracing::error!(?error, "export labels");
            return refuse(
                endpoint,
                StatusCode::INTERNAL_SERVER_ERROR,
                Refusal::Internal,
                "Internal server error",
            );
        }
    };
    let head = match export_head(format) {
        Ok(h) => h,
        Err(_) => {
            return refuse(
                endpoint,
                StatusCode::INTERNAL_SERVER_ERROR,
                Refusal::Internal,
                "Internal server error",
            );
        }
    };
    tracing::info!(
        staff_user_id = actor.staff_user_id(),
        ?format,
        "customer export started"
    );
    // Lock states are judged as of the export's start, so one file does not mix two moments.
    let as_of = state.services.clock.now();
    let rows = state
        .services
        .back_office
        .export_batches(query, ids, BATCH)
        .map(move |batch| {
            batch
                .and_then(|customers| export_rows(format, &customers, &labels, as_of))
                .map(Bytes::from)
                .map_err(|error| {
                    tracing::error!(?error, "customer export failed mid-stream");
                    std::io::Error::other("export failed")
                })
        });
    let body = stream::once(async move { Ok::<_, std::io::Error>(Bytes::from(head)) })
        .chain(rows)
        .chain(stream::once(
            async move { Ok(Bytes::from(export_tail(format))) },
        ));
    let mut response = Body::from_stream(body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(value) = HeaderValue::from_str(&format!(
        "attachment; filename=\"customers.{}\"",
        format.extension()
    )) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// Writes the staff audit log's line for a download of personal data by `actor`; the response
/// that refuses the download when the line cannot be written (no personal data leaves without
/// it).
pub(crate) async fn audit_download(
    state: &AppState,
    actor: &clientele_staff::Actor,
    headers: &HeaderMap,
    peer: SocketAddr,
    operation: &str,
    targets: serde_json::Map<String, serde_json::Value>,
) -> Result<(), Response> {
    let line = NewAdminAction {
        caller: super::audit::caller(&super::graphql::staff_actor(actor)),
        operation: operation.into(),
        kind: ActionKind::Export,
        targets,
        outcome: Outcome::Success,
        error_code: None,
        request_id: headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        ip: Some(super::graphql::client_ip(
            headers,
            peer,
            state.settings.trust_forwarded_for,
        )),
    };
    if let Err(error) = state.services.audit.record(vec![line]).await {
        tracing::error!(
            ?error,
            "could not write the staff audit log; download refused"
        );
        return Err(refuse(
            Endpoint::Admin,
            StatusCode::SERVICE_UNAVAILABLE,
            Refusal::Unavailable,
            "The export is unavailable. Try again.",
        ));
    }
    Ok(())
}
