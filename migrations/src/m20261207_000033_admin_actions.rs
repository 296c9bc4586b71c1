//! The staff audit log: one line per admin operation (a change, a read of personal data, an
//! export), with who, what, which ids, the outcome, the request and the client address. On
//! PostgreSQL the database refuses to change a line, and to delete one younger than the shortest
//! retention (30 days), so neither a bug nor an injected statement can rewrite history; SQLite
//! refuses changes alike.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DbBackend;

use crate::placement;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum AdminActions {
    Table,
    Id,
    OccurredAt,
    ActorType,
    StaffUserId,
    IntegrationId,
    Operation,
    Kind,
    Targets,
    Outcome,
    ErrorCode,
    RequestId,
    Ip,
}

const TABLE: &str = "admin_actions";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AdminActions::Table)
                    .col(big_integer(AdminActions::Id).auto_increment().primary_key())
                    .col(timestamp_with_time_zone(AdminActions::OccurredAt))
                    .col(string_len(AdminActions::ActorType, 16))
                    .col(integer_null(AdminActions::StaffUserId))
                    .col(integer_null(AdminActions::IntegrationId))
                    .col(string_len(AdminActions::Operation, 128))
                    .col(string_len(AdminActions::Kind, 16))
                    .col(json_binary(AdminActions::Targets))
                    .col(string_len(AdminActions::Outcome, 16))
                    .col(string_len_null(AdminActions::ErrorCode, 64))
                    .col(string_len_null(AdminActions::RequestId, 128))
                    .col(string_len_null(AdminActions::Ip, 64))
                    .to_owned(),
            )
            .await?;
        // The retention purge deletes by age.
        manager
            .create_index(
                Index::create()
                    .name("ix_admin_actions_occurred_at")
                    .table(AdminActions::Table)
                    .col(AdminActions::OccurredAt)
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(
                    "CREATE FUNCTION admin_actions_append_only() RETURNS trigger \
                     LANGUAGE plpgsql AS $$ BEGIN \
                     IF TG_OP = 'DELETE' AND OLD.occurred_at < now() - interval '30 days' THEN \
                     RETURN OLD; END IF; \
                     RAISE EXCEPTION 'admin_actions is append-only'; END $$",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER admin_actions_append_only \
                     BEFORE UPDATE OR DELETE ON admin_actions \
                     FOR EACH ROW EXECUTE FUNCTION admin_actions_append_only()",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER admin_actions_no_truncate \
                     BEFORE TRUNCATE ON admin_actions \
                     FOR EACH STATEMENT EXECUTE FUNCTION admin_actions_append_only()",
                )
                .await?;
            }
            _ => {
                db.execute_unprepared(
                    "CREATE TRIGGER admin_actions_no_update BEFORE UPDATE ON admin_actions \
                     BEGIN SELECT RAISE(ABORT, 'admin_actions is append-only'); END",
                )
                .await?;
            }
        }
        placement::place(manager, &[TABLE]).await.map(|_| ())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AdminActions::Table).to_owned())
            .await?;
        if manager.get_database_backend() == DbBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared("DROP FUNCTION IF EXISTS admin_actions_append_only()")
                .await?;
        }
        Ok(())
    }
}
