//! How customers take part in other domains' changes, inside their transactions.

use async_trait::async_trait;
use clientele_configuration::ConfigChangeGuard;
use clientele_configuration::keys;
use clientele_groups::GroupDeletionHook;
use clientele_kernel::db::{is_unique_violation, one_connection_per_node};
use clientele_kernel::{Error, Result};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};

use crate::entity::customer;

/// Moves the customers of a deleted group to the default group.
pub struct GroupReassignment;

#[async_trait]
impl GroupDeletionHook for GroupReassignment {
    async fn reassign(&self, txn: &DatabaseTransaction, from: i32, to: i32) -> Result<()> {
        // The group is deleted after its customers move, in this transaction.
        one_connection_per_node(txn).await?;
        let moved = customer::Entity::update_many()
            .col_expr(customer::Column::GroupId, Expr::value(to))
            .col_expr(
                customer::Column::Version,
                Expr::col(customer::Column::Version).add(1),
            )
            .filter(customer::Column::GroupId.eq(from))
            .exec(txn)
            .await?;
        tracing::info!(
            from,
            to,
            customers = moved.rows_affected,
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
