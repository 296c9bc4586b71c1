//! Reading events back: a customer's timeline, newest first.

use chrono::{DateTime, Utc};
use clientele_kernel::acting::Actor;
use clientele_kernel::{Error, Result};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::entity::event;
use crate::kind::EventType;
use crate::record::Change;

/// Most events one timeline page holds.
pub const MAX_TIMELINE_PAGE: u64 = 200;

/// A recorded event.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Its id (UUID v7): later events have greater ids.
    pub id: Uuid,
    /// What happened, such as `customer.updated`.
    pub event_type: String,
    /// When it happened.
    pub occurred_at: DateTime<Utc>,
    /// The customer it happened to; `None` for events about no customer.
    pub customer_id: Option<i32>,
    /// The customer's website.
    pub website_id: Option<i32>,
    /// Who made the change.
    pub actor: Actor,
    /// The fields that changed.
    pub changes: Vec<Change>,
    /// Ids and facts besides the changes.
    pub data: Map<String, Value>,
    /// The request that made the change.
    pub request_id: Option<String>,
}

impl From<event::Model> for Event {
    fn from(row: event::Model) -> Self {
        let actor = serde_json::from_value(row.actor).unwrap_or_else(|error| {
            tracing::error!(%error, event = %row.id, "an event's actor cannot be read");
            Actor::System
        });
        Self {
            id: row.id,
            event_type: row.event_type,
            occurred_at: row.occurred_at,
            customer_id: (row.customer_id != 0).then_some(row.customer_id),
            website_id: row.website_id,
            actor,
            changes: serde_json::from_value(row.changes).unwrap_or_default(),
            data: match row.data {
                Value::Object(data) => data,
                _ => Map::new(),
            },
            request_id: row.request_id,
        }
    }
}

/// One page of a timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelinePage {
    /// The events, newest first.
    pub events: Vec<Event>,
    /// Whether older events follow.
    pub has_older: bool,
}

/// The events of one customer, read back.
#[derive(Clone)]
pub struct EventLog {
    db: DatabaseConnection,
}

impl EventLog {
    /// The event log over `db`.
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    /// Customer `customer_id`'s events of `types` (every type when empty), newest first: the
    /// `first` events older than event `before` (from the newest when `None`).
    pub async fn timeline(
        &self,
        customer_id: i32,
        types: &[EventType],
        first: u64,
        before: Option<Uuid>,
    ) -> Result<TimelinePage> {
        if first == 0 || first > MAX_TIMELINE_PAGE {
            return Err(Error::invalid(
                "first",
                format!("Ask for 1 to {MAX_TIMELINE_PAGE} events."),
            ));
        }
        // Customer 0 holds the events about no customer; it is no one's timeline.
        if customer_id <= 0 {
            return Ok(TimelinePage {
                events: Vec::new(),
                has_older: false,
            });
        }
        let mut select = event::Entity::find()
            .filter(event::Column::CustomerId.eq(customer_id))
            .order_by_desc(event::Column::Id)
            .limit(first + 1);
        if !types.is_empty() {
            select =
                select.filter(event::Column::EventType.is_in(types.iter().map(|kind| kind.name())));
        }
        if let Some(before) = before {
            select = select.filter(event::Column::Id.lt(before));
        }
        let mut rows = select.all(&self.db).await?;
        let has_older = rows.len() as u64 > first;
        rows.truncate(first as usize);
        Ok(TimelinePage {
            events: rows.into_iter().map(Event::from).collect(),
            has_older,
        })
    }
}
