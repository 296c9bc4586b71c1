//! The GraphQL handlers of both endpoints: transport checks, document rules, authentication,
//! store selection, execution, and the endpoint's HTTP status rules.

use clientele_kernel::acting::{self, Acting, Actor};
use std::net::SocketAddr;
use std::time::Instant;

use async_graphql::{Request, Response as GqlResponse, ServerError, Variables};
use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::Response;
use clientele_staff::AuthFailure;
use serde_json::Value;

use super::AppState;
use super::transport::{
    Endpoint, RawRequest, Refusal, ResponseMedia, bearer, json_response, parse_get, parse_post,
    record, refuse,
};
use crate::graphql::admin::guard::RequestActor;
use crate::graphql::admin::loaders::AdminLoaders;
use crate::graphql::codes::{category, code};
use crate::graphql::document;
use crate::graphql::request::{
    ClientInfo, ForeignShopperToken, RequestShopper, RequestStaff, RequestStore, RequestVisitor,
};
use clientele_assistance::AssistedSession;
use clientele_customers::TokenRefusal;

/// `GET|POST /graphql`.
pub(crate) async fn storefront(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    handle(
        state,
        Endpoint::Storefront,
        peer,
        method,
        uri,
        headers,
        body,
    )
    .await
}

/// `GET|POST /admin/graphql`.
pub(crate) async fn admin(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    handle(state, Endpoint::Admin, peer, method, uri, headers, body).await
}

async fn handle(
    state: AppState,
    endpoint: Endpoint,
    peer: SocketAddr,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    if method == Method::GET
        && state.settings.graphql_ide_on()
        && super::ide::wants_page(&headers, uri.query())
    {
        return super::ide::page(endpoint);
    }
    let started = Instant::now();
    let media = ResponseMedia::negotiate(&headers);
    media.apply(
        respond(
            state, endpoint, peer, method, uri, headers, body, media, started,
        )
        .await,
    )
}

