//! Mass actions on selected customers or on everything matching a grid filter: delete, assign a
//! group, subscribe, unsubscribe. Each runs in one transaction and reports per-row outcomes; with
//! `all_or_nothing`, any failing row means nothing changes.

use std::collections::{HashMap, HashSet};

use clientele_kernel::db::begin_write;
use clientele_kernel::{Error, Result};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::BackOffice;
use super::grid::{GridQuery, filtered};
use crate::accounts::newsletter::subscriber;
use crate::accounts::record::{CURRENT_ACTOR, forget_deleted};
use crate::entity::customer;
use clientele_customer_attributes::grid::catalog;
use clientele_newsletter::{OptIn, subscribe_rows, unsubscribe_rows};

/// Which customers a mass action applies to.
#[derive(Debug, Clone)]
pub enum Selection {
    /// These ids; with `websites`, ids of customers on other websites count as not found.
    Ids {
        /// Selected customer ids.
        ids: Vec<i32>,
        /// The websites the caller may touch (`None`: all).
        websites: Option<Vec<i32>>,
    },
    /// Every customer matching the grid query.
    Matching(Box<GridQuery>),
}

/// Why a mass action could not change a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureReason {
    /// No such customer (or none the caller may see).
    NotFound,
}

/// A row a mass action could not change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowFailure {
    /// Customer id.
    pub id: i32,
    /// Why.
    pub reason: FailureReason,
    /// Readable reason.
    pub message: String,
}

/// What a mass action did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MassOutcome {
    /// Rows selected.
    pub requested: u64,
    /// Rows changed.
    pub changed: u64,
    /// Rows that could not be changed.
    pub failures: Vec<RowFailure>,
}

/// The largest selection one mass action accepts by id.
pub const MAX_SELECTED_IDS: usize = 100_000;

/// Rows read and changed per round trip.
const BATCH: usize = 1000;

/// What a mass action does to each selected row.
#[derive(Debug, Clone, Copy)]
enum Action {
    AssignGroup(i32),
    Delete,
    Subscribe,
    Unsubscribe,
}

impl BackOffice {
    /// Moves the selected customers to `group_id`.
    pub async fn mass_assign_group(
        &self,
        selection: &Selection,
        group_id: i32,
        all_or_nothing: bool,
    ) -> Result<MassOutcome> {
        crate::accounts::record::customer_group(group_id)?;
        let outcome = self
            .mass(selection, all_or_nothing, Action::AssignGroup(group_id))
            .await?;
        tracing::info!(
            group_id,
            changed = outcome.changed,
            "customers assigned to a group"
        );
        Ok(outcome)
    }

    /// Deletes the selected customers.
    pub async fn mass_delete(
        &self,
        selection: &Selection,
        all_or_nothing: bool,
    ) -> Result<MassOutcome> {
        let outcome = self.mass(selection, all_or_nothing, Action::Delete).await?;
        tracing::info!(changed = outcome.changed, "customers deleted");
        Ok(outcome)
    }

    /// Subscribes the selected customers to the newsletter (in the store view of their account).
    pub async fn mass_subscribe(
        &self,
        selection: &Selection,
        all_or_nothing: bool,
    ) -> Result<MassOutcome> {
        self.mass(selection, all_or_nothing, Action::Subscribe)
            .await
    }

    /// Ends every active newsletter subscription of the selected customers.
    pub async fn mass_unsubscribe(
        &self,
        selection: &Selection,
        all_or_nothing: bool,
    ) -> Result<MassOutcome> {
        self.mass(selection, all_or_nothing, Action::Unsubscribe)
            .await
    }

