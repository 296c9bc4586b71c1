//! Customer tax classes and customer groups, seeded with Adobe Commerce's ids:
//! tax class 3 `Retail Customer`; groups 0 `NOT LOGGED IN`, 1 `General`, 2 `Wholesale`, 3 `Retailer`.

use sea_orm_migration::{prelude::*, schema::*};

use crate::seed::seed;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum CustomerTaxClasses {
    Table,
    Id,
    Name,
    NameKey,
}

#[derive(DeriveIden)]
enum CustomerGroups {
    Table,
    Id,
    Name,
    NameKey,
    TaxClassId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CustomerGroupExcludedWebsites {
    Table,
    GroupId,
    WebsiteId,
}

#[derive(DeriveIden)]
enum Websites {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CustomerTaxClasses::Table)
                    .col(pk_auto(CustomerTaxClasses::Id))
                    .col(string_len(CustomerTaxClasses::Name, 255))
                    .col(string_len_uniq(CustomerTaxClasses::NameKey, 255))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CustomerGroups::Table)
                    .col(pk_auto(CustomerGroups::Id))
                    .col(string_len(CustomerGroups::Name, 32))
                    .col(string_len_uniq(CustomerGroups::NameKey, 32))
                    .col(integer(CustomerGroups::TaxClassId))
                    .col(timestamp_with_time_zone(CustomerGroups::CreatedAt))
                    .col(timestamp_with_time_zone(CustomerGroups::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_customer_groups_tax_class")
                            .from(CustomerGroups::Table, CustomerGroups::TaxClassId)
                            .to(CustomerTaxClasses::Table, CustomerTaxClasses::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CustomerGroupExcludedWebsites::Table)
                    .col(integer(CustomerGroupExcludedWebsites::GroupId))
                    .col(integer(CustomerGroupExcludedWebsites::WebsiteId))
                    .primary_key(
                        Index::create()
                            .col(CustomerGroupExcludedWebsites::GroupId)
                            .col(CustomerGroupExcludedWebsites::WebsiteId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_group_excluded_websites_group")
                            .from(
                                CustomerGroupExcludedWebsites::Table,
                                CustomerGroupExcludedWebsites::GroupId,
                            )
                            .to(CustomerGroups::Table, CustomerGroups::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_group_excluded_websites_website")
                            .from(
                                CustomerGroupExcludedWebsites::Table,
                                CustomerGroupExcludedWebsites::WebsiteId,
                            )
                            .to(Websites::Table, Websites::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        let now = "'2026-11-23T00:00:00+00:00'";
        let groups = [
            (0, "NOT LOGGED IN"),
            (1, "General"),
            (2, "Wholesale"),
            (3, "Retailer"),
        ]
        .map(|(id, name)| {
            format!(
                "INSERT INTO customer_groups (id, name, name_key, tax_class_id, created_at, updated_at) VALUES ({id}, '{name}', '{}', 3, {now}, {now})",
                name.to_lowercase()
            )
        });
        let mut statements = vec![
            "INSERT INTO customer_tax_classes (id, name, name_key) VALUES (3, 'Retail Customer', 'retail customer')",
        ];
        statements.extend(groups.iter().map(String::as_str));
        seed(
            manager,
            &statements,
            &["customer_tax_classes", "customer_groups"],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "customer_group_excluded_websites",
            "customer_groups",
            "customer_tax_classes",
        ] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