#[allow(clippy::too_many_arguments)] // the request's parts, as axum hands them over
async fn respond(
    state: AppState,
    endpoint: Endpoint,
    peer: SocketAddr,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
    media: ResponseMedia,
    started: Instant,
) -> Response {
    let is_get = method == Method::GET;
    let raw = if is_get {
        parse_get(endpoint, uri.query())
    } else {
        parse_post(endpoint, &headers, body, state.settings.request_body_limit).await
    };
    let raw = match raw {
        Ok(raw) => raw,
        Err(response) => {
            record(endpoint, super::labels::INVALID, "refused", started);
            return response;
        }
    };
    let fingerprint = super::idempotent::fingerprint(&raw);
    let (mut request, operation_name) = match build_request(endpoint, raw) {
        Ok(r) => r,
        Err(response) => {
            record(endpoint, super::labels::INVALID, "refused", started);
            return response;
        }
    };
    let operation = match check_document(
        endpoint,
        &state,
        &mut request,
        is_get,
        operation_name.as_deref(),
    ) {
        Ok(op) => op,
        Err(mut response) => {
            record(endpoint, super::labels::INVALID, "refused", started);
            // GraphQL over HTTP: a document that cannot run is 400 in its own media type, and
            // 200 with the errors in classic JSON; the storefront keeps Adobe Commerce's 400.
            let status = response.status();
            if status == StatusCode::BAD_REQUEST || status == StatusCode::OK {
                *response.status_mut() = match (endpoint, media) {
                    (_, ResponseMedia::GraphqlResponse) => StatusCode::BAD_REQUEST,
                    (Endpoint::Admin, ResponseMedia::Json) => StatusCode::OK,
                    (Endpoint::Storefront, ResponseMedia::Json) => status,
                };
            }
            return response;
        }
    };
    let client = ClientInfo {
        ip: client_ip(&headers, peer, state.settings.trust_forwarded_for),
    };
    let ip = client.ip.clone();
    let request = request.data(client);
    let prepared = match endpoint {
        Endpoint::Storefront => prepare_storefront(&state, &headers, request)
            .await
            .map(|(r, assisted, actor)| (r, assisted, None, actor)),
        Endpoint::Admin => prepare_admin(&state, &headers, request)
            .await
            .map(|(r, caller, actor)| (r, None, caller, actor)),
    };
    let (mut request, assisted_session, caller, actor) = match prepared {
        Ok(r) => r,
        Err(response) => {
            record(endpoint, &operation, "refused", started);
            return response;
        }
    };
    let mutations = request
        .parsed_query()
        .map(|doc| document::mutation_root_fields(doc, operation_name.as_deref()))
        .unwrap_or_default();
    if endpoint == Endpoint::Admin {
        request = request.data(AdminLoaders::new(&state.services, mutations.is_empty()));
    }
    let claimed = match endpoint {
        Endpoint::Admin => {
            match super::idempotent::begin(
                &state,
                &headers,
                caller.as_deref(),
                &mutations,
                &fingerprint,
            )
            .await
            {
                super::idempotent::Begin::Run(claimed) => claimed,
                super::idempotent::Begin::Answer(response) => {
                    record(endpoint, &operation, "replayed", started);
                    return response;
                }
            }
        }
        Endpoint::Storefront => None,
    };
    // Changes made in a Login as Customer session are logged with the staff user's name: each
    // as an attempt before it runs (no change goes unrecorded), then with its outcome.
    let assisted_changes = match (&assisted_session, request.parsed_query()) {
        (Some(_), Ok(doc)) => document::mutation_root_fields(doc, operation_name.as_deref()),
        _ => Vec::new(),
    };
    let assisted = assisted_session.filter(|_| !assisted_changes.is_empty());
    if let Some(session) = &assisted {
        let names: Vec<String> = assisted_changes.iter().map(|(_, n)| n.clone()).collect();
        if let Err(error) = state
            .services
            .assistance
            .record_attempts(session, &names, Some(ip.clone()))
            .await
        {
            tracing::error!(?error, "could not log the changes of an assisted session");
            record(endpoint, &operation, "refused", started);
            return server_failure(endpoint, clientele_kernel::Error::Unavailable);
        }
    }
    // Every change the request makes is recorded as made by its caller, in this request.
    let acting = Acting {
        actor,
        request_id: headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
    };
    let audited = if endpoint == Endpoint::Admin {
        // Set aside while the document is borrowed, then put back for the run.
        let variables = std::mem::take(&mut request.variables);
        let fields = match request.parsed_query() {
            Ok(doc) => super::audit::audited_fields(doc, operation_name.as_deref(), &variables),
            Err(_) => Vec::new(),
        };
        request.variables = variables;
        fields
    } else {
        Vec::new()
    };
    let caller = super::audit::caller(&acting.actor);
    let request_id = acting.request_id.clone();
    let mut response = acting::within(acting, async {
        match endpoint {
            Endpoint::Storefront => state.storefront.execute(request).await,
            Endpoint::Admin => state.admin.execute(request).await,
        }
    })
    .await;
    if let Some(session) = &assisted {
        let outcomes = field_outcomes(&assisted_changes, &response.errors);
        if let Err(error) = state
            .services
            .assistance
            .record_outcomes(session, &outcomes, Some(ip.clone()))
            .await
        {
            tracing::error!(?error, "could not log the outcome of assisted changes");
        }
    }
    fill_default_extensions(endpoint, &mut response.errors);
    if !audited.is_empty() {
        let lines = super::audit::lines(
            audited,
            &response.errors,
            caller,
            request_id.as_deref(),
            &ip,
        );
        // The change has been made: a line that cannot be written is logged instead.
        if let Err(error) = state.services.audit.record(lines).await {
            tracing::error!(?error, "could not write the staff audit log");
        }
    }
    let status = match endpoint {
        Endpoint::Storefront => storefront_status(&response.errors),
        Endpoint::Admin => StatusCode::OK,
    };
    // A request that failed before execution (validation, variable coercion) has no data and no
    // error with a path: 400 in the specification's media type.
    let request_error = response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty());
    let status =
        if media == ResponseMedia::GraphqlResponse && request_error && status == StatusCode::OK {
            StatusCode::BAD_REQUEST
        } else {
            status
        };
    let outcome = if response.errors.is_empty() {
        "ok"
    } else {
        "error"
    };
    record(endpoint, &operation, outcome, started);
    let Some(claimed) = claimed else {
        return finish(status, response);
    };
    // Kept for the key's repeats unless the answer may differ on a retry.
    let is_final = !response.errors.iter().any(|e| {
        e.extensions.as_ref().is_some_and(|x| {
            matches!(x.get("code"), Some(async_graphql::Value::String(given))
                if [code::INTERNAL, code::SERVICE_UNAVAILABLE, code::RATE_LIMITED].contains(&given.as_str()))
        })
    });
    let answer = finish(status, response);
    let (parts, body) = answer.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::error!(%error, "could not read a response to keep it");
            super::idempotent::settle(&state, claimed, parts.status, "", false).await;
            return server_failure(endpoint, clientele_kernel::Error::Unavailable);
        }
    };
    let text = String::from_utf8_lossy(&bytes).into_owned();
    super::idempotent::settle(&state, claimed, parts.status, &text, is_final).await;
    Response::from_parts(parts, Body::from(bytes))
}

