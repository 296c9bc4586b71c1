//! The width of `customer_addresses.region_code`: Magento's region codes run to 22 characters
//! (Spain's `Santa Cruz de Tenerife`), past the 16 the table was created with.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveIden)]
enum CustomerAddresses {
    Table,
    RegionCode,
}

/// Widens the column to the most characters a region code may have. SQLite does not enforce a
/// `varchar` length, so only PostgreSQL changes; widening a column already that wide changes
/// nothing.
pub(crate) async fn widen(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    if manager.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let width =
        <u32 as std::convert::TryFrom<usize>>::try_from(clientele_directory::REGION_CODE_MAX_CHARS)
            .map_err(|e| DbErr::Custom(e.to_string()))?;
    manager
        .alter_table(
            Table::alter()
                .table(CustomerAddresses::Table)
                .modify_column(ColumnDef::new(CustomerAddresses::RegionCode).string_len(width))
                .to_owned(),
        )
        .await
}
