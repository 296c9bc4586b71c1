//! Sign-in attempts of customers under way: each attempt is recorded before its password is
//! checked and removed as it finishes, so parallel guesses count against the lockout allowance as
//! they start, without writing the (heavily indexed) customer row on every sign-in.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum CustomerSignInAttempts {
    Table,
    Id,
    CustomerId,
    StartedAt,
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
                    .table(CustomerSignInAttempts::Table)
                    .col(
                        big_integer(CustomerSignInAttempts::Id)
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(integer(CustomerSignInAttempts::CustomerId))
                    .col(timestamp_with_time_zone(CustomerSignInAttempts::StartedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                CustomerSignInAttempts::Table,
                                CustomerSignInAttempts::CustomerId,
                            )
                            .to(Customers::Table, Customers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_customer_sign_in_attempts_customer")
                    .table(CustomerSignInAttempts::Table)
                    .col(CustomerSignInAttempts::CustomerId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(CustomerSignInAttempts::Table)
                    .to_owned(),
            )
            .await
    }
}
