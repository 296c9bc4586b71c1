//! GraphQL over HTTP for both endpoints: GET for queries, POST with a JSON body for everything;
//! mutations over GET, non-JSON bodies and batches are refused before anything executes. Errors
//! that happen before execution use the endpoint's error dialect (storefront `category`, admin
//! `code`), and every response is a JSON object a client can read whatever the status.
//!
//! The transport is written here rather than taken from async-graphql-axum because its extractor
//! runs mutations sent with GET, accepts any content type as JSON and does not speak the Adobe
//! Commerce messages and statuses that storefront clients key on.

use std::time::Instant;

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::graphql::codes::{category, code};

/// Which endpoint a request arrived at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Endpoint {
    /// `/graphql`.
    Storefront,
    /// `/admin/graphql`.
    Admin,
}

impl Endpoint {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Endpoint::Storefront => "storefront",
            Endpoint::Admin => "admin",
        }
    }
}

/// What went wrong before execution, in both dialects.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Refusal {
    /// Bad transport or input (`graphql-input` / `BAD_REQUEST`).
    BadRequest,
    /// Unreadable document (`graphql` / `GRAPHQL_PARSE_FAILED`).
    Parse,
    /// Refused by a document rule (`graphql` / `GRAPHQL_VALIDATION_FAILED`).
    Validation,
    /// Bad credentials (`graphql-authentication` / `UNAUTHENTICATED`).
    Authentication,
    /// Known caller without the permission (`graphql-authorization` / `FORBIDDEN`).
    Forbidden,
    /// Server failure (`internal` / `INTERNAL`).
    Internal,
    /// Database unreachable (`internal` / `SERVICE_UNAVAILABLE`).
    Unavailable,
    /// In the way of another request (`CONFLICT`; admin API only).
    Conflict,
    /// No such thing (`graphql-no-such-entity` / `NOT_FOUND`).
    NotFound,
}

impl Refusal {
    fn extensions(self, endpoint: Endpoint) -> Value {
        match endpoint {
            Endpoint::Storefront => json!({ "category": match self {
                Refusal::BadRequest | Refusal::Conflict => category::INPUT,
                Refusal::Parse | Refusal::Validation => category::GRAPHQL,
                Refusal::Authentication => category::AUTHENTICATION,
                Refusal::Forbidden => category::AUTHORIZATION,
                Refusal::Internal | Refusal::Unavailable => category::INTERNAL,
                Refusal::NotFound => category::NO_SUCH_ENTITY,
            }}),
            Endpoint::Admin => json!({ "code": match self {
                Refusal::BadRequest => code::BAD_REQUEST,
                Refusal::Parse => code::GRAPHQL_PARSE_FAILED,
                Refusal::Validation => code::GRAPHQL_VALIDATION_FAILED,
                Refusal::Authentication => code::UNAUTHENTICATED,
                Refusal::Forbidden => code::FORBIDDEN,
                Refusal::Internal => code::INTERNAL,
                Refusal::Unavailable => code::SERVICE_UNAVAILABLE,
                Refusal::Conflict => code::CONFLICT,
                Refusal::NotFound => code::NOT_FOUND,
            }}),
        }
    }
}

/// A JSON error response.
pub(crate) fn refuse(
    endpoint: Endpoint,
    status: StatusCode,
    refusal: Refusal,
    message: &str,
) -> Response {
    let body =
        json!({ "errors": [{ "message": message, "extensions": refusal.extensions(endpoint) }] });
    json_response(status, body.to_string())
}

/// The media type a client asked the response in (GraphQL over HTTP): the specification's own
/// `application/graphql-response+json`, with its status codes, or the classic
/// `application/json`, which every existing client (Adobe's among them) sends or implies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ResponseMedia {
    /// `application/json` (also for no `Accept`, `*/*` and anything else).
    Json,
    /// `application/graphql-response+json`: request errors are 400.
    GraphqlResponse,
}

impl ResponseMedia {
    /// The media type the `Accept` header prefers: `application/graphql-response+json` when it is
    /// listed with a quality at least that of `application/json`.
    pub(crate) fn negotiate(headers: &HeaderMap) -> Self {
        let quality = |wanted: &str| accept_quality(headers, wanted);
        match (
            quality("application/graphql-response+json"),
            quality("application/json"),
        ) {
            (Some(ours), json) if ours > 0.0 && json.is_none_or(|j| ours >= j) => {
                Self::GraphqlResponse
            }
            _ => Self::Json,
        }
    }

    /// Marks `response` with this media type.
    pub(crate) fn apply(self, mut response: Response) -> Response {
        if self == Self::GraphqlResponse {
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/graphql-response+json; charset=utf-8"),
            );
        }
        response
    }
}

/// The quality the `Accept` header gives the media type `wanted` when it lists it by name (the
/// best, if listed twice); `None` when it does not.
pub(crate) fn accept_quality(headers: &HeaderMap, wanted: &str) -> Option<f32> {
    let accept = headers.get(header::ACCEPT)?.to_str().ok()?;
    accept
        .split(',')
        .filter_map(|part| {
            let mut pieces = part.split(';').map(str::trim);
            let media = pieces.next()?;
            media.eq_ignore_ascii_case(wanted).then(|| {
                pieces
                    .find_map(|p| p.strip_prefix("q="))
                    .and_then(|q| q.parse::<f32>().ok())
                    .unwrap_or(1.0)
            })
        })
        .fold(None, |best: Option<f32>, q| {
            Some(best.map_or(q, |b| b.max(q)))
        })
}

