//! The record of email template changes: what was saved or deleted, for which store view, by
//! which staff user or integration, and when. Templates decide what customers receive, so every
//! change stays on record.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum EmailTemplateChanges {
    Table,
    Id,
    Code,
    StoreId,
    Action,
    ChangedBy,
    ChangedAt,
    Subject,
    Body,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(EmailTemplateChanges::Table)
                    .col(
                        big_integer(EmailTemplateChanges::Id)
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(string_len(EmailTemplateChanges::Code, 64))
                    .col(integer(EmailTemplateChanges::StoreId))
                    .col(string_len(EmailTemplateChanges::Action, 16))
                    .col(string_len(EmailTemplateChanges::ChangedBy, 64))
                    .col(timestamp_with_time_zone(EmailTemplateChanges::ChangedAt))
                    .col(text_null(EmailTemplateChanges::Subject))
                    .col(text_null(EmailTemplateChanges::Body))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(EmailTemplateChanges::Table).to_owned())
            .await
    }
}
