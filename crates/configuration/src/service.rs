//! Reading and writing scoped configuration.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use clientele_kernel::cache::{CacheBus, Cached, ChangeGuard, Invalidate};
use clientele_kernel::db::begin_write;
use clientele_kernel::{Clock, Error, Result};
use clientele_stores::StoreService;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, DatabaseConnection, DatabaseTransaction, EntityTrait,
    QueryFilter,
};

use crate::entity::config_value;
use crate::registry::{ScopeLevel, option};
use crate::resolved::ResolvedConfig;
use crate::value::ValueKind;

/// A configuration scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The default (global) scope.
    Default,
    /// A website, by id.
    Website(i32),
    /// A store view, by id.
    StoreView(i32),
}

impl Scope {
    fn stored(&self) -> (&'static str, i32) {
        match *self {
            Scope::Default => ("default", 0),
            Scope::Website(id) => ("websites", id),
            Scope::StoreView(id) => ("stores", id),
        }
    }

    fn level(&self) -> ScopeLevel {
        match self {
            Scope::Default => ScopeLevel::Global,
            Scope::Website(_) => ScopeLevel::Website,
            Scope::StoreView(_) => ScopeLevel::StoreView,
        }
    }
}

/// Answers whether values that point at other entities point at existing ones.
#[async_trait]
pub trait ReferenceChecker: Send + Sync {
    /// Whether the customer group exists.
    async fn customer_group_exists(&self, id: i32) -> Result<bool>;
}

/// Takes part in configuration writes: called inside the write transaction for every value set at
/// the default scope, so a domain can apply (or refuse) what the new value means for its data.
#[async_trait]
pub trait ConfigChangeGuard: Send + Sync {
    /// `path` is about to hold `value` at the default scope; fail to refuse the whole write.
    async fn on_default_change(
        &self,
        txn: &DatabaseTransaction,
        path: &str,
        value: &str,
    ) -> Result<()>;
}

/// The topic of configuration changes on the cache bus.
const TOPIC: &str = "config";

/// Reads and writes configuration values.
#[derive(Clone)]
pub struct ConfigService {
    db: DatabaseConnection,
    stores: StoreService,
    references: Arc<dyn ReferenceChecker>,
    guards: Vec<Arc<dyn ConfigChangeGuard>>,
    cache: Option<ConfigCache>,
    clock: Clock,
}

/// Every stored value in memory, with the effective configuration of each scope asked for so
/// far: nearly every storefront request reads configuration, and it changes only when staff edit it.
#[derive(Clone)]
struct ConfigCache {
    bus: CacheBus,
    values: Arc<Cached<StoredValues>>,
}

/// A resolved scope: its website and store view ids (`None` above that level).
type ScopeKey = (Option<i32>, Option<i32>);

/// The stored values by scope, and the scopes resolved from them so far.
#[derive(Default)]
struct StoredValues {
    default: HashMap<String, String>,
    websites: HashMap<i32, HashMap<String, String>>,
    stores: HashMap<i32, HashMap<String, String>>,
    resolved: Mutex<HashMap<ScopeKey, ResolvedConfig>>,
}

impl StoredValues {
    fn resolve(&self, website_id: Option<i32>, store_id: Option<i32>) -> ResolvedConfig {
        let mut resolved = self.resolved.lock().unwrap_or_else(|e| e.into_inner());
        resolved
            .entry((website_id, store_id))
            .or_insert_with(|| {
                let empty = HashMap::new();
                let website = website_id.and_then(|id| self.websites.get(&id));
                let store = store_id.and_then(|id| self.stores.get(&id));
                ResolvedConfig::from_layers(
                    &self.default,
                    website.unwrap_or(&empty),
                    store.unwrap_or(&empty),
                )
            })
            .clone()
    }
}

