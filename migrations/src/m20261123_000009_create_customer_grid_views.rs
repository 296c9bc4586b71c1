//! Saved views of the Customers grid, per staff user: a name and the search, filters, sort and
//! columns as JSON.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum CustomerGridViews {
    Table,
    Id,
    StaffUserId,
    Name,
    NameKey,
    Definition,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum StaffUsers {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CustomerGridViews::Table)
                    .col(pk_auto(CustomerGridViews::Id))
                    .col(integer(CustomerGridViews::StaffUserId))
                    .col(string_len(CustomerGridViews::Name, 64))
                    .col(string_len(CustomerGridViews::NameKey, 64))
                    .col(text(CustomerGridViews::Definition))
                    .col(timestamp_with_time_zone(CustomerGridViews::CreatedAt))
                    .col(timestamp_with_time_zone(CustomerGridViews::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_customer_grid_views_staff")
                            .from(CustomerGridViews::Table, CustomerGridViews::StaffUserId)
                            .to(StaffUsers::Table, StaffUsers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_customer_grid_views_owner_name")
                    .table(CustomerGridViews::Table)
                    .col(CustomerGridViews::StaffUserId)
                    .col(CustomerGridViews::NameKey)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CustomerGridViews::Table).to_owned())
            .await
    }
}
