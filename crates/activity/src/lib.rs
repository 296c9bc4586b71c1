//! Customer activity: when each customer last signed in, signed out and was active (the sign-in
//! record), the storefront's visitors, and the Now Online grid over both.
//!
//! This crate owns the `customer_log` and `visitors` tables. Sign-in and sign-out write the
//! record inside their own transaction through [`record_sign_in`] and [`record_sign_out`]; Now
//! Online reads the accounts' names through the [`AccountDirectory`] port.

mod entity;
mod online;
mod personal;
mod record;

pub use online::{
    AccountDirectory, Active, IssuedVisitor, NowOnline, OnlineEntry, OnlineKind, OnlineQuery,
    OnlineSort, OnlineSortField, VISITOR_AUDIENCE,
};
pub use personal::SignInData;
pub use record::{SignInRecord, record_sign_in, record_sign_out};