impl ConfigService {
    /// A service over `db`; `references` validates values that name other entities; `guards`
    /// take part in every write at the default scope (the domains whose data a value changes:
    /// say which, even when none); changes are stamped by `clock`.
    pub fn new(
        db: DatabaseConnection,
        stores: StoreService,
        references: Arc<dyn ReferenceChecker>,
        guards: Vec<Arc<dyn ConfigChangeGuard>>,
        clock: Clock,
    ) -> Self {
        Self {
            db,
            stores,
            references,
            guards,
            cache: None,
            clock,
        }
    }

    /// Keeps every stored value in memory for at most `ttl`, dropping them on the change notices
    /// of `bus` (which this service also sends after every change).
    pub fn with_cache(mut self, bus: &CacheBus, ttl: Duration) -> Self {
        let values = Arc::new(Cached::new(TOPIC, ttl));
        bus.register(&(Arc::clone(&values) as Arc<dyn Invalidate>));
        self.cache = Some(ConfigCache {
            bus: bus.clone(),
            values,
        });
        self
    }

    /// Announces the change `txn` makes to every node's cache; keep the guard until after the
    /// commit.
    async fn announce(&self, txn: &DatabaseTransaction) -> Result<Option<ChangeGuard>> {
        match &self.cache {
            Some(cache) => Ok(Some(cache.bus.announce(txn, TOPIC).await?)),
            None => Ok(None),
        }
    }

    async fn load_all(&self) -> Result<StoredValues> {
        let mut values = StoredValues::default();
        for row in config_value::Entity::find().all(&self.db).await? {
            let layer = match row.scope.as_str() {
                "stores" => values.stores.entry(row.scope_id).or_default(),
                "websites" => values.websites.entry(row.scope_id).or_default(),
                _ => &mut values.default,
            };
            layer.insert(row.path, row.value);
        }
        Ok(values)
    }

    /// The effective configuration at `scope`.
    pub async fn resolve(&self, scope: Scope) -> Result<ResolvedConfig> {
        let (website_id, store_id) = match scope {
            Scope::Default => (None, None),
            Scope::Website(id) => (Some(self.stores.website(id).await?.id), None),
            Scope::StoreView(id) => {
                let view = self.stores.view(id).await?;
                (Some(view.website_id), Some(view.id))
            }
        };
        if let Some(cache) = &self.cache {
            let values = cache.values.get_or_load(|| self.load_all()).await?;
            return Ok(values.resolve(website_id, store_id));
        }
        let mut condition = Condition::any().add(config_value::Column::Scope.eq("default"));
        if let Some(id) = website_id {
            condition = condition.add(
                Condition::all()
                    .add(config_value::Column::Scope.eq("websites"))
                    .add(config_value::Column::ScopeId.eq(id)),
            );
        }
        if let Some(id) = store_id {
            condition = condition.add(
                Condition::all()
                    .add(config_value::Column::Scope.eq("stores"))
                    .add(config_value::Column::ScopeId.eq(id)),
            );
        }
        let rows = config_value::Entity::find()
            .filter(condition)
            .all(&self.db)
            .await?;
        let mut layers: [HashMap<String, String>; 3] = Default::default();
        for row in rows {
            let layer = match row.scope.as_str() {
                "stores" => 2,
                "websites" => 1,
                _ => 0,
            };
            layers[layer].insert(row.path, row.value);
        }
        Ok(ResolvedConfig::from_layers(
            &layers[0], &layers[1], &layers[2],
        ))
    }

    /// Every stored value of `path` at any scope, plus the documented default when the default
    /// scope does not override it. Used by rules such as "a default group cannot be deleted".
    pub async fn values_everywhere(&self, path: &str) -> Result<Vec<String>> {
        let rows = config_value::Entity::find()
            .filter(config_value::Column::Path.eq(path))
            .all(&self.db)
            .await?;
        let mut values: Vec<String> = rows.iter().map(|r| r.value.clone()).collect();
        if !rows.iter().any(|r| r.scope == "default")
            && let Some(o) = option(path)
        {
            values.push(o.default.to_owned());
        }
        Ok(values)
    }

