//! The staff service and the helpers its use cases share.

use std::collections::BTreeSet;
use std::time::Duration;

use clientele_configuration::{ConfigService, Key, Number, Scope};
use clientele_kernel::cache::{CacheBus, ChangeGuard};
use clientele_kernel::{Clock, Error, Result};
use clientele_sessions::{PasswordHasher, TokenIssuer};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, QueryFilter,
};

use crate::Permissions;
use crate::access::AccessCache;
use crate::entity::{role, role_resource, role_website};
use crate::model::Role;

/// Staff users, roles, sign-in sessions and integrations.
#[derive(Clone)]
pub struct StaffService {
    pub(crate) db: DatabaseConnection,
    pub(crate) hasher: PasswordHasher,
    pub(crate) tokens: TokenIssuer,
    pub(crate) config: ConfigService,
    pub(crate) clock: Clock,
    /// What credentials grant, when kept in memory.
    pub(crate) access: Option<AccessCache>,
}

impl StaffService {
    /// A service over `db`, hashing with `hasher`, signing with `tokens`, reading lockout and
    /// token lifetimes from `config`, telling the time by `clock`.
    pub fn new(
        db: DatabaseConnection,
        hasher: PasswordHasher,
        tokens: TokenIssuer,
        config: ConfigService,
        clock: Clock,
    ) -> Self {
        Self {
            db,
            hasher,
            tokens,
            config,
            clock,
            access: None,
        }
    }

    /// Remembers what each credential grants for at most `ttl`, forgetting it on the change
    /// notices of `bus` (which this service sends with every change that could take access
    /// away).
    pub fn with_cache(mut self, bus: &CacheBus, ttl: Duration) -> Self {
        self.access = Some(AccessCache::new(bus, ttl));
        self
    }

    /// Announces, in `txn`, a change that may take access away; keep the guard until after the
    /// commit.
    pub(crate) async fn announce_access_change(
        &self,
        txn: &DatabaseTransaction,
    ) -> Result<Option<ChangeGuard>> {
        match &self.access {
            Some(cache) => Ok(Some(cache.announce(txn).await?)),
            None => Ok(None),
        }
    }

    pub(crate) async fn global_number(&self, key: Key<Number>) -> Result<i64> {
        self.config
            .resolve(Scope::Default)
            .await?
            .number(key)
            .ok_or_else(|| Error::Internal(anyhow::anyhow!("config {key:?} is not a number")))
    }
}

/// Loads a role with its resources and website scope.
pub(crate) async fn load_role(db: &impl ConnectionTrait, id: i32) -> Result<Role> {
    let row = role::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("Role", id))?;
    let resources: BTreeSet<String> = role_resource::Entity::find()
        .filter(role_resource::Column::RoleId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.resource)
        .collect();
    let website_ids = if row.all_websites {
        None
    } else {
        Some(
            role_website::Entity::find()
                .filter(role_website::Column::RoleId.eq(id))
                .all(db)
                .await?
                .into_iter()
                .map(|w| w.website_id)
                .collect(),
        )
    };
    Ok(Role {
        id: row.id,
        name: row.name,
        is_built_in: row.is_built_in,
        permissions: Permissions {
            all_resources: row.all_resources,
            resources,
            website_ids,
        },
    })
}
