//! Mass actions on selected customers or on everything matching a grid filter: delete, assign a
//! group, subscribe, unsubscribe. Each runs in one transaction and reports per-row outcomes; with
//! `all_or_nothing`, any failing row means nothing changes.

use std::collections::HashSet;

use clientele_kernel::db::begin_write;
use clientele_kernel::{Error, Result};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::entity::customer;
use crate::grid::{GridQuery, filtered};
use crate::grid_attributes::catalog;
use crate::newsletter::{subscribe_rows, unsubscribe_rows};
use crate::service::CustomerService;

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

/// A row a mass action could not change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowFailure {
    /// Customer id.
    pub id: i32,
    /// Stable code (`NOT_FOUND`, …).
    pub code: &'static str,
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

/// The rows a mass action will change, and those it cannot.
struct Resolved {
    rows: Vec<customer::Model>,
    failures: Vec<RowFailure>,
    requested: u64,
}

impl Resolved {
    fn outcome(self, changed: usize) -> MassOutcome {
        MassOutcome {
            requested: self.requested,
            changed: changed as u64,
            failures: self.failures,
        }
    }

    fn ids(&self) -> Vec<i32> {
        self.rows.iter().map(|c| c.id).collect()
    }
}

impl CustomerService {
    /// The selected rows; `Err` carries the outcome when `all_or_nothing` refuses the action.
    async fn resolve(
        &self,
        selection: &Selection,
        all_or_nothing: bool,
    ) -> Result<std::result::Result<Resolved, MassOutcome>> {
        let resolved = match selection {
            Selection::Ids { ids, websites } => {
                if ids.len() > MAX_SELECTED_IDS {
                    return Err(Error::invalid(
                        "ids",
                        format!("Select at most {MAX_SELECTED_IDS} customers, or use a filter."),
                    ));
                }
                let unique: Vec<i32> = {
                    let mut seen = HashSet::new();
                    ids.iter().copied().filter(|id| seen.insert(*id)).collect()
                };
                let mut rows = Vec::with_capacity(unique.len());
                for chunk in unique.chunks(500) {
                    rows.extend(
                        customer::Entity::find()
                            .filter(customer::Column::Id.is_in(chunk.to_vec()))
                            .all(&self.db)
                            .await?,
                    );
                }
                if let Some(websites) = websites {
                    rows.retain(|c| websites.contains(&c.website_id));
                }
                let present: HashSet<i32> = rows.iter().map(|c| c.id).collect();
                let failures = unique
                    .iter()
                    .filter(|id| !present.contains(id))
                    .map(|&id| RowFailure {
                        id,
                        code: "NOT_FOUND",
                        message: format!("Customer \"{id}\" does not exist"),
                    })
                    .collect();
                Resolved {
                    rows,
                    failures,
                    requested: unique.len() as u64,
                }
            }
            Selection::Matching(query) => {
                let catalog = catalog(&self.db, query.needs_attributes()).await?;
                let rows = filtered(query, &catalog)?.all(&self.db).await?;
                Resolved {
                    requested: rows.len() as u64,
                    rows,
                    failures: Vec::new(),
                }
            }
        };
        if all_or_nothing && !resolved.failures.is_empty() {
            return Ok(Err(resolved.outcome(0)));
        }
        Ok(Ok(resolved))
    }

    /// Moves the selected customers to `group_id`.
    pub async fn mass_assign_group(
        &self,
        selection: &Selection,
        group_id: i32,
        all_or_nothing: bool,
    ) -> Result<MassOutcome> {
        crate::service::customer_group(group_id)?;
        let resolved = match self.resolve(selection, all_or_nothing).await? {
            Ok(resolved) => resolved,
            Err(refused) => return Ok(refused),
        };
        let ids = resolved.ids();
        let mut changed = 0;
        let txn = begin_write(&self.db).await?;
        for chunk in ids.chunks(500) {
            changed += customer::Entity::update_many()
                .col_expr(customer::Column::GroupId, Expr::value(group_id))
                .col_expr(
                    customer::Column::Version,
                    Expr::col(customer::Column::Version).add(1),
                )
                .col_expr(customer::Column::UpdatedAt, Expr::value(chrono::Utc::now()))
                .filter(customer::Column::Id.is_in(chunk.to_vec()))
                .exec(&txn)
                .await
                .map_err(crate::service::map_write_error)?
                .rows_affected;
        }
        txn.commit().await?;
        tracing::info!(group_id, changed, "customers assigned to a group");
        Ok(resolved.outcome(changed as usize))
    }

    /// Deletes the selected customers.
    pub async fn mass_delete(
        &self,
        selection: &Selection,
        all_or_nothing: bool,
    ) -> Result<MassOutcome> {
        let resolved = match self.resolve(selection, all_or_nothing).await? {
            Ok(resolved) => resolved,
            Err(refused) => return Ok(refused),
        };
        let ids = resolved.ids();
        let mut changed = 0;
        let txn = begin_write(&self.db).await?;
        for chunk in ids.chunks(500) {
            changed += customer::Entity::delete_many()
                .filter(customer::Column::Id.is_in(chunk.to_vec()))
                .exec(&txn)
                .await?
                .rows_affected;
        }
        txn.commit().await?;
        tracing::info!(changed, "customers deleted");
        Ok(resolved.outcome(changed as usize))
    }

    /// Subscribes the selected customers to the newsletter (in the store view of their account).
    pub async fn mass_subscribe(
        &self,
        selection: &Selection,
        all_or_nothing: bool,
    ) -> Result<MassOutcome> {
        let mut resolved = match self.resolve(selection, all_or_nothing).await? {
            Ok(resolved) => resolved,
            Err(refused) => return Ok(refused),
        };
        let mut pairs = Vec::with_capacity(resolved.rows.len());
        // Accounts without a store view go to their website's default one, looked up once each.
        let mut website_defaults = std::collections::HashMap::new();
        for row in std::mem::take(&mut resolved.rows) {
            let store = match row.store_id {
                Some(id) => id,
                None => match website_defaults.get(&row.website_id) {
                    Some(&id) => id,
                    None => {
                        let id = self.subscription_store(&row).await?;
                        website_defaults.insert(row.website_id, id);
                        id
                    }
                },
            };
            pairs.push((row, store));
        }
        let txn = begin_write(&self.db).await?;
        subscribe_rows(&txn, &pairs).await?;
        txn.commit().await?;
        Ok(resolved.outcome(pairs.len()))
    }

    /// Ends every active newsletter subscription of the selected customers.
    pub async fn mass_unsubscribe(
        &self,
        selection: &Selection,
        all_or_nothing: bool,
    ) -> Result<MassOutcome> {
        let resolved = match self.resolve(selection, all_or_nothing).await? {
            Ok(resolved) => resolved,
            Err(refused) => return Ok(refused),
        };
        let ids = resolved.ids();
        let txn = begin_write(&self.db).await?;
        unsubscribe_rows(&txn, &ids).await?;
        txn.commit().await?;
        Ok(resolved.outcome(ids.len()))
    }
}
