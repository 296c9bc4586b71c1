//! Websites, store groups and store views, seeded with `base` / `main_website_store` / `default`.

use sea_orm_migration::{prelude::*, schema::*};

use crate::seed::seed;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum Websites {
    Table,
    Id,
    Code,
    Name,
    SortOrder,
    DefaultGroupId,
    IsDefault,
}

#[derive(DeriveIden)]
enum StoreGroups {
    Table,
    Id,
    WebsiteId,
    Code,
    Name,
    DefaultStoreId,
}

#[derive(DeriveIden)]
enum StoreViews {
    Table,
    Id,
    Code,
    WebsiteId,
    GroupId,
    Name,
    SortOrder,
    IsActive,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Websites::Table)
                    .col(pk_auto(Websites::Id))
                    .col(string_len_uniq(Websites::Code, 32))
                    .col(string_len(Websites::Name, 255))
                    .col(integer(Websites::SortOrder).default(0))
                    .col(integer_null(Websites::DefaultGroupId))
                    .col(boolean(Websites::IsDefault).default(false))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(StoreGroups::Table)
                    .col(pk_auto(StoreGroups::Id))
                    .col(integer(StoreGroups::WebsiteId))
                    .col(string_len_uniq(StoreGroups::Code, 32))
                    .col(string_len(StoreGroups::Name, 255))
                    .col(integer_null(StoreGroups::DefaultStoreId))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_store_groups_website")
                            .from(StoreGroups::Table, StoreGroups::WebsiteId)
                            .to(Websites::Table, Websites::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(StoreViews::Table)
                    .col(pk_auto(StoreViews::Id))
                    .col(string_len_uniq(StoreViews::Code, 32))
                    .col(integer(StoreViews::WebsiteId))
                    .col(integer(StoreViews::GroupId))
                    .col(string_len(StoreViews::Name, 255))
                    .col(integer(StoreViews::SortOrder).default(0))
                    .col(boolean(StoreViews::IsActive).default(true))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_store_views_website")
                            .from(StoreViews::Table, StoreViews::WebsiteId)
                            .to(Websites::Table, Websites::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_store_views_group")
                            .from(StoreViews::Table, StoreViews::GroupId)
                            .to(StoreGroups::Table, StoreGroups::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        seed(
            manager,
            &[
                "INSERT INTO websites (id, code, name, sort_order, default_group_id, is_default) VALUES (1, 'base', 'Main Website', 0, 1, TRUE)",
                "INSERT INTO store_groups (id, website_id, code, name, default_store_id) VALUES (1, 1, 'main_website_store', 'Main Website Store', 1)",
                "INSERT INTO store_views (id, code, website_id, group_id, name, sort_order, is_active) VALUES (1, 'default', 1, 1, 'Default Store View', 0, TRUE)",
            ],
            &["websites", "store_groups", "store_views"],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["store_views", "store_groups", "websites"] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
