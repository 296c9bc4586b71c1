//! Completes the move to Magento's region codes on databases that ran it before it widened the
//! column, cleared the codes Magento lacks and matched names without accents: the column widens
//! and the move runs again, finding nothing left where it was complete.
//!
//! Going down keeps the width and the codes: narrowing would fail on the codes that need it.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::m20261204_000021_magento_region_codes::Migration
            .up(manager)
            .await
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
