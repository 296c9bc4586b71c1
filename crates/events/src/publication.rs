//! Handing recorded events on: every event is queued for publication in its own transaction, and
//! the one consumer (the webhook dispatcher) takes them off the queue in the order they were
//! recorded, in the transaction that fans them out, so each is handed on exactly once.

use clientele_kernel::Result;
use std::collections::HashMap;

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::entity::{event, publication};
use crate::timeline::Event;

/// What one take off the publication queue came to.
#[derive(Debug, Clone, PartialEq)]
pub struct Taken {
    /// How many events came off the queue.
    pub count: usize,
    /// Those of the types asked for, read back, oldest recorded first.
    pub events: Vec<Event>,
}

/// Takes up to `limit` events off the publication queue, oldest recorded first, on `db`: the
/// caller's transaction, so that they return to the queue if it rolls back. Only the events
/// whose type `wanted` accepts are read back; the others just leave the queue. Concurrent takers
/// must be kept apart by the caller (one dispatcher at a time).
pub async fn take_unpublished(
    db: &impl ConnectionTrait,
    limit: u64,
    wanted: impl Fn(&str) -> bool,
) -> Result<Taken> {
    let queued = publication::Entity::find()
        .order_by_asc(publication::Column::Seq)
        .limit(limit)
        .all(db)
        .await?;
    if queued.is_empty() {
        return Ok(Taken {
            count: 0,
            events: Vec::new(),
        });
    }
    // By the exact keys: a row with a lower `seq` that commits later is taken next time.
    publication::Entity::delete_many()
        .filter(publication::Column::Seq.is_in(queued.iter().map(|row| row.seq)))
        .exec(db)
        .await?;
    let read: Vec<&publication::Model> = queued
        .iter()
        .filter(|row| wanted(&row.event_type))
        .collect();
    let mut events = Vec::with_capacity(read.len());
    // By primary key, a bounded number at a time: each pair is one lookup in its index.
    for chunk in read.chunks(READ_PER_STATEMENT) {
        let keys = chunk.iter().fold(Condition::any(), |any, row| {
            any.add(
                Condition::all()
                    .add(event::Column::CustomerId.eq(row.customer_id))
                    .add(event::Column::Id.eq(row.event_id)),
            )
        });
        let rows = event::Entity::find().filter(keys).all(db).await?;
        let mut by_id: HashMap<_, _> = rows.into_iter().map(|row| (row.id, row)).collect();
        events.extend(
            chunk
                .iter()
                .filter_map(|row| by_id.remove(&row.event_id))
                .map(Event::from),
        );
    }
    Ok(Taken {
        count: queued.len(),
        events,
    })
}

/// Events read back per statement: two parameters each.
const READ_PER_STATEMENT: usize = 500;

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
