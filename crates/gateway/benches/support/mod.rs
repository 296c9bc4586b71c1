//! Helpers the database benchmarks share: latency percentiles and creating the bench database.

#![allow(dead_code)]

use std::time::{Duration, Instant};

use clientele_gateway::app::open_database;
use clientele_gateway::config::Settings;
use clientele_gateway::services::Services;
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, DatabaseConnection};

pub const ITERATIONS: usize = 60;
pub const WARMUP: usize = 5;

/// Latency percentiles of one measured operation.
pub struct Stats {
    /// Median.
    pub p50: Duration,
    /// 95th percentile.
    pub p95: Duration,
}

/// Runs `f` a few times to warm up, then `ITERATIONS` times, and returns the percentiles.
pub async fn measure<F, Fut>(mut f: F) -> Stats
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for _ in 0..WARMUP {
        f().await;
    }
    let mut samples = Vec::with_capacity(ITERATIONS);
    for _ in 0..ITERATIONS {
        let started = Instant::now();
        f().await;
        samples.push(started.elapsed());
    }
    samples.sort_unstable();
    Stats {
        p50: samples[ITERATIONS / 2],
        p95: samples[ITERATIONS * 95 / 100],
    }
}

/// Milliseconds with one decimal.
pub fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// Creates the PostgreSQL database of `url` when missing.
pub async fn ensure_database(url: &str) {
    if !url.starts_with("postgres") {
        return;
    }
    let (server, name) = url.rsplit_once('/').expect("database url with a name");
    let admin = sea_orm::Database::connect(format!("{server}/postgres"))
        .await
        .expect("server");
    let exists = admin
        .query_one_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            format!("SELECT 1 FROM pg_database WHERE datname = '{name}'"),
        ))
        .await
        .expect("query")
        .is_some();
    if !exists {
        admin
            .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
            .await
            .expect("create");
    }
}

/// Creates the database when missing, migrates it, and wires the services over it.
pub async fn open_services(url: &str) -> (DatabaseConnection, Services) {
    ensure_database(url).await;
    let settings = Settings {
        database_url: url.to_owned(),
        db_max_connections: 8,
        ..Settings::default()
    };
    let db = open_database(&settings).await.expect("database");
    Migrator::up(&db, None).await.expect("migrate");
    let services = Services::build(db.clone(), &settings)
        .await
        .expect("services");
    (db, services)
}
