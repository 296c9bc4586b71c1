//! Newsletter subscriptions: one row per store view and email, linked to the customer when the
//! subscriber has an account. Status codes are Adobe Commerce's (1 subscribed, 2 not active,
//! 3 unsubscribed, 4 unconfirmed).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum NewsletterSubscribers {
    Table,
    Id,
    StoreId,
    CustomerId,
    Email,
    EmailKey,
    Status,
    ChangedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum StoreViews {
    Table,
    Id,
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
                    .table(NewsletterSubscribers::Table)
                    .col(pk_auto(NewsletterSubscribers::Id))
                    .col(integer(NewsletterSubscribers::StoreId))
                    .col(integer_null(NewsletterSubscribers::CustomerId))
                    .col(string_len(NewsletterSubscribers::Email, 254))
                    .col(string_len(NewsletterSubscribers::EmailKey, 254))
                    .col(small_integer(NewsletterSubscribers::Status))
                    .col(timestamp_with_time_zone(NewsletterSubscribers::ChangedAt))
                    .col(timestamp_with_time_zone(NewsletterSubscribers::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_newsletter_subscribers_store")
                            .from(NewsletterSubscribers::Table, NewsletterSubscribers::StoreId)
                            .to(StoreViews::Table, StoreViews::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_newsletter_subscribers_customer")
                            .from(
                                NewsletterSubscribers::Table,
                                NewsletterSubscribers::CustomerId,
                            )
                            .to(Customers::Table, Customers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_newsletter_subscribers_store_email")
                    .table(NewsletterSubscribers::Table)
                    .col(NewsletterSubscribers::StoreId)
                    .col(NewsletterSubscribers::EmailKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_newsletter_subscribers_customer")
                    .table(NewsletterSubscribers::Table)
                    .col(NewsletterSubscribers::CustomerId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(NewsletterSubscribers::Table).to_owned())
            .await
    }
}
