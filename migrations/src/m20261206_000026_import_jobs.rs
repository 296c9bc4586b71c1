//! Import jobs: an uploaded CSV file is staged in the database in chunks, then applied by
//! whichever node claims the job, so an upload answers at once, any node can report on or
//! cancel the job, and a job whose node stopped is taken up again once its lease runs out.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum ImportJobs {
    Table,
    Id,
    Entity,
    Behavior,
    ValidationStrategy,
    AllowedErrors,
    DryRun,
    Websites,
    CreatedBy,
    State,
    CancelRequested,
    Bytes,
    RowsTotal,
    RowsDone,
    Attempt,
    LeaseExpires,
    Report,
    Error,
    CreatedAt,
    StartedAt,
    FinishedAt,
}

#[derive(DeriveIden)]
enum ImportJobChunks {
    Table,
    JobId,
    Seq,
    Data,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ImportJobs::Table)
                    .col(string_len(ImportJobs::Id, 36).primary_key())
                    .col(string_len(ImportJobs::Entity, 32))
                    .col(string_len(ImportJobs::Behavior, 32))
                    .col(string_len(ImportJobs::ValidationStrategy, 32))
                    .col(big_integer(ImportJobs::AllowedErrors))
                    .col(boolean(ImportJobs::DryRun))
                    .col(text_null(ImportJobs::Websites))
                    .col(string_len(ImportJobs::CreatedBy, 255))
                    .col(string_len(ImportJobs::State, 16))
                    .col(boolean(ImportJobs::CancelRequested).default(false))
                    .col(big_integer(ImportJobs::Bytes).default(0))
                    .col(big_integer_null(ImportJobs::RowsTotal))
                    .col(big_integer(ImportJobs::RowsDone).default(0))
                    .col(integer(ImportJobs::Attempt).default(0))
                    .col(timestamp_with_time_zone_null(ImportJobs::LeaseExpires))
                    .col(text_null(ImportJobs::Report))
                    .col(text_null(ImportJobs::Error))
                    .col(timestamp_with_time_zone(ImportJobs::CreatedAt))
                    .col(timestamp_with_time_zone_null(ImportJobs::StartedAt))
                    .col(timestamp_with_time_zone_null(ImportJobs::FinishedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_import_jobs_state_created")
                    .table(ImportJobs::Table)
                    .col(ImportJobs::State)
                    .col(ImportJobs::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_import_jobs_created")
                    .table(ImportJobs::Table)
                    .col(ImportJobs::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ImportJobChunks::Table)
                    .col(string_len(ImportJobChunks::JobId, 36))
                    .col(integer(ImportJobChunks::Seq))
                    .col(blob(ImportJobChunks::Data))
                    .primary_key(
                        Index::create()
                            .col(ImportJobChunks::JobId)
                            .col(ImportJobChunks::Seq),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ImportJobChunks::Table, ImportJobChunks::JobId)
                            .to(ImportJobs::Table, ImportJobs::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ImportJobChunks::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ImportJobs::Table).to_owned())
            .await
    }
}
