//! The sign-in record of each customer (Adobe Commerce's `customer_log`): when the customer last
//! signed in, signed out, and was last active. One row per customer that has ever signed in; the
//! customer view reads "never" where there is none.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum CustomerLog {
    Table,
    CustomerId,
    LastLoginAt,
    LastLogoutAt,
    LastActivityAt,
}

#[derive(DeriveIden)]
enum Customers {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CustomerLog::Table)
                    .col(integer(CustomerLog::CustomerId).primary_key())
                    .col(timestamp_with_time_zone_null(CustomerLog::LastLoginAt))
                    .col(timestamp_with_time_zone_null(CustomerLog::LastLogoutAt))
                    .col(timestamp_with_time_zone_null(CustomerLog::LastActivityAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_customer_log_customer")
                            .from(CustomerLog::Table, CustomerLog::CustomerId)
                            .to(Customers::Table, Customers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // The Now Online view lists customers by recent activity.
        manager
            .create_index(
                Index::create()
                    .name("ix_customer_log_last_activity")
                    .table(CustomerLog::Table)
                    .col(CustomerLog::LastActivityAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CustomerLog::Table).to_owned())
            .await
    }
}
