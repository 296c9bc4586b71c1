//! Import of Adobe Commerce's "Customers Main File" and "Customer Addresses" CSV files, so stores
//! can move over from Magento. Behaviours: add/update, replace, delete. Validation strategies:
//! stop on the first error, or skip bad rows while they stay within the allowed error count.
//!
//! The whole file is applied in one transaction: when the import fails or is refused, nothing of
//! it is written. A dry run validates every row against the database and writes nothing.

mod addresses;
mod customers;
mod jobs;
mod passwords;

use std::collections::HashMap;
use std::io::Read;

use clientele_imports::parse::{self, ParsedFile};
pub use clientele_imports::{
    EMPTY_VALUE, Fence, ImportBehavior, ImportControl, ImportCounts, ImportEntity, ImportOptions,
    ImportReport, MAX_LISTED_ERRORS, RowError, ValidationStrategy,
};

use clientele_customer_attributes::{AttributeEntity, load_catalog};
use clientele_groups::GroupReferenceChecker;
use clientele_kernel::db::{begin_write, is_citus};
use clientele_kernel::{Error, Result};
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend};

use super::BackOffice;

/// How an import ended.
#[derive(Debug)]
pub(crate) enum Applied {
    /// It ran to the end of the file (or to too many errors).
    Finished(ImportReport),
    /// It was cancelled; nothing was written.
    Cancelled,
    /// Its node is stopping (or another node took the job over); nothing was written.
    Stopped,
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
    /// Imports a CSV file at once, outside any job (for files small enough for one request);
    /// `control` follows its progress and can cancel it.
    pub async fn import(
        &self,
        reader: impl Read + Send + 'static,
        options: &ImportOptions,
        control: &ImportControl,
    ) -> Result<ImportReport> {
        match self
            .apply_file(Box::new(reader), options, control, None)
            .await?
        {
            Applied::Finished(report) => Ok(report),
            Applied::Cancelled | Applied::Stopped => {
                Err(Error::Conflict("The import was cancelled.".to_owned()))
            }
        }
    }

    /// Reads, checks and applies a file in one transaction. With `job`, the job's row is marked
    /// done in that same transaction, and only while the job is still this attempt's and not
    /// cancelled, so a job is applied once or not at all whatever happens to its node.
    pub(crate) async fn apply_file(
        &self,
        reader: Box<dyn Read + Send>,
        options: &ImportOptions,
        control: &ImportControl,
        job: Option<&Fence>,
    ) -> Result<Applied> {
        let mut file = ParsedFile::read(reader).await?;
        let headers = std::mem::take(&mut file.headers);
        let directory = self.directory().await?;
        let txn = begin_import(&self.shared.db).await?;
        let mut report = ImportReport::default();
        let mut importer = match options.entity {
            ImportEntity::Customers => Importer::Customers(
                customers::CustomerRows::new(self, &txn, &headers, options, job).await?,
            ),
            ImportEntity::Addresses => Importer::Addresses(
                addresses::AddressRows::new(self, &txn, &headers, options, job).await?,
            ),
        };
        while let Some(batch) = file.next_batch().await? {
            let mut valid = Vec::with_capacity(batch.len());
            for (line, record) in batch {
                report.rows += 1;
                match record {
                    Ok(record) => valid.push((line, record)),
                    Err(e) => report.refuse_row(
                        line,
                        Error::invalid("file", format!("The row is not valid CSV: {e}")),
                    ),
                }
            }
            importer.apply(&txn, &directory, valid, &mut report).await?;
            control.read(report.rows);
            if control.is_stopped() {
                txn.rollback().await?;
                return Ok(Applied::Stopped);
            }
            if control.is_cancelled() {
                txn.rollback().await?;
                return Ok(Applied::Cancelled);
            }
            if options.refuses(&report) {
                break;
            }
        }
        let refused = options.refuses(&report);
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
            report.committed = true;
            if let Some(fence) = job {
                let now = self.shared.clock.now();
                if !clientele_imports::mark_applied(&txn, fence, &report, now).await? {
                    txn.rollback().await?;
                    return Ok(
                        if clientele_imports::cancel_requested(&self.shared.db, fence).await? {
                            Applied::Cancelled
                        } else {
                            Applied::Stopped
                        },
                    );
                }
            }
            txn.commit().await?;
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
        Ok(Applied::Finished(report))
    }

    /// Checks a file's header as its import will: refused when it is empty, names an unknown
    /// column or misses a required one. Uploads are checked as soon as their header arrives.
    pub(crate) async fn check_header(
        &self,
        headers: &[String],
        options: &ImportOptions,
    ) -> Result<()> {
        parse::refuse_empty_header(headers)?;
        match options.entity {
            ImportEntity::Customers => {
                let catalog = load_catalog(&self.shared.db, AttributeEntity::Customer).await?;
                customers::columns(headers, options.behavior, &catalog)?;
            }
            ImportEntity::Addresses => {
                let catalog = load_catalog(&self.shared.db, AttributeEntity::Address).await?;
                addresses::columns(headers, options.behavior, &catalog)?;
            }
        }
        Ok(())
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
/// customers (sessions, activity, log lines) can still be written meanwhile. Citus locks rows of
/// one shard per statement only: there the writes' version guard alone fails a changed batch.
pub(crate) async fn lock_accounts(
    txn: &Txn,
    keys: Vec<String>,
) -> Result<HashMap<(i32, String), crate::entity::customer::Model>> {
    if keys.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(through_indexes(
        txn,
        crate::decode::all_customers(txn, accounts_query(keys, !is_citus(txn).await?)),
    )
    .await?
    .into_iter()
    .map(|m| ((m.email_scope_id, m.email_key.clone()), m))
    .collect())
}

/// The accounts of `keys`, locked when `lock`; see [`lock_accounts`].
pub(crate) fn accounts_query(
    keys: Vec<String>,
    lock: bool,
) -> sea_orm::Select<crate::entity::customer::Entity> {
    use crate::entity::customer;
    use sea_orm::sea_query::LockType;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait};
    customer::Entity::find()
        .filter(customer::Column::EmailKey.is_in(keys))
        .apply_if(lock.then_some(LockType::NoKeyUpdate), QuerySelect::lock)
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
        // On Citus the lookup runs on the shards' connections, which see a SET LOCAL only when
        // it is propagated; without Citus the first setting is an unused placeholder.
        txn.execute_unprepared(
            "SET LOCAL citus.propagate_set_commands = 'local'; SET LOCAL enable_seqscan = off",
        )
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
