//! `Idempotency-Key` on admin mutations: the first request with a key runs and its answer is
//! kept; every repeat of the same request with that key, by the same caller, gets the same answer
//! (`Idempotent-Replayed: true`) and changes nothing. The same key with another request is
//! refused (409), and so is a repeat while the first still runs, or when the first never finished
//! (its outcome is unknown, so it is not run again). Answers that are not final (the database was
//! unreachable, a server failure, a throttle) are not kept, so a retry runs again. A key covers
//! one mutation field, and never one that issues a credential: the answer is kept in the
//! database, where a token must not be. Queries ignore the header. The rules of keys live in
//! `clientele_kernel::idempotency`.

use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use clientele_kernel::idempotency::{self, Claim};

use super::AppState;
use super::transport::{Endpoint, RawRequest, Refusal, json_response, refuse};

const HEADER: &str = "idempotency-key";

/// A claimed key, to complete or release once the request has its answer.
pub(crate) struct Claimed {
    caller: String,
    key: String,
}

/// What to do with a request before it runs.
pub(crate) enum Begin {
    /// Run it; with a claimed key when it carried one.
    Run(Option<Claimed>),
    /// Answer with this instead (a replay, or a refusal).
    Answer(Response),
}

/// The fingerprint that tells one request from another under the same key.
pub(crate) fn fingerprint(raw: &RawRequest) -> String {
    let text = serde_json::json!([raw.query, raw.variables, raw.operation_name]).to_string();
    clientele_sessions::hash_secret(&text)
}

/// Mutations whose answer carries a credential: never kept, so never under a key.
const ISSUES_CREDENTIALS: &[&str] = &["generateStaffToken", "createIntegration", "loginAsCustomer"];

fn bad_request(message: &str) -> Begin {
    Begin::Answer(refuse(
        Endpoint::Admin,
        StatusCode::BAD_REQUEST,
        Refusal::BadRequest,
        message,
    ))
}

/// Claims the request's key, when it has one and is a mutation of a known caller;
/// `mutations` are the document's mutation root fields (response key, name).
pub(crate) async fn begin(
    state: &AppState,
    headers: &HeaderMap,
    caller: Option<&str>,
    mutations: &[(String, String)],
    fingerprint: &str,
) -> Begin {
    let Some(value) = headers.get(HEADER) else {
        return Begin::Run(None);
    };
    let Some(caller) = caller.filter(|_| !mutations.is_empty()) else {
        return Begin::Run(None);
    };
    let key = value.to_str().unwrap_or_default();
    if !idempotency::is_valid_key(key) {
        return bad_request(
            "The Idempotency-Key header must be 1 to 255 visible ASCII characters.",
        );
    }
    // One change per key: a document of several could commit some and fail others.
    if mutations.len() > 1 {
        return bad_request("An Idempotency-Key covers one mutation field; send one per request.");
    }
    if mutations
        .iter()
        .any(|(_, name)| ISSUES_CREDENTIALS.contains(&name.as_str()))
    {
        return bad_request(
            "This mutation issues a credential, which is never kept: send it without an Idempotency-Key.",
        );
    }
    match idempotency::claim(
        &state.services.db,
        caller,
        key,
        fingerprint,
        state.services.clock.now(),
    )
    .await
    {
        Ok(Claim::Fresh) => Begin::Run(Some(Claimed {
            caller: caller.to_owned(),
            key: key.to_owned(),
        })),
        Ok(Claim::Replay { status, body }) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            let mut response = json_response(status, body);
            response
                .headers_mut()
                .insert("idempotent-replayed", HeaderValue::from_static("true"));
            Begin::Answer(response)
        }
        Ok(Claim::InProgress) => Begin::Answer(refuse(
            Endpoint::Admin,
            StatusCode::CONFLICT,
            Refusal::Conflict,
            "A request with this Idempotency-Key is still running; retry it shortly.",
        )),
        Ok(Claim::Unfinished) => Begin::Answer(refuse(
            Endpoint::Admin,
            StatusCode::CONFLICT,
            Refusal::Conflict,
            "The first request with this Idempotency-Key never finished, so whether it changed anything is unknown: check, then use a new key.",
        )),
        Ok(Claim::Mismatch) => Begin::Answer(refuse(
            Endpoint::Admin,
            StatusCode::CONFLICT,
            Refusal::Conflict,
            "This Idempotency-Key was used for a different request.",
        )),
        Err(error) => {
            tracing::error!(?error, "could not claim an idempotency key");
            Begin::Answer(refuse(
                Endpoint::Admin,
                StatusCode::SERVICE_UNAVAILABLE,
                Refusal::Unavailable,
                "The service is temporarily unavailable.",
            ))
        }
    }
}

/// Keeps the answer for the key's repeats, or gives the key back when the answer is not final.
pub(crate) async fn settle(
    state: &AppState,
    claimed: Claimed,
    status: StatusCode,
    body: &str,
    is_final: bool,
) {
    let db = &state.services.db;
    let settled = if is_final {
        idempotency::complete(db, &claimed.caller, &claimed.key, status.as_u16(), body).await
    } else {
        idempotency::release(db, &claimed.caller, &claimed.key).await
    };
    if let Err(error) = settled {
        tracing::error!(?error, "could not record the answer of an idempotency key");
    }
}
