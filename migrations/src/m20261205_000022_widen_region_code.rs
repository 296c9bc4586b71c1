//! Region codes as wide as Magento's longest, for databases that ran the move to Magento's codes
//! before that move widened the column itself.
//!
//! Going down keeps the width: narrowing would fail on the codes that need it.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::region_code_column::widen(manager).await
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }
}
