//! Addresses stored under ISO 3166-2 region codes move to Magento's codes and names where
//! Magento's directory has the country (Germany's `BE` becomes `BER`, Austria's `9` becomes
//! `WI`), so their region ids are Magento's. A region name typed by hand stays as it was; only
//! names taken from ISO 3166-2 follow, and the grid's billing region follows them for the
//! customers whose default billing address moved. A subdivision Magento lacks (Spain's
//! autonomous communities, Czech districts) loses its code and keeps its name as text. The work
//! is a few updates per distinct stored region, not per address.
//!
//! Going down keeps the Magento codes: they are valid region codes for the earlier schema too.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::region_code_column::widen(manager).await?;
        crate::region_moves::move_to_magento(manager).await
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
