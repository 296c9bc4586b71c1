//! A person's events, for the export of their data and their erasure: the events stay (the
//! timeline is an append-only record), but what they said the fields were and became does not.

use async_trait::async_trait;
use clientele_kernel::Result;
use clientele_kernel::personal_data::{DataSubject, PersonalData};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::{Value, json};

use crate::entity::event;
use crate::kind::EventType;
use crate::record::Change;

/// Every email address customer `customer_id`'s events show them with (before and after each
/// change of address), trimmed and lowercased: the addresses an erasure must also forget.
pub async fn emails_of(db: &impl ConnectionTrait, customer_id: i32) -> Result<Vec<String>> {
    let rows = event::Entity::find()
        .filter(event::Column::CustomerId.eq(customer_id))
        .filter(event::Column::EventType.is_in([
            EventType::EmailChanged.name(),
            EventType::CustomerCreated.name(),
        ]))
        .all(db)
        .await?;
    let mut emails: Vec<String> = rows
        .into_iter()
        .flat_map(|row| serde_json::from_value::<Vec<Change>>(row.changes).unwrap_or_default())
        .filter(|change| change.field == "email")
        .flat_map(|change| [change.old, change.new])
        .filter_map(|value| value.as_str().map(|email| email.trim().to_lowercase()))
        .collect();
    emails.sort_unstable();
    emails.dedup();
    Ok(emails)
}

/// The customer timeline's share of a person's data.
pub struct TimelineData;

#[async_trait]
impl PersonalData for TimelineData {
    fn section(&self) -> &'static str {
        "timeline"
    }

    async fn export(
        &self,
        txn: &DatabaseTransaction,
        subject: &DataSubject,
    ) -> Result<Option<Value>> {
        let rows = event::Entity::find()
            .filter(event::Column::CustomerId.eq(subject.customer_id))
            .order_by_asc(event::Column::Id)
            .all(txn)
            .await?;
        let events: Vec<Value> = rows
            .into_iter()
            .map(|row| {
                json!({
                    "id": row.id,
                    "type": row.event_type,
                    "occurred_at": row.occurred_at.to_rfc3339(),
                    "actor": row.actor,
                    "changes": row.changes,
                    "data": row.data,
                })
            })
            .collect();
        Ok(Some(Value::Array(events)))
    }

    async fn erase(&self, txn: &DatabaseTransaction, subject: &DataSubject) -> Result<()> {
        let rows = event::Entity::find()
            .filter(event::Column::CustomerId.eq(subject.customer_id))
            .all(txn)
            .await?;
        for row in rows {
            let scrubbed = scrub_changes(&row.changes);
            if scrubbed == row.changes {
                continue;
            }
            event::Entity::update_many()
                .set(event::ActiveModel {
                    changes: Set(scrubbed),
                    ..Default::default()
                })
                .filter(event::Column::CustomerId.eq(row.customer_id))
                .filter(event::Column::Id.eq(row.id))
                .exec(txn)
                .await?;
        }
        Ok(())
    }
}

/// `changes` (a JSON list of changes) with every value before and after removed: an erased
/// person's timeline still says which fields changed, and when, but not from what or to what.
pub fn scrub_changes(changes: &Value) -> Value {
    match changes {
        Value::Array(list) => Value::Array(
            list.iter()
                .map(|change| match change {
                    Value::Object(fields) => {
                        let mut fields = fields.clone();
                        for side in ["old", "new"] {
                            if let Some(value) = fields.get_mut(side) {
                                *value = Value::Null;
                            }
                        }
                        Value::Object(fields)
                    }
                    _ => Value::Null,
                })
                .collect(),
        ),
        _ => Value::Array(Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::scrub_changes;
    use serde_json::json;

    #[test]
    fn scrubbed_changes_keep_their_fields_and_lose_their_values() {
        let changes = json!([
            {"field": "firstname", "old": "Ann", "new": "Anne"},
            {"field": "group_id", "old": 1, "new": null}
        ]);
        assert_eq!(
            scrub_changes(&changes),
            json!([
                {"field": "firstname", "old": null, "new": null},
                {"field": "group_id", "old": null, "new": null}
            ])
        );
        assert_eq!(scrub_changes(&json!("junk")), json!([]));
    }
}
