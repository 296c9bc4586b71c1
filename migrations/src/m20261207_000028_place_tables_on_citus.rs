//! Once placed the tables of the earlier migrations on a Citus cluster; now does nothing.
//!
//! Placing the reference tables here turned the per-customer tables that reference them into
//! Citus local tables, which Citus can no longer distribute nor rid of their identity columns.
//! The placement moved to migration 031, which first makes those tables distributable. No
//! database placed by this migration is kept: it ran on Citus test databases only.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }
}
