//! Request counters per client and fixed time window, shared by every API node, for throttling
//! sign-in failures, sign-ups and confirmation emails by client address.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum RequestThrottle {
    Table,
    Bucket,
    WindowStart,
    Hits,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RequestThrottle::Table)
                    .col(string_len(RequestThrottle::Bucket, 200))
                    .col(big_integer(RequestThrottle::WindowStart))
                    .col(integer(RequestThrottle::Hits).default(0))
                    .primary_key(
                        Index::create()
                            .col(RequestThrottle::Bucket)
                            .col(RequestThrottle::WindowStart),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RequestThrottle::Table).to_owned())
            .await
    }
}
