//! Shared kernel of Clientele: the error type every domain speaks, the clock, paging, and the database helpers
//! (connection set-up, write transactions, constraint classification) that all domain stores share.
//!
//! It knows nothing of HTTP or GraphQL.

pub mod acting;
pub mod bulk;
pub mod cache;
pub mod clock;
pub mod db;
pub mod error;
pub mod idempotency;
pub mod paging;
pub mod personal_data;
#[cfg(feature = "testing")]
pub mod testing;
pub mod text;

pub use clock::Clock;
pub use error::{Error, InternalContext, Result, Rule};
pub use paging::{MAX_PAGE_SIZE, Page, PageRequest};