fn build_request(
    endpoint: Endpoint,
    raw: RawRequest,
) -> Result<(Request, Option<String>), Response> {
    if raw
        .extensions
        .as_ref()
        .is_some_and(|e| !e.is_object() && !e.is_null())
    {
        return Err(refuse(
            endpoint,
            StatusCode::BAD_REQUEST,
            Refusal::BadRequest,
            "Unable to parse the extensions.",
        ));
    }
    let query = raw.query.filter(|q| !q.trim().is_empty()).ok_or_else(|| {
        refuse(
            endpoint,
            StatusCode::BAD_REQUEST,
            Refusal::BadRequest,
            "Query string is empty.",
        )
    })?;
    let mut request = Request::new(query);
    match raw.variables {
        None | Some(Value::Null) => {}
        Some(v @ Value::Object(_)) => request = request.variables(Variables::from_json(v)),
        Some(_) => {
            return Err(refuse(
                endpoint,
                StatusCode::BAD_REQUEST,
                Refusal::BadRequest,
                "Unable to parse the variables.",
            ));
        }
    }
    if let Some(name) = &raw.operation_name {
        request = request.operation_name(name.clone());
    }
    Ok((request, raw.operation_name))
}

/// Parses the document once and applies the rules that must hold before anything runs.
/// Returns the metrics label of the operation.
fn check_document(
    endpoint: Endpoint,
    state: &AppState,
    request: &mut Request,
    is_get: bool,
    operation_name: Option<&str>,
) -> Result<String, Response> {
    // A document parsed before is copied; a new one is parsed here and kept once it passes.
    let new_text = match state.documents.get(&request.query) {
        Some(doc) => {
            request.set_parsed_query(doc);
            None
        }
        None => Some(request.query.clone()),
    };
    let doc = match request.parsed_query() {
        Ok(doc) => doc,
        Err(error) => {
            return Err(refuse(
                endpoint,
                StatusCode::BAD_REQUEST,
                Refusal::Parse,
                &format!("Syntax Error: {}", error.message),
            ));
        }
    };
    if is_get && document::is_mutation(doc, operation_name) {
        let mut response = refuse(
            endpoint,
            StatusCode::METHOD_NOT_ALLOWED,
            Refusal::BadRequest,
            "Mutation requests allowed only for POST requests",
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("POST"));
        return Err(response);
    }
    let aliases = document::alias_count(doc);
    if aliases > state.settings.max_aliases {
        return Err(refuse(
            endpoint,
            StatusCode::OK,
            Refusal::Validation,
            &format!(
                "The query uses {aliases} aliases; at most {} are allowed.",
                state.settings.max_aliases
            ),
        ));
    }
    let introspection = match endpoint {
        Endpoint::Storefront => state.settings.storefront_introspection_on(),
        Endpoint::Admin => state.settings.admin_introspection_on(),
    };
    if !introspection && document::selects_introspection(doc) {
        return Err(refuse(
            endpoint,
            StatusCode::OK,
            Refusal::Validation,
            "GraphQL introspection is not allowed.",
        ));
    }
    if document::sensitive_root_field_count(doc) > 1 {
        return Err(refuse(
            endpoint,
            StatusCode::OK,
            Refusal::Validation,
            "Only one sign-in, password or confirmation operation is allowed per request.",
        ));
    }
    if let Some(text) = new_text {
        state.documents.keep(&text, doc);
    }
    Ok(state.labels.label(
        endpoint,
        document::first_root_field(doc, operation_name).as_deref(),
    ))
}

