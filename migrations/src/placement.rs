//! Where every table lives on a Citus cluster: copied to every node (reference), hash-distributed
//! and co-located with the customers, or kept on the coordinator alone. On PostgreSQL without the
//! `citus` extension, and on SQLite, every table is a plain table and this module does nothing;
//! the schema is the same everywhere. `docs/operators/scaling.md` explains the plan.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};

/// Where one table lives on a Citus cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Copied to every node: small, read by per-customer queries on every shard, written rarely
    /// (each write reaches every node in one distributed transaction).
    Reference,
    /// On the coordinator only, with the reason.
    Coordinator(&'static str),
}

/// Every table of the schema with its placement, referenced tables before the tables that
/// reference them (Citus places a table only after the tables its foreign keys point to).
pub const TABLES: &[(&str, Placement)] = &[
    ("websites", Placement::Reference),
    ("store_groups", Placement::Reference),
    ("store_views", Placement::Reference),
    ("config_values", Placement::Reference),
    ("customer_tax_classes", Placement::Reference),
    ("customer_groups", Placement::Reference),
    ("customer_group_excluded_websites", Placement::Reference),
    ("customer_attributes", Placement::Reference),
    ("customer_attribute_options", Placement::Reference),
    ("admin_roles", Placement::Reference),
    ("admin_role_resources", Placement::Reference),
    ("admin_role_websites", Placement::Reference),
    ("staff_users", Placement::Reference),
    ("integrations", Placement::Reference),
    ("integration_resources", Placement::Reference),
    ("customer_grid_views", Placement::Reference),
    ("signing_keys", Placement::Reference),
    ("email_templates", Placement::Reference),
    ("customers", Placement::Coordinator(CUSTOMER_DATA)),
    ("customer_addresses", Placement::Coordinator(CUSTOMER_DATA)),
    (
        "customer_attribute_values",
        Placement::Coordinator(CUSTOMER_DATA),
    ),
    (
        "customer_address_attribute_values",
        Placement::Coordinator(CUSTOMER_DATA),
    ),
    ("customer_log", Placement::Coordinator(CUSTOMER_DATA)),
    (
        "customer_password_resets",
        Placement::Coordinator(CUSTOMER_DATA),
    ),
    (
        "customer_sign_in_attempts",
        Placement::Coordinator(CUSTOMER_DATA),
    ),
    (
        "login_as_customer_codes",
        Placement::Coordinator(CUSTOMER_DATA),
    ),
    (
        "login_as_customer_sessions",
        Placement::Coordinator(CUSTOMER_DATA),
    ),
    (
        "newsletter_subscribers",
        Placement::Coordinator(CUSTOMER_DATA),
    ),
    (
        "customer_emails",
        Placement::Coordinator(
            "per-email data, to be distributed by the email key together with the customers",
        ),
    ),
    (
        "login_as_customer_log",
        Placement::Coordinator(
            "append-only: its triggers refuse updates and deletes, and Citus runs no triggers on \
             distributed tables",
        ),
    ),
    (
        "email_outbox",
        Placement::Coordinator(
            "a queue: senders claim messages with FOR UPDATE SKIP LOCKED, which a distributed \
             table does not support across shards",
        ),
    ),
    ("email_template_changes", Placement::Coordinator(LOG)),
    ("idempotency_keys", Placement::Coordinator(SHORT_LIVED)),
    ("request_throttle", Placement::Coordinator(SHORT_LIVED)),
    (
        "password_reset_requests",
        Placement::Coordinator(SHORT_LIVED),
    ),
    (
        "staff_sessions",
        Placement::Coordinator(
            "read once per node (credentials are remembered) and written at sign-in and sign-out: \
             copying it to every node would only slow those writes",
        ),
    ),
    ("visitors", Placement::Coordinator(SHORT_LIVED)),
    ("import_jobs", Placement::Coordinator(IMPORT_STAGING)),
    ("import_job_chunks", Placement::Coordinator(IMPORT_STAGING)),
    (
        "import_job_password_hashes",
        Placement::Coordinator(IMPORT_STAGING),
    ),
];

const CUSTOMER_DATA: &str = "per-customer data, to be distributed by customer once its keys \
                             include the customer id (the next step of the plan)";
const LOG: &str = "an audit log written a few times a day and read by staff";
const SHORT_LIVED: &str =
    "short-lived rows under hot upserts keyed by a client, written and expired in place";
const IMPORT_STAGING: &str = "staging of one import job at a time, claimed with leases (FOR \
                              UPDATE SKIP LOCKED) and deleted when the job ends";

/// Whether the database is a Citus coordinator (has the `citus` extension).
pub async fn is_citus(manager: &SchemaManager<'_>) -> Result<bool, DbErr> {
    let db = manager.get_connection();
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(false);
    }
    let found = db
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT 1 AS found FROM pg_extension WHERE extname = 'citus'",
        ))
        .await?;
    Ok(found.is_some())
}

/// The placement of `table` in [`TABLES`].
pub fn placement_of(table: &str) -> Option<Placement> {
    TABLES.iter().find(|(t, _)| *t == table).map(|(_, p)| *p)
}

/// Places `tables` as [`TABLES`] says when the database is a Citus coordinator; nothing
/// otherwise. A table already placed is left alone, so a migration run again does no harm.
pub async fn place(manager: &SchemaManager<'_>, tables: &[&str]) -> Result<(), DbErr> {
    if !is_citus(manager).await? {
        return Ok(());
    }
    let db = manager.get_connection();
    for table in tables {
        let placement = placement_of(table).ok_or_else(|| {
            DbErr::Migration(format!(
                "table {table} has no placement in placement::TABLES"
            ))
        })?;
        // A table with a foreign key to a reference table is already tracked by Citus as a
        // "Citus local table"; create_reference_table turns it into a reference table too.
        let copied = db
            .query_one_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT 1 AS found FROM pg_dist_partition \
                 WHERE logicalrelid = $1::regclass AND repmodel = 't'",
                [(*table).into()],
            ))
            .await?
            .is_some();
        match placement {
            Placement::Reference if !copied => {
                db.execute_raw(Statement::from_sql_and_values(
                    DbBackend::Postgres,
                    "SELECT create_reference_table($1)",
                    [(*table).into()],
                ))
                .await?;
                continue_identities(db, table).await?;
            }
            Placement::Reference | Placement::Coordinator(_) => {}
        }
    }
    Ok(())
}

/// Moves the identity sequences of `table` past its rows. Placing a table that Citus already
/// tracked (a Citus local table) rebuilds it with fresh sequences, which would hand out the ids
/// of the seeded rows again.
async fn continue_identities(db: &impl ConnectionTrait, table: &str) -> Result<(), DbErr> {
    let columns = db
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT attname::text AS name FROM pg_attribute \
             WHERE attrelid = $1::regclass AND attidentity <> '' AND NOT attisdropped",
            [table.into()],
        ))
        .await?;
    for column in columns {
        let column: String = column.try_get("", "name")?;
        db.execute_unprepared(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', '{column}'), \
             (SELECT COALESCE(MAX({column}), 0) + 1 FROM {table}), false)"
        ))
        .await?;
    }
    Ok(())
}
