//! Double opt-in for newsletter subscriptions: the hash of the code the confirmation email
//! carries, kept until the subscriber confirms.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum NewsletterSubscribers {
    Table,
    ConfirmCodeHash,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(NewsletterSubscribers::Table)
                    .add_column(string_len_null(NewsletterSubscribers::ConfirmCodeHash, 64))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(NewsletterSubscribers::Table)
                    .drop_column(NewsletterSubscribers::ConfirmCodeHash)
                    .to_owned(),
            )
            .await
    }
}
