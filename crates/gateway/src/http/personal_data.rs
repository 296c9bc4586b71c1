//! Downloads of the export of everything held about a customer: staff and integrations holding
//! "Export and Erase Personal Data" at `GET /admin/exports/customers/{uid}/data.json`, and the
//! customer through the single-use link `requestCustomerDataExport` emails them. The link
//! (`GET /exports/customer-data/{token}`) opens a page whose button downloads the file
//! (`POST` to the same address): mail scanners that open links before the customer does only
//! ever see the page, so they cannot use the link up.

use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use clientele_kernel::Error;
use clientele_staff::acl;
use serde_json::Value;

use super::AppState;
use super::admin_auth::staff_actor;
use super::export::audit_download;
use super::transport::{Endpoint, Refusal, refuse};
use crate::graphql::uid::decode_uid;

/// The start of every export link's path; the token follows.
pub(crate) const LINK_PREFIX: &str = clientele_privacy::EXPORT_LINK_PATH;

/// What the customer's link answers once it no longer works.
const LINK_DEAD: &str =
    "This download link has expired or was already used. Ask for a new one from your account.";

/// `GET /admin/exports/customers/{uid}/data.json`.
pub(crate) async fn admin_download(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(uid): Path<String>,
) -> Response {
    let endpoint = Endpoint::Admin;
    let actor = match staff_actor(&state, &headers, &[acl::PERSONAL_DATA], "This download").await {
        Ok(actor) => actor,
        Err(refusal) => return refusal,
    };
    let not_found = || {
        refuse(
            endpoint,
            StatusCode::NOT_FOUND,
            Refusal::NotFound,
            &format!("No customer has the uid \"{uid}\"."),
        )
    };
    let Some(id) = decode_uid(&uid) else {
        return not_found();
    };
    // A role limited to some websites reaches only their customers; others look absent.
    let visible = match state.services.accounts.get(id).await {
        Ok(customer) => actor
            .permissions()
            .website_ids
            .as_ref()
            .is_none_or(|ids| ids.contains(&customer.website_id)),
        Err(Error::NotFound { .. }) => false,
        Err(error) => return failed(endpoint, &error),
    };
    if !visible {
        return not_found();
    }
    let mut targets = serde_json::Map::new();
    targets.insert("customerId".into(), id.into());
    if let Err(refusal) = audit_download(
        &state,
        &actor,
        &headers,
        peer,
        "GET /admin/exports/customers/{uid}/data.json",
        targets,
    )
    .await
    {
        return refusal;
    }
    match state.services.privacy.export(id).await {
        Ok(document) => attachment(id, document),
        Err(Error::NotFound { .. }) => not_found(),
        Err(error) => failed(endpoint, &error),
    }
}

/// `GET /exports/customer-data/{token}`: the page the emailed link opens, with the button that
/// downloads the file. Using the link up takes the button.
pub(crate) async fn link_page() -> Response {
    let mut response = Html(LINK_PAGE).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; form-action 'self'"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

/// The page of an export link: a form that posts back to the link's own address.
const LINK_PAGE: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Your data</title></head><body><h1>Your data</h1><p>Download everything the store holds about you as a JSON file. The link works once.</p><form method=\"post\"><button type=\"submit\">Download my data</button></form></body></html>";

/// `POST /exports/customer-data/{token}`: the export the emailed link leads to, once.
pub(crate) async fn link_download(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Response {
    let endpoint = Endpoint::Storefront;
    match state.services.privacy.redeem_export_link(&token).await {
        Ok(Some(document)) => {
            let id = document["customer"]["id"].as_i64().unwrap_or_default();
            attachment(id, document)
        }
        Ok(None) => refuse(
            endpoint,
            StatusCode::NOT_FOUND,
            Refusal::NotFound,
            LINK_DEAD,
        ),
        Err(error) => failed(endpoint, &error),
    }
}

/// The document as a JSON file to save, never cached on the way.
fn attachment(id: impl std::fmt::Display, document: Value) -> Response {
    let mut response = Json(document).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(value) =
        HeaderValue::from_str(&format!("attachment; filename=\"customer-{id}-data.json\""))
    {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// A generic failure: the details go to the log only.
fn failed(endpoint: Endpoint, error: &Error) -> Response {
    tracing::error!(?error, "customer data export failed");
    refuse(
        endpoint,
        StatusCode::INTERNAL_SERVER_ERROR,
        Refusal::Internal,
        "Internal server error",
    )
}
