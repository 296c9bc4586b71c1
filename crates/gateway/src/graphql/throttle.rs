//! Per-client throttles of both endpoints: failed sign-ins (credential stuffing across many
//! accounts, which per-account lockout does not stop) and sign-ups with their confirmation emails.
//! The client is the peer address (`X-Forwarded-For` only when the operator trusts it), so forged
//! headers do not reset the count; every aliased or batched operation counts on its own.

use async_graphql::Context;
use clientele_kernel::{Error, Result};

use crate::graphql::request::ClientInfo;
use crate::services::Services;

/// What is being throttled.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Guarded {
    /// Failed sign-ins.
    SignIn,
    /// Sign-ups and confirmation emails.
    SignUp,
    /// Visitor ids issued.
    VisitorIds,
}

impl Guarded {
    fn bucket(self, ip: &str) -> String {
        match self {
            Guarded::SignIn => format!("sign-in-failures:{ip}"),
            Guarded::SignUp => format!("sign-ups:{ip}"),
            Guarded::VisitorIds => format!("visitor-ids:{ip}"),
        }
    }

    fn message(self) -> &'static str {
        match self {
            Guarded::SignIn => {
                "Too many failed sign-in attempts from your network. Please wait and try again later."
            }
            Guarded::SignUp | Guarded::VisitorIds => {
                "Too many requests from your network. Please wait and try again later."
            }
        }
    }
}

fn client_ip(ctx: &Context<'_>) -> String {
    ctx.data_opt::<ClientInfo>()
        .map(|c| c.ip.clone())
        .unwrap_or_default()
}

/// Refuses the request when the client has used up its allowance for `what`.
pub(crate) async fn refuse_if_throttled(ctx: &Context<'_>, what: Guarded) -> Result<()> {
    let services = ctx
        .data::<Services>()
        .map_err(|e| Error::Internal(anyhow::anyhow!("{e:?}")))?;
    let limit = limit(services, what);
    if services
        .throttle
        .exceeded(&what.bucket(&client_ip(ctx)), limit)
        .await?
    {
        tracing::warn!(what = ?what, "client throttled");
        return Err(Error::RateLimited(what.message().into()));
    }
    Ok(())
}

/// Counts one use of the client's allowance for `what`.
pub(crate) async fn count(ctx: &Context<'_>, what: Guarded) -> Result<()> {
    let services = ctx
        .data::<Services>()
        .map_err(|e| Error::Internal(anyhow::anyhow!("{e:?}")))?;
    services
        .throttle
        .hit(&what.bucket(&client_ip(ctx)), limit(services, what))
        .await
}

fn limit(services: &Services, what: Guarded) -> clientele_sessions::Limit {
    match what {
        Guarded::SignIn => services.client_limits.sign_in_failures,
        Guarded::SignUp => services.client_limits.sign_ups,
        Guarded::VisitorIds => services.client_limits.visitor_ids,
    }
}
