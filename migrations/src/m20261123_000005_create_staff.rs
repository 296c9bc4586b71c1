//! Staff access: admin roles made of ACL resources, staff users, their sign-in sessions, and
//! integrations (named API tokens). Seeds the built-in `Administrators` role (id 1) with every resource.

use sea_orm_migration::{prelude::*, schema::*};

use crate::seed::seed;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum AdminRoles {
    Table,
    Id,
    Name,
    NameKey,
    AllResources,
    AllWebsites,
    IsBuiltIn,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AdminRoleResources {
    Table,
    RoleId,
    Resource,
}

#[derive(DeriveIden)]
enum AdminRoleWebsites {
    Table,
    RoleId,
    WebsiteId,
}

#[derive(DeriveIden)]
enum StaffUsers {
    Table,
    Id,
    Email,
    EmailKey,
    Name,
    PasswordHash,
    IsActive,
    RoleId,
    FailuresNum,
    FirstFailure,
    LockExpires,
    LastLoginAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum StaffSessions {
    Table,
    Id,
    StaffUserId,
    CreatedAt,
    ExpiresAt,
    RevokedAt,
    ClientIp,
}

#[derive(DeriveIden)]
enum Integrations {
    Table,
    Id,
    Name,
    NameKey,
    TokenHash,
    TokenHint,
    AllResources,
    CreatedBy,
    CreatedAt,
    LastUsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum IntegrationResources {
    Table,
    IntegrationId,
    Resource,
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
                    .table(AdminRoles::Table)
                    .col(pk_auto(AdminRoles::Id))
                    .col(string_len(AdminRoles::Name, 64))
                    .col(string_len_uniq(AdminRoles::NameKey, 64))
                    .col(boolean(AdminRoles::AllResources).default(false))
                    .col(boolean(AdminRoles::AllWebsites).default(true))
                    .col(boolean(AdminRoles::IsBuiltIn).default(false))
                    .col(timestamp_with_time_zone(AdminRoles::CreatedAt))
                    .col(timestamp_with_time_zone(AdminRoles::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AdminRoleResources::Table)
                    .col(integer(AdminRoleResources::RoleId))
                    .col(string_len(AdminRoleResources::Resource, 128))
                    .primary_key(
                        Index::create()
                            .col(AdminRoleResources::RoleId)
                            .col(AdminRoleResources::Resource),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_admin_role_resources_role")
                            .from(AdminRoleResources::Table, AdminRoleResources::RoleId)
                            .to(AdminRoles::Table, AdminRoles::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AdminRoleWebsites::Table)
                    .col(integer(AdminRoleWebsites::RoleId))
                    .col(integer(AdminRoleWebsites::WebsiteId))
                    .primary_key(
                        Index::create()
                            .col(AdminRoleWebsites::RoleId)
                            .col(AdminRoleWebsites::WebsiteId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_admin_role_websites_role")
                            .from(AdminRoleWebsites::Table, AdminRoleWebsites::RoleId)
                            .to(AdminRoles::Table, AdminRoles::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_admin_role_websites_website")
                            .from(AdminRoleWebsites::Table, AdminRoleWebsites::WebsiteId)
                            .to(Websites::Table, Websites::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(StaffUsers::Table)
                    .col(pk_auto(StaffUsers::Id))
                    .col(string_len(StaffUsers::Email, 254))
                    .col(string_len_uniq(StaffUsers::EmailKey, 254))
                    .col(string_len(StaffUsers::Name, 255))
                    .col(text(StaffUsers::PasswordHash))
                    .col(boolean(StaffUsers::IsActive).default(true))
                    .col(integer(StaffUsers::RoleId))
                    .col(integer(StaffUsers::FailuresNum).default(0))
                    .col(timestamp_with_time_zone_null(StaffUsers::FirstFailure))
                    .col(timestamp_with_time_zone_null(StaffUsers::LockExpires))
                    .col(timestamp_with_time_zone_null(StaffUsers::LastLoginAt))
                    .col(timestamp_with_time_zone(StaffUsers::CreatedAt))
                    .col(timestamp_with_time_zone(StaffUsers::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_staff_users_role")
                            .from(StaffUsers::Table, StaffUsers::RoleId)
                            .to(AdminRoles::Table, AdminRoles::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(StaffSessions::Table)
                    .col(string_len(StaffSessions::Id, 36).primary_key())
                    .col(integer(StaffSessions::StaffUserId))
                    .col(timestamp_with_time_zone(StaffSessions::CreatedAt))
                    .col(timestamp_with_time_zone(StaffSessions::ExpiresAt))
                    .col(timestamp_with_time_zone_null(StaffSessions::RevokedAt))
                    .col(string_len_null(StaffSessions::ClientIp, 64))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_staff_sessions_user")
                            .from(StaffSessions::Table, StaffSessions::StaffUserId)
                            .to(StaffUsers::Table, StaffUsers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_staff_sessions_user")
                    .table(StaffSessions::Table)
                    .col(StaffSessions::StaffUserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Integrations::Table)
                    .col(pk_auto(Integrations::Id))
                    .col(string_len(Integrations::Name, 255))
                    .col(string_len_uniq(Integrations::NameKey, 255))
                    .col(string_len_uniq(Integrations::TokenHash, 64))
                    .col(string_len(Integrations::TokenHint, 16))
                    .col(boolean(Integrations::AllResources).default(false))
                    .col(integer_null(Integrations::CreatedBy))
                    .col(timestamp_with_time_zone(Integrations::CreatedAt))
                    .col(timestamp_with_time_zone_null(Integrations::LastUsedAt))
                    .col(timestamp_with_time_zone_null(Integrations::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_integrations_created_by")
                            .from(Integrations::Table, Integrations::CreatedBy)
                            .to(StaffUsers::Table, StaffUsers::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(IntegrationResources::Table)
                    .col(integer(IntegrationResources::IntegrationId))
                    .col(string_len(IntegrationResources::Resource, 128))
                    .primary_key(
                        Index::create()
                            .col(IntegrationResources::IntegrationId)
                            .col(IntegrationResources::Resource),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_integration_resources_integration")
                            .from(
                                IntegrationResources::Table,
                                IntegrationResources::IntegrationId,
                            )
                            .to(Integrations::Table, Integrations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        seed(
            manager,
            &["INSERT INTO admin_roles (id, name, name_key, all_resources, all_websites, is_built_in, created_at, updated_at) VALUES (1, 'Administrators', 'administrators', TRUE, TRUE, TRUE, '2026-11-23T00:00:00+00:00', '2026-11-23T00:00:00+00:00')"],
            &["admin_roles"],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "integration_resources",
            "integrations",
            "staff_sessions",
            "staff_users",
            "admin_role_websites",
            "admin_role_resources",
            "admin_roles",
        ] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