/// The storefront request with its shopper, the Login as Customer session it runs in (if any),
/// and who is acting.
async fn prepare_storefront(
    state: &AppState,
    headers: &HeaderMap,
    request: Request,
) -> Result<(Request, Option<AssistedSession>, Actor), Response> {
    let endpoint = Endpoint::Storefront;
    let mut staff = None;
    let mut assisted_session = None;
    let shopper = match bearer(headers) {
        None => None,
        Some(token) => match storefront_bearer(state, &token).await {
            Ok(Ok(StorefrontBearer::Shopper(session, assisted))) => {
                assisted_session = assisted;
                Some(session)
            }
            Ok(Ok(StorefrontBearer::Staff(actor))) => {
                staff = Some(actor);
                None
            }
            Ok(Err(refusal)) => {
                // Adobe Commerce checks a bearer token before running anything, so a bad token
                // fails the whole request with 401, public queries included.
                let message = match refusal {
                    TokenRefusal::Expired => "Consumer key has expired",
                    TokenRefusal::Malformed => "Failed to read JWT token",
                    TokenRefusal::Revoked => "User token has been revoked",
                };
                return Err(refuse(
                    endpoint,
                    StatusCode::UNAUTHORIZED,
                    Refusal::Authentication,
                    message,
                ));
            }
            Err(err) => return Err(server_failure(endpoint, err)),
        },
    };
    let visitor = headers
        .get("x-visitor-id")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned);
    let request = request
        .data(RequestStaff(staff.clone()))
        .data(RequestVisitor(visitor));
    let code = headers
        .get("store")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let view = match code {
        Some(code) => state.services.stores.view_by_code(code).await.map(Some),
        None => state.services.stores.default_view().await.map(Some),
    };
    match view {
        Ok(Some(view)) if view.is_active => {
            // With accounts shared per website, a token speaks for its customer only on store
            // views of the account's website; elsewhere the request is a guest's, and writes that
            // a guest could make for an email are refused (`ForeignShopperToken`).
            let foreign = match &shopper {
                Some(session) => !state
                    .services
                    .accounts
                    .account_serves_website(session.account.website_id, view.website_id)
                    .await
                    .map_err(|err| server_failure(endpoint, err))?,
                None => false,
            };
            let actor = match (&staff, &shopper, &assisted_session) {
                (Some(staff), _, _) => staff_actor(staff),
                (None, Some(session), Some(assisted)) if !foreign => Actor::Assisted {
                    customer_id: session.customer_id,
                    staff_user_id: assisted.staff_user_id,
                },
                (None, Some(session), _) if !foreign => Actor::Customer {
                    customer_id: Some(session.customer_id),
                },
                _ => Actor::Customer { customer_id: None },
            };
            let request = if foreign {
                if let Some(session) = &shopper {
                    tracing::info!(
                        customer_id = session.customer_id,
                        website_id = view.website_id,
                        "shopper token refused on another website's store view"
                    );
                }
                assisted_session = None;
                request.data(RequestShopper(None)).data(ForeignShopperToken)
            } else {
                request.data(RequestShopper(shopper))
            };
            Ok((request.data(RequestStore(view)), assisted_session, actor))
        }
        Ok(_) | Err(clientele_kernel::Error::NotFound { .. }) => Err(refuse(
            endpoint,
            StatusCode::OK,
            Refusal::BadRequest,
            "Requested store is not found",
        )),
        Err(err) => Err(server_failure(endpoint, err)),
    }
}

