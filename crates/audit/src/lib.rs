//! The staff audit log: who (a staff user or an integration) did what (an admin operation: a
//! change, a read of personal data, an export), to which records, with what outcome, from which
//! address, in which request. Lines are appended and read back page by page; the database refuses
//! to change them, and to delete them before the shortest retention (see the migration), so the
//! only deletion is the retention purge of old lines.

mod entity;
mod log;

pub use log::{
    ActionFilter, ActionKind, ActionPage, AdminAction, AuditLog, Caller, MAX_ACTIONS_PAGE,
    MIN_RETENTION_DAYS, NewAdminAction, Outcome,
};

#[cfg(test)]
mod tests;
