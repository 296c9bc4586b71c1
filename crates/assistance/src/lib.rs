//! Login as Customer (remote shopping assistance): a staff user whose role allows it signs in as a
//! customer who has consented, while the feature is enabled. The token they get is a customer
//! token that names them (`admin_id`, `act`), lives shorter, ends with their staff session or the
//! customer's consent, and may not change credentials or consent. One-time codes let a storefront
//! open such a session. Every session, code and change made in one is written to an append-only
//! log.

mod audit;
mod entity;
mod model;
mod personal;
mod service;

pub use audit::{LogEntry, LogFilter, LogResult, LogSort, LogSortField};
pub use model::{
    Assistant, AssistedSession, AssistedSignIn, OneTimeCode, Refusal, StoreChoice, Target,
    is_one_time_code,
};
pub use personal::AssistanceLogData;
pub use service::AssistanceService;

#[cfg(test)]
mod tests;
