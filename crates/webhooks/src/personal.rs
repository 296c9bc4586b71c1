//! A person's webhook deliveries, for their erasure: each delivery about them stays (pending ones
//! still go out, so consumers learn of the erasure in order), but its body loses the values the
//! changes carried, and the receiver's answer (which may echo them) is dropped.

use async_trait::async_trait;
use clientele_kernel::Result;
use clientele_kernel::personal_data::{DataSubject, PersonalData};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait, QueryFilter,
    Statement,
};
use serde_json::Value;

use crate::dispatch::DISPATCH_LOCK;
use crate::entity::delivery;

/// The webhook deliveries' share of a person's data.
pub struct DeliveryData;

#[async_trait]
impl PersonalData for DeliveryData {
    fn section(&self) -> &'static str {
        "webhook_deliveries"
    }

    /// Deliveries are copies of the timeline's events, which the export already holds.
    async fn export(
        &self,
        _txn: &DatabaseTransaction,
        _subject: &DataSubject,
    ) -> Result<Option<Value>> {
        Ok(None)
    }

    async fn erase(&self, txn: &DatabaseTransaction, subject: &DataSubject) -> Result<()> {
        // A dispatcher that read the person's events before the erasure must not write their
        // deliveries after it: wait for it, and keep the next one out until this commits (on
        // SQLite both are write transactions, one at a time already).
        if txn.get_database_backend() == DbBackend::Postgres {
            txn.execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT pg_advisory_xact_lock($1)",
                [DISPATCH_LOCK.into()],
            ))
            .await?;
        }
        let rows = delivery::Entity::find()
            .filter(delivery::Column::CustomerId.eq(subject.customer_id))
            .all(txn)
            .await?;
        for row in rows {
            delivery::Entity::update_many()
                .set(delivery::ActiveModel {
                    body: Set(scrub_body(&row.body)),
                    last_response_body: Set(None),
                    ..Default::default()
                })
                .filter(delivery::Column::Id.eq(row.id))
                .exec(txn)
                .await?;
        }
        Ok(())
    }
}

/// A delivery body with the values of its changes removed; a body that cannot be read is
/// replaced by an empty object rather than kept.
fn scrub_body(body: &str) -> String {
    let Ok(mut body) = serde_json::from_str::<Value>(body) else {
        return "{}".to_owned();
    };
    if let Some(Value::Array(changes)) = body.pointer_mut("/data/changes") {
        for change in changes {
            if let Value::Object(fields) = change {
                for side in ["old_value", "new_value"] {
                    if let Some(value) = fields.get_mut(side) {
                        *value = Value::Null;
                    }
                }
            }
        }
    }
    body.to_string()
}

#[cfg(test)]
mod tests {
    use super::scrub_body;
    use serde_json::{Value, json};

    #[test]
    fn a_scrubbed_body_keeps_its_event_and_loses_the_changed_values() {
        let body = json!({"type": "customer.updated", "data": {"id": "e1", "customer_id": 4,
            "changes": [{"field": "lastname", "old_value": "Lee", "new_value": "Li"}]}});
        let scrubbed: Value = serde_json::from_str(&scrub_body(&body.to_string())).expect("json");
        assert_eq!(scrubbed["data"]["customer_id"], 4);
        assert_eq!(
            scrubbed["data"]["changes"],
            json!([{"field": "lastname", "old_value": null, "new_value": null}])
        );
        assert_eq!(scrub_body("not json"), "{}");
    }
}
