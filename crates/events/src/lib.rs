//! Customer events: one record of every change to a customer and what hangs off it (addresses,
//! group, consents, sessions) and to customer groups, with who made it and in which request.
//! Domains record events in the transaction of their change ([`record`]), so an event exists
//! exactly when its change committed; the timeline reads them back ([`EventLog`]).

mod entity;
mod kind;
mod record;
mod timeline;

pub use kind::EventType;
pub use record::{Change, NewEvent, changes_between, record};
pub use timeline::{Event, EventLog, MAX_TIMELINE_PAGE, TimelinePage};

#[cfg(test)]
mod tests;
