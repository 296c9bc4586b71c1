//! Import of Adobe Commerce's "Customers Main File" and "Customer Addresses" CSV files, so stores
//! can move over from Magento. Behaviours: add/update, replace, delete. Validation strategies:
//! stop on the first error, or skip bad rows while they stay within the allowed error count.
//!
//! The whole file is applied in one transaction: when the import fails or is refused, nothing of
//! it is written. A dry run validates every row against the database and writes nothing.

mod addresses;
mod columns;
mod customers;

use std::collections::HashMap;
use std::io::Read;

use clientele_groups::GroupReferenceChecker;
use clientele_kernel::db::begin_write;
use clientele_kernel::{Error, Result};
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend};

use super::BackOffice;

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
const BATCH: usize = 1000;

/// A bad row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// Line of the file (the header is line 1).
    pub line: u64,
    /// Column at fault, when one is.
    pub column: Option<String>,
    /// Why the row was refused.
    pub message: String,
}

/// Records an import adds, changes and deletes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportCounts {
    /// Records added.
    pub created: u64,
    /// Records changed.
    pub updated: u64,
    /// Records deleted.
    pub deleted: u64,
}

/// What an import did, and what its rows would do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
    fn refuse_row(&mut self, line: u64, error: Error) {
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

/// Facts every row is checked against, loaded once per import.
pub(crate) struct Directory {
    /// Website code → id.
    pub(crate) websites: HashMap<String, i32>,
    /// Store view code → (id, website id, name).
    pub(crate) views: HashMap<String, (i32, i32, String)>,
    /// Website id → its default store view (id, name).
    pub(crate) default_views: HashMap<i32, (i32, String)>,
    /// Existing customer group ids.
    pub(crate) groups: Vec<i32>,
}

impl Directory {
    /// The website of a `_website` cell, refused unless the importing role covers it.
    pub(crate) fn website(&self, code: &str, covered: Option<&[i32]>) -> Result<i32> {
        let id = *self.websites.get(code).ok_or_else(|| {
            Error::invalid(
                "_website",
                "Invalid value in Website column (website does not exist?)",
            )
        })?;
        if covered.is_some_and(|w| !w.contains(&id)) {
            return Err(Error::invalid(
                "_website",
                "Your role does not cover this website.",
            ));
        }
        Ok(id)
    }
}

impl BackOffice {
    /// Imports a CSV file, calling `progress` with the number of rows read so far.
    pub async fn import(
        &self,
        reader: impl Read + Send,
        options: &ImportOptions,
        progress: impl Fn(u64) + Send,
    ) -> Result<ImportReport> {
        let mut csv = csv::ReaderBuilder::new()
            .flexible(false)
            .trim(csv::Trim::None)
            .from_reader(reader);
        let headers: Vec<String> = csv
            .headers()
            .map_err(|e| Error::invalid("file", format!("The file is not valid CSV: {e}")))?
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').to_owned())
            .collect();
        // An empty body (a client that retried without resending its file, say) would otherwise
        // read as a header missing every required column.
        if headers.iter().all(String::is_empty) {
            return Err(Error::invalid(
                "file",
                "The file is empty: it has no header row.",
            ));
        }
        let directory = self.directory().await?;
        let txn = begin_import(&self.shared.db).await?;
        let mut report = ImportReport::default();
        let mut importer = match options.entity {
            ImportEntity::Customers => Importer::Customers(
                customers::CustomerRows::new(self, &txn, &headers, options).await?,
            ),
            ImportEntity::Addresses => Importer::Addresses(
                addresses::AddressRows::new(self, &txn, &headers, options).await?,
            ),
        };
        let mut batch = Vec::with_capacity(BATCH);
        let mut line = 1_u64;
        for record in csv.into_records() {
            line += 1;
            report.rows += 1;
            match record {
                Ok(record) => batch.push((line, record)),
                Err(e) => report.refuse_row(
                    line,
                    Error::invalid("file", format!("The row is not valid CSV: {e}")),
                ),
            }
            if batch.len() >= BATCH {
                importer
                    .apply(&txn, &directory, std::mem::take(&mut batch), &mut report)
                    .await?;
                progress(report.rows);
                if too_many_errors(options, &report) {
                    break;
                }
            }
        }
        if !batch.is_empty() && !too_many_errors(options, &report) {
            importer.apply(&txn, &directory, batch, &mut report).await?;
        }
        progress(report.rows);
        let refused = too_many_errors(options, &report);
        report.skipped = if refused { 0 } else { report.error_count };
        report.planned = ImportCounts {
            created: report.created,
            updated: report.updated,
            deleted: report.deleted,
        };
        if refused || options.dry_run {
            txn.rollback().await?;
            (report.created, report.updated, report.deleted) = (0, 0, 0);
        } else {
            merge_keyword_index(&txn).await?;
            txn.commit().await?;
            report.committed = true;
        }
        tracing::info!(
            rows = report.rows,
            created = report.created,
            updated = report.updated,
            deleted = report.deleted,
            errors = report.error_count,
            committed = report.committed,
            "import finished"
        );
        Ok(report)
    }

    async fn directory(&self) -> Result<Directory> {
        let websites = self.shared.stores.websites().await?;
        let views = self.shared.stores.views().await?;
        let groups = self.shared.stores.groups().await?;
        let mut default_views = HashMap::new();
        for website in &websites {
            let default_view = website
                .default_group_id
                .and_then(|g| groups.iter().find(|sg| sg.id == g))
                .and_then(|g| g.default_store_id)
                .and_then(|v| views.iter().find(|view| view.id == v));
            if let Some(view) = default_view {
                default_views.insert(website.id, (view.id, view.name.clone()));
            }
        }
        let customer_groups = GroupReferenceChecker::new(self.shared.db.clone())
            .ids()
            .await?
            .into_iter()
            .collect();
        Ok(Directory {
            websites: websites.iter().map(|w| (w.code.clone(), w.id)).collect(),
            views: views
                .iter()
                .map(|v| (v.code.clone(), (v.id, v.website_id, v.name.clone())))
                .collect(),
            default_views,
            groups: customer_groups,
        })
    }
}

fn too_many_errors(options: &ImportOptions, report: &ImportReport) -> bool {
    match options.strategy {
        ValidationStrategy::StopOnError => report.error_count > 0,
        ValidationStrategy::SkipErrors => report.error_count > options.allowed_errors,
    }
}

enum Importer<'a> {
    Customers(customers::CustomerRows<'a>),
    Addresses(addresses::AddressRows<'a>),
}

impl Importer<'_> {
    async fn apply(
        &mut self,
        txn: &Txn,
        directory: &Directory,
        rows: Vec<(u64, csv::StringRecord)>,
        report: &mut ImportReport,
    ) -> Result<()> {
        match self {
            Importer::Customers(c) => c.apply(txn, directory, rows, report).await,
            Importer::Addresses(a) => a.apply(txn, directory, rows, report).await,
        }
    }
}

/// The accounts of a batch's email keys, by (email scope, email key), locked until the import
/// commits so sign-ins and edits wait instead of making the import's whole-row writes stale.
/// The lock leaves the key alone (`FOR NO KEY UPDATE`), so rows that merely refer to these
/// customers (sessions, activity, log lines) can still be written meanwhile.
pub(crate) async fn lock_accounts(
    txn: &Txn,
    keys: Vec<String>,
) -> Result<HashMap<(i32, String), crate::entity::customer::Model>> {
    if keys.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(
        through_indexes(txn, crate::decode::all_customers(txn, accounts_query(keys)))
            .await?
            .into_iter()
            .map(|m| ((m.email_scope_id, m.email_key.clone()), m))
            .collect(),
    )
}

/// The accounts of `keys`, locked; see [`lock_accounts`].
pub(crate) fn accounts_query(
    keys: Vec<String>,
) -> sea_orm::Select<crate::entity::customer::Entity> {
    use crate::entity::customer;
    use sea_orm::sea_query::LockType;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
    customer::Entity::find()
        .filter(customer::Column::EmailKey.is_in(keys))
        .lock(LockType::NoKeyUpdate)
}

/// Opens the transaction an import runs in, set up for bulk work.
pub(crate) async fn begin_import(db: &sea_orm::DatabaseConnection) -> Result<DatabaseTransaction> {
    let txn = begin_write(db).await?;
    defer_keyword_index(&txn).await?;
    Ok(txn)
}

/// Runs a batch's lookup by keys (up to a thousand at once) through the indexes, whatever the
/// statistics say. Without statistics (a table never analysed, as in a first import into a new
/// database), PostgreSQL estimates a thousand-key list to match the whole table and scans it for
/// every batch, which made a first import quadratic: 100,000 new customers took 81-154 s instead
/// of 9 s. Sequential scans are off for the lookup alone: the writes that follow are planned as
/// usual (with scans off for the whole transaction, a file of deletes ran four times slower).
pub(crate) async fn through_indexes<T>(
    txn: &Txn,
    lookup: impl std::future::Future<Output = std::result::Result<T, sea_orm::DbErr>>,
) -> Result<T> {
    let postgres = txn.get_database_backend() == DbBackend::Postgres;
    if postgres {
        txn.execute_unprepared("SET LOCAL enable_seqscan = off")
            .await?;
    }
    let found = lookup.await?;
    if postgres {
        txn.execute_unprepared("SET LOCAL enable_seqscan TO DEFAULT")
            .await?;
    }
    Ok(found)
}

/// Keeps the transaction type nameable by the row modules.
pub(crate) type Txn = DatabaseTransaction;

/// The trigram index of the grid's keyword and email search (PostgreSQL only).
const KEYWORD_INDEX: &str = "ix_customers_search_trgm";

/// Lets the import's rows queue in the trigram index's pending list (up to 64 MB) instead of
/// being merged one by one: maintaining that GIN index row by row is most of the cost of a bulk
/// insert. Only this transaction is affected.
async fn defer_keyword_index(txn: &DatabaseTransaction) -> Result<()> {
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.execute_unprepared("SET LOCAL gin_pending_list_limit = '64MB'")
            .await?;
    }
    Ok(())
}

/// Merges the queued entries into the trigram index in one pass before the commit, so keyword
/// search never scans a long pending list after an import.
async fn merge_keyword_index(txn: &DatabaseTransaction) -> Result<()> {
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.execute_unprepared(&format!(
            "SELECT gin_clean_pending_list(c.oid::regclass) FROM pg_class c \
             WHERE c.relkind = 'i' AND c.relname = '{KEYWORD_INDEX}'"
        ))
        .await?;
    }
    Ok(())
}
