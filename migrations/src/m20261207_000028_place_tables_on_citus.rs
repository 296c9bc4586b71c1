//! Places the tables of the earlier migrations on a Citus cluster (reference tables copied to
//! every node); nothing on plain PostgreSQL or SQLite.

use sea_orm_migration::prelude::*;

use crate::placement::{self, TABLES};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The tables of later migrations are placed by the migrations that create them.
        let mut tables = Vec::new();
        for (table, _) in TABLES {
            if manager.has_table(*table).await? {
                tables.push(*table);
            }
        }
        placement::place(manager, &tables).await
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        // A reference table stays one when rolled back: undistributing it would copy it back to
        // the coordinator for nothing, and the placement migration run again leaves it alone.
        Ok(())
    }
}
