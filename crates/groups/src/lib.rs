//! Customer groups and customer tax classes. A group decides which discounts and which tax class
//! apply to its customers, and can exclude websites (its customers cannot sign in there).
//!
//! Seeded: tax class 3 `Retail Customer`; groups 0 `NOT LOGGED IN`, 1 `General`, 2 `Wholesale`,
//! 3 `Retailer`. Group 0 and every group configured as a default group cannot be deleted.

mod entity;
mod events;
mod model;
mod references;
mod service;

pub use model::{
    CustomerGroup, GroupFilter, GroupPatch, GroupSort, GroupSortField, NOT_LOGGED_IN_ID, NewGroup,
    TaxClass,
};
pub use references::GroupReferenceChecker;
pub use service::{GroupDeletionHook, GroupService};

#[cfg(test)]
mod tests;
