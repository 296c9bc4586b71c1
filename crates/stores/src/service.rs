//! Use cases of the store hierarchy. Every change that touches several rows runs in one write
//! transaction; the rules that keep the hierarchy usable (a default website, group and store view
//! always exist) are checked here.

use std::sync::Arc;
use std::time::Duration;

use clientele_kernel::cache::{CacheBus, ChangeGuard, OwnedCopy};
use clientele_kernel::db::{begin_write, is_unique_violation};
use clientele_kernel::text::{clean_name, validate_code};
use clientele_kernel::{Error, Result};
use sea_orm::{
    AccessMode, ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait,
    DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, EntityTrait, IntoActiveModel,
    IsolationLevel, QueryFilter, QueryOrder, TransactionTrait,
};

use crate::entity::{store_group, store_view, website};
use crate::model::*;

const CODE_MAX: usize = 32;
const NAME_MAX: usize = 255;

/// The topic of store hierarchy changes on the cache bus.
const TOPIC: &str = "stores";

/// Reads and changes websites, store groups and store views.
#[derive(Clone)]
pub struct StoreService {
    db: DatabaseConnection,
    /// The whole hierarchy in memory: every storefront request resolves its store view, and
    /// the hierarchy changes only when staff edit it.
    cache: Option<OwnedCopy<Hierarchy>>,
}

/// Every website, group and view, in list order.
struct Hierarchy {
    websites: Vec<Website>,
    groups: Vec<StoreGroup>,
    views: Vec<StoreView>,
}

fn duplicate_code(err: DbErr, what: &str) -> Error {
    if is_unique_violation(&err) {
        Error::Conflict(format!("{what} with the same code already exists."))
    } else {
        err.into()
    }
}

