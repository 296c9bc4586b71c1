//! Test support for every crate that touches the database: runs a test body once on a fresh
//! in-memory SQLite database, and once more on a fresh PostgreSQL database when
//! `CLIENTELE_TEST_POSTGRES_URL` names a server. When that server is a Citus coordinator, each
//! fresh database is a Citus cluster of its own, over the same workers.

use std::future::Future;

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbErr, Statement};

/// Runs `body` on each test database. The body receives an empty (unmigrated) database.
pub async fn for_each_database<F, Fut>(body: F)
where
    F: Fn(DatabaseConnection) -> Fut,
    Fut: Future<Output = ()>,
{
    if !sqlite_skipped() {
        let sqlite = Database::connect("sqlite::memory:")
            .await
            .unwrap_or_else(|e| panic!("sqlite: {e}"));
        body(sqlite).await;
    }
    let Some(server) = std::env::var("CLIENTELE_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        return;
    };
    let name = format!("clientele_test_{}", uuid_like());
    create_database(&server, &name)
        .await
        .unwrap_or_else(|e| panic!("create database: {e}"));
    let db = Database::connect(&database_url(&server, &name))
        .await
        .unwrap_or_else(|e| panic!("postgres: {e}"));
    body(db.clone()).await;
    let _ = db.close().await;
    drop_database(&server, &name).await;
}

/// Whether `CLIENTELE_TEST_SKIP_SQLITE=1` asks for the PostgreSQL runs alone: a leg that repeats
/// the suite on another PostgreSQL server (Citus) after a full run has covered SQLite.
pub fn sqlite_skipped() -> bool {
    std::env::var("CLIENTELE_TEST_SKIP_SQLITE").is_ok_and(|v| v == "1")
}

/// Creates the empty database `name` on the server of `server_url`. On a Citus coordinator (its
/// database holds the `citus` extension and lists workers), the database is created on every
/// worker as well, with the extension on each node and the workers added, so that the
/// migrations distribute tables over the same cluster.
pub async fn create_database(server_url: &str, name: &str) -> Result<(), DbErr> {
    let admin = Database::connect(server_url).await?;
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await?;
    let nodes = citus_nodes(&admin).await?;
    let _ = admin.close().await;
    let Some((coordinator, workers)) = nodes else {
        return Ok(());
    };
    // The nodes are made ready side by side: creating the extension takes a while on each.
    let mut ready = tokio::task::JoinSet::new();
    for (host, port) in workers.clone() {
        let (server_url, name) = (server_url.to_owned(), name.to_owned());
        ready.spawn(async move {
            let worker = Database::connect(&node_url(&server_url, &host, port, "postgres")).await?;
            worker
                .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                .await?;
            let _ = worker.close().await;
            let worker = Database::connect(&node_url(&server_url, &host, port, &name)).await?;
            worker.execute_unprepared("CREATE EXTENSION citus").await?;
            let _ = worker.close().await;
            Ok::<(), DbErr>(())
        });
    }
    let db = Database::connect(&database_url(server_url, name)).await?;
    db.execute_unprepared("CREATE EXTENSION citus").await?;
    while let Some(done) = ready.join_next().await {
        done.map_err(|e| DbErr::Custom(format!("preparing a Citus worker: {e}")))??;
    }
    let (host, port) = coordinator;
    db.execute_unprepared(&format!(
        "SELECT citus_set_coordinator_host('{host}', {port})"
    ))
    .await?;
    for (host, port) in &workers {
        add_worker(&db, host, *port).await?;
    }
    let _ = db.close().await;
    Ok(())
}

/// Adds a worker to the Citus cluster of `db`. The metadata sync that adding a node starts can
/// collide with the new database's maintenance daemon on the worker ("tuple concurrently
/// updated"); adding the same node again is harmless, so a failed attempt is retried.
async fn add_worker(db: &DatabaseConnection, host: &str, port: i32) -> Result<(), DbErr> {
    let add = format!("SELECT citus_add_node('{host}', {port})");
    let mut attempt = 1;
    loop {
        match db.execute_unprepared(&add).await {
            Ok(_) => return Ok(()),
            Err(_) if attempt < 5 => {
                attempt += 1;
                tokio::time::sleep(std::time::Duration::from_millis(100 * attempt)).await;
            }
            Err(e) => return Err(e),
        }
    }
}

