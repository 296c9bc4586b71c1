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

/// A connection to the maintenance database of `url`'s PostgreSQL server, with the server part of
/// the URL and the database's name.
async fn server_of(url: &str) -> (DatabaseConnection, &str, &str) {
    let (server, name) = url.rsplit_once('/').expect("database url with a name");
    let admin = sea_orm::Database::connect(format!("{server}/postgres"))
        .await
        .expect("server");
    (admin, server, name)
}

/// Creates the PostgreSQL database of `url` when missing.
pub async fn ensure_database(url: &str) {
    if !url.starts_with("postgres") {
        return;
    }
    let (admin, _, name) = server_of(url).await;
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

/// A database beside `url`'s for a run that must start empty: PostgreSQL's `<name>_fresh` on the
/// same server, or for SQLite a file in the temporary directory. Whatever it held is dropped.
pub async fn fresh_database(url: &str) -> String {
    if !url.starts_with("postgres") {
        let path = std::env::temp_dir().join("clientele-bench-fresh.db");
        let _ = std::fs::remove_file(&path);
        return format!("sqlite://{}?mode=rwc", path.display());
    }
    let (admin, server, name) = server_of(url).await;
    let fresh = format!("{name}_fresh");
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{fresh}\""))
        .await
        .expect("drop");
    format!("{server}/{fresh}")
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
    let services = Services::build(db.clone(), &settings, clientele_kernel::Clock::system())
        .await
        .expect("services");
    (db, services)
}

/// CPU time used while a phase ran, split between this process (the API's side) and the rest of
/// the machine (mostly the database server), read from `/proc` (Linux; zero elsewhere).
pub struct CpuSplit {
    own: f64,
    machine: f64,
}

impl CpuSplit {
    /// Starts counting.
    pub fn start() -> Self {
        Self {
            own: own_cpu_seconds(),
            machine: machine_busy_seconds(),
        }
    }

    /// "client x s, rest y s" since `start`.
    pub fn report(&self) -> String {
        let own = own_cpu_seconds() - self.own;
        let rest = (machine_busy_seconds() - self.machine - own).max(0.0);
        format!("CPU: this process {own:.1} s, rest of the machine {rest:.1} s")
    }
}

/// Clock ticks per second of `/proc` counters (USER_HZ, 100 on Linux).
const TICKS: f64 = 100.0;

fn own_cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses and may contain spaces.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    (ticks(11) + ticks(12)) / TICKS
}

fn machine_busy_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let Some(cpu) = stat.lines().next() else {
        return 0.0;
    };
    let values: Vec<f64> = cpu
        .split_whitespace()
        .skip(1)
        .filter_map(|v| v.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
    let busy: f64 = values
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 3 && *i != 4)
        .take(8)
        .map(|(_, v)| v)
        .sum();
    busy / TICKS
}
