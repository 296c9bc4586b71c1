//! Customer accounts and their address books.
//!
//! Email uniqueness is enforced by the database on `(email_scope_id, email_key)`: the scope is the
//! website under per-website account sharing and 0 under global sharing, so two concurrent sign-ups
//! with the same email can never both succeed. The default billing address's fields are copied onto
//! the customer row (`billing_*`, `search_text`) in the same transaction as every address change,
//! so the Customers grid filters, sorts and searches one table and is never stale.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Customers {
    Table,
    Id,
    WebsiteId,
    EmailScopeId,
    Email,
    EmailKey,
    GroupId,
    StoreId,
    CreatedIn,
    Prefix,
    Firstname,
    Middlename,
    Lastname,
    Suffix,
    Dob,
    Taxvat,
    Gender,
    IsActive,
    PasswordHash,
    Confirmation,
    FailuresNum,
    FirstFailure,
    LockExpires,
    AllowRemoteShoppingAssistance,
    DisableAutoGroupChange,
    DefaultBillingId,
    DefaultShippingId,
    BillingTelephone,
    BillingPostcode,
    BillingCountryCode,
    BillingRegion,
    BillingCity,
    BillingCompany,
    BillingStreet,
    BillingVatId,
    BillingFax,
    SearchText,
    TokensValidAfter,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CustomerAddresses {
    Table,
    Id,
    CustomerId,
    Prefix,
    Firstname,
    Middlename,
    Lastname,
    Suffix,
    Company,
    Street,
    City,
    Region,
    RegionCode,
    Postcode,
    CountryCode,
    Telephone,
    Fax,
    VatId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Websites {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum StoreViews {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum CustomerGroups {
    Table,
    Id,
}

async fn index(
    manager: &SchemaManager<'_>,
    name: &str,
    columns: &[Customers],
) -> Result<(), DbErr> {
    let mut statement = Index::create();
    statement.name(name).table(Customers::Table);
    for column in columns {
        statement.col(*column);
    }
    manager.create_index(statement.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Customers::Table)
                    .col(pk_auto(Customers::Id))
                    .col(integer(Customers::WebsiteId))
                    .col(integer(Customers::EmailScopeId))
                    .col(string_len(Customers::Email, 254))
                    .col(string_len(Customers::EmailKey, 254))
                    .col(integer(Customers::GroupId))
                    .col(integer_null(Customers::StoreId))
                    .col(string_len(Customers::CreatedIn, 255).default(""))
                    .col(string_len_null(Customers::Prefix, 40))
                    .col(string_len(Customers::Firstname, 255))
                    .col(string_len_null(Customers::Middlename, 255))
                    .col(string_len(Customers::Lastname, 255))
                    .col(string_len_null(Customers::Suffix, 40))
                    .col(date_null(Customers::Dob))
                    .col(string_len_null(Customers::Taxvat, 50))
                    .col(small_integer_null(Customers::Gender))
                    .col(boolean(Customers::IsActive).default(true))
                    .col(text_null(Customers::PasswordHash))
                    .col(string_len_null(Customers::Confirmation, 64))
                    .col(integer(Customers::FailuresNum).default(0))
                    .col(timestamp_with_time_zone_null(Customers::FirstFailure))
                    .col(timestamp_with_time_zone_null(Customers::LockExpires))
                    .col(boolean(Customers::AllowRemoteShoppingAssistance).default(false))
                    .col(boolean(Customers::DisableAutoGroupChange).default(false))
                    .col(integer_null(Customers::DefaultBillingId))
                    .col(integer_null(Customers::DefaultShippingId))
                    .col(string_len_null(Customers::BillingTelephone, 255))
                    .col(string_len_null(Customers::BillingPostcode, 255))
                    .col(string_len_null(Customers::BillingCountryCode, 2))
                    .col(string_len_null(Customers::BillingRegion, 255))
                    .col(string_len_null(Customers::BillingCity, 255))
                    .col(string_len_null(Customers::BillingCompany, 255))
                    .col(text_null(Customers::BillingStreet))
                    .col(string_len_null(Customers::BillingVatId, 50))
                    .col(string_len_null(Customers::BillingFax, 255))
                    .col(text(Customers::SearchText).default(""))
                    .col(timestamp_with_time_zone_null(Customers::TokensValidAfter))
                    .col(integer(Customers::Version).default(1))
                    .col(timestamp_with_time_zone(Customers::CreatedAt))
                    .col(timestamp_with_time_zone(Customers::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_customers_website")
                            .from(Customers::Table, Customers::WebsiteId)
                            .to(Websites::Table, Websites::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_customers_group")
                            .from(Customers::Table, Customers::GroupId)
                            .to(CustomerGroups::Table, CustomerGroups::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_customers_store")
                            .from(Customers::Table, Customers::StoreId)
                            .to(StoreViews::Table, StoreViews::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_customers_email_scope")
                    .table(Customers::Table)
                    .col(Customers::EmailScopeId)
                    .col(Customers::EmailKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        index(manager, "ix_customers_email_key", &[Customers::EmailKey]).await?;
        index(
            manager,
            "ix_customers_group",
            &[Customers::GroupId, Customers::Id],
        )
        .await?;
        index(
            manager,
            "ix_customers_website",
            &[Customers::WebsiteId, Customers::Id],
        )
        .await?;
        index(
            manager,
            "ix_customers_created_at",
            &[Customers::CreatedAt, Customers::Id],
        )
        .await?;
        index(
            manager,
            "ix_customers_lastname",
            &[Customers::Lastname, Customers::Id],
        )
        .await?;
        index(
            manager,
            "ix_customers_firstname",
            &[Customers::Firstname, Customers::Id],
        )
        .await?;
        index(
            manager,
            "ix_customers_billing_postcode",
            &[Customers::BillingPostcode],
        )
        .await?;
        index(
            manager,
            "ix_customers_billing_telephone",
            &[Customers::BillingTelephone],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(CustomerAddresses::Table)
                    .col(pk_auto(CustomerAddresses::Id))
                    .col(integer(CustomerAddresses::CustomerId))
                    .col(string_len_null(CustomerAddresses::Prefix, 40))
                    .col(string_len(CustomerAddresses::Firstname, 255))
                    .col(string_len_null(CustomerAddresses::Middlename, 255))
                    .col(string_len(CustomerAddresses::Lastname, 255))
                    .col(string_len_null(CustomerAddresses::Suffix, 40))
                    .col(string_len_null(CustomerAddresses::Company, 255))
                    .col(text(CustomerAddresses::Street))
                    .col(string_len(CustomerAddresses::City, 255))
                    .col(string_len_null(CustomerAddresses::Region, 255))
                    .col(string_len_null(CustomerAddresses::RegionCode, 16))
                    .col(string_len_null(CustomerAddresses::Postcode, 255))
                    .col(string_len(CustomerAddresses::CountryCode, 2))
                    .col(string_len_null(CustomerAddresses::Telephone, 255))
                    .col(string_len_null(CustomerAddresses::Fax, 255))
                    .col(string_len_null(CustomerAddresses::VatId, 50))
                    .col(timestamp_with_time_zone(CustomerAddresses::CreatedAt))
                    .col(timestamp_with_time_zone(CustomerAddresses::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_customer_addresses_customer")
                            .from(CustomerAddresses::Table, CustomerAddresses::CustomerId)
                            .to(Customers::Table, Customers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_customer_addresses_customer")
                    .table(CustomerAddresses::Table)
                    .col(CustomerAddresses::CustomerId)
                    .col(CustomerAddresses::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["customer_addresses", "customers"] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
