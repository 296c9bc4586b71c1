//! The customer event record: one row per change to a customer (or a customer group), written in
//! the change's transaction, with who made it. Rows outlive their customer (an erased customer's
//! timeline keeps its ids), so there is no foreign key to the customers; the table is spread by
//! customer beside them on Citus, and events about no customer sit under customer 0.

use sea_orm_migration::{prelude::*, schema::*};

use crate::placement;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum CustomerEvents {
    Table,
    CustomerId,
    Id,
    WebsiteId,
    EventType,
    OccurredAt,
    ActorType,
    Actor,
    Changes,
    Data,
    RequestId,
}

const TABLE: &str = "customer_events";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CustomerEvents::Table)
                    .col(integer(CustomerEvents::CustomerId))
                    .col(uuid(CustomerEvents::Id))
                    .col(integer_null(CustomerEvents::WebsiteId))
                    .col(string_len(CustomerEvents::EventType, 64))
                    .col(timestamp_with_time_zone(CustomerEvents::OccurredAt))
                    .col(string_len(CustomerEvents::ActorType, 16))
                    .col(json_binary(CustomerEvents::Actor))
                    .col(json_binary(CustomerEvents::Changes))
                    .col(json_binary(CustomerEvents::Data))
                    .col(string_len_null(CustomerEvents::RequestId, 128))
                    // The timeline reads one customer's events newest first, by id (UUID v7).
                    .primary_key(
                        Index::create()
                            .col(CustomerEvents::CustomerId)
                            .col(CustomerEvents::Id),
                    )
                    .to_owned(),
            )
            .await?;
        placement::place(manager, &[TABLE]).await.map(|_| ())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CustomerEvents::Table).to_owned())
            .await
    }
}
