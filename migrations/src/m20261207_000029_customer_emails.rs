//! Email uniqueness moves from an index over the customers to a table of its own, one row per
//! (email key, scope) naming the account: a unique index must include the column a distributed
//! table is spread by, so on Citus the customers (spread by id) cannot enforce it themselves.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum CustomerEmails {
    Table,
    EmailKey,
    EmailScopeId,
    CustomerId,
}

#[derive(DeriveIden)]
enum Customers {
    Table,
    EmailScopeId,
    EmailKey,
}

const UNIQUE_INDEX: &str = "uq_customers_email_scope";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CustomerEmails::Table)
                    .col(string_len(CustomerEmails::EmailKey, 254))
                    .col(integer(CustomerEmails::EmailScopeId))
                    .col(integer(CustomerEmails::CustomerId))
                    .primary_key(
                        Index::create()
                            .col(CustomerEmails::EmailKey)
                            .col(CustomerEmails::EmailScopeId),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "INSERT INTO customer_emails (email_key, email_scope_id, customer_id) \
                 SELECT email_key, email_scope_id, id FROM customers",
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name(UNIQUE_INDEX)
                    .table(Customers::Table)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(UNIQUE_INDEX)
                    .table(Customers::Table)
                    .col(Customers::EmailScopeId)
                    .col(Customers::EmailKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(CustomerEmails::Table).to_owned())
            .await
    }
}