impl StoreService {
    /// A service over `db`.
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db, cache: None }
    }

    /// Keeps the hierarchy in memory for at most `ttl`, dropping it on the change notices of
    /// `bus` (which this service also sends after every change).
    pub fn with_cache(mut self, bus: &CacheBus, ttl: Duration) -> Self {
        self.cache = Some(OwnedCopy::new(bus, TOPIC, ttl));
        self
    }

    /// The hierarchy: the cached copy, or a fresh read when the service keeps none.
    async fn hierarchy(&self) -> Result<Arc<Hierarchy>> {
        match &self.cache {
            Some(cache) => cache.get_or_load(|| self.load()).await,
            None => self.load().await.map(Arc::new),
        }
    }

    /// Reads the three tables; on PostgreSQL in one snapshot, so a concurrent change is seen
    /// whole or not at all. (On SQLite, whose single node hears of its own changes at once, a
    /// read transaction would wait behind the writer that is changing the hierarchy.)
    async fn load(&self) -> Result<Hierarchy> {
        if self.db.get_database_backend() != DbBackend::Postgres {
            return Ok(Hierarchy {
                websites: load_websites(&self.db).await?,
                groups: load_groups(&self.db).await?,
                views: load_views(&self.db).await?,
            });
        }
        let txn = self
            .db
            .begin_with_config(
                Some(IsolationLevel::RepeatableRead),
                Some(AccessMode::ReadOnly),
            )
            .await?;
        let hierarchy = Hierarchy {
            websites: load_websites(&txn).await?,
            groups: load_groups(&txn).await?,
            views: load_views(&txn).await?,
        };
        txn.commit().await?;
        Ok(hierarchy)
    }

    /// Announces the change `txn` makes to every node's cache; keep the guard until after the
    /// commit.
    async fn announce(&self, txn: &DatabaseTransaction) -> Result<Option<ChangeGuard>> {
        match &self.cache {
            Some(cache) => Ok(Some(cache.announce(txn).await?)),
            None => Ok(None),
        }
    }

    /// All websites, by sort order then id.
    pub async fn websites(&self) -> Result<Vec<Website>> {
        Ok(self.hierarchy().await?.websites.clone())
    }

    /// All store groups, by id.
    pub async fn groups(&self) -> Result<Vec<StoreGroup>> {
        Ok(self.hierarchy().await?.groups.clone())
    }

    /// All store views, by sort order then id.
    pub async fn views(&self) -> Result<Vec<StoreView>> {
        Ok(self.hierarchy().await?.views.clone())
    }

    /// One website by id.
    pub async fn website(&self, id: i32) -> Result<Website> {
        let hierarchy = self.hierarchy().await?;
        pick(&hierarchy.websites, |w| w.id == id, "Website", id)
    }

    /// One website by code.
    pub async fn website_by_code(&self, code: &str) -> Result<Website> {
        let hierarchy = self.hierarchy().await?;
        pick(&hierarchy.websites, |w| w.code == code, "Website", code)
    }

    /// One store group by id.
    pub async fn group(&self, id: i32) -> Result<StoreGroup> {
        let hierarchy = self.hierarchy().await?;
        pick(&hierarchy.groups, |g| g.id == id, "Store group", id)
    }

    /// One store view by id.
    pub async fn view(&self, id: i32) -> Result<StoreView> {
        let hierarchy = self.hierarchy().await?;
        pick(&hierarchy.views, |v| v.id == id, "Store view", id)
    }

    /// One store view by code, active or not.
    pub async fn view_by_code(&self, code: &str) -> Result<StoreView> {
        let hierarchy = self.hierarchy().await?;
        pick(&hierarchy.views, |v| v.code == code, "Store view", code)
    }

    /// The store view a storefront gets when it names none: the default store view of the default
    /// group of the default website.
    pub async fn default_view(&self) -> Result<StoreView> {
        let hierarchy = self.hierarchy().await?;
        let missing = |what: &str| Error::Internal(anyhow::anyhow!("no default {what}"));
        let site = hierarchy
            .websites
            .iter()
            .find(|w| w.is_default)
            .ok_or_else(|| missing("website"))?;
        let group = hierarchy
            .groups
            .iter()
            .find(|g| Some(g.id) == site.default_group_id)
            .ok_or_else(|| missing("store group"))?;
        hierarchy
            .views
            .iter()
            .find(|v| Some(v.id) == group.default_store_id)
            .cloned()
            .ok_or_else(|| missing("store view"))
    }

    /// Creates a website (without groups; create a group next).
    pub async fn create_website(&self, input: NewWebsite) -> Result<Website> {
        validate_code("code", &input.code, CODE_MAX)?;
        let name = clean_name("name", &input.name, NAME_MAX)?;
        let txn = begin_write(&self.db).await?;
        let model = website::ActiveModel {
            code: Set(input.code),
            name: Set(name),
            sort_order: Set(input.sort_order),
            default_group_id: Set(None),
            is_default: Set(false),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(|e| duplicate_code(e, "Website"))?;
        let _changed = self.announce(&txn).await?;
        txn.commit().await?;
        Ok(model.into())
    }

    /// Changes a website. Making it the default unsets the previous default in the same transaction.
    pub async fn update_website(&self, id: i32, patch: WebsitePatch) -> Result<Website> {
        let txn = begin_write(&self.db).await?;
        let current = find_website(&txn, id).await?;
        if patch.is_default == Some(false) && current.is_default {
            return Err(Error::invalid(
                "is_default",
                "Make another website the default instead of unsetting the default website.",
            ));
        }
        let mut model = current.clone().into_active_model();
        if let Some(code) = patch.code {
            validate_code("code", &code, CODE_MAX)?;
            model.code = Set(code);
        }
        if let Some(name) = patch.name {
            model.name = Set(clean_name("name", &name, NAME_MAX)?);
        }
        if let Some(order) = patch.sort_order {
            model.sort_order = Set(order);
        }
        if let Some(group_id) = patch.default_group_id {
            let group = find_group(&txn, group_id).await?;
            if group.website_id != id {
                return Err(Error::invalid(
                    "default_group_id",
                    "The default store group must belong to this website.",
                ));
            }
            model.default_group_id = Set(Some(group_id));
        }
        if patch.is_default == Some(true) && !current.is_default {
            let group_id = patch.default_group_id.or(current.default_group_id);
            let serves = match group_id {
                Some(id) => match find_group(&txn, id).await?.default_store_id {
                    Some(view) => find_view(&txn, view).await?.is_active,
                    None => false,
                },
                None => false,
            };
            if !serves {
                return Err(Error::invalid(
                    "is_default",
                    "Only a website with an active store view can be the default website.",
                ));
            }
            website::Entity::update_many()
                .col_expr(website::Column::IsDefault, false.into())
                .filter(website::Column::IsDefault.eq(true))
                .exec(&txn)
                .await?;
            model.is_default = Set(true);
        }
        let updated = model
            .update(&txn)
            .await
            .map_err(|e| duplicate_code(e, "Website"))?;
        let _changed = self.announce(&txn).await?;
        txn.commit().await?;
        Ok(updated.into())
    }

    /// Deletes a website with its groups and store views. The default website cannot be deleted.
    pub async fn delete_website(&self, id: i32) -> Result<()> {
        let txn = begin_write(&self.db).await?;
        let current = find_website(&txn, id).await?;
        if current.is_default {
            return Err(Error::Conflict(
                "The default website cannot be deleted.".into(),
            ));
        }
        website::Entity::delete_by_id(id)
            .exec(&txn)
            .await
            .map_err(|e| {
                if clientele_kernel::db::is_foreign_key_violation(&e) {
                    Error::Conflict(
                        "The website has customer accounts; move or delete them first.".into(),
                    )
                } else {
                    e.into()
                }
            })?;
        let _changed = self.announce(&txn).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Creates a store group; it becomes its website's default group when the website has none.
    pub async fn create_group(&self, input: NewStoreGroup) -> Result<StoreGroup> {
        validate_code("code", &input.code, CODE_MAX)?;
        let name = clean_name("name", &input.name, NAME_MAX)?;
        let txn = begin_write(&self.db).await?;
        let site = find_website(&txn, input.website_id)
            .await
            .map_err(|e| e.missing_as_invalid("website_id", "The website does not exist."))?;
        let group = store_group::ActiveModel {
            website_id: Set(site.id),
            code: Set(input.code),
            name: Set(name),
            default_store_id: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(|e| duplicate_code(e, "Store group"))?;
        if site.default_group_id.is_none() {
            let mut site = site.into_active_model();
            site.default_group_id = Set(Some(group.id));
            site.update(&txn).await?;
        }
        let _changed = self.announce(&txn).await?;
        txn.commit().await?;
        Ok(group.into())
    }

    /// Changes a store group.
    pub async fn update_group(&self, id: i32, patch: StoreGroupPatch) -> Result<StoreGroup> {
        let txn = begin_write(&self.db).await?;
        let mut model = find_group(&txn, id).await?.into_active_model();
        if let Some(code) = patch.code {
            validate_code("code", &code, CODE_MAX)?;
            model.code = Set(code);
        }
        if let Some(name) = patch.name {
            model.name = Set(clean_name("name", &name, NAME_MAX)?);
        }
        if let Some(view_id) = patch.default_store_id {
            let view = find_view(&txn, view_id).await?;
            if view.group_id != id {
                return Err(Error::invalid(
                    "default_store_id",
                    "The default store view must belong to this store group.",
                ));
            }
            if !view.is_active {
                return Err(Error::invalid(
                    "default_store_id",
                    "The default store view must be active.",
                ));
            }
            model.default_store_id = Set(Some(view_id));
        }
        let updated = model
            .update(&txn)
            .await
            .map_err(|e| duplicate_code(e, "Store group"))?;
        let _changed = self.announce(&txn).await?;
        txn.commit().await?;
        Ok(updated.into())
    }

    /// Deletes a store group with its store views; a website's default group cannot be deleted.
    pub async fn delete_group(&self, id: i32) -> Result<()> {
        let txn = begin_write(&self.db).await?;
        let group = find_group(&txn, id).await?;
        let site = find_website(&txn, group.website_id).await?;
        if site.default_group_id == Some(id) {
            return Err(Error::Conflict(
                "The default store group of a website cannot be deleted.".into(),
            ));
        }
        store_group::Entity::delete_by_id(id).exec(&txn).await?;
        let _changed = self.announce(&txn).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Creates a store view; it becomes its group's default view when the group has none.
    pub async fn create_view(&self, input: NewStoreView) -> Result<StoreView> {
        validate_code("code", &input.code, CODE_MAX)?;
        let name = clean_name("name", &input.name, NAME_MAX)?;
        let txn = begin_write(&self.db).await?;
        let group = find_group(&txn, input.group_id)
            .await
            .map_err(|e| e.missing_as_invalid("group_id", "The store group does not exist."))?;
        let becomes_default = group.default_store_id.is_none();
        if becomes_default && !input.is_active {
            return Err(Error::invalid(
                "is_active",
                "The first store view of a store group must be active.",
            ));
        }
        let view = store_view::ActiveModel {
            code: Set(input.code),
            website_id: Set(group.website_id),
            group_id: Set(group.id),
            name: Set(name),
            sort_order: Set(input.sort_order),
            is_active: Set(input.is_active),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(|e| duplicate_code(e, "Store view"))?;
        if becomes_default {
            let mut group = group.into_active_model();
            group.default_store_id = Set(Some(view.id));
            group.update(&txn).await?;
        }
        let _changed = self.announce(&txn).await?;
        txn.commit().await?;
        Ok(view.into())
    }

    /// Changes a store view. A group's default view cannot be deactivated.
    pub async fn update_view(&self, id: i32, patch: StoreViewPatch) -> Result<StoreView> {
        let txn = begin_write(&self.db).await?;
        let current = find_view(&txn, id).await?;
        if patch.is_active == Some(false) && is_default_view(&txn, &current).await? {
            return Err(Error::invalid(
                "is_active",
                "The default store view cannot be disabled.",
            ));
        }
        let mut model = current.into_active_model();
        if let Some(code) = patch.code {
            validate_code("code", &code, CODE_MAX)?;
            model.code = Set(code);
        }
        if let Some(name) = patch.name {
            model.name = Set(clean_name("name", &name, NAME_MAX)?);
        }
        if let Some(order) = patch.sort_order {
            model.sort_order = Set(order);
        }
        if let Some(active) = patch.is_active {
            model.is_active = Set(active);
        }
        let updated = model
            .update(&txn)
            .await
            .map_err(|e| duplicate_code(e, "Store view"))?;
        let _changed = self.announce(&txn).await?;
        txn.commit().await?;
        Ok(updated.into())
    }

    /// Deletes a store view; a group's default view cannot be deleted.
    pub async fn delete_view(&self, id: i32) -> Result<()> {
        let txn = begin_write(&self.db).await?;
        let view = find_view(&txn, id).await?;
        if is_default_view(&txn, &view).await? {
            return Err(Error::Conflict(
                "The default store view cannot be deleted.".into(),
            ));
        }
        store_view::Entity::delete_by_id(id).exec(&txn).await?;
        let _changed = self.announce(&txn).await?;
        txn.commit().await?;
        Ok(())
    }
}

/// The item of `items` that `matches`, or NOT_FOUND naming `what` and `key`.
fn pick<T: Clone>(
    items: &[T],
    matches: impl Fn(&T) -> bool,
    what: &'static str,
    key: impl std::fmt::Display,
) -> Result<T> {
    items
        .iter()
        .find(|item| matches(item))
        .cloned()
        .ok_or_else(|| Error::not_found(what, key))
}

async fn find_website(db: &impl ConnectionTrait, id: i32) -> Result<website::Model> {
    website::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("Website", id))
}

async fn find_group(db: &impl ConnectionTrait, id: i32) -> Result<store_group::Model> {
    store_group::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("Store group", id))
}

async fn find_view(db: &impl ConnectionTrait, id: i32) -> Result<store_view::Model> {
    store_view::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("Store view", id))
}

async fn is_default_view(db: &impl ConnectionTrait, view: &store_view::Model) -> Result<bool> {
    Ok(find_group(db, view.group_id).await?.default_store_id == Some(view.id))
}

async fn load_websites(db: &impl ConnectionTrait) -> Result<Vec<Website>> {
    Ok(website::Entity::find()
        .order_by_asc(website::Column::SortOrder)
        .order_by_asc(website::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}

async fn load_groups(db: &impl ConnectionTrait) -> Result<Vec<StoreGroup>> {
    Ok(store_group::Entity::find()
        .order_by_asc(store_group::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}

async fn load_views(db: &impl ConnectionTrait) -> Result<Vec<StoreView>> {
    Ok(store_view::Entity::find()
        .order_by_asc(store_view::Column::SortOrder)
        .order_by_asc(store_view::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}
