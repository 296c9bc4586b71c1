//! Recording events: each in the transaction of the change it describes, so an event exists
//! exactly when its change committed.

use std::sync::Mutex;

use chrono::{DateTime, Utc};
use clientele_kernel::Result;
use clientele_kernel::acting::{self, Actor};
use clientele_kernel::bulk::insert_in_chunks;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{ConnectionTrait, IntoActiveModel};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::{ContextV7, Timestamp, Uuid};

use crate::entity::{event, publication};
use crate::kind::EventType;

/// Rows per insert: ten parameters each, well below both databases' limits.
const ROWS_PER_INSERT: usize = 2_000;

/// One field's change: its value before and after. Secrets (password hashes, tokens, codes)
/// never appear; their events say that they changed, not what to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The field, as the customer record names it (`firstname`, `group_id`).
    pub field: String,
    /// The value before; null when there was none.
    pub old: Value,
    /// The value after; null when there is none.
    pub new: Value,
}

/// The changes between two states of one record, field by field, in the order of the fields'
/// names. Both must serialize to JSON objects (an empty map for "nothing before"); the fields
/// `include` refuses are left out.
pub fn changes_between<B: Serialize, A: Serialize>(
    before: &B,
    after: &A,
    include: impl Fn(&str) -> bool,
) -> Vec<Change> {
    let (Ok(Value::Object(before)), Ok(Value::Object(after))) =
        (serde_json::to_value(before), serde_json::to_value(after))
    else {
        return Vec::new();
    };
    after
        .into_iter()
        .filter(|(field, _)| include(field))
        .filter_map(|(field, new)| {
            let old = before.get(&field).cloned().unwrap_or(Value::Null);
            (old != new).then_some(Change { field, old, new })
        })
        .collect()
}

/// An event to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    /// What happened.
    pub event_type: EventType,
    /// The customer it happened to; `None` for events about no customer (groups).
    pub customer_id: Option<i32>,
    /// The customer's website.
    pub website_id: Option<i32>,
    /// The fields that changed.
    pub changes: Vec<Change>,
    /// The ids and facts a consumer needs besides the changes (`address_id`, `group_id`).
    pub data: Map<String, Value>,
    /// Who made the change, when not the actor of the work running now (an import row).
    pub actor: Option<Actor>,
}

impl NewEvent {
    /// An event about customer `customer_id` of `website_id`.
    pub fn about_customer(event_type: EventType, customer_id: i32, website_id: i32) -> Self {
        Self {
            event_type,
            customer_id: Some(customer_id),
            website_id: Some(website_id),
            changes: Vec::new(),
            data: Map::new(),
            actor: None,
        }
    }

    /// An event about no customer in particular.
    pub fn general(event_type: EventType) -> Self {
        Self {
            event_type,
            customer_id: None,
            website_id: None,
            changes: Vec::new(),
            data: Map::new(),
            actor: None,
        }
    }

    /// The event with these changes.
    pub fn with_changes(mut self, changes: Vec<Change>) -> Self {
        self.changes = changes;
        self
    }

    /// The event with `key` set to `value` in its data.
    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.data.insert(key.to_owned(), value.into());
        self
    }

    /// The event as made by `actor`.
    pub fn by(mut self, actor: Actor) -> Self {
        self.actor = Some(actor);
        self
    }
}

/// The clock sequence of event ids: ids made in one process sort in the order they were made,
/// even within one millisecond or when the clock steps back.
static SEQUENCE: Mutex<ContextV7> = Mutex::new(ContextV7::new());

/// A time-ordered id for an event that occurs at `at`.
fn event_id(at: DateTime<Utc>) -> Uuid {
    let seconds = u64::try_from(at.timestamp()).unwrap_or(0);
    Uuid::new_v7(Timestamp::from_unix(
        &SEQUENCE,
        seconds,
        at.timestamp_subsec_nanos(),
    ))
}

/// Records `events` as occurring at `now`, on `db`: the transaction that makes their changes.
/// Each event's actor is its own or that of the work running now; the request id is the
/// current request's.
pub async fn record(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    events: Vec<NewEvent>,
) -> Result<()> {
    if events.is_empty() {
        return Ok(());
    }
    let acting = acting::current();
    let mut rows = Vec::with_capacity(events.len());
    let mut queued = Vec::with_capacity(events.len());
    for event in events {
        let actor = event.actor.unwrap_or_else(|| acting.actor.clone());
        let id = event_id(now);
        let customer_id = event.customer_id.unwrap_or(0);
        queued.push(publication::ActiveModel {
            seq: NotSet,
            customer_id: Set(customer_id),
            event_id: Set(id),
            event_type: Set(event.event_type.name().to_owned()),
        });
        rows.push(
            event::Model {
                customer_id,
                id,
                website_id: event.website_id,
                event_type: event.event_type.name().to_owned(),
                occurred_at: now,
                actor_type: actor.kind().to_owned(),
                actor: serde_json::to_value(&actor).unwrap_or(Value::Null),
                changes: serde_json::to_value(&event.changes).unwrap_or(Value::Null),
                data: Value::Object(event.data),
                request_id: acting.request_id.clone(),
            }
            .into_active_model(),
        );
    }
    insert_in_chunks(db, rows, ROWS_PER_INSERT).await?;
    // Queued in recording order, so the dispatcher hands each customer's events on in order.
    insert_in_chunks(db, queued, ROWS_PER_INSERT).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Record {
        firstname: String,
        group_id: i32,
        secret: String,
    }

    #[test]
    fn changes_are_the_fields_that_differ_without_the_ones_left_out() {
        let before = Record {
            firstname: "Ann".into(),
            group_id: 1,
            secret: "a".into(),
        };
        let after = Record {
            firstname: "Anne".into(),
            group_id: 1,
            secret: "b".into(),
        };
        assert_eq!(
            changes_between(&before, &after, |field| field != "secret"),
            vec![Change {
                field: "firstname".into(),
                old: "Ann".into(),
                new: "Anne".into(),
            }]
        );
    }

    #[test]
    fn ids_made_in_one_instant_or_after_the_clock_steps_back_still_sort_in_order() {
        let at = DateTime::<Utc>::from_timestamp(1_800_000_000, 0).expect("time");
        let earlier = at - chrono::Duration::minutes(5);
        let ids = [event_id(at), event_id(at), event_id(earlier), event_id(at)];
        assert!(ids.windows(2).all(|pair| pair[0] < pair[1]), "{ids:?}");
    }
}
