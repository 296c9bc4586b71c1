//! Address attribute values carry the customer whose address they describe, so that on Citus
//! they are distributed by customer with the address and the customer (a distributed table is
//! spread by a column of its own; the address id alone cannot place them).

use sea_orm_migration::sea_orm::DbBackend;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum CustomerAddressAttributeValues {
    Table,
    CustomerId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds a NOT NULL column only with a default; every write sets it.
        manager
            .alter_table(
                Table::alter()
                    .table(CustomerAddressAttributeValues::Table)
                    .add_column(integer(CustomerAddressAttributeValues::CustomerId).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE customer_address_attribute_values SET customer_id = \
                 (SELECT a.customer_id FROM customer_addresses a \
                  WHERE a.id = customer_address_attribute_values.address_id)",
            )
            .await?;
        // Where the column can lose its default, a write that forgot the customer fails instead
        // of storing customer 0.
        if manager.get_database_backend() == DbBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared(
                    "ALTER TABLE customer_address_attribute_values \
                     ALTER COLUMN customer_id DROP DEFAULT",
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(CustomerAddressAttributeValues::Table)
                    .drop_column(CustomerAddressAttributeValues::CustomerId)
                    .to_owned(),
            )
            .await
    }
}
