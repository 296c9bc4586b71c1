//! The Customers grid is most often filtered by group and sorted by name; this index serves that
//! page straight from the index instead of sorting every customer of the group.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum Customers {
    Table,
    GroupId,
    Lastname,
    Firstname,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("ix_customers_group_name")
                    .table(Customers::Table)
                    .col(Customers::GroupId)
                    .col(Customers::Lastname)
                    .col(Customers::Firstname)
                    .col(Customers::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_customers_group_name")
                    .table(Customers::Table)
                    .to_owned(),
            )
            .await
    }
}