/// Drops database `name` from the server of `server_url` (and from its Citus workers), ignoring
/// failures: a test's leftovers must not fail the test.
pub async fn drop_database(server_url: &str, name: &str) {
    let Ok(admin) = Database::connect(server_url).await else {
        return;
    };
    let workers = citus_nodes(&admin).await.ok().flatten();
    let drop = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    let _ = admin.execute_unprepared(&drop).await;
    let _ = admin.close().await;
    for (host, port) in workers.map(|(_, w)| w).unwrap_or_default() {
        if let Ok(worker) = Database::connect(&node_url(server_url, &host, port, "postgres")).await
        {
            let _ = worker.execute_unprepared(&drop).await;
            let _ = worker.close().await;
        }
    }
}

/// A Citus node's address: host and port.
type Node = (String, i32);

/// The coordinator and the active workers when `admin` is connected to a Citus coordinator.
async fn citus_nodes(admin: &DatabaseConnection) -> Result<Option<(Node, Vec<Node>)>, DbErr> {
    if !crate::db::is_citus(admin).await? {
        return Ok(None);
    }
    let rows = admin
        .query_all_raw(Statement::from_string(
            admin.get_database_backend(),
            "SELECT nodename, nodeport, groupid FROM pg_dist_node \
             WHERE isactive AND noderole = 'primary' ORDER BY groupid",
        ))
        .await?;
    let mut coordinator = None;
    let mut workers = Vec::new();
    for row in rows {
        let node = (
            row.try_get::<String>("", "nodename")?,
            row.try_get::<i32>("", "nodeport")?,
        );
        if row.try_get::<i32>("", "groupid")? == 0 {
            coordinator = Some(node);
        } else {
            workers.push(node);
        }
    }
    Ok(coordinator.map(|c| (c, workers)))
}

/// The URL of database `name` on the node at `host:port`, with the credentials and parameters of
/// `server_url`.
fn node_url(server_url: &str, host: &str, port: i32, name: &str) -> String {
    let scheme_end = server_url.find("//").map_or(0, |i| i + 2);
    let rest = &server_url[scheme_end..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let user = rest[..authority_end]
        .rsplit_once('@')
        .map_or(String::new(), |(u, _)| format!("{u}@"));
    let with_node = format!(
        "{}{user}{host}:{port}{}",
        &server_url[..scheme_end],
        &rest[authority_end..]
    );
    database_url(&with_node, name)
}

/// The URL of database `name` on the server of `server_url`.
pub fn database_url(server_url: &str, name: &str) -> String {
    let (base, query) = match server_url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (server_url, None),
    };
    let base = base.trim_end_matches('/');
    let authority_start = base.find("//").map_or(0, |i| i + 2);
    let root = match base[authority_start..].find('/') {
        Some(i) => &base[..authority_start + i],
        None => base,
    };
    match query {
        Some(q) => format!("{root}/{name}?{q}"),
        None => format!("{root}/{name}"),
    }
}

fn uuid_like() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{:x}_{:x}", nanos, std::process::id())
}

#[cfg(test)]
mod tests {
    use super::{database_url, node_url};

    #[test]
    fn a_worker_url_keeps_the_credentials_and_parameters_of_the_server_url() {
        assert_eq!(
            node_url(
                "postgres://postgres@127.0.0.1:5440/postgres?sslmode=disable",
                "127.0.0.1",
                5441,
                "x"
            ),
            "postgres://postgres@127.0.0.1:5441/x?sslmode=disable"
        );
        assert_eq!(
            node_url("postgres://localhost", "w1", 5432, "x"),
            "postgres://w1:5432/x"
        );
    }

    #[test]
    fn database_names_replace_the_path_of_the_server_url() {
        assert_eq!(
            database_url("postgres://postgres@127.0.0.1:5432/postgres", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            database_url("postgres://postgres@127.0.0.1:5432", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            database_url("postgres://u@h/db?sslmode=disable", "x"),
            "postgres://u@h/x?sslmode=disable"
        );
    }
}
