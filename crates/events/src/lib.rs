//! Customer events: one record of every change to a customer and what hangs off it (addresses,
//! group, consents, sessions) and to customer groups, with who made it and in which request.
//! Domains record events in the transaction of their change ([`record`]), so an event exists
//! exactly when its change committed; the timeline reads them back ([`EventLog`]), and the
//! webhook dispatcher takes each off a queue written beside it ([`take_unpublished`]).

mod entity;
mod kind;
mod personal;
mod publication;
mod record;
mod timeline;

pub use kind::EventType;
pub use personal::{TimelineData, emails_of, scrub_changes};
pub use publication::{Taken, take_unpublished, unpublished_waiting};
pub use record::{Change, NewEvent, changes_between, record};
pub use timeline::{Event, EventLog, MAX_TIMELINE_PAGE, TimelinePage};

#[cfg(test)]
mod tests;