/// A JSON response with the headers every GraphQL response carries.
pub(crate) fn json_response(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// The three parts of a GraphQL request.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RawRequest {
    pub(crate) query: Option<String>,
    #[serde(default)]
    pub(crate) variables: Option<Value>,
    pub(crate) operation_name: Option<String>,
    /// Protocol extensions; must be a map when present (GraphQL over HTTP).
    #[serde(default)]
    pub(crate) extensions: Option<Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct QueryString {
    query: Option<String>,
    variables: Option<String>,
    operation_name: Option<String>,
    extensions: Option<String>,
}

/// Reads a GET query string: `query`, `variables` (a JSON string), `operationName`.
pub(crate) fn parse_get(
    endpoint: Endpoint,
    raw_query: Option<&str>,
) -> Result<RawRequest, Response> {
    let parsed: QueryString =
        serde_urlencoded::from_str(raw_query.unwrap_or("")).map_err(|_| {
            refuse(
                endpoint,
                StatusCode::BAD_REQUEST,
                Refusal::BadRequest,
                "Unable to parse the request.",
            )
        })?;
    let variables = match parsed.variables.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(serde_json::from_str::<Value>(text).map_err(|_| {
            refuse(
                endpoint,
                StatusCode::BAD_REQUEST,
                Refusal::BadRequest,
                "Unable to parse the variables.",
            )
        })?),
    };
    let extensions = match parsed.extensions.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(serde_json::from_str::<Value>(text).map_err(|_| {
            refuse(
                endpoint,
                StatusCode::BAD_REQUEST,
                Refusal::BadRequest,
                "Unable to parse the extensions.",
            )
        })?),
    };
    Ok(RawRequest {
        query: parsed.query,
        variables,
        operation_name: parsed.operation_name,
        extensions,
    })
}

/// Reads a POST: JSON content type, size limit, one JSON object (no batches).
pub(crate) async fn parse_post(
    endpoint: Endpoint,
    headers: &HeaderMap,
    body: axum::body::Body,
    limit: usize,
) -> Result<RawRequest, Response> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|ct| ct.trim().eq_ignore_ascii_case("application/json"));
    if !is_json {
        return Err(refuse(
            endpoint,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Refusal::BadRequest,
            "Request content type must be application/json",
        ));
    }
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let too_large = || {
        refuse(
            endpoint,
            StatusCode::PAYLOAD_TOO_LARGE,
            Refusal::BadRequest,
            "Request body is too large.",
        )
    };
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    let bytes = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| too_large())?;
    let value: Value = serde_json::from_slice(&bytes).map_err(|_| {
        refuse(
            endpoint,
            StatusCode::BAD_REQUEST,
            Refusal::BadRequest,
            "Unable to parse the request.",
        )
    })?;
    if value.is_array() {
        return Err(refuse(
            endpoint,
            StatusCode::BAD_REQUEST,
            Refusal::BadRequest,
            "Batched requests are not supported: send one operation per request.",
        ));
    }
    serde_json::from_value(value).map_err(|_| {
        refuse(
            endpoint,
            StatusCode::BAD_REQUEST,
            Refusal::BadRequest,
            "Unable to parse the request.",
        )
    })
}

/// The bearer token of an `Authorization` header. Like Adobe Commerce: the scheme is matched
/// case-insensitively, and an empty or malformed header means a guest.
pub(crate) fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let mut parts = value.split(' ').filter(|p| !p.is_empty());
    let (scheme, token) = (parts.next()?, parts.next()?);
    if parts.next().is_some() || !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    Some(token.to_owned())
}

/// Records the request in the metrics. Static labels are passed as `&'static str`, which the
/// metrics registry keeps without copying; only the operation name is copied.
pub(crate) fn record(endpoint: Endpoint, operation: &str, outcome: &'static str, started: Instant) {
    let operation = metrics::SharedString::from(operation.to_owned());
    let endpoint = endpoint.label();
    metrics::counter!(
        "graphql_requests_total",
        "endpoint" => endpoint,
        "operation" => operation.clone(),
        "outcome" => outcome
    )
    .increment(1);
    metrics::histogram!(
        "graphql_request_duration_seconds",
        "endpoint" => endpoint,
        "operation" => operation
    )
    .record(started.elapsed().as_secs_f64());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(auth: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_str(auth).expect("header"),
        );
        h
    }

    #[test]
    fn bearer_parsing_follows_adobe_commerce() {
        assert_eq!(bearer(&headers("Bearer abc")).as_deref(), Some("abc"));
        assert_eq!(bearer(&headers("bearer abc")).as_deref(), Some("abc"));
        assert_eq!(bearer(&headers("")), None);
        assert_eq!(bearer(&headers("Basic abc")), None);
        assert_eq!(bearer(&headers("Bearer a b")), None);
        assert_eq!(bearer(&HeaderMap::new()), None);
    }

    #[test]
    fn get_variables_must_be_json() {
        let ok = parse_get(
            Endpoint::Storefront,
            Some("query=%7Ba%7D&variables=%7B%22x%22%3A1%7D"),
        )
        .expect("ok");
        assert_eq!(ok.query.as_deref(), Some("{a}"));
        assert_eq!(ok.variables, Some(json!({"x": 1})));
        assert!(parse_get(Endpoint::Storefront, Some("query=%7Ba%7D&variables=nope")).is_err());
    }
}
