//! Handing recorded events on: every event is queued for publication in its own transaction, and
//! the one consumer (the webhook dispatcher) takes them off the queue in the order they were
//! recorded, in the transaction that fans them out, so each is handed on exactly once.

use clientele_kernel::Result;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entity::{event, publication};
use crate::timeline::Event;

/// Takes up to `limit` events off the publication queue, oldest recorded first, on `db`: the
/// caller's transaction, so that they return to the queue if it rolls back. Concurrent takers
/// must be kept apart by the caller (one dispatcher at a time).
pub async fn take_unpublished(db: &impl ConnectionTrait, limit: u64) -> Result<Vec<Event>> {
    let queued = publication::Entity::find()
        .order_by_asc(publication::Column::Seq)
        .limit(limit)
        .all(db)
        .await?;
    if queued.is_empty() {
        return Ok(Vec::new());
    }
    // By the exact keys: a row with a lower `seq` that commits later is taken next time.
    publication::Entity::delete_many()
        .filter(publication::Column::Seq.is_in(queued.iter().map(|row| row.seq)))
        .exec(db)
        .await?;
    let mut customers: Vec<i32> = queued.iter().map(|row| row.customer_id).collect();
    customers.sort_unstable();
    customers.dedup();
    let rows = event::Entity::find()
        .filter(event::Column::CustomerId.is_in(customers))
        .filter(event::Column::Id.is_in(queued.iter().map(|row| row.event_id)))
        .all(db)
        .await?;
    let mut by_id: std::collections::HashMap<_, _> =
        rows.into_iter().map(|row| (row.id, row)).collect();
    Ok(queued
        .iter()
        .filter_map(|row| by_id.remove(&row.event_id))
        .map(Event::from)
        .collect())
}

/// Whether any event waits on the publication queue: a read that takes no lock, for a consumer
/// polling an idle queue.
pub async fn unpublished_waiting(db: &impl ConnectionTrait) -> Result<bool> {
    Ok(publication::Entity::find()
        .select_only()
        .column(publication::Column::Seq)
        .limit(1)
        .into_tuple::<i64>()
        .one(db)
        .await?
        .is_some())
}
