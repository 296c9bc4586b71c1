//! How customers take part in other domains' changes, inside their transactions.

use async_trait::async_trait;
use clientele_configuration::ConfigChangeGuard;
use clientele_configuration::keys;
use clientele_events::{Change, EventType, NewEvent};
use clientele_groups::GroupDeletionHook;
use clientele_kernel::Clock;
use clientele_kernel::db::{is_unique_violation, one_connection_per_node};
use clientele_kernel::{Error, Result};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait};

use crate::entity::customer;

/// Moves the customers of a deleted group to the default group, each with its
/// `customer.group_changed` event.
pub struct GroupReassignment {
    /// Tells the time of the move.
    pub clock: Clock,
}

#[async_trait]
impl GroupDeletionHook for GroupReassignment {
    async fn reassign(&self, txn: &DatabaseTransaction, from: i32, to: i32) -> Result<()> {
        // The group is deleted after its customers move, in this transaction.
        one_connection_per_node(txn).await?;
        let now = self.clock.now();
        let update = Query::update()
            .table(customer::Entity)
            .value(customer::Column::GroupId, to)
            .value(
                customer::Column::Version,
                Expr::col(customer::Column::Version).add(1),
            )
            .value(customer::Column::UpdatedAt, now)
            .and_where(customer::Column::GroupId.eq(from))
            .returning(
                Query::returning().columns([customer::Column::Id, customer::Column::WebsiteId]),
            )
            .to_owned();
        let moved = txn.query_all(&update).await?;
        let mut events = Vec::with_capacity(moved.len());
        for row in &moved {
            let id: i32 = row.try_get("", "id")?;
            let website_id: i32 = row.try_get("", "website_id")?;
            events.push(
                NewEvent::about_customer(EventType::GroupChanged, id, website_id).with_changes(
                    vec![Change {
                        field: "group_id".into(),
                        old: from.into(),
                        new: to.into(),
                    }],
                ),
            );
        }
        clientele_events::record(txn, now, events).await?;
        tracing::info!(
            from,
            to,
            customers = moved.len(),
            "customers moved to the default group"
        );
        Ok(())
    }
}

/// Re-keys email uniqueness when account sharing switches between per-website and global, and
/// refuses the switch to global while one email is used on several websites.
pub struct AccountSharingGuard;

const SHARING_PATH: &str = keys::customer::ACCOUNT_SHARE_SCOPE.path();

#[async_trait]
impl ConfigChangeGuard for AccountSharingGuard {
    async fn on_default_change(
        &self,
        txn: &DatabaseTransaction,
        path: &str,
        value: &str,
    ) -> Result<()> {
        if path != SHARING_PATH {
            return Ok(());
        }
        let scope = if value == "0" {
            Expr::value(0)
        } else {
            Expr::col(customer::Column::WebsiteId)
        };
        let rekeyed = async {
            customer::Entity::update_many()
                .col_expr(customer::Column::EmailScopeId, scope)
                .exec(txn)
                .await?;
            crate::emails::rebuild(txn).await
        };
        rekeyed.await.map_err(|e| {
            if is_unique_violation(&e) {
                Error::Conflict(
                    "Customer accounts cannot be shared globally while the same email address is used on several websites.".into(),
                )
            } else {
                e.into()
            }
        })?;
        Ok(())
    }
}
