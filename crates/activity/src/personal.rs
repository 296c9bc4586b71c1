//! A person's sign-in record (last sign-in, sign-out and activity, the last page seen), for the
//! export of their data and their erasure.

use async_trait::async_trait;
use clientele_kernel::Result;
use clientele_kernel::personal_data::{DataSubject, PersonalData};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::entity::sign_in_log;

/// The sign-in record's share of a person's data.
pub struct SignInData;

#[async_trait]
impl PersonalData for SignInData {
    fn section(&self) -> &'static str {
        "sign_in_activity"
    }

    async fn export(
        &self,
        txn: &DatabaseTransaction,
        subject: &DataSubject,
    ) -> Result<Option<Value>> {
        let row = sign_in_log::Entity::find()
            .filter(sign_in_log::Column::CustomerId.eq(subject.customer_id))
            .one(txn)
            .await?;
        let at = |time: Option<chrono::DateTime<chrono::Utc>>| time.map(|t| t.to_rfc3339());
        Ok(Some(row.map_or(Value::Null, |row| {
            json!({
                "last_login_at": at(row.last_login_at),
                "last_logout_at": at(row.last_logout_at),
                "last_activity_at": at(row.last_activity_at),
                "last_url": row.last_url,
            })
        })))
    }

    async fn erase(&self, txn: &DatabaseTransaction, subject: &DataSubject) -> Result<()> {
        sign_in_log::Entity::delete_many()
            .filter(sign_in_log::Column::CustomerId.eq(subject.customer_id))
            .exec(txn)
            .await?;
        Ok(())
    }
}