/// Whether each root field (response key, name) ran without an error of its own. An error that
/// names no field (validation) means none ran; an error deeper in a field's selection came after
/// the change was made, so it does not undo its success.
fn field_outcomes(fields: &[(String, String)], errors: &[ServerError]) -> Vec<(String, bool)> {
    let whole_request_failed = errors.iter().any(|e| e.path.is_empty());
    fields
        .iter()
        .map(|(key, name)| {
            let failed = whole_request_failed
                || errors.iter().any(|e| {
                    matches!(e.path.as_slice(), [async_graphql::PathSegment::Field(f)] if f == key)
                });
            (name.clone(), !failed)
        })
        .collect()
}

/// Who a storefront bearer token speaks for.
// Lives for one match on the stack; boxing the common variant would cost every shopper request an
// allocation.
#[allow(clippy::large_enum_variant)]
enum StorefrontBearer {
    /// A shopper, or staff in a live Login as Customer session (then also that session).
    Shopper(clientele_customers::ShopperSession, Option<AssistedSession>),
    /// A staff user or integration (Adobe Commerce accepts admin tokens on the storefront, for
    /// `generateCustomerTokenAsAdmin`).
    Staff(clientele_staff::Actor),
}

async fn storefront_bearer(
    state: &AppState,
    token: &str,
) -> clientele_kernel::Result<Result<StorefrontBearer, TokenRefusal>> {
    let services = &state.services;
    match services.shoppers.authenticate(token).await? {
        Ok(session) if session.admin_id.is_some() => {
            match services
                .assistance
                .live_session(&session.session.id, session.customer_id)
                .await?
            {
                Some(assisted) => Ok(Ok(StorefrontBearer::Shopper(session, Some(assisted)))),
                None => Ok(Err(TokenRefusal::Revoked)),
            }
        }
        Ok(session) => Ok(Ok(StorefrontBearer::Shopper(session, None))),
        Err(TokenRefusal::Malformed) => Ok(match services.staff.authenticate(token).await? {
            Ok(actor) => Ok(StorefrontBearer::Staff(actor)),
            Err(AuthFailure::Expired) => Err(TokenRefusal::Expired),
            Err(AuthFailure::Revoked) => Err(TokenRefusal::Revoked),
            Err(AuthFailure::Malformed) => Err(TokenRefusal::Malformed),
        }),
        Err(refusal) => Ok(Err(refusal)),
    }
}

/// The admin request with its caller, the caller's label for idempotency keys, and who is
/// acting (a request without a token changes nothing: every mutation needs a permission).
async fn prepare_admin(
    state: &AppState,
    headers: &HeaderMap,
    request: Request,
) -> Result<(Request, Option<String>, Actor), Response> {
    let endpoint = Endpoint::Admin;
    let Some(token) = bearer(headers) else {
        return Ok((request.data(RequestActor(None)), None, Actor::System));
    };
    match state.services.staff.authenticate(&token).await {
        Ok(Ok(actor)) => {
            let label = actor.label();
            let acting = staff_actor(&actor);
            Ok((request.data(RequestActor(Some(actor))), Some(label), acting))
        }
        Ok(Err(failure)) => {
            let message = match failure {
                AuthFailure::Malformed => "The bearer token is not valid.",
                AuthFailure::Expired => "The bearer token has expired.",
                AuthFailure::Revoked => "The bearer token has been revoked.",
            };
            Err(refuse(
                endpoint,
                StatusCode::UNAUTHORIZED,
                Refusal::Authentication,
                message,
            ))
        }
        Err(err) => Err(server_failure(endpoint, err)),
    }
}

/// A staff user or an integration as the actor of the changes it makes.
pub(super) fn staff_actor(caller: &clientele_staff::Actor) -> Actor {
    match caller {
        clientele_staff::Actor::Staff { user_id, .. } => Actor::Staff {
            staff_user_id: *user_id,
        },
        clientele_staff::Actor::Integration { integration_id, .. } => Actor::Integration {
            integration_id: *integration_id,
        },
    }
}

