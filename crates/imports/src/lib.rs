//! Import jobs and the reading of import files. An upload is staged in the database in chunks
//! and queued as a job; any node claims it for a lease it renews while it works, follows its
//! progress, and can be asked to cancel it or put it back. What a job does with its file (which
//! tables it writes, in one transaction that also marks the job done) is its runner's: the
//! customers crate runs the Customers Main File and Customer Addresses imports. A job's passwords
//! can be hashed and kept before it writes anything.
//!
//! Also here: Adobe Commerce's import options and report, the reading of a CSV file on a thread
//! of its own, and the cell formats of Magento's import files.

pub mod columns;
mod entity;
mod jobs;
mod model;
pub mod parse;
mod passwords;
mod staging;
#[cfg(test)]
mod tests;

pub use jobs::{
    Claimed, Fence, Following, HeaderCheck, ImportJob, ImportJobs, JobState, RunEnd,
    cancel_requested, mark_applied,
};
pub use model::{
    BATCH, EMPTY_VALUE, ImportBehavior, ImportControl, ImportCounts, ImportEntity, ImportOptions,
    ImportReport, MAX_LISTED_ERRORS, RowError, ValidationStrategy,
};
pub use passwords::{hashed_through, password_hashes, store_password_hashes};
pub use staging::ImportUpload;