    /// Runs `action` over the selection in batches, all in one transaction: memory stays flat
    /// for a million matching rows, and a failure (or, with `all_or_nothing`, any row that
    /// cannot be changed) leaves everything as it was.
    async fn mass(
        &self,
        selection: &Selection,
        all_or_nothing: bool,
        action: Action,
    ) -> Result<MassOutcome> {
        let mut outcome = MassOutcome {
            requested: 0,
            changed: 0,
            failures: Vec::new(),
        };
        let mut stores = HashMap::new();
        let opt_in = match action {
            Action::Subscribe => Some(self.shared.newsletter.opt_in().await?),
            _ => None,
        };
        let txn = begin_write(&self.shared.db).await?;
        match selection {
            Selection::Ids { ids, websites } => {
                if ids.len() > MAX_SELECTED_IDS {
                    return Err(Error::invalid(
                        "ids",
                        format!("Select at most {MAX_SELECTED_IDS} customers, or use a filter."),
                    ));
                }
                let mut seen = HashSet::new();
                let unique: Vec<i32> = ids.iter().copied().filter(|id| seen.insert(*id)).collect();
                outcome.requested = unique.len() as u64;
                for chunk in unique.chunks(BATCH) {
                    let mut rows = customer::Entity::find()
                        .filter(customer::Column::Id.is_in(chunk.to_vec()))
                        .all(&txn)
                        .await?;
                    if let Some(websites) = websites {
                        rows.retain(|c| websites.contains(&c.website_id));
                    }
                    let present: HashSet<i32> = rows.iter().map(|c| c.id).collect();
                    outcome
                        .failures
                        .extend(chunk.iter().filter(|id| !present.contains(id)).map(|&id| {
                            RowFailure {
                                id,
                                reason: FailureReason::NotFound,
                                message: format!("Customer \"{id}\" does not exist"),
                            }
                        }));
                    if all_or_nothing && !outcome.failures.is_empty() {
                        continue;
                    }
                    outcome.changed += self
                        .apply(&txn, action, rows, &mut stores, opt_in.as_ref())
                        .await?;
                }
            }
            Selection::Matching(query) => {
                let catalog = catalog(&txn, query.needs_attributes()).await?;
                let mut after = 0;
                loop {
                    let rows = filtered(query, &catalog)?
                        .filter(customer::Column::Id.gt(after))
                        .order_by_asc(customer::Column::Id)
                        .limit(BATCH as u64)
                        .all(&txn)
                        .await?;
                    let Some(last) = rows.last() else { break };
                    after = last.id;
                    outcome.requested += rows.len() as u64;
                    outcome.changed += self
                        .apply(&txn, action, rows, &mut stores, opt_in.as_ref())
                        .await?;
                }
            }
        }
        if all_or_nothing && !outcome.failures.is_empty() {
            txn.rollback().await?;
            outcome.changed = 0;
        } else {
            txn.commit().await?;
        }
        Ok(outcome)
    }

    /// Applies `action` to one batch of rows; returns how many changed. `stores` remembers each
    /// website's default store view for accounts created without one.
    async fn apply(
        &self,
        txn: &DatabaseTransaction,
        action: Action,
        rows: Vec<customer::Model>,
        stores: &mut HashMap<i32, i32>,
        opt_in: Option<&OptIn>,
    ) -> Result<u64> {
        let ids: Vec<i32> = rows.iter().map(|c| c.id).collect();
        if ids.is_empty() {
            return Ok(0);
        }
        match action {
            Action::AssignGroup(group_id) => {
                let now = self.shared.clock.now();
                let changed = customer::Entity::update_many()
                    .col_expr(customer::Column::GroupId, Expr::value(group_id))
                    .col_expr(
                        customer::Column::Version,
                        Expr::col(customer::Column::Version).add(1),
                    )
                    .col_expr(customer::Column::UpdatedAt, Expr::value(now))
                    .filter(customer::Column::Id.is_in(ids))
                    .exec(txn)
                    .await
                    .map_err(crate::accounts::record::map_write_error)?
                    .rows_affected;
                // The rows were read in this transaction, so they are the accounts moved.
                let moved = rows.iter().filter(|row| row.group_id != group_id);
                let events = moved
                    .flat_map(|before| {
                        let after = customer::Model {
                            group_id,
                            ..before.clone()
                        };
                        crate::events::revised(before, &after, now)
                    })
                    .collect();
                clientele_events::record(txn, now, events).await?;
                Ok(changed)
            }
            Action::Delete => {
                let deleted = customer::Entity::delete_many()
                    .filter(customer::Column::Id.is_in(ids))
                    .exec_with_returning(txn)
                    .await?;
                let now = self.shared.clock.now();
                forget_deleted(txn, &deleted, now, CURRENT_ACTOR).await?;
                Ok(deleted.len() as u64)
            }
            Action::Subscribe => {
                let mut pairs = Vec::with_capacity(rows.len());
                for row in rows {
                    let store = match row
                        .store_id
                        .or_else(|| stores.get(&row.website_id).copied())
                    {
                        Some(id) => id,
                        None => {
                            let id = self.shared.subscription_store(&row).await?;
                            stores.insert(row.website_id, id);
                            id
                        }
                    };
                    pairs.push((subscriber(&row), store));
                }
                let opt_in = opt_in.ok_or_else(|| {
                    Error::Internal(anyhow::anyhow!("double opt-in not read before subscribing"))
                })?;
                subscribe_rows(txn, &pairs, opt_in, self.shared.clock.now()).await?;
                Ok(pairs.len() as u64)
            }
            Action::Unsubscribe => {
                let subscribers: Vec<_> = rows.iter().map(subscriber).collect();
                unsubscribe_rows(txn, &subscribers, self.shared.clock.now()).await?;
                Ok(ids.len() as u64)
            }
        }
    }
}