fn server_failure(endpoint: Endpoint, err: clientele_kernel::Error) -> Response {
    match err {
        clientele_kernel::Error::Unavailable => refuse(
            endpoint,
            StatusCode::SERVICE_UNAVAILABLE,
            Refusal::Unavailable,
            "The service is temporarily unavailable.",
        ),
        other => {
            tracing::error!(error = ?other, "request preparation failed");
            refuse(
                endpoint,
                StatusCode::INTERNAL_SERVER_ERROR,
                Refusal::Internal,
                "Internal server error",
            )
        }
    }
}

/// Errors raised by async-graphql itself (validation, input coercion) carry no extensions; give
/// them the endpoint's default so clients can always branch on a category or code.
fn fill_default_extensions(endpoint: Endpoint, errors: &mut [ServerError]) {
    for error in errors {
        let has = |key: &str| {
            error
                .extensions
                .as_ref()
                .is_some_and(|e| e.get(key).is_some())
        };
        match endpoint {
            Endpoint::Storefront if !has("category") => {
                let mut ext = error.extensions.take().unwrap_or_default();
                ext.set("category", category::GRAPHQL);
                error.extensions = Some(ext);
            }
            Endpoint::Admin if !has("code") => {
                let fallback = if error.path.is_empty() {
                    code::GRAPHQL_VALIDATION_FAILED
                } else {
                    code::BAD_USER_INPUT
                };
                let mut ext = error.extensions.take().unwrap_or_default();
                ext.set("code", fallback);
                error.extensions = Some(ext);
            }
            _ => {}
        }
    }
}

/// Adobe Commerce 2.4.7+: the first error with an authentication or authorization category
/// decides 401 or 403; everything else is 200.
fn storefront_status(errors: &[ServerError]) -> StatusCode {
    for error in errors {
        let category = error.extensions.as_ref().and_then(|e| e.get("category"));
        match category {
            Some(async_graphql::Value::String(c)) if c == category::AUTHENTICATION => {
                return StatusCode::UNAUTHORIZED;
            }
            Some(async_graphql::Value::String(c)) if c == category::AUTHORIZATION => {
                return StatusCode::FORBIDDEN;
            }
            _ => {}
        }
    }
    StatusCode::OK
}

fn finish(status: StatusCode, response: GqlResponse) -> Response {
    match serde_json::to_string(&response) {
        Ok(body) => json_response(status, body),
        Err(error) => {
            tracing::error!(%error, "could not serialise a GraphQL response");
            json_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                r#"{"errors":[{"message":"Internal server error"}]}"#.into(),
            )
        }
    }
}

/// The client address: the peer, or behind a trusted proxy the entry that proxy appended to
/// `X-Forwarded-For` (the last one; entries before it are whatever the client sent).
pub(super) fn client_ip(
    headers: &HeaderMap,
    peer: SocketAddr,
    trust_forwarded_for: bool,
) -> String {
    if trust_forwarded_for
        && let Some(last) = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .rfind(|v| !v.is_empty())
        && let Ok(ip) = last.parse::<std::net::IpAddr>()
    {
        return ip.to_string();
    }
    peer.ip().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::{PathSegment, Pos};

    fn error_at(path: &[&str]) -> ServerError {
        let mut error = ServerError::new("x", Some(Pos { line: 1, column: 1 }));
        error.path = path
            .iter()
            .map(|p| PathSegment::Field((*p).to_owned()))
            .collect();
        error
    }

    #[test]
    fn each_root_field_gets_its_own_outcome() {
        let fields = vec![
            ("renamed".to_owned(), "updateCustomerV2".to_owned()),
            (
                "changeCustomerPassword".to_owned(),
                "changeCustomerPassword".to_owned(),
            ),
        ];
        let outcomes = field_outcomes(&fields, &[error_at(&["changeCustomerPassword"])]);
        assert_eq!(
            outcomes,
            vec![
                ("updateCustomerV2".to_owned(), true),
                ("changeCustomerPassword".to_owned(), false)
            ]
        );
        let deeper = field_outcomes(&fields, &[error_at(&["renamed", "customer", "group"])]);
        assert!(deeper.iter().all(|(_, ok)| *ok), "the change was made");
        let invalid = field_outcomes(&fields, &[error_at(&[])]);
        assert!(invalid.iter().all(|(_, ok)| !*ok), "nothing ran");
    }
}
