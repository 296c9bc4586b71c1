//! PostgreSQL's autovacuum waits, by default, until a fifth of a table has changed. On a table of
//! a million customers that is 200,000 rows: an import of 100,000 customers would leave their
//! pages out of the visibility map, and the grid's counts (index-only scans) and keyword search
//! slow down several times until someone vacuums. These tables are vacuumed and analysed after
//! about 1-2% of their rows change instead. SQLite needs nothing here.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

const TABLES: [&str; 2] = ["customers", "customer_addresses"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        alter_tables(
            manager,
            "SET (autovacuum_vacuum_scale_factor = 0.02, \
             autovacuum_vacuum_insert_scale_factor = 0.01, \
             autovacuum_analyze_scale_factor = 0.01)",
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        alter_tables(
            manager,
            "RESET (autovacuum_vacuum_scale_factor, \
             autovacuum_vacuum_insert_scale_factor, autovacuum_analyze_scale_factor)",
        )
        .await
    }
}

/// Applies `ALTER TABLE … {change}` to each of the tables, on PostgreSQL only.
async fn alter_tables(manager: &SchemaManager<'_>, change: &str) -> Result<(), DbErr> {
    if manager.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    for table in TABLES {
        manager
            .get_connection()
            .execute_unprepared(&format!("ALTER TABLE {table} {change}"))
            .await?;
    }
    Ok(())
}
