//! Where every table lives on a Citus cluster: copied to every node (reference), hash-distributed
//! (by customer, with the customers, or by email key, with the email claims), or kept on the
//! coordinator alone. On PostgreSQL without the
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
    /// Hash-distributed by `by`, its shards on the same nodes as those of `with` (the first table
    /// of a co-location group names none). Its primary and unique keys include `by`, and its
    /// foreign keys to tables of its group do too, so that each check stays on one shard.
    Distributed {
        /// The distribution column.
        by: &'static str,
        /// The table whose shards this one's sit with; `None` starts a co-location group.
        with: Option<&'static str>,
    },
    /// On the coordinator only, with the reason.
    Coordinator(&'static str),
}

/// A table distributed by customer, co-located with the customers.
const BY_CUSTOMER: Placement = Placement::Distributed {
    by: "customer_id",
    with: Some("customers"),
};

/// A table distributed by email key, co-located with the email claims.
const BY_EMAIL: Placement = Placement::Distributed {
    by: "email_key",
    with: Some("customer_emails"),
};

/// Every table of the schema with its placement, referenced tables before the tables that
/// reference them, and the first table of each co-location group before the rest of it.
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
    (
        "customers",
        Placement::Distributed {
            by: "id",
            with: None,
        },
    ),
    ("customer_addresses", BY_CUSTOMER),
    ("customer_attribute_values", BY_CUSTOMER),
    ("customer_address_attribute_values", BY_CUSTOMER),
    ("customer_log", BY_CUSTOMER),
    ("customer_password_resets", BY_CUSTOMER),
    ("customer_sign_in_attempts", BY_CUSTOMER),
    ("login_as_customer_codes", BY_CUSTOMER),
    ("login_as_customer_sessions", BY_CUSTOMER),
    ("customer_events", BY_CUSTOMER),
    (
        "customer_emails",
        Placement::Distributed {
            by: "email_key",
            with: None,
        },
    ),
    // Guests subscribe too, so a subscription cannot always name a customer to sit with; it
    // sits with the claim on its email instead.
    ("newsletter_subscribers", BY_EMAIL),
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
    (
        "event_publications",
        Placement::Coordinator(
            "a queue: written with each event, drained in order by one webhook dispatcher at a \
             time (under an advisory lock)",
        ),
    ),
    (
        "webhooks",
        Placement::Coordinator(
            "a few rows of configuration, read in the same statements as the delivery queue",
        ),
    ),
    (
        "webhook_deliveries",
        Placement::Coordinator(
            "a queue: workers claim due deliveries with FOR UPDATE SKIP LOCKED, the oldest \
             pending one of each customer first, which a distributed table does not support \
             across shards",
        ),
    ),
    (
        "admin_actions",
        Placement::Coordinator(
            "append-only, as the Login as Customer log: one line per admin request, read by \
             staff, its triggers run on the coordinator",
        ),
    ),
    (
        "customer_erasures",
        Placement::Coordinator(
            "a record of erasures, a few a day, that must outlive the customer rows it names",
        ),
    ),
    (
        "customer_data_export_links",
        Placement::Coordinator(SHORT_LIVED),
    ),
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

const LOG: &str = "an audit log written a few times a day and read by staff";
const SHORT_LIVED: &str =
    "short-lived rows under hot upserts keyed by a client, written and expired in place";
const IMPORT_STAGING: &str = "staging of one import job at a time, claimed with leases (FOR \
                              UPDATE SKIP LOCKED) and deleted when the job ends";

/// Whether the database is a Citus coordinator (has the `citus` extension).
pub async fn is_citus(manager: &SchemaManager<'_>) -> Result<bool, DbErr> {
    clientele_kernel::db::is_citus(manager.get_connection()).await
}

/// The placement of `table` in [`TABLES`].
pub fn placement_of(table: &str) -> Option<Placement> {
    TABLES.iter().find(|(t, _)| *t == table).map(|(_, p)| *p)
}

/// Places every table of the schema that exists as [`TABLES`] says (see [`place`]): for a
/// database migrated before the `citus` extension was installed, and for the migration that
/// made the per-customer tables distributable. Returns whether the database is a Citus
/// coordinator (on any other, nothing is placed).
pub async fn place_all(manager: &SchemaManager<'_>) -> Result<bool, DbErr> {
    let mut tables = Vec::new();
    for (table, _) in TABLES {
        if manager.has_table(*table).await? {
            tables.push(*table);
        }
    }
    place(manager, &tables).await
}

