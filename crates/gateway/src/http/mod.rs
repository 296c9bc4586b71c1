//! The HTTP surface: both GraphQL endpoints, health and readiness, and the public keys that
//! verify tokens; metrics on a listener of their own. Every request gets a request id, a trace span, a timeout and panic safety.

// Handlers refuse a request by returning the finished response as the error; it is built once per
// request, so its size does not matter.
#![allow(clippy::result_large_err)]

mod admin_auth;
pub(crate) mod audit;
mod export;
mod graphql;
mod health;
mod ide;
mod idempotent;
mod import;
pub(crate) mod labels;
mod personal_data;
pub(crate) mod transport;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Method, Request, StatusCode, header};
use axum::routing::{MethodFilter, get, on, post};
use metrics_exporter_prometheus::PrometheusHandle;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;

use crate::graphql::parsed::ParsedDocuments;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::config::Settings;
use crate::graphql::{AdminSchema, StorefrontSchema};
use crate::services::Services;

/// What the handlers share.
#[derive(Clone)]
pub(crate) struct AppState {
    pub(crate) settings: Arc<Settings>,
    pub(crate) services: Arc<Services>,
    pub(crate) storefront: StorefrontSchema,
    pub(crate) admin: AdminSchema,
    pub(crate) metrics: PrometheusHandle,
    pub(crate) shutting_down: Arc<AtomicBool>,
    /// Parsed documents of recent queries.
    pub(crate) documents: Arc<ParsedDocuments>,
    /// The closed set of `operation` metric labels.
    pub(crate) labels: Arc<labels::OperationLabels>,
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The router with every route and layer.
pub(crate) fn router(state: AppState) -> Router {
    let settings = state.settings.clone();
    let get_or_post = || MethodFilter::GET.or(MethodFilter::POST);
    let routes = Router::new()
        .route("/graphql", on(get_or_post(), graphql::storefront))
        .route("/admin/graphql", on(get_or_post(), graphql::admin))
        .route("/admin/export/customers", get(export::customers))
        .route(
            "/admin/exports/customers/{uid}/data.json",
            get(personal_data::admin_download),
        )
        .route(
            "/exports/customer-data/{token}",
            get(personal_data::link_page).post(personal_data::link_download),
        )
        .route("/admin/import/jobs/{id}", get(import::job))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/.well-known/jwks.json", get(health::jwks));
    let routes = if settings.graphql_ide_on() {
        routes.route(ide::ASSETS_PATH, get(ide::asset))
    } else {
        routes
    };
    let routes = routes.layer(TimeoutLayer::with_status_code(
        StatusCode::GATEWAY_TIMEOUT,
        Duration::from_secs(settings.request_timeout_secs),
    ));
    // Added after the timeout: an upload of up to the import limit takes as long as the client
    // needs to send it. The route reads its body as a stream and counts the limit itself.
    let routes = routes.route(
        "/admin/import/{entity}",
        post(import::upload).layer(DefaultBodyLimit::disable()),
    );
    with_layers(routes.with_state(state), &settings)
}

/// A request's path as the logs show it: a data export link's token is a secret, and stays out.
fn logged_path(path: &str) -> &str {
    if path.starts_with(personal_data::LINK_PREFIX) {
        personal_data::LINK_PREFIX
    } else {
        path
    }
}

/// The layers every route goes through: request ids, tracing, the last-resort panic handler
/// (a generic 500, details only in the log), and CORS. The request timeout is the router's.
fn with_layers(routes: Router, settings: &Settings) -> Router {
    let trust_forwarded_for = settings.trust_forwarded_for;
    let trace = TraceLayer::new_for_http().make_span_with(move |request: &Request<_>| {
        let request_id = request
            .headers()
            .get(REQUEST_ID)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let path = logged_path(request.uri().path());
        // Every line a request logs names its client: security events say who tried.
        let client = request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| graphql::client_ip(request.headers(), info.0, trust_forwarded_for))
            .unwrap_or_default();
        tracing::info_span!("request", method = %request.method(), path = %path, request_id, client = %client)
    });
    let layers = ServiceBuilder::new()
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(trace)
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(CatchPanicLayer::custom(
            |panic: Box<dyn std::any::Any + Send>| {
                let detail = panic
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| panic.downcast_ref::<&str>().copied())
                    .unwrap_or("(no message)");
                tracing::error!(panic = detail, "a request handler panicked");
                transport::json_response(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    r#"{"errors":[{"message":"Internal server error"}]}"#.into(),
                )
            },
        ));
    let routes = routes.layer(layers);
    match cors(settings) {
        Some(cors) => routes.layer(cors),
        None => routes,
    }
}

/// The metrics listener's router: `/metrics` only, kept off the public surface.
pub(crate) fn metrics_router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(health::metrics))
        .with_state(state)
}

/// CORS for browser storefronts: the configured origins, the headers Adobe Commerce storefronts
/// send, no credentials (tokens travel in `Authorization`, not cookies).
fn cors(settings: &Settings) -> Option<CorsLayer> {
    let origins = settings.cors_origin_list();
    if origins.is_empty() {
        return None;
    }
    let allow_origin = if origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()))
    };
    Some(
        CorsLayer::new()
            .allow_origin(allow_origin)
            .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
            .allow_headers([
                header::AUTHORIZATION,
                header::CONTENT_TYPE,
                header::ACCEPT,
                HeaderName::from_static("store"),
                HeaderName::from_static("content-currency"),
                HeaderName::from_static("x-recaptcha"),
                HeaderName::from_static("x-magento-cache-id"),
                HeaderName::from_static("x-visitor-id"),
                REQUEST_ID,
            ])
            .expose_headers([REQUEST_ID, HeaderName::from_static("x-magento-cache-id")])
            .max_age(Duration::from_secs(600)),
    )
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use tower::ServiceExt;

    use super::*;

    #[test]
    fn export_link_tokens_stay_out_of_logged_paths() {
        assert_eq!(
            logged_path("/exports/customer-data/cdx_secret"),
            "/exports/customer-data/"
        );
        assert_eq!(logged_path("/admin/graphql"), "/admin/graphql");
    }

    #[tokio::test]
    async fn a_panic_becomes_a_generic_500_that_keeps_its_details_to_the_log() {
        async fn boom() -> &'static str {
            let secret = "table customers, column password_hash";
            if !secret.is_empty() {
                panic!("{secret}");
            }
            "never"
        }
        let routes = Router::new().route("/boom", get(boom));
        let response = with_layers(routes, &Settings::default())
            .oneshot(Request::get("/boom").body(Body::empty()).expect("request"))
            .await
            .expect("a response, not a dropped connection");
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(response.headers().contains_key("x-request-id"));
        let body = axum::body::to_bytes(response.into_body(), 10_000)
            .await
            .expect("body");
        let text = String::from_utf8_lossy(&body);
        assert_eq!(text, r#"{"errors":[{"message":"Internal server error"}]}"#);
    }
}
