//! Staff and integration authentication of the admin HTTP routes outside GraphQL (downloads and
//! uploads), with the same refusals as the admin endpoint.

use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use clientele_staff::{Actor, AuthFailure};

use super::AppState;
use super::transport::{Endpoint, Refusal, bearer, refuse};

/// The caller, if its bearer token is valid and its role holds every one of `resources`;
/// otherwise the response that refuses it. `what` names the route in messages.
pub(crate) async fn staff_actor(
    state: &AppState,
    headers: &HeaderMap,
    resources: &[&str],
    what: &str,
) -> Result<Actor, Response> {
    let endpoint = Endpoint::Admin;
    let unauthorized = |message: &str| {
        refuse(
            endpoint,
            StatusCode::UNAUTHORIZED,
            Refusal::Authentication,
            message,
        )
    };
    let Some(token) = bearer(headers) else {
        return Err(unauthorized(&format!(
            "{what} needs a staff or integration bearer token."
        )));
    };
    let actor = match state.services.staff.authenticate(&token).await {
        Ok(Ok(actor)) => actor,
        Ok(Err(AuthFailure::Expired)) => return Err(unauthorized("The bearer token has expired.")),
        Ok(Err(_)) => return Err(unauthorized("The bearer token is not valid.")),
        Err(_) => {
            return Err(refuse(
                endpoint,
                StatusCode::SERVICE_UNAVAILABLE,
                Refusal::Unavailable,
                "The service is temporarily unavailable.",
            ));
        }
    };
    if let Some(missing) = resources.iter().find(|r| !actor.permissions().allows(r)) {
        return Err(refuse(
            endpoint,
            StatusCode::FORBIDDEN,
            Refusal::Forbidden,
            &format!("{what} needs the \"{missing}\" permission."),
        ));
    }
    Ok(actor)
}
