//! A person's Login as Customer log entries, for the export of their data. The log is
//! append-only and names the customer by id alone (no name or email), which is all that stays
//! of them once the account is erased; their sessions and codes go with the account.

use async_trait::async_trait;
use clientele_kernel::Result;
use clientele_kernel::personal_data::{DataSubject, PersonalData};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

use crate::entity::log;

/// The Login as Customer log's share of a person's data.
pub struct AssistanceLogData;

#[async_trait]
impl PersonalData for AssistanceLogData {
    fn section(&self) -> &'static str {
        "login_as_customer_log"
    }

    async fn export(
        &self,
        txn: &DatabaseTransaction,
        subject: &DataSubject,
    ) -> Result<Option<Value>> {
        let rows = log::Entity::find()
            .filter(log::Column::CustomerId.eq(subject.customer_id))
            .order_by_asc(log::Column::Id)
            .all(txn)
            .await?;
        let entries = rows
            .into_iter()
            .map(|row| {
                json!({
                    "created_at": row.created_at.to_rfc3339(),
                    "action": row.action,
                    "result": row.result,
                    "staff_user_id": row.staff_user_id,
                    "store_view_id": row.store_view_id,
                    "reason": row.reason,
                })
            })
            .collect();
        Ok(Some(Value::Array(entries)))
    }

    /// The entries stay: they name the customer by id only.
    async fn erase(&self, _txn: &DatabaseTransaction, _subject: &DataSubject) -> Result<()> {
        Ok(())
    }
}
