//! Custom customer and address attributes: their metadata, their dropdown options, and their
//! values. Values are rows keyed by (record, attribute) so the grid can filter on them and an
//! attribute added later needs no schema change.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum CustomerAttributes {
    Table,
    Id,
    EntityType,
    Code,
    Label,
    StoreLabels,
    InputType,
    IsRequired,
    DefaultValue,
    Validation,
    MinLength,
    MaxLength,
    MultilineCount,
    DateMin,
    DateMax,
    InputFilter,
    ShowOnStorefront,
    SortOrder,
    UsedInForms,
    IsUsedInGrid,
    IsFilterableInGrid,
    GridFilterCondition,
    IsSearchableInGrid,
    IsUsedForSegment,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CustomerAttributeOptions {
    Table,
    Id,
    AttributeId,
    Label,
    StoreLabels,
    SortOrder,
}

/// A value table: one row per (owner record, attribute), removed with either.
fn value_table(table: &str, owner_column: &str, owner_table: &str) -> TableCreateStatement {
    let table_iden = Alias::new(table);
    let owner = Alias::new(owner_column);
    let attribute = Alias::new("attribute_id");
    Table::create()
        .table(table_iden.clone())
        .col(integer(owner.clone()))
        .col(integer(attribute.clone()))
        .col(text(Alias::new("value")))
        .col(text(Alias::new("display")))
        .primary_key(Index::create().col(owner.clone()).col(attribute.clone()))
        .foreign_key(
            ForeignKey::create()
                .name(format!("fk_{table}_owner"))
                .from(table_iden.clone(), owner)
                .to(Alias::new(owner_table), Alias::new("id"))
                .on_delete(ForeignKeyAction::Cascade),
        )
        .foreign_key(
            ForeignKey::create()
                .name(format!("fk_{table}_attribute"))
                .from(table_iden, attribute)
                .to(CustomerAttributes::Table, CustomerAttributes::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned()
}

/// The (attribute, owner) index that serves grid filters on one attribute.
fn by_attribute(table: &str, owner_column: &str) -> IndexCreateStatement {
    Index::create()
        .name(format!("ix_{table}_attribute"))
        .table(Alias::new(table))
        .col(Alias::new("attribute_id"))
        .col(Alias::new(owner_column))
        .to_owned()
}

const VALUE_TABLES: [(&str, &str, &str); 2] = [
    ("customer_attribute_values", "customer_id", "customers"),
    (
        "customer_address_attribute_values",
        "address_id",
        "customer_addresses",
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use CustomerAttributes as A;
        manager
            .create_table(
                Table::create()
                    .table(A::Table)
                    .col(pk_auto(A::Id))
                    .col(string_len(A::EntityType, 16))
                    .col(string_len(A::Code, 60))
                    .col(string_len(A::Label, 255))
                    .col(text(A::StoreLabels))
                    .col(string_len(A::InputType, 16))
                    .col(boolean(A::IsRequired))
                    .col(text_null(A::DefaultValue))
                    .col(string_len(A::Validation, 32))
                    .col(integer_null(A::MinLength))
                    .col(integer_null(A::MaxLength))
                    .col(integer(A::MultilineCount))
                    .col(date_null(A::DateMin))
                    .col(date_null(A::DateMax))
                    .col(string_len(A::InputFilter, 16))
                    .col(boolean(A::ShowOnStorefront))
                    .col(integer(A::SortOrder))
                    .col(text(A::UsedInForms))
                    .col(boolean(A::IsUsedInGrid))
                    .col(boolean(A::IsFilterableInGrid))
                    .col(string_len(A::GridFilterCondition, 16))
                    .col(boolean(A::IsSearchableInGrid))
                    .col(boolean(A::IsUsedForSegment))
                    .col(integer(A::Version))
                    .col(timestamp_with_time_zone(A::CreatedAt))
                    .col(timestamp_with_time_zone(A::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_customer_attributes_entity_code")
                    .table(A::Table)
                    .col(A::EntityType)
                    .col(A::Code)
                    .unique()
                    .to_owned(),
            )
            .await?;
        use CustomerAttributeOptions as O;
        manager
            .create_table(
                Table::create()
                    .table(O::Table)
                    .col(pk_auto(O::Id))
                    .col(integer(O::AttributeId))
                    .col(string_len(O::Label, 255))
                    .col(text(O::StoreLabels))
                    .col(integer(O::SortOrder))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_customer_attribute_options_attribute")
                            .from(O::Table, O::AttributeId)
                            .to(A::Table, A::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_customer_attribute_options_attribute")
                    .table(O::Table)
                    .col(O::AttributeId)
                    .to_owned(),
            )
            .await?;
        for (table, owner_column, owner_table) in VALUE_TABLES {
            manager
                .create_table(value_table(table, owner_column, owner_table))
                .await?;
            manager
                .create_index(by_attribute(table, owner_column))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, _, _) in VALUE_TABLES {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        manager
            .drop_table(
                Table::drop()
                    .table(CustomerAttributeOptions::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(CustomerAttributes::Table).to_owned())
            .await
    }
}
