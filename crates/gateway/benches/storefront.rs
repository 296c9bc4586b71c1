//! Storefront benchmark: the token-authenticated `customer` query against the rate at which the
//! database serves the equivalent primary-key reads, `generateCustomerToken` against the raw
//! Argon2id hashing rate of the machine, and the latency of other queries during a sign-in burst.
//! Everything runs in one process over one database, in one run, so the ratios compare like with
//! like.
//!
//! ```sh
//! CLIENTELE_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/clientele_bench \
//!   cargo bench -p clientele-gateway --bench storefront
//! ```
//! The database should hold the customers of the `customers` bench (1,000,000 by default); the
//! benchmark adds one customer of its own and deletes it at the end. `CLIENTELE_BENCH_SECONDS`
//! sets each phase's duration (default 10).

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use clientele_customers::{NewCustomer, Registration};
use clientele_gateway::app::App;
use clientele_gateway::config::Settings;
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::{Value, json};

const PASSWORD: &str = "Bench-Pass-42";
const CLIENTS: usize = 8;

fn seconds() -> Duration {
    Duration::from_secs(
        std::env::var("CLIENTELE_BENCH_SECONDS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(10),
    )
}

/// Runs `CLIENTS` copies of `work` until the phase ends; returns completed operations per second.
async fn rate<F, Fut>(work: F) -> f64
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let work = Arc::new(work);
    let done = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CLIENTS {
        let (work, done, stop) = (work.clone(), done.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                work().await;
                done.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    tokio::time::sleep(seconds()).await;
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        t.await.unwrap();
    }
    done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64()
}

async fn graphql(http: &reqwest::Client, url: &str, token: Option<&str>, query: &str) -> Value {
    let mut request = http.post(url).json(&json!({ "query": query }));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap().json().await.unwrap()
}

#[tokio::main]
async fn main() {
    let url = std::env::var("CLIENTELE_BENCH_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/clientele_bench".into());
    let settings = Settings {
        database_url: url.clone(),
        listen: "127.0.0.1:0".parse().unwrap(),
        metrics_listen: None,
        log_level: "off".into(),
        db_max_connections: 16,
        mail_transport: "none".into(),
        sign_in_failures_per_client: 0,
        sign_ups_per_client: 0,
        ..Settings::default()
    };
    let app = App::build(settings).await.expect("app");
    let services = app.services().clone();
    Migrator::up(&services.db, None).await.expect("migrate");
    let base = format!("http://{}/graphql", app.local_addr().unwrap());
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until_stopped(async move {
        let _ = stop_rx.await;
    }));
    let db = services.db.clone();
    let backend = db.get_database_backend();
    let max_id: i64 = db
        .query_one_raw(Statement::from_string(
            backend,
            "SELECT COALESCE(MAX(id), 1) AS m FROM customers",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i32>("", "m")
        .unwrap()
        .into();
    println!(
        "database: {} ({max_id} customer ids)",
        url.split('@').next_back().unwrap_or(&url)
    );

    let view = services.stores.default_view().await.unwrap();
    let email = format!(
        "bench.{}@example.com",
        chrono::Utc::now().timestamp_millis()
    );
    let customer = services
        .shoppers
        .register(Registration {
            store_id: view.id,
            customer: NewCustomer {
                email: email.clone(),
                firstname: "Bench".into(),
                lastname: "Mark".into(),
                ..Default::default()
            },
            password: Some(PASSWORD.into()),
            subscribe: false,
        })
        .await
        .expect("bench customer");
    let http = reqwest::Client::new();
    let sign_in = format!(
        "mutation {{ generateCustomerToken(email: \"{email}\", password: \"{PASSWORD}\") {{ token }} }}"
    );
    let token =
        graphql(&http, &base, None, &sign_in).await["data"]["generateCustomerToken"]["token"]
            .as_str()
            .expect("token")
            .to_owned();

    // 1. The database alone: the primary-key read a `customer` query makes.
    let pk = {
        let db = db.clone();
        rate(move || {
            let db = db.clone();
            async move {
                let id = 1 + (rand_u64() % max_id as u64) as i64;
                let sql = match backend {
                    DbBackend::Postgres => "SELECT * FROM customers WHERE id = $1",
                    _ => "SELECT * FROM customers WHERE id = ?",
                };
                db.query_one_raw(Statement::from_sql_and_values(backend, sql, [id.into()]))
                    .await
                    .unwrap();
            }
        })
        .await
    };
    println!("primary-key reads of customers (database alone): {pk:.0}/s");

    // 2. The token-authenticated `customer` query, through HTTP and GraphQL.
    let query = {
        let (http, base, token) = (http.clone(), base.clone(), token.clone());
        rate(move || {
            let (http, base, token) = (http.clone(), base.clone(), token.clone());
            async move {
                let body = graphql(
                    &http,
                    &base,
                    Some(&token),
                    "{ customer { firstname lastname email } }",
                )
                .await;
                assert!(body["errors"].is_null(), "{body}");
            }
        })
        .await
    };
    println!(
        "customer query with a token: {query:.0}/s = {:.2} of the primary-key read rate (aim: at least 0.5)",
        query / pk
    );

    // 3. Raw Argon2id hashing with the same parameters, on the same pool size.
    let hashing = {
        let hasher = services.hasher.clone();
        rate(move || {
            let hasher = hasher.clone();
            async move {
                hasher.hash(PASSWORD).await.unwrap();
            }
        })
        .await
    };
    println!("raw Argon2id hashes: {hashing:.1}/s");

    // 4. Sign-ins, while another client measures the latency of other queries.
    let probing = Arc::new(AtomicBool::new(true));
    let probe = {
        let (http, base, probing) = (http.clone(), base.clone(), probing.clone());
        tokio::spawn(async move {
            let mut samples = Vec::new();
            while probing.load(Ordering::Relaxed) {
                let started = Instant::now();
                graphql(
                    &http,
                    &base,
                    None,
                    "{ storeConfig { store_code } customerGroup { uid } }",
                )
                .await;
                samples.push(started.elapsed());
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            samples.sort_unstable();
            samples
        })
    };
    let sign_ins = {
        let (http, base) = (http.clone(), base.clone());
        rate(move || {
            let (http, base, sign_in) = (http.clone(), base.clone(), sign_in.clone());
            async move {
                let body = graphql(&http, &base, None, &sign_in).await;
                assert!(body["errors"].is_null(), "{body}");
            }
        })
        .await
    };
    probing.store(false, Ordering::Relaxed);
    let samples = probe.await.unwrap();
    let p99 = samples[samples.len() * 99 / 100];
    println!(
        "generateCustomerToken: {sign_ins:.1}/s = {:.2} of the raw hashing rate (aim: at least 0.9)",
        sign_ins / hashing
    );
    println!(
        "other queries during the sign-in burst: p50 {:.1} ms, p99 {:.1} ms over {} requests (aim: p99 under 20 ms)",
        samples[samples.len() / 2].as_secs_f64() * 1000.0,
        p99.as_secs_f64() * 1000.0,
        samples.len()
    );

    services.accounts.delete(customer.id).await.unwrap();
    let _ = stop_tx.send(());
    let _ = server.await;
}

/// A cheap random number for picking ids (the distribution only needs to spread reads).
fn rand_u64() -> u64 {
    let mut bytes = [0_u8; 8];
    getrandom::fill(&mut bytes).unwrap();
    u64::from_le_bytes(bytes)
}