/// Places `tables` as [`TABLES`] says when the database is a Citus coordinator; nothing
/// otherwise. A table already placed is left alone, so a migration run again does no harm. Runs
/// inside the migration's transaction: a failure places nothing. Returns whether the database is
/// a Citus coordinator.
pub async fn place(manager: &SchemaManager<'_>, tables: &[&str]) -> Result<bool, DbErr> {
    if !is_citus(manager).await? {
        return Ok(false);
    }
    let db = manager.get_connection();
    // Foreign keys added to a table placed earlier in the same transaction must travel over the
    // connection that placed it.
    db.execute_unprepared("SET LOCAL citus.multi_shard_modify_mode TO 'sequential'")
        .await?;
    let mut pending = Vec::new();
    for table in tables {
        let placement = placement_of(table).ok_or_else(|| {
            DbErr::Migration(format!(
                "table {table} has no placement in placement::TABLES"
            ))
        })?;
        if !is_placed(db, table, placement).await? {
            pending.push((*table, placement));
        }
    }
    // A plain table that references a reference table becomes a Citus local table, which can
    // be neither distributed while others reference it nor rid of its identity columns; so the
    // foreign keys of the tables to distribute are set aside until every table is placed.
    let distributed: Vec<&str> = pending
        .iter()
        .filter(|(_, p)| matches!(p, Placement::Distributed { .. }))
        .map(|(t, _)| *t)
        .collect();
    let foreign_keys = set_aside_foreign_keys(db, &distributed).await?;
    for (table, placement) in pending {
        match placement {
            Placement::Reference => {
                db.execute_raw(Statement::from_sql_and_values(
                    DbBackend::Postgres,
                    "SELECT create_reference_table($1)",
                    [table.into()],
                ))
                .await?;
                continue_identities(db, table).await?;
            }
            Placement::Distributed { by, with } => {
                db.execute_raw(Statement::from_sql_and_values(
                    DbBackend::Postgres,
                    "SELECT create_distributed_table($1, $2, colocate_with => $3)",
                    [table.into(), by.into(), with.unwrap_or("none").into()],
                ))
                .await?;
            }
            Placement::Coordinator(_) => {}
        }
    }
    for (table, name, definition) in foreign_keys {
        db.execute_unprepared(&format!(
            "ALTER TABLE {table} ADD CONSTRAINT {name} {definition}"
        ))
        .await?;
    }
    Ok(true)
}

/// Whether `table` is already placed as `placement` says.
async fn is_placed(
    db: &impl ConnectionTrait,
    table: &str,
    placement: Placement,
) -> Result<bool, DbErr> {
    // A reference table has replication model 't'; a distributed one is hash-partitioned.
    let condition = match placement {
        Placement::Reference => "repmodel = 't'",
        Placement::Distributed { .. } => "partmethod = 'h'",
        Placement::Coordinator(_) => return Ok(true),
    };
    let found = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            format!(
                "SELECT 1 AS found FROM pg_dist_partition \
                 WHERE logicalrelid = $1::regclass AND {condition}"
            ),
            [table.into()],
        ))
        .await?;
    Ok(found.is_some())
}

/// Drops the foreign keys of `tables` and returns them as (table, name, definition) to be
/// added again.
async fn set_aside_foreign_keys(
    db: &impl ConnectionTrait,
    tables: &[&str],
) -> Result<Vec<(String, String, String)>, DbErr> {
    let mut found = Vec::new();
    for table in tables {
        let rows = db
            .query_all_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT conname::text AS name, pg_get_constraintdef(oid) AS definition \
                 FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'f' \
                 ORDER BY conname",
                [(*table).into()],
            ))
            .await?;
        for row in rows {
            let name: String = row.try_get("", "name")?;
            let definition: String = row.try_get("", "definition")?;
            db.execute_unprepared(&format!("ALTER TABLE {table} DROP CONSTRAINT {name}"))
                .await?;
            found.push(((*table).to_owned(), name, definition));
        }
    }
    Ok(found)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_table_sits_with_a_group_placed_before_it() {
        for (i, (table, placement)) in TABLES.iter().enumerate() {
            let Placement::Distributed {
                with: Some(with), ..
            } = placement
            else {
                continue;
            };
            let anchor = TABLES[..i].iter().find(|(t, _)| t == with);
            assert!(
                matches!(anchor, Some((_, Placement::Distributed { with: None, .. }))),
                "{table} sits with {with}, which must come before it and start its group"
            );
        }
    }

    #[test]
    fn every_table_is_listed_once() {
        for (i, (table, _)) in TABLES.iter().enumerate() {
            assert!(
                !TABLES[i + 1..].iter().any(|(t, _)| t == table),
                "{table} is listed twice"
            );
        }
    }
}
