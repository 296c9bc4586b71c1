//! Use cases of customer groups and tax classes.

use clientele_configuration::keys;
use std::collections::HashMap;
use std::sync::Arc;

use clientele_configuration::{ConfigService, Scope, ValueKind, options};
use clientele_kernel::cache::{CacheBus, ChangeGuard, OwnedCopy};
use clientele_kernel::db::{begin_write, is_foreign_key_violation, is_unique_violation};
use clientele_kernel::text::{escape_like, reject_control_chars};
use clientele_kernel::{Clock, Error, Page, PageRequest, Result};
use sea_orm::sea_query::LikeExpr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, DbErr, EntityTrait, IntoActiveModel, JoinType, Order, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, RelationTrait, Select,
};

use crate::entity::{excluded_website, group, tax_class};
use crate::events::{GroupFields, group_changed};
use crate::model::*;

/// The change-notice topic of groups and tax classes.
const TOPIC: &str = "customer_groups";

const GROUP_NAME_LIMIT: usize = 32;
const TAX_CLASS_NAME_LIMIT: usize = 255;

/// Takes part in deleting a group: moves what belongs to it elsewhere, inside the transaction
/// that deletes it.
#[async_trait::async_trait]
pub trait GroupDeletionHook: Send + Sync {
    /// Everything in group `from` must move to group `to` before `from` is deleted.
    async fn reassign(&self, txn: &DatabaseTransaction, from: i32, to: i32) -> Result<()>;
}

/// Reads and changes customer groups and customer tax classes.
#[derive(Clone)]
pub struct GroupService {
    db: DatabaseConnection,
    config: ConfigService,
    deletion_hooks: Vec<Arc<dyn GroupDeletionHook>>,
    clock: Clock,
    /// Every group by id, when kept in memory: each admin customer shows its group, and groups
    /// change seldom.
    copies: Option<OwnedCopy<HashMap<i32, CustomerGroup>>>,
}

impl GroupService {
    /// A service over `db`; `config` tells which groups are configured as defaults;
    /// `deletion_hooks` move what belongs to a deleted group (the domains that keep group ids:
    /// say which, even when none); changes are stamped by `clock`.
    pub fn new(
        db: DatabaseConnection,
        config: ConfigService,
        deletion_hooks: Vec<Arc<dyn GroupDeletionHook>>,
        clock: Clock,
    ) -> Self {
        Self {
            db,
            config,
            deletion_hooks,
            clock,
            copies: None,
        }
    }

    /// Keeps every group in memory for at most `ttl`, dropping them on the change notices of
    /// `bus` (which this service sends with every change to a group or a tax class's name).
    pub fn with_cache(mut self, bus: &CacheBus, ttl: std::time::Duration) -> Self {
        self.copies = Some(OwnedCopy::new(bus, TOPIC, ttl));
        self
    }

    /// Announces, in `txn`, a change to groups; keep the guard until after the commit.
    async fn announce(&self, txn: &DatabaseTransaction) -> Result<Option<ChangeGuard>> {
        match &self.copies {
            Some(copies) => Ok(Some(copies.announce(txn).await?)),
            None => Ok(None),
        }
    }

    /// One page of groups matching `filter`, sorted, with the exact total.
    pub async fn list(
        &self,
        filter: &GroupFilter,
        sort: GroupSort,
        page: PageRequest,
    ) -> Result<Page<CustomerGroup>> {
        let query = filtered(filter)?;
        let total_count = query.clone().count(&self.db).await?;
        let order = if sort.descending {
            Order::Desc
        } else {
            Order::Asc
        };
        let query = match sort.field {
            GroupSortField::Id => query,
            GroupSortField::Name => query.order_by(group::Column::NameKey, order.clone()),
            GroupSortField::TaxClass => query
                .join(JoinType::InnerJoin, group::Relation::TaxClass.def())
                .order_by(tax_class::Column::NameKey, order.clone()),
        }
        .order_by(group::Column::Id, order);
        let rows = query
            .offset(page.offset())
            .limit(page.page_size)
            .all(&self.db)
            .await?;
        let items = self.hydrate(rows).await?;
        Ok(Page {
            items,
            total_count,
            request: page,
        })
    }