    /// Sets several values at one scope: all are validated first, then written in one transaction.
    pub async fn set(
        &self,
        scope: Scope,
        changes: Vec<(String, String)>,
    ) -> Result<ResolvedConfig> {
        self.check_scope_exists(scope).await?;
        let mut rows = Vec::with_capacity(changes.len());
        for (path, raw) in changes {
            let o = known_option(&path)?;
            check_scope_allowed(o.label, o.scope, scope)?;
            let value = o.kind.normalize(o.label, &raw)?;
            if let ValueKind::CustomerGroup { .. } = o.kind
                && let Ok(id) = value.parse::<i32>()
                && !self.references.customer_group_exists(id).await?
            {
                return Err(Error::invalid(
                    "value",
                    format!(
                        "\"{}\" names customer group {id}, which does not exist.",
                        o.label
                    ),
                ));
            }
            rows.push((o.path, value));
        }
        let (scope_name, scope_id) = scope.stored();
        let now = self.clock.now();
        let txn = begin_write(&self.db).await?;
        for (path, value) in rows {
            let stored_value = value.clone();
            config_value::Entity::insert(config_value::ActiveModel {
                scope: Set(scope_name.to_owned()),
                scope_id: Set(scope_id),
                path: Set(path.to_owned()),
                value: Set(value),
                updated_at: Set(now),
                ..Default::default()
            })
            .on_conflict(
                OnConflict::columns([
                    config_value::Column::Scope,
                    config_value::Column::ScopeId,
                    config_value::Column::Path,
                ])
                .update_columns([config_value::Column::Value, config_value::Column::UpdatedAt])
                .to_owned(),
            )
            .exec(&txn)
            .await?;
            if scope == Scope::Default {
                for guard in &self.guards {
                    guard.on_default_change(&txn, path, &stored_value).await?;
                }
            }
        }
        let changed = self.announce(&txn).await?;
        txn.commit().await?;
        drop(changed);
        self.resolve(scope).await
    }

    /// Removes the values of `paths` at `scope`, so they inherit again ("Use system value").
    pub async fn reset(&self, scope: Scope, paths: Vec<String>) -> Result<ResolvedConfig> {
        self.check_scope_exists(scope).await?;
        let mut options = Vec::with_capacity(paths.len());
        for path in &paths {
            options.push(known_option(path)?);
        }
        let (scope_name, scope_id) = scope.stored();
        let txn = begin_write(&self.db).await?;
        config_value::Entity::delete_many()
            .filter(config_value::Column::Scope.eq(scope_name))
            .filter(config_value::Column::ScopeId.eq(scope_id))
            .filter(config_value::Column::Path.is_in(paths))
            .exec(&txn)
            .await?;
        if scope == Scope::Default {
            // The documented default applies again: the guards see it like any other new value.
            for option in options {
                for guard in &self.guards {
                    guard
                        .on_default_change(&txn, option.path, option.default)
                        .await?;
                }
            }
        }
        let changed = self.announce(&txn).await?;
        txn.commit().await?;
        drop(changed);
        self.resolve(scope).await
    }

    async fn check_scope_exists(&self, scope: Scope) -> Result<()> {
        match scope {
            Scope::Default => Ok(()),
            Scope::Website(id) => self.stores.website(id).await.map(|_| ()),
            Scope::StoreView(id) => self.stores.view(id).await.map(|_| ()),
        }
    }
}

fn known_option(path: &str) -> Result<&'static crate::ConfigOption> {
    option(path)
        .ok_or_else(|| Error::invalid("path", format!("\"{path}\" is not a configuration path.")))
}

fn check_scope_allowed(label: &str, narrowest: ScopeLevel, scope: Scope) -> Result<()> {
    if scope.level() > narrowest {
        let allowed = match narrowest {
            ScopeLevel::Global => "the default scope only",
            ScopeLevel::Website => "the default or website scope",
            ScopeLevel::StoreView => "any scope",
        };
        return Err(Error::invalid(
            "scope",
            format!("\"{label}\" can be set at {allowed}."),
        ));
    }
    Ok(())
}
