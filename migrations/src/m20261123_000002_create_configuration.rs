//! Scoped configuration values: one row per (scope, scope id, path) that differs from its parent.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum ConfigValues {
    Table,
    Id,
    Scope,
    ScopeId,
    Path,
    Value,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ConfigValues::Table)
                    .col(pk_auto(ConfigValues::Id))
                    .col(string_len(ConfigValues::Scope, 16))
                    .col(integer(ConfigValues::ScopeId))
                    .col(string_len(ConfigValues::Path, 255))
                    .col(text(ConfigValues::Value))
                    .col(timestamp_with_time_zone(ConfigValues::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_config_values_scope_path")
                    .table(ConfigValues::Table)
                    .col(ConfigValues::Scope)
                    .col(ConfigValues::ScopeId)
                    .col(ConfigValues::Path)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ConfigValues::Table).to_owned())
            .await
    }
}