    /// One group by id.
    pub async fn get(&self, id: i32) -> Result<CustomerGroup> {
        let row = find_group(&self.db, id).await?;
        Ok(self.hydrate(vec![row]).await?.remove(0))
    }

    /// The groups of `ids` that exist, in id order (from memory when the service keeps them).
    pub async fn get_many(&self, ids: &[i32]) -> Result<Vec<CustomerGroup>> {
        if let Some(copies) = &self.copies {
            let all = copies.get_or_load(|| self.load_all()).await?;
            let mut found: Vec<CustomerGroup> =
                ids.iter().filter_map(|id| all.get(id).cloned()).collect();
            found.sort_by_key(|g| g.id);
            found.dedup_by_key(|g| g.id);
            return Ok(found);
        }
        let rows = group::Entity::find()
            .filter(group::Column::Id.is_in(ids.to_vec()))
            .order_by_asc(group::Column::Id)
            .all(&self.db)
            .await?;
        self.hydrate(rows).await
    }

    /// Every group, by id.
    async fn load_all(&self) -> Result<HashMap<i32, CustomerGroup>> {
        let rows = group::Entity::find().all(&self.db).await?;
        Ok(self
            .hydrate(rows)
            .await?
            .into_iter()
            .map(|g| (g.id, g))
            .collect())
    }

