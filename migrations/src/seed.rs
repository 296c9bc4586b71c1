//! Seed rows with fixed ids (the ids Adobe Commerce uses), and the PostgreSQL sequence fix-up that
//! explicit ids need so later inserts do not collide.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

/// Runs each statement, then moves the PostgreSQL id sequences of `tables` past the seeded ids.
pub(crate) async fn seed(
    manager: &SchemaManager<'_>,
    statements: &[&str],
    tables: &[&str],
) -> Result<(), DbErr> {
    let db = manager.get_connection();
    for statement in statements {
        db.execute_unprepared(statement).await?;
    }
    if manager.get_database_backend() == DbBackend::Postgres {
        for table in tables {
            db.execute_unprepared(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
            ))
            .await?;
        }
    }
    Ok(())
}
