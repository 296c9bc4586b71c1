//! Database connection set-up and the transaction and constraint helpers every store uses.
//! SQLite and PostgreSQL are both first-class: SQLite gets WAL, a busy timeout and foreign keys,
//! and write transactions take the write lock up front so they never fail half-way on upgrade.

use std::time::Duration;

use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, SqlErr, Statement, TransactionOptions, TransactionTrait, sqlx,
};

use crate::Result;

/// How to open the pool.
#[derive(Debug, Clone)]
pub struct DbSettings {
    /// `sqlite://path?mode=rwc` or `postgres://…`.
    pub url: String,
    /// Largest number of pooled connections.
    pub max_connections: u32,
    /// How long a request waits for a connection before failing as unavailable.
    pub acquire_timeout: Duration,
}

/// Opens the pool. SQLite files are created when missing.
pub async fn connect(settings: &DbSettings) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(settings.url.clone());
    options
        .max_connections(settings.max_connections)
        .min_connections(0)
        .acquire_timeout(settings.acquire_timeout)
        .connect_timeout(settings.acquire_timeout)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|opts| {
            opts.create_if_missing(true)
                .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sqlx::sqlite::SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
                // Deleted content is overwritten, not left in free pages: an erased customer's
                // data must not survive in the file.
                .pragma("secure_delete", "ON")
        });
    Database::connect(options).await
}

/// Starts a transaction that will write. On SQLite it takes the write lock immediately
/// (`BEGIN IMMEDIATE`), so concurrent writers queue on the busy timeout instead of failing.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

/// Whether the error is a unique-constraint violation.
pub fn is_unique_violation(err: &DbErr) -> bool {
    matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

/// Whether the error is a foreign-key violation.
pub fn is_foreign_key_violation(err: &DbErr) -> bool {
    // SQLite reports `ON DELETE RESTRICT` as a trigger constraint (1811), which sea-orm does not
    // classify; its message is the same as for other foreign-key failures.
    matches!(
        err.sql_err(),
        Some(SqlErr::ForeignKeyConstraintViolation(_))
    ) || err.to_string().contains("FOREIGN KEY constraint failed")
}

/// Whether the connection speaks SQLite.
pub fn is_sqlite(db: &DatabaseConnection) -> bool {
    db.get_database_backend() == DbBackend::Sqlite
}

/// Whether the database is a Citus coordinator (PostgreSQL with the `citus` extension), where
/// row locks reach one shard per statement at most.
pub async fn is_citus(db: &impl ConnectionTrait) -> std::result::Result<bool, DbErr> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(false);
    }
    let found = db
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT 1 AS found FROM pg_extension WHERE extname = 'citus'",
        ))
        .await?;
    Ok(found.is_some())
}

/// On Citus, has the rest of the transaction reach each worker over one connection, so that it
/// may change a reference table after changing many shards of a table that references it (which
/// Citus refuses after the parallel execution it uses by default). Nothing elsewhere.
pub async fn one_connection_per_node(txn: &DatabaseTransaction) -> std::result::Result<(), DbErr> {
    if is_citus(txn).await? {
        txn.execute_unprepared("SET LOCAL citus.multi_shard_modify_mode TO 'sequential'")
            .await?;
    }
    Ok(())
}