    /// Creates a group.
    pub async fn create(&self, input: NewGroup) -> Result<CustomerGroup> {
        let name = group_name(&input.name)?;
        let txn = begin_write(&self.db).await?;
        let _changed = self.announce(&txn).await?;
        find_tax_class_for(&txn, input.tax_class_id).await?;
        let now = self.clock.now();
        let row = group::ActiveModel {
            name_key: Set(name.to_lowercase()),
            name: Set(name),
            tax_class_id: Set(input.tax_class_id),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(duplicate_group)?;
        let excluded = replace_excluded(&txn, row.id, &input.excluded_website_ids).await?;
        let created = fields(&row, excluded);
        let event = group_changed(row.id, None, Some(&created));
        clientele_events::record(&txn, now, event.into_iter().collect()).await?;
        txn.commit().await?;
        self.get(row.id).await
    }

    /// Changes a group. The `NOT LOGGED IN` group keeps its name.
    pub async fn update(&self, id: i32, patch: GroupPatch) -> Result<CustomerGroup> {
        let txn = begin_write(&self.db).await?;
        let _changed = self.announce(&txn).await?;
        let current = find_group(&txn, id).await?;
        let before = fields(&current, excluded_of(&txn, id).await?);
        let mut row = current.into_active_model();
        if let Some(name) = patch.name {
            let name = group_name(&name)?;
            if id == NOT_LOGGED_IN_ID && name != *row.name.as_ref() {
                return Err(Error::invalid(
                    "name",
                    "The name of the NOT LOGGED IN group cannot be changed.",
                ));
            }
            row.name_key = Set(name.to_lowercase());
            row.name = Set(name);
        }
        if let Some(tax_class_id) = patch.tax_class_id {
            find_tax_class_for(&txn, tax_class_id).await?;
            row.tax_class_id = Set(tax_class_id);
        }
        let now = self.clock.now();
        row.updated_at = Set(now);
        let updated = row.update(&txn).await.map_err(duplicate_group)?;
        let excluded = match patch.excluded_website_ids {
            Some(websites) => replace_excluded(&txn, id, &websites).await?,
            None => before.excluded_website_ids.clone(),
        };
        let event = group_changed(id, Some(&before), Some(&fields(&updated, excluded)));
        clientele_events::record(&txn, now, event.into_iter().collect()).await?;
        txn.commit().await?;
        self.get(id).await
    }

    /// Deletes a group. Group 0 and any group configured as a default (or VAT) group cannot be
    /// deleted; the group's customers move to the default group in the same transaction.
    pub async fn delete(&self, id: i32) -> Result<()> {
        if id == NOT_LOGGED_IN_ID {
            return Err(Error::Conflict(
                "The NOT LOGGED IN group cannot be deleted.".into(),
            ));
        }
        find_group(&self.db, id).await?;
        let id_text = id.to_string();
        for o in options()
            .iter()
            .filter(|o| matches!(o.kind, ValueKind::CustomerGroup { .. }))
        {
            if self
                .config
                .values_everywhere(o.path)
                .await?
                .contains(&id_text)
            {
                return Err(Error::Conflict(format!(
                    "The customer group is used as \"{}\" in the configuration and cannot be deleted.",
                    o.label
                )));
            }
        }
        let replacement = self
            .config
            .resolve(Scope::Default)
            .await?
            .number(keys::customer::CREATE_ACCOUNT_DEFAULT_GROUP)
            .and_then(|n| i32::try_from(n).ok())
            .unwrap_or(1);
        let txn = begin_write(&self.db).await?;
        let _changed = self.announce(&txn).await?;
        let before = fields(&find_group(&txn, id).await?, excluded_of(&txn, id).await?);
        for hook in &self.deletion_hooks {
            hook.reassign(&txn, id, replacement).await?;
        }
        group::Entity::delete_by_id(id)
            .exec(&txn)
            .await
            .map_err(|e| {
                if is_foreign_key_violation(&e) {
                    Error::Conflict("The customer group is still in use.".into())
                } else {
                    e.into()
                }
            })?;
        let event = group_changed(id, Some(&before), None);
        clientele_events::record(&txn, self.clock.now(), event.into_iter().collect()).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Every customer tax class, by name.
    pub async fn tax_classes(&self) -> Result<Vec<TaxClass>> {
        Ok(tax_class::Entity::find()
            .order_by_asc(tax_class::Column::NameKey)
            .all(&self.db)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// Creates a customer tax class.
    pub async fn create_tax_class(&self, name: &str) -> Result<TaxClass> {
        let name = tax_class_name(name)?;
        let row = tax_class::ActiveModel {
            name_key: Set(name.to_lowercase()),
            name: Set(name),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .map_err(duplicate_tax_class)?;
        Ok(row.into())
    }

    /// Renames a customer tax class.
    pub async fn rename_tax_class(&self, id: i32, name: &str) -> Result<TaxClass> {
        let name = tax_class_name(name)?;
        let txn = begin_write(&self.db).await?;
        // Groups show their tax class's name.
        let _changed = self.announce(&txn).await?;
        let mut row = tax_class::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or_else(|| Error::not_found("Tax class", id))?
            .into_active_model();
        row.name_key = Set(name.to_lowercase());
        row.name = Set(name);
        let renamed = row.update(&txn).await.map_err(duplicate_tax_class)?;
        txn.commit().await?;
        Ok(renamed.into())
    }

    /// Deletes a customer tax class that no group uses.
    pub async fn delete_tax_class(&self, id: i32) -> Result<()> {
        let result = tax_class::Entity::delete_by_id(id)
            .exec(&self.db)
            .await
            .map_err(|e| {
                if is_foreign_key_violation(&e) {
                    Error::Conflict(
                        "The tax class is assigned to customer groups and cannot be deleted."
                            .into(),
                    )
                } else {
                    e.into()
                }
            })?;
        if result.rows_affected == 0 {
            return Err(Error::not_found("Tax class", id));
        }
        Ok(())
    }

    async fn hydrate(&self, rows: Vec<group::Model>) -> Result<Vec<CustomerGroup>> {
        let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
        let mut excluded: HashMap<i32, Vec<i32>> = HashMap::new();
        for row in excluded_website::Entity::find()
            .filter(excluded_website::Column::GroupId.is_in(ids))
            .order_by_asc(excluded_website::Column::WebsiteId)
            .all(&self.db)
            .await?
        {
            excluded
                .entry(row.group_id)
                .or_default()
                .push(row.website_id);
        }
        let classes: HashMap<i32, TaxClass> = tax_class::Entity::find()
            .all(&self.db)
            .await?
            .into_iter()
            .map(|c| (c.id, c.into()))
            .collect();
        rows.into_iter()
            .map(|row| {
                let tax_class = classes.get(&row.tax_class_id).cloned().ok_or_else(|| {
                    Error::Internal(anyhow::anyhow!("group {} has no tax class", row.id))
                })?;
                Ok(CustomerGroup {
                    excluded_website_ids: excluded.remove(&row.id).unwrap_or_default(),
                    id: row.id,
                    name: row.name,
                    tax_class,
                })
            })
            .collect()
    }
}

impl From<tax_class::Model> for TaxClass {
    fn from(m: tax_class::Model) -> Self {
        Self {
            id: m.id,
            name: m.name,
        }
    }
}

fn filtered(filter: &GroupFilter) -> Result<Select<group::Entity>> {
    let mut query = group::Entity::find();
    if let Some(from) = filter.id_from {
        query = query.filter(group::Column::Id.gte(from));
    }
    if let Some(to) = filter.id_to {
        query = query.filter(group::Column::Id.lte(to));
    }
    if let Some(text) = &filter.name_match {
        reject_control_chars("name", text)?;
        let pattern = format!("%{}%", escape_like(&text.trim().to_lowercase()));
        query = query.filter(group::Column::NameKey.like(LikeExpr::new(pattern).escape('\\')));
    }
    if let Some(name) = &filter.name_eq {
        query = query.filter(group::Column::NameKey.eq(name.trim().to_lowercase()));
    }
    if let Some(ids) = &filter.tax_class_ids {
        query = query.filter(group::Column::TaxClassId.is_in(ids.clone()));
    }
    Ok(query)
}

fn group_name(raw: &str) -> Result<String> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(Error::invalid("name", "\"Group Name\" is required."));
    }
    if name.chars().count() >= GROUP_NAME_LIMIT {
        return Err(Error::invalid(
            "name",
            format!("Maximum length must be less then {GROUP_NAME_LIMIT} characters."),
        ));
    }
    reject_control_chars("name", name)?;
    Ok(name.to_owned())
}

fn tax_class_name(raw: &str) -> Result<String> {
    clientele_kernel::text::clean_name("name", raw, TAX_CLASS_NAME_LIMIT)
}

fn duplicate_group(err: DbErr) -> Error {
    if is_unique_violation(&err) {
        Error::Conflict("Customer Group already exists.".into())
    } else {
        err.into()
    }
}

fn duplicate_tax_class(err: DbErr) -> Error {
    if is_unique_violation(&err) {
        Error::Conflict("A tax class with the same name already exists.".into())
    } else {
        err.into()
    }
}

async fn find_group(db: &impl ConnectionTrait, id: i32) -> Result<group::Model> {
    group::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("Customer group", id))
}

async fn find_tax_class_for(db: &impl ConnectionTrait, id: i32) -> Result<()> {
    tax_class::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|_| ())
        .ok_or_else(|| {
            Error::invalid(
                "tax_class_id",
                format!("Invalid value of \"{id}\" provided for the tax_class_id field."),
            )
        })
}

/// What an event tells of group `row` with `excluded` websites.
fn fields(row: &group::Model, excluded: Vec<i32>) -> GroupFields {
    GroupFields {
        name: row.name.clone(),
        tax_class_id: row.tax_class_id,
        excluded_website_ids: excluded,
    }
}

/// The websites group `group_id` is excluded from, in order.
async fn excluded_of(db: &impl ConnectionTrait, group_id: i32) -> Result<Vec<i32>> {
    Ok(excluded_website::Entity::find()
        .select_only()
        .column(excluded_website::Column::WebsiteId)
        .filter(excluded_website::Column::GroupId.eq(group_id))
        .order_by_asc(excluded_website::Column::WebsiteId)
        .into_tuple()
        .all(db)
        .await?)
}

/// Replaces the websites group `group_id` is excluded from; returns them, sorted, once each.
async fn replace_excluded(
    db: &impl ConnectionTrait,
    group_id: i32,
    websites: &[i32],
) -> Result<Vec<i32>> {
    excluded_website::Entity::delete_many()
        .filter(excluded_website::Column::GroupId.eq(group_id))
        .exec(db)
        .await?;
    let mut unique = websites.to_vec();
    unique.sort_unstable();
    unique.dedup();
    if unique.is_empty() {
        return Ok(unique);
    }
    excluded_website::Entity::insert_many(unique.iter().map(|&website_id| {
        excluded_website::ActiveModel {
            group_id: Set(group_id),
            website_id: Set(website_id),
        }
    }))
    .exec(db)
    .await
    .map_err(|e| {
        if is_foreign_key_violation(&e) {
            Error::invalid(
                "excluded_website_ids",
                "An excluded website does not exist.",
            )
        } else {
            e.into()
        }
    })?;
    Ok(unique)
}
