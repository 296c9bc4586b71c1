//! Webhooks and their deliveries. A webhook names a URL, the event types it wants and the
//! websites it covers, with its signing secret sealed by the key-encryption key (and the
//! previous one, still signing beside it for a while after a rotation). A delivery is one event
//! for one webhook: its body, its state, its attempts and the last response; workers on every
//! node claim due deliveries under leases, the oldest pending delivery of each customer first.

use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::{prelude::*, schema::*};

use crate::placement;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum Webhooks {
    Table,
    Id,
    Url,
    Description,
    EventTypes,
    WebsiteIds,
    Secret,
    PreviousSecret,
    PreviousSecretUntil,
    Status,
    DisabledReason,
    DisabledAt,
    FailingSince,
    NotifyEmail,
    CreatedByStaffUserId,
    CreatedByIntegrationId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum WebhookDeliveries {
    Table,
    Id,
    WebhookId,
    EventId,
    EventType,
    CustomerId,
    WebsiteId,
    OccurredAt,
    Body,
    Status,
    Attempts,
    NextAttemptAt,
    LeaseUntil,
    CreatedAt,
    LastAttemptAt,
    LastResponseStatus,
    LastResponseBody,
    LastDurationMs,
    LastError,
    CompletedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Webhooks::Table)
                    .col(integer(Webhooks::Id).auto_increment().primary_key())
                    .col(string_len(Webhooks::Url, 2048))
                    .col(string_len_null(Webhooks::Description, 255))
                    .col(json_binary(Webhooks::EventTypes))
                    .col(json_binary(Webhooks::WebsiteIds))
                    .col(text(Webhooks::Secret))
                    .col(text_null(Webhooks::PreviousSecret))
                    .col(timestamp_with_time_zone_null(Webhooks::PreviousSecretUntil))
                    .col(string_len(Webhooks::Status, 16))
                    .col(string_len_null(Webhooks::DisabledReason, 255))
                    .col(timestamp_with_time_zone_null(Webhooks::DisabledAt))
                    .col(timestamp_with_time_zone_null(Webhooks::FailingSince))
                    .col(string_len_null(Webhooks::NotifyEmail, 255))
                    .col(integer_null(Webhooks::CreatedByStaffUserId))
                    .col(integer_null(Webhooks::CreatedByIntegrationId))
                    .col(timestamp_with_time_zone(Webhooks::CreatedAt))
                    .col(timestamp_with_time_zone(Webhooks::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebhookDeliveries::Table)
                    .col(
                        big_integer(WebhookDeliveries::Id)
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(integer(WebhookDeliveries::WebhookId))
                    .col(uuid(WebhookDeliveries::EventId))
                    .col(string_len(WebhookDeliveries::EventType, 64))
                    .col(integer(WebhookDeliveries::CustomerId))
                    .col(integer_null(WebhookDeliveries::WebsiteId))
                    .col(timestamp_with_time_zone(WebhookDeliveries::OccurredAt))
                    .col(text(WebhookDeliveries::Body))
                    .col(string_len(WebhookDeliveries::Status, 16))
                    .col(integer(WebhookDeliveries::Attempts))
                    .col(timestamp_with_time_zone(WebhookDeliveries::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(WebhookDeliveries::LeaseUntil))
                    .col(timestamp_with_time_zone(WebhookDeliveries::CreatedAt))
                    .col(timestamp_with_time_zone_null(
                        WebhookDeliveries::LastAttemptAt,
                    ))
                    .col(integer_null(WebhookDeliveries::LastResponseStatus))
                    .col(text_null(WebhookDeliveries::LastResponseBody))
                    .col(integer_null(WebhookDeliveries::LastDurationMs))
                    .col(string_len_null(WebhookDeliveries::LastError, 500))
                    .col(timestamp_with_time_zone_null(
                        WebhookDeliveries::CompletedAt,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .from(WebhookDeliveries::Table, WebhookDeliveries::WebhookId)
                            .to(Webhooks::Table, Webhooks::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // Workers take due pending deliveries in the order they fell due, reading this index in
        // its order and stopping at the claim's size, however many wait; the order rule looks
        // for an earlier pending delivery of the same webhook and customer.
        manager
            .create_index(
                Index::create()
                    .name("ix_webhook_deliveries_due")
                    .table(WebhookDeliveries::Table)
                    .col(WebhookDeliveries::Status)
                    .col(WebhookDeliveries::NextAttemptAt)
                    .col(WebhookDeliveries::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_webhook_deliveries_stream")
                    .table(WebhookDeliveries::Table)
                    .col(WebhookDeliveries::WebhookId)
                    .col(WebhookDeliveries::CustomerId)
                    .col(WebhookDeliveries::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_webhook_deliveries_event")
                    .table(WebhookDeliveries::Table)
                    .col(WebhookDeliveries::EventId)
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() == DbBackend::Postgres {
            // A queue that a burst (an import) can grow by 100,000 rows at once: claims read it in
            // index order only while the planner knows its size, so it is analysed (and vacuumed)
            // after a small share of changes rather than PostgreSQL's default 10-20%.
            manager
                .get_connection()
                .execute_unprepared(
                    "ALTER TABLE webhook_deliveries SET (autovacuum_analyze_scale_factor = 0.01, \
                     autovacuum_vacuum_scale_factor = 0.02)",
                )
                .await?;
        }
        placement::place(manager, &["webhooks", "webhook_deliveries"])
            .await
            .map(|_| ())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(WebhookDeliveries::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Webhooks::Table).to_owned())
            .await
    }
}
