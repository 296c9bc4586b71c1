//! Transactional email: the outbox that changes write their messages to (sent afterwards by a
//! worker), the templates staff edit per store view, and what password resets need (each
//! customer's newest reset token, hashed, and the reset requests counted for rate limiting).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum EmailOutbox {
    Table,
    Id,
    Template,
    StoreId,
    Recipient,
    Subject,
    Body,
    Attempts,
    NextAttemptAt,
    LeaseUntil,
    LastError,
    SentAt,
    FailedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum EmailTemplates {
    Table,
    Code,
    StoreId,
    Subject,
    Body,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PasswordResetRequests {
    Table,
    Id,
    EmailKey,
    Ip,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CustomerPasswordResets {
    Table,
    CustomerId,
    TokenHash,
    CreatedAt,
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
                    .table(EmailOutbox::Table)
                    .col(big_integer(EmailOutbox::Id).auto_increment().primary_key())
                    .col(string_len(EmailOutbox::Template, 64))
                    .col(integer(EmailOutbox::StoreId))
                    .col(string_len(EmailOutbox::Recipient, 320))
                    .col(text(EmailOutbox::Subject))
                    // Cleared once sent: bodies may carry one-time links.
                    .col(text_null(EmailOutbox::Body))
                    .col(integer(EmailOutbox::Attempts).default(0))
                    .col(timestamp_with_time_zone(EmailOutbox::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(EmailOutbox::LeaseUntil))
                    .col(text_null(EmailOutbox::LastError))
                    .col(timestamp_with_time_zone_null(EmailOutbox::SentAt))
                    .col(timestamp_with_time_zone_null(EmailOutbox::FailedAt))
                    .col(timestamp_with_time_zone(EmailOutbox::CreatedAt))
                    .to_owned(),
            )
            .await?;
        // Workers look for due, unsent messages.
        manager
            .create_index(
                Index::create()
                    .name("ix_email_outbox_due")
                    .table(EmailOutbox::Table)
                    .col(EmailOutbox::SentAt)
                    .col(EmailOutbox::FailedAt)
                    .col(EmailOutbox::NextAttemptAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(EmailTemplates::Table)
                    .col(string_len(EmailTemplates::Code, 64))
                    .col(integer(EmailTemplates::StoreId))
                    .col(text(EmailTemplates::Subject))
                    .col(text(EmailTemplates::Body))
                    .col(timestamp_with_time_zone(EmailTemplates::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(EmailTemplates::Code)
                            .col(EmailTemplates::StoreId),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PasswordResetRequests::Table)
                    .col(
                        big_integer(PasswordResetRequests::Id)
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(string_len(PasswordResetRequests::EmailKey, 320))
                    .col(string_len(PasswordResetRequests::Ip, 64))
                    .col(timestamp_with_time_zone(PasswordResetRequests::CreatedAt))
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            (
                "ix_password_reset_requests_email",
                PasswordResetRequests::EmailKey,
            ),
            ("ix_password_reset_requests_ip", PasswordResetRequests::Ip),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(PasswordResetRequests::Table)
                        .col(column)
                        .col(PasswordResetRequests::CreatedAt)
                        .to_owned(),
                )
                .await?;
        }
        // One row per customer: a new request replaces the token, so only the newest is valid.
        manager
            .create_table(
                Table::create()
                    .table(CustomerPasswordResets::Table)
                    .col(integer(CustomerPasswordResets::CustomerId).primary_key())
                    .col(string_len(CustomerPasswordResets::TokenHash, 64))
                    .col(timestamp_with_time_zone(CustomerPasswordResets::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_customer_password_resets_customer")
                            .from(
                                CustomerPasswordResets::Table,
                                CustomerPasswordResets::CustomerId,
                            )
                            .to(Customers::Table, Customers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            CustomerPasswordResets::Table.into_iden(),
            PasswordResetRequests::Table.into_iden(),
            EmailTemplates::Table.into_iden(),
            EmailOutbox::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
