//! What an import is asked to do, how it is followed and stopped, and what it reports: Adobe
//! Commerce's import options (entity, behaviour, validation strategy, allowed error count) under
//! one set of names, used by every API and stored with each job.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use clientele_kernel::Error;

/// Which file is imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportEntity {
    /// Customers Main File.
    Customers,
    /// Customer Addresses.
    Addresses,
}

/// What the rows do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportBehavior {
    /// New records are added; existing ones get the non-empty cells of their row.
    AddUpdate,
    /// Existing records are overwritten with their row (empty cells clear values); new ones added.
    Replace,
    /// The records named by the rows are deleted.
    Delete,
}

/// How bad rows are treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValidationStrategy {
    /// Any bad row refuses the whole file.
    StopOnError,
    /// Bad rows are skipped, unless there are more than the allowed error count.
    SkipErrors,
}

/// Gives each option value one name, Adobe Commerce's, used by every API and in the database.
macro_rules! option_names {
    ($kind:ty { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $kind {
            /// Its name (`snake_case`, as Adobe Commerce spells it).
            pub fn name(self) -> &'static str {
                match self {
                    $(Self::$variant => $name),+
                }
            }

            /// The value of a name, if it is one.
            pub fn from_name(name: &str) -> Option<Self> {
                match name {
                    $($name => Some(Self::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

option_names!(ImportEntity { Customers => "customer", Addresses => "customer_address" });
option_names!(ImportBehavior { AddUpdate => "add_update", Replace => "replace", Delete => "delete" });
option_names!(ValidationStrategy { StopOnError => "stop_on_error", SkipErrors => "skip_errors" });

/// Options of one import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Which file.
    pub entity: ImportEntity,
    /// What the rows do.
    pub behavior: ImportBehavior,
    /// How bad rows are treated.
    pub strategy: ValidationStrategy,
    /// Bad rows tolerated with `SkipErrors` (Adobe Commerce's default is 10).
    pub allowed_errors: u64,
    /// Validate only: report what would happen and write nothing.
    pub dry_run: bool,
    /// Websites the importing role covers (`None`: all); rows of other websites are refused.
    pub websites: Option<Vec<i32>>,
}

/// The cell value that clears an attribute in add/update mode (Adobe Commerce's default).
pub const EMPTY_VALUE: &str = "__EMPTY__VALUE__";

/// Most row errors listed in a report; the count covers all of them.
pub const MAX_LISTED_ERRORS: usize = 1000;

/// Rows read and written per round trip.
pub const BATCH: usize = 1000;

/// Follows a running import and stops it: rows read so far, cancellation, and the node's
/// shutdown. Clones share their state.
#[derive(Debug, Clone, Default)]
pub struct ImportControl {
    state: Arc<ControlState>,
}

#[derive(Debug, Default)]
struct ControlState {
    rows_read: AtomicU64,
    cancelled: AtomicBool,
    stopped: AtomicBool,
}

impl ImportControl {
    /// Data rows read so far.
    pub fn rows_read(&self) -> u64 {
        self.state.rows_read.load(Ordering::Relaxed)
    }

    /// Asks the import to stop and write nothing.
    pub fn cancel(&self) {
        self.state.cancelled.store(true, Ordering::Relaxed);
    }

    /// Whether the import was asked to stop and write nothing.
    pub fn is_cancelled(&self) -> bool {
        self.state.cancelled.load(Ordering::Relaxed)
    }

    /// Asks the import to stop, write nothing and put its job back in the queue for another run
    /// (its node is stopping).
    pub fn stop(&self) {
        self.state.stopped.store(true, Ordering::Relaxed);
    }

    /// Whether the import was asked to put its job back.
    pub fn is_stopped(&self) -> bool {
        self.state.stopped.load(Ordering::Relaxed)
    }

    /// Records the data rows read so far.
    pub fn read(&self, rows: u64) {
        self.state.rows_read.store(rows, Ordering::Relaxed);
    }
}

/// A bad row.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RowError {
    /// Line of the file (the header is line 1).
    pub line: u64,
    /// Column at fault, when one is.
    pub column: Option<String>,
    /// Why the row was refused.
    pub message: String,
}

/// Records an import adds, changes and deletes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ImportCounts {
    /// Records added.
    pub created: u64,
    /// Records changed.
    pub updated: u64,
    /// Records deleted.
    pub deleted: u64,
}

/// What an import did, and what its rows would do.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ImportReport {
    /// Data rows read.
    pub rows: u64,
    /// Records added: none unless `committed`.
    pub created: u64,
    /// Records changed: none unless `committed`.
    pub updated: u64,
    /// Records deleted: none unless `committed`.
    pub deleted: u64,
    /// What the file's valid rows add, change and delete: what was written when `committed`,
    /// otherwise what writing them would have done (a dry run, a refused file).
    pub planned: ImportCounts,
    /// Bad rows left out.
    pub skipped: u64,
    /// Bad rows in all.
    pub error_count: u64,
    /// The first bad rows, with the reason.
    pub errors: Vec<RowError>,
    /// Whether the changes were written.
    pub committed: bool,
}

impl ImportReport {
    /// Whether the file was refused for its bad rows (more than the strategy tolerates).
    pub fn refused(&self) -> bool {
        self.error_count > self.skipped
    }

    /// Counts a bad row, listing it among the first ones.
    pub fn refuse_row(&mut self, line: u64, error: Error) {
        self.error_count += 1;
        if self.errors.len() < MAX_LISTED_ERRORS {
            let (column, message) = match error {
                Error::Invalid { field, message, .. } => (Some(field), message),
                other => (None, other.to_string()),
            };
            self.errors.push(RowError {
                line,
                column,
                message,
            });
        }
    }
}

impl ImportOptions {
    /// Whether `report`'s bad rows refuse the file under this strategy.
    pub fn refuses(&self, report: &ImportReport) -> bool {
        match self.strategy {
            ValidationStrategy::StopOnError => report.error_count > 0,
            ValidationStrategy::SkipErrors => report.error_count > self.allowed_errors,
        }
    }
}
