//! Fan-out: takes recorded events off the events' publication queue and queues one delivery per
//! webhook that receives each, in one transaction, so an event is fanned out exactly once. One
//! dispatcher works at a time (an advisory lock on PostgreSQL; SQLite has one writer), so the
//! deliveries of one customer are queued in the order their events were recorded.

use chrono::{DateTime, SecondsFormat, Utc};
use clientele_events::{Event, Taken, take_unpublished, unpublished_waiting};
use clientele_kernel::Result;
use clientele_kernel::bulk::insert_in_chunks;
use clientele_kernel::db::begin_write;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, QueryFilter,
    Statement,
};
use serde_json::{Value, json};

use crate::delivery::{Carried, pending};
use crate::entity::webhook;
use crate::model::{Webhook, WebhookStatus};

/// The advisory lock key of the dispatcher (`clientele-webhooks` in ASCII, folded).
pub(crate) const DISPATCH_LOCK: i64 = 0x636c_6965_6e74_656c;

/// Deliveries per insert: 18 parameters each, within both databases' limits.
const ROWS_PER_INSERT: usize = 1_000;

/// Fans out up to `limit` events at `now`; returns how many events were taken (0 when another
/// node is dispatching or nothing waits).
pub(crate) async fn dispatch_once(
    db: &DatabaseConnection,
    limit: u64,
    now: DateTime<Utc>,
) -> Result<usize> {
    if !unpublished_waiting(db).await? {
        return Ok(0);
    }
    let txn = begin_write(db).await?;
    if txn.get_database_backend() == DbBackend::Postgres {
        let row = txn
            .query_one_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT pg_try_advisory_xact_lock($1) AS taken",
                [DISPATCH_LOCK.into()],
            ))
            .await?;
        let taken = row
            .map(|r| r.try_get::<bool>("", "taken"))
            .transpose()?
            .unwrap_or(false);
        if !taken {
            return Ok(0);
        }
    }
    let hooks: Vec<Webhook> = webhook::Entity::find()
        .filter(webhook::Column::Status.eq(WebhookStatus::Enabled.stored()))
        .all(&txn)
        .await?
        .into_iter()
        .map(Webhook::from)
        .collect();
    // Events no webhook wants leave the queue unread.
    let wanted = |event_type: &str| {
        hooks
            .iter()
            .any(|hook| hook.event_types.iter().any(|t| t == event_type))
    };
    let Taken { count, events } = take_unpublished(&txn, limit, wanted).await?;
    if count == 0 {
        return Ok(0);
    }
    let mut rows = Vec::new();
    for event in &events {
        let receivers: Vec<&Webhook> = hooks
            .iter()
            .filter(|hook| hook.receives(&event.event_type, event.website_id))
            .collect();
        if receivers.is_empty() {
            continue;
        }
        let body = body(event);
        for hook in receivers {
            let carried = Carried {
                event_id: event.id,
                event_type: event.event_type.clone(),
                customer_id: event.customer_id.unwrap_or(0),
                website_id: event.website_id,
                occurred_at: event.occurred_at,
                body: body.clone(),
            };
            rows.push(pending(hook.id, carried, now));
        }
    }
    let queued = rows.len();
    insert_in_chunks(&txn, rows, ROWS_PER_INSERT).await?;
    txn.commit().await?;
    if queued > 0 {
        tracing::debug!(
            events = count,
            deliveries = queued,
            "events fanned out to webhooks"
        );
    }
    Ok(count)
}

/// The JSON body of an event's deliveries, as the Standard Webhooks specification shapes it:
/// `type`, `timestamp` (when it happened) and `data`, the event as the admin timeline shows it.
pub fn body(event: &Event) -> String {
    let occurred_at = event
        .occurred_at
        .to_rfc3339_opts(SecondsFormat::Millis, true);
    let changes: Vec<Value> = event
        .changes
        .iter()
        .map(|change| {
            json!({"field": change.field, "old_value": change.old, "new_value": change.new})
        })
        .collect();
    json!({
        "type": event.event_type,
        "timestamp": occurred_at,
        "data": {
            "id": event.id,
            "type": event.event_type,
            "occurred_at": occurred_at,
            "customer_id": event.customer_id,
            "website_id": event.website_id,
            "actor": event.actor,
            "changes": changes,
            "data": event.data,
            "request_id": event.request_id,
        }
    })
    .to_string()
}
