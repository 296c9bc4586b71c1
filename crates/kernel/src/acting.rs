//! Who is acting, for the records that say who changed what (the customer timeline, webhooks,
//! the audit log). The transport layer knows the caller; the domains that write the records do
//! not take it as an argument through every call. The gateway runs each request inside
//! [`within`], and a domain reads [`current`] when it records a change. Work outside any request
//! (workers, commands) acts as [`Actor::System`] unless it says otherwise.

use std::future::Future;

use serde::{Deserialize, Serialize};

/// Who made a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Actor {
    /// A staff user signed in to the admin API.
    Staff {
        /// The staff user.
        staff_user_id: i32,
    },
    /// A script using an integration token.
    Integration {
        /// The integration.
        integration_id: i32,
    },
    /// A shopper on the storefront.
    Customer {
        /// The shopper's account; `None` when not signed in (registering, asking for a reset
        /// link).
        customer_id: Option<i32>,
    },
    /// A staff user acting as a shopper in a Login as Customer session.
    Assisted {
        /// The shopper's account.
        customer_id: i32,
        /// The staff user acting.
        staff_user_id: i32,
    },
    /// A row of an import file.
    Import {
        /// The import job; `None` for a file imported from the command line.
        job_id: Option<String>,
        /// Which file: `customer` or `customer_address`, as Adobe Commerce names its import
        /// entities.
        file: String,
        /// The row's line in the file (the header is line 1).
        row: u64,
    },
    /// Clientele itself: workers, schedules, commands.
    System,
}

impl Actor {
    /// The actor's kind as the API names it: `STAFF`, `INTEGRATION`, `CUSTOMER`, `ASSISTED`,
    /// `IMPORT` or `SYSTEM`.
    pub fn kind(&self) -> &'static str {
        match self {
            Actor::Staff { .. } => "STAFF",
            Actor::Integration { .. } => "INTEGRATION",
            Actor::Customer { .. } => "CUSTOMER",
            Actor::Assisted { .. } => "ASSISTED",
            Actor::Import { .. } => "IMPORT",
            Actor::System => "SYSTEM",
        }
    }
}

/// The actor and request a change is made in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acting {
    /// Who is acting.
    pub actor: Actor,
    /// The request's id (`X-Request-Id`), when the change comes from a request.
    pub request_id: Option<String>,
}

impl Acting {
    /// Clientele acting on its own, outside any request.
    pub fn system() -> Self {
        Self {
            actor: Actor::System,
            request_id: None,
        }
    }
}

tokio::task_local! {
    static ACTING: Acting;
}

/// Runs `work` with `acting` as the actor of every change it records.
pub async fn within<F: Future>(acting: Acting, work: F) -> F::Output {
    ACTING.scope(acting, work).await
}

/// Runs `work` in the background as a continuation of the work running now: its changes are
/// recorded as the same actor's, in the same request, and its log lines carry the same span
/// (request id, client).
pub fn spawn_as_current<F>(work: F) -> tokio::task::JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    use tracing::Instrument;
    tokio::spawn(within(current(), work).instrument(tracing::Span::current()))
}

/// The actor of the work running now: the one [`within`] set, or [`Actor::System`].
pub fn current() -> Acting {
    ACTING
        .try_with(Clone::clone)
        .unwrap_or_else(|_| Acting::system())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn work_outside_a_request_is_the_systems_and_inside_it_the_callers() {
        assert_eq!(current(), Acting::system());
        let caller = Acting {
            actor: Actor::Staff { staff_user_id: 3 },
            request_id: Some("r-1".into()),
        };
        let seen = within(caller.clone(), async {
            tokio::task::yield_now().await;
            current()
        })
        .await;
        assert_eq!(seen, caller);
        assert_eq!(current(), Acting::system());
    }

    #[test]
    fn actors_serialize_with_their_kind_as_the_type() {
        let actor = Actor::Assisted {
            customer_id: 5,
            staff_user_id: 2,
        };
        assert_eq!(
            serde_json::to_value(&actor).expect("json"),
            serde_json::json!({"type": "ASSISTED", "customer_id": 5, "staff_user_id": 2})
        );
        assert_eq!(actor.kind(), "ASSISTED");
    }
}
