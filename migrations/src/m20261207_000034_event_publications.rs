//! The queue of recorded events not yet handed to the webhooks: one row per event, written in
//! the event's transaction (so nothing committed is missed and nothing rolled back is sent) and
//! deleted when the webhook dispatcher fans the event out. `seq` is the order of recording; the
//! type lets the dispatcher read only the events some webhook wants.

use sea_orm_migration::{prelude::*, schema::*};

use crate::placement;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum EventPublications {
    Table,
    Seq,
    CustomerId,
    EventId,
    EventType,
}

const TABLE: &str = "event_publications";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(EventPublications::Table)
                    .col(
                        big_integer(EventPublications::Seq)
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(integer(EventPublications::CustomerId))
                    .col(uuid(EventPublications::EventId))
                    .col(string_len(EventPublications::EventType, 64))
                    .to_owned(),
            )
            .await?;
        placement::place(manager, &[TABLE]).await.map(|_| ())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(EventPublications::Table).to_owned())
            .await
    }
}
