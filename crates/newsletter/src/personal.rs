//! A person's newsletter subscriptions, for the export of their data and their erasure: those of
//! their account and those made as a guest with any of their addresses.

use async_trait::async_trait;
use clientele_kernel::Result;
use clientele_kernel::personal_data::{DataSubject, PersonalData};
use sea_orm::{ColumnTrait, Condition, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

use crate::entity::subscriber;
use crate::status::SubscriptionStatus;

/// The newsletter's share of a person's data.
pub struct SubscriptionData;

/// The account's subscriptions, and those made as a guest with the person's addresses (never
/// another account's).
fn of_subject(subject: &DataSubject) -> Condition {
    Condition::any()
        .add(subscriber::Column::CustomerId.eq(subject.customer_id))
        .add(
            Condition::all()
                .add(subscriber::Column::CustomerId.is_null())
                .add(subscriber::Column::EmailKey.is_in(subject.emails.clone())),
        )
}

#[async_trait]
impl PersonalData for SubscriptionData {
    fn section(&self) -> &'static str {
        "newsletter"
    }

    async fn export(
        &self,
        txn: &DatabaseTransaction,
        subject: &DataSubject,
    ) -> Result<Option<Value>> {
        let rows = subscriber::Entity::find()
            .filter(of_subject(subject))
            .order_by_asc(subscriber::Column::Id)
            .all(txn)
            .await?;
        let subscriptions = rows
            .into_iter()
            .map(|row| {
                let status = match SubscriptionStatus::from_code(row.status) {
                    SubscriptionStatus::Subscribed => "SUBSCRIBED",
                    SubscriptionStatus::NotActive => "NOT_ACTIVE",
                    SubscriptionStatus::Unsubscribed => "UNSUBSCRIBED",
                    SubscriptionStatus::Unconfirmed => "UNCONFIRMED",
                };
                json!({
                    "store_id": row.store_id,
                    "email": row.email,
                    "status": status,
                    "as_guest": row.customer_id.is_none(),
                    "created_at": row.created_at.to_rfc3339(),
                    "changed_at": row.changed_at.to_rfc3339(),
                })
            })
            .collect();
        Ok(Some(Value::Array(subscriptions)))
    }

    async fn erase(&self, txn: &DatabaseTransaction, subject: &DataSubject) -> Result<()> {
        subscriber::Entity::delete_many()
            .filter(of_subject(subject))
            .exec(txn)
            .await?;
        Ok(())
    }
}
