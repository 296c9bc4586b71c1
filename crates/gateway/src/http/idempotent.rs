//! `Idempotency-Key` on admin mutations: the first request with a key runs and its answer is
//! kept; every repeat of the same request with that key, by the same caller, gets the same answer
//! (`Idempotent-Replayed: true`) and changes nothing. The same key with another request is
//! refused (409), and so is a repeat while the first still runs. Answers that are not final (the
//! database was unreachable, a server failure) are not kept, so a retry runs again. Queries
//! ignore the header. The rules of keys live in `clientele_kernel::idempotency`.

use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use chrono::Utc;
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

/// Claims the request's key, when it has one and is a mutation of a known caller.
pub(crate) async fn begin(
    state: &AppState,
    headers: &HeaderMap,
    caller: Option<&str>,
    is_mutation: bool,
    fingerprint: &str,
) -> Begin {
    let Some(value) = headers.get(HEADER) else {
        return Begin::Run(None);
    };
    let key = value.to_str().unwrap_or_default();
    if !idempotency::is_valid_key(key) {
        return Begin::Answer(refuse(
            Endpoint::Admin,
            StatusCode::BAD_REQUEST,
            Refusal::BadRequest,
            "The Idempotency-Key header must be 1 to 255 visible ASCII characters.",
        ));
    }
    let (Some(caller), true) = (caller, is_mutation) else {
        return Begin::Run(None);
    };
    match idempotency::claim(&state.services.db, caller, key, fingerprint, Utc::now()).await {
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
