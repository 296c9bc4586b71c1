//! Every table of the schema states where it lives on a Citus cluster, and on a Citus coordinator
//! every table is placed so: reference tables are copied to every node (one co-location group of
//! their own), distributed tables are spread by their column next to the tables they go with,
//! coordinator tables stay on the coordinator.

use clientele_tests::db_test;
use migration::placement::{Placement, TABLES, placement_of};
use sea_orm::{ConnectionTrait, DbBackend, Statement};

/// The tables of the migrated database, but the migrations' own bookkeeping.
async fn tables(app: &clientele_tests::TestApp) -> Vec<String> {
    let db = &app.services.db;
    let sql = match db.get_database_backend() {
        DbBackend::Sqlite => {
            "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        }
        _ => "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public'",
    };
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .expect("tables");
    rows.iter()
        .map(|r| r.try_get::<String>("", "t").expect("name"))
        .filter(|t| t != "seaql_migrations")
        .collect()
}

db_test!(every_table_states_its_placement_and_is_placed_so, |app| {
    let tables = tables(app).await;
    let unplaced: Vec<&String> = tables
        .iter()
        .filter(|t| placement_of(t).is_none())
        .collect();
    assert!(
        unplaced.is_empty(),
        "tables without a placement in migration::placement::TABLES: {unplaced:?}"
    );
    let stale: Vec<&str> = TABLES
        .iter()
        .map(|(t, _)| *t)
        .filter(|t| !tables.iter().any(|have| have == t))
        .collect();
    assert!(stale.is_empty(), "placements of no table: {stale:?}");

    let db = &app.services.db;
    if !clientele_kernel::db::is_citus(db)
        .await
        .expect("extensions")
    {
        return;
    }
    // partmethod 'n' is "not distributed": a reference table (replication model 't') or a table
    // kept on the coordinator that Citus tracks for its foreign keys to reference tables.
    let rows = db
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT p.logicalrelid::text AS t, p.partmethod::text AS method, \
                    p.repmodel::text AS model, c.shardcount AS shards, \
                    p.colocationid AS colocation, \
                    COALESCE(column_to_column_name(p.logicalrelid, p.partkey), '') AS by, \
                    (SELECT count(*)::int FROM pg_dist_shard s \
                     JOIN pg_dist_placement pl ON pl.shardid = s.shardid \
                     WHERE s.logicalrelid = p.logicalrelid) AS copies \
             FROM pg_dist_partition p \
             LEFT JOIN pg_dist_colocation c ON c.colocationid = p.colocationid",
        ))
        .await
        .expect("pg_dist_partition");
    let nodes = db
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT count(*)::int AS n FROM pg_dist_node WHERE isactive AND noderole = 'primary'",
        ))
        .await
        .expect("pg_dist_node")
        .expect("row")
        .try_get::<i32>("", "n")
        .expect("n");
    let row_of = |t: &str| {
        rows.iter()
            .find(|r| r.try_get::<String>("", "t").ok().as_deref() == Some(t))
    };
    for (table, placement) in TABLES {
        let row = row_of(table);
        let field = |name: &str| {
            row.and_then(|r| r.try_get::<String>("", name).ok())
                .unwrap_or_default()
        };
        match placement {
            Placement::Reference => {
                assert_eq!(field("method"), "n", "{table} is a reference table");
                assert_eq!(field("model"), "t", "{table} is a reference table");
                let (shards, copies) = row
                    .map(|r| {
                        (
                            r.try_get::<i32>("", "shards").unwrap_or(-1),
                            r.try_get::<i32>("", "copies").unwrap_or(-1),
                        )
                    })
                    .unwrap_or((-1, -1));
                assert_eq!(shards, 1, "{table}: one shard");
                assert_eq!(copies, nodes, "{table}: a copy on every node");
            }
            Placement::Distributed { by, with } => {
                assert_eq!(field("method"), "h", "{table} is hash-distributed");
                assert_eq!(field("by"), *by, "{table} is distributed by {by}");
                let colocation =
                    |t: &str| row_of(t).and_then(|r| r.try_get::<i32>("", "colocation").ok());
                if let Some(with) = with {
                    assert_eq!(
                        colocation(table),
                        colocation(with),
                        "{table} sits with {with}"
                    );
                }
            }
            Placement::Coordinator(_) => {
                assert_ne!(
                    field("model"),
                    "t",
                    "{table} stays on the coordinator, not copied"
                );
                assert!(
                    matches!(field("method").as_str(), "" | "n"),
                    "{table} stays on the coordinator, not distributed"
                );
            }
        }
    }
});
