//! Login as Customer: the sessions staff open as a consenting customer, the one-time codes that
//! open them from a storefront, and the append-only log of every such session and of every change
//! made in one. Triggers refuse updates and deletes of the log, so no code path can rewrite it;
//! only the table's owner could drop them, which is why production runs the API as a role that
//! does not own the schema where that matters.

use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum LoginAsCustomerSessions {
    Table,
    Id,
    CustomerId,
    WebsiteId,
    StaffUserId,
    StaffUserEmail,
    StaffSessionId,
    StoreViewId,
    CreatedAt,
    ExpiresAt,
    EndedAt,
}

#[derive(DeriveIden)]
enum LoginAsCustomerCodes {
    Table,
    CodeHash,
    CustomerId,
    StaffUserId,
    StaffSessionId,
    StoreViewId,
    Reason,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum LoginAsCustomerLog {
    Table,
    Id,
    CreatedAt,
    Action,
    Result,
    StaffUserId,
    StaffUserEmail,
    CustomerId,
    WebsiteId,
    StoreViewId,
    SessionId,
    Ip,
    Reason,
    Details,
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
                    .table(LoginAsCustomerSessions::Table)
                    .col(string_len(LoginAsCustomerSessions::Id, 36).primary_key())
                    .col(integer(LoginAsCustomerSessions::CustomerId))
                    .col(integer(LoginAsCustomerSessions::WebsiteId))
                    .col(integer(LoginAsCustomerSessions::StaffUserId))
                    .col(string_len(LoginAsCustomerSessions::StaffUserEmail, 254))
                    .col(string_len(LoginAsCustomerSessions::StaffSessionId, 36))
                    .col(integer_null(LoginAsCustomerSessions::StoreViewId))
                    .col(timestamp_with_time_zone(LoginAsCustomerSessions::CreatedAt))
                    .col(timestamp_with_time_zone(LoginAsCustomerSessions::ExpiresAt))
                    .col(timestamp_with_time_zone_null(
                        LoginAsCustomerSessions::EndedAt,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_lac_sessions_customer")
                            .from(
                                LoginAsCustomerSessions::Table,
                                LoginAsCustomerSessions::CustomerId,
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
                    .name("ix_lac_sessions_expires_at")
                    .table(LoginAsCustomerSessions::Table)
                    .col(LoginAsCustomerSessions::ExpiresAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LoginAsCustomerCodes::Table)
                    .col(string_len(LoginAsCustomerCodes::CodeHash, 64).primary_key())
                    .col(integer(LoginAsCustomerCodes::CustomerId))
                    .col(integer(LoginAsCustomerCodes::StaffUserId))
                    .col(string_len(LoginAsCustomerCodes::StaffSessionId, 36))
                    .col(integer_null(LoginAsCustomerCodes::StoreViewId))
                    .col(string_len(LoginAsCustomerCodes::Reason, 1000))
                    .col(timestamp_with_time_zone(LoginAsCustomerCodes::CreatedAt))
                    .col(timestamp_with_time_zone(LoginAsCustomerCodes::ExpiresAt))
                    .col(timestamp_with_time_zone_null(LoginAsCustomerCodes::UsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_lac_codes_customer")
                            .from(
                                LoginAsCustomerCodes::Table,
                                LoginAsCustomerCodes::CustomerId,
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
                    .name("ix_lac_codes_expires_at")
                    .table(LoginAsCustomerCodes::Table)
                    .col(LoginAsCustomerCodes::ExpiresAt)
                    .to_owned(),
            )
            .await?;
        // No foreign key to customers: the log outlives an erased customer, keeping only the id.
        manager
            .create_table(
                Table::create()
                    .table(LoginAsCustomerLog::Table)
                    .col(
                        big_integer(LoginAsCustomerLog::Id)
                            .primary_key()
                            .auto_increment(),
                    )
                    .col(timestamp_with_time_zone(LoginAsCustomerLog::CreatedAt))
                    .col(string_len(LoginAsCustomerLog::Action, 100))
                    .col(string_len(LoginAsCustomerLog::Result, 16))
                    .col(integer(LoginAsCustomerLog::StaffUserId))
                    .col(string_len(LoginAsCustomerLog::StaffUserEmail, 254))
                    .col(integer(LoginAsCustomerLog::CustomerId))
                    .col(integer(LoginAsCustomerLog::WebsiteId))
                    .col(integer_null(LoginAsCustomerLog::StoreViewId))
                    .col(string_len_null(LoginAsCustomerLog::SessionId, 36))
                    .col(string_len_null(LoginAsCustomerLog::Ip, 64))
                    .col(string_len_null(LoginAsCustomerLog::Reason, 1000))
                    .col(string_len_null(LoginAsCustomerLog::Details, 1000))
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("ix_lac_log_created_at", LoginAsCustomerLog::CreatedAt),
            ("ix_lac_log_customer_id", LoginAsCustomerLog::CustomerId),
            ("ix_lac_log_staff_user_id", LoginAsCustomerLog::StaffUserId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(LoginAsCustomerLog::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(
                    "CREATE FUNCTION login_as_customer_log_append_only() RETURNS trigger \
                     LANGUAGE plpgsql AS $$ BEGIN \
                     RAISE EXCEPTION 'login_as_customer_log is append-only'; END $$",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER login_as_customer_log_append_only \
                     BEFORE UPDATE OR DELETE ON login_as_customer_log \
                     FOR EACH ROW EXECUTE FUNCTION login_as_customer_log_append_only()",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER login_as_customer_log_no_truncate \
                     BEFORE TRUNCATE ON login_as_customer_log \
                     FOR EACH STATEMENT EXECUTE FUNCTION login_as_customer_log_append_only()",
                )
                .await?;
            }
            _ => {
                db.execute_unprepared(
                    "CREATE TRIGGER login_as_customer_log_no_update \
                     BEFORE UPDATE ON login_as_customer_log \
                     BEGIN SELECT RAISE(ABORT, 'login_as_customer_log is append-only'); END",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER login_as_customer_log_no_delete \
                     BEFORE DELETE ON login_as_customer_log \
                     BEGIN SELECT RAISE(ABORT, 'login_as_customer_log is append-only'); END",
                )
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(LoginAsCustomerLog::Table).to_owned())
            .await?;
        if manager.get_database_backend() == DbBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared("DROP FUNCTION IF EXISTS login_as_customer_log_append_only()")
                .await?;
        }
        manager
            .drop_table(Table::drop().table(LoginAsCustomerCodes::Table).to_owned())
            .await?;
        manager
            .drop_table(
                Table::drop()
                    .table(LoginAsCustomerSessions::Table)
                    .to_owned(),
            )
            .await
    }
}
