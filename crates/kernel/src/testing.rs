//! Test support for every crate that touches the database: runs a test body once on a fresh
//! in-memory SQLite database, and once more on a fresh PostgreSQL database when
//! `CLIENTELE_TEST_POSTGRES_URL` names a server.

use std::future::Future;

use sea_orm::{ConnectionTrait, Database, DatabaseConnection};

/// Runs `body` on each test database. The body receives an empty (unmigrated) database.
pub async fn for_each_database<F, Fut>(body: F)
where
    F: Fn(DatabaseConnection) -> Fut,
    Fut: Future<Output = ()>,
{
    let sqlite = Database::connect("sqlite::memory:")
        .await
        .unwrap_or_else(|e| panic!("sqlite: {e}"));
    body(sqlite).await;
    let Some(server) = std::env::var("CLIENTELE_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        return;
    };
    let name = format!("clientele_test_{}", uuid_like());
    let admin = Database::connect(&server)
        .await
        .unwrap_or_else(|e| panic!("postgres server: {e}"));
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .unwrap_or_else(|e| panic!("create database: {e}"));
    let db = Database::connect(&database_url(&server, &name))
        .await
        .unwrap_or_else(|e| panic!("postgres: {e}"));
    body(db.clone()).await;
    let _ = db.close().await;
    let _ = admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .await;
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
    use super::database_url;

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
