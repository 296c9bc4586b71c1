//! Erasures of customers and single-use links to the export of a customer's data. An erasure
//! records who asked for it, why, and when it takes effect (now, or after a grace period during
//! which the account is suspended and can be restored); it names the customer by id alone. An
//! export link is stored as the hash of its token, with when it expires and when it was used.

use sea_orm_migration::sea_orm::ConnectionTrait;
use sea_orm_migration::{prelude::*, schema::*};

use crate::placement;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum CustomerErasures {
    Table,
    Id,
    CustomerId,
    WebsiteId,
    Status,
    Reason,
    RequestedBy,
    RequestedAt,
    EraseAfter,
    WasActive,
    CompletedAt,
}

#[derive(DeriveIden)]
enum CustomerDataExportLinks {
    Table,
    TokenHash,
    CustomerId,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CustomerErasures::Table)
                    .col(uuid(CustomerErasures::Id).primary_key())
                    .col(integer(CustomerErasures::CustomerId))
                    .col(integer(CustomerErasures::WebsiteId))
                    .col(string_len(CustomerErasures::Status, 16))
                    .col(string_len(CustomerErasures::Reason, 1000))
                    .col(json_binary(CustomerErasures::RequestedBy))
                    .col(timestamp_with_time_zone(CustomerErasures::RequestedAt))
                    .col(timestamp_with_time_zone(CustomerErasures::EraseAfter))
                    .col(boolean(CustomerErasures::WasActive))
                    .col(timestamp_with_time_zone_null(CustomerErasures::CompletedAt))
                    .to_owned(),
            )
            .await?;
        // Housekeeping looks for pending erasures that have fallen due; requests look up a
        // customer's pending one.
        manager
            .create_index(
                Index::create()
                    .name("idx_customer_erasures_due")
                    .table(CustomerErasures::Table)
                    .col(CustomerErasures::Status)
                    .col(CustomerErasures::EraseAfter)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_customer_erasures_customer")
                    .table(CustomerErasures::Table)
                    .col(CustomerErasures::CustomerId)
                    .to_owned(),
            )
            .await?;
        // At most one erasure of a customer waits: two requests at once cannot both suspend.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX idx_customer_erasures_one_pending ON customer_erasures \
                 (customer_id) WHERE status = 'PENDING'",
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CustomerDataExportLinks::Table)
                    .col(string_len(CustomerDataExportLinks::TokenHash, 64).primary_key())
                    .col(integer(CustomerDataExportLinks::CustomerId))
                    .col(timestamp_with_time_zone(CustomerDataExportLinks::CreatedAt))
                    .col(timestamp_with_time_zone(CustomerDataExportLinks::ExpiresAt))
                    .col(timestamp_with_time_zone_null(
                        CustomerDataExportLinks::UsedAt,
                    ))
                    .to_owned(),
            )
            .await?;
        placement::place(
            manager,
            &["customer_erasures", "customer_data_export_links"],
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            CustomerDataExportLinks::Table.into_iden(),
            CustomerErasures::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
