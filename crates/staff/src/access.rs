//! What a credential grants, remembered per node: every admin request checks its bearer, and
//! sessions, users, roles and integrations change seldom. Every change that could take access
//! away (sign-out, deactivation, a new password, a role's new grants, a revoked integration)
//! announces itself in its transaction, so every node forgets what it remembered once the change
//! commits; expiry is checked against the clock on every request.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use clientele_kernel::Result;
use clientele_kernel::cache::{CacheBus, CachedMap, ChangeGuard, Invalidate};
use sea_orm::DatabaseTransaction;

use crate::model::Actor;

/// The change-notice topic of sessions, users, roles and integrations.
const TOPIC: &str = "staff_access";

/// Credentials remembered at most: a bound on memory, far above the staff and scripts of a store.
const CAPACITY: usize = 10_000;

/// A credential, as the cache knows it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Credential {
    /// A staff sign-in session, by id.
    Session(String),
    /// An integration token, by its hash (the token itself is never kept).
    Integration(String),
}

/// What a live credential grants.
#[derive(Debug)]
pub(crate) struct Access {
    /// The caller.
    pub(crate) actor: Actor,
    /// When the credential stops working: a staff session's expiry (compared with the clock),
    /// an integration's revocation (which ends it whatever the clock says).
    pub(crate) ends_at: Option<DateTime<Utc>>,
    /// When the integration's use was last recorded (Unix seconds), so that a node records it
    /// at most once a minute.
    pub(crate) used_at: AtomicI64,
}

impl Access {
    /// Access for `actor` until `ends_at`, its use last recorded at `used_at`.
    pub(crate) fn new(
        actor: Actor,
        ends_at: Option<DateTime<Utc>>,
        used_at: Option<DateTime<Utc>>,
    ) -> Self {
        Self {
            actor,
            ends_at,
            used_at: AtomicI64::new(used_at.map_or(i64::MIN, |t| t.timestamp())),
        }
    }

    /// Whether the use at `now` should be recorded: the first use a minute after the last one
    /// recorded on this node says so, once.
    pub(crate) fn claim_use(&self, now: DateTime<Utc>) -> bool {
        let now = now.timestamp();
        let last = self.used_at.load(Ordering::Relaxed);
        now.saturating_sub(last) > 60
            && self
                .used_at
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
    }
}

/// The remembered credentials and the bus their changes are announced on.
#[derive(Clone)]
pub(crate) struct AccessCache {
    bus: CacheBus,
    entries: Arc<CachedMap<Credential, Access>>,
}

impl AccessCache {
    /// Credentials kept at most `ttl`, forgotten on `bus`'s notices.
    pub(crate) fn new(bus: &CacheBus, ttl: Duration) -> Self {
        let entries = Arc::new(CachedMap::new(TOPIC, ttl, CAPACITY));
        bus.register(&(Arc::clone(&entries) as Arc<dyn Invalidate>));
        Self {
            bus: bus.clone(),
            entries,
        }
    }

    /// The remembered access of `credential`, or what `load` reads.
    pub(crate) async fn get_or_load<F, Fut>(
        &self,
        credential: &Credential,
        load: F,
    ) -> Result<Option<Arc<Access>>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Option<Access>>>,
    {
        self.entries.get_or_load(credential, load).await
    }

    /// Announces, in `txn`, a change that may take access away; keep the guard until after the
    /// commit.
    pub(crate) async fn announce(&self, txn: &DatabaseTransaction) -> Result<ChangeGuard> {
        self.bus.announce(txn, TOPIC).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Permissions;

    #[test]
    fn a_use_is_recorded_once_a_minute() {
        let at = |s: i64| DateTime::<Utc>::from_timestamp(s, 0).unwrap_or_default();
        let actor = Actor::Integration {
            integration_id: 1,
            permissions: Permissions::default(),
        };
        let access = Access::new(actor, None, Some(at(1_000)));
        assert!(!access.claim_use(at(1_030)));
        assert!(access.claim_use(at(1_061)));
        assert!(!access.claim_use(at(1_062)), "recorded already");
        assert!(access.claim_use(at(1_122)));
        let never = Access::new(access.actor.clone(), None, None);
        assert!(never.claim_use(at(0)), "never recorded before");
    }
}
