//! Now Online: visitors (guests) with their last activity and URL, and the last URL of signed-in
//! customers next to their last activity. Visitor rows live only while the visitor counts as
//! online; the visitor id itself is a signed token, so a returning visitor needs no stored row.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum Visitors {
    Table,
    Id,
    CreatedAt,
    LastActivityAt,
    LastUrl,
    LastUrlKey,
}

#[derive(DeriveIden)]
enum CustomerLog {
    Table,
    LastUrl,
    LastUrlKey,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Visitors::Table)
                    .col(string_len(Visitors::Id, 36).primary_key())
                    .col(timestamp_with_time_zone(Visitors::CreatedAt))
                    .col(timestamp_with_time_zone(Visitors::LastActivityAt))
                    .col(string_len_null(Visitors::LastUrl, 2048))
                    .col(string_len_null(Visitors::LastUrlKey, 2048))
                    .to_owned(),
            )
            .await?;
        // The Now Online grid reads visitors newest first within the interval; clean-up deletes
        // the oldest.
        manager
            .create_index(
                Index::create()
                    .name("ix_visitors_last_activity")
                    .table(Visitors::Table)
                    .col(Visitors::LastActivityAt)
                    .to_owned(),
            )
            .await?;
        // The lowercase copy serves the grid's case-insensitive URL filter without lowercasing
        // every row online on each query. SQLite adds one column per statement.
        for column in [CustomerLog::LastUrl, CustomerLog::LastUrlKey] {
            manager
                .alter_table(
                    Table::alter()
                        .table(CustomerLog::Table)
                        .add_column(string_len_null(column, 2048))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [CustomerLog::LastUrlKey, CustomerLog::LastUrl] {
            manager
                .alter_table(
                    Table::alter()
                        .table(CustomerLog::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(Visitors::Table).to_owned())
            .await
    }
}
