//! Keyword search of the Customers grid matches substrings of `search_text`. On PostgreSQL a
//! trigram index (pg_trgm) makes that an index lookup instead of a scan; where the extension cannot
//! be installed (no privilege), the search still works, only slower. SQLite needs nothing here.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        db.execute_unprepared(
            "DO $$ BEGIN CREATE EXTENSION IF NOT EXISTS pg_trgm; \
             EXCEPTION WHEN OTHERS THEN RAISE NOTICE 'pg_trgm is not available: keyword search will scan'; END $$",
        )
        .await?;
        db.execute_unprepared(
            "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN \
             CREATE INDEX IF NOT EXISTS ix_customers_search_trgm ON customers USING gin (search_text gin_trgm_ops); \
             CREATE INDEX IF NOT EXISTS ix_customers_email_trgm ON customers USING gin (email_key gin_trgm_ops); \
             END IF; END $$",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        db.execute_unprepared("DROP INDEX IF EXISTS ix_customers_search_trgm")
            .await?;
        db.execute_unprepared("DROP INDEX IF EXISTS ix_customers_email_trgm")
            .await?;
        Ok(())
    }
}
