//! Webhook delivery throughput and latency on PostgreSQL: events are committed at a steady rate
//! (each batch in one transaction, to customers in turn), two workers with pools of their own
//! (two API nodes) fan them out and deliver them to a local receiver, and the receiver measures
//! each event's time from commit to arrival.
//!
//!   cargo bench -p clientele-webhooks --bench delivery
//!
//! `CLIENTELE_BENCH_POSTGRES_URL` names the server (`postgres://postgres@127.0.0.1:5432/postgres`
//! when unset), `BENCH_RATE` the events per second (1,000), `BENCH_SECONDS` how long (20);
//! `BENCH_ANALYZE=1` refreshes the planner's statistics every two seconds, as autovacuum does on
//! a server that runs it (the CI machines' PostgreSQL does not).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::StatusCode;
use clientele_events::{EventType, NewEvent, record};
use clientele_kernel::Clock;
use clientele_kernel::testing::{create_database, database_url, drop_database};
use clientele_sessions::KeyWrapping;
use clientele_webhooks::{
    Creator, NewWebhook, TargetPolicy, WebhookRegistry, WebhookWorker, WebhookWorkerSettings,
};
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, TransactionTrait};
use tokio::sync::watch;

/// When each event committed and when it arrived, by its sequence number.
#[derive(Default)]
struct Timings {
    committed: Vec<Option<Instant>>,
    arrived: Vec<Option<Instant>>,
    duplicates: usize,
}

type Shared = Arc<Mutex<Timings>>;

async fn receive(State(timings): State<Shared>, body: String) -> StatusCode {
    let now = Instant::now();
    let seq = serde_json::from_str::<serde_json::Value>(&body)
        .ok()
        .and_then(|b| b["data"]["data"]["seq"].as_u64());
    if let (Some(seq), Ok(mut t)) = (seq, timings.lock()) {
        let seq = seq as usize;
        if seq < t.arrived.len() {
            if t.arrived[seq].is_some() {
                t.duplicates += 1;
            } else {
                t.arrived[seq] = Some(now);
            }
        }
    }
    StatusCode::NO_CONTENT
}

async fn pool(url: &str) -> anyhow::Result<DatabaseConnection> {
    let mut options = ConnectOptions::new(url.to_owned());
    options.max_connections(16).sqlx_logging(false);
    Ok(Database::connect(options).await?)
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let server = std::env::var("CLIENTELE_BENCH_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let rate = env_number("BENCH_RATE", 1_000);
    let seconds = env_number("BENCH_SECONDS", 20);
    let total = (rate * seconds) as usize;
    let name = format!("clientele_bench_webhooks_{}", std::process::id());
    create_database(&server, &name).await?;
    let url = database_url(&server, &name);
    let producer = pool(&url).await?;
    Migrator::up(&producer, None).await?;

    let timings: Shared = Arc::new(Mutex::new(Timings {
        committed: vec![None; total],
        arrived: vec![None; total],
        duplicates: 0,
    }));
    let app = axum::Router::new()
        .route("/hook", axum::routing::post(receive))
        .with_state(timings.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let hook_url = format!("http://{}/hook", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });

    let clock = Clock::system();
    let wrapping = KeyWrapping::ephemeral()?;
    let policy = Arc::new(TargetPolicy::default());
    WebhookRegistry::new(
        producer.clone(),
        clock.clone(),
        wrapping.clone(),
        policy.clone(),
    )
    .create(NewWebhook {
        url: hook_url,
        event_types: vec!["customer.updated".into()],
        description: Some("benchmark".into()),
        website_ids: Vec::new(),
        notify_email: None,
        created_by: Creator::Staff(1),
    })
    .await?;

    let (stop, stopped) = watch::channel(false);
    let mut nodes = Vec::new();
    for _ in 0..2 {
        let worker = WebhookWorker::new(
            pool(&url).await?,
            clock.clone(),
            wrapping.clone(),
            policy.clone(),
            WebhookWorkerSettings::default(),
        )?;
        nodes.push(tokio::spawn(worker.run(stopped.clone())));
    }

    if std::env::var("BENCH_ANALYZE").is_ok_and(|v| v == "1") {
        let db = producer.clone();
        let mut stopped = stopped.clone();
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_secs(2)) => {}
                    _ = stopped.changed() => return,
                }
                let _ = db.execute_unprepared("ANALYZE webhook_deliveries").await;
            }
        });
    }
    eprintln!("committing {total} events at {rate}/s for {seconds} s, two nodes delivering");
    let tick = Duration::from_millis(10);
    let per_tick = (rate as usize / 100).max(1);
    let started = Instant::now();
    let mut ticker = tokio::time::interval(tick);
    let mut seq = 0usize;
    while seq < total {
        ticker.tick().await;
        let batch: Vec<NewEvent> = (seq..(seq + per_tick).min(total))
            .map(|n| {
                let customer = (n % 10_000) as i32 + 1;
                NewEvent::about_customer(EventType::CustomerUpdated, customer, 1).with("seq", n)
            })
            .collect();
        let count = batch.len();
        let txn = producer.begin().await?;
        record(&txn, clock.now(), batch).await?;
        txn.commit().await?;
        let at = Instant::now();
        if let Ok(mut t) = timings.lock() {
            for n in seq..seq + count {
                t.committed[n] = Some(at);
            }
        }
        seq += count;
        if seq % (rate as usize * 5) < count {
            let arrived = timings
                .lock()
                .map(|t| t.arrived.iter().flatten().count())
                .unwrap_or(0);
            eprintln!(
                "  {:>3} s: {seq} committed, {arrived} delivered",
                started.elapsed().as_secs()
            );
        }
    }
    let committed_in = started.elapsed();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let arrived = timings
            .lock()
            .map(|t| t.arrived.iter().flatten().count())
            .unwrap_or(0);
        if arrived == total || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let all_in = started.elapsed();
    let _ = stop.send(true);
    for node in nodes {
        let _ = node.await;
    }

    let report = {
        let t = timings
            .lock()
            .map_err(|_| anyhow::anyhow!("timings poisoned"))?;
        let mut latencies: Vec<Duration> = t
            .committed
            .iter()
            .zip(&t.arrived)
            .filter_map(|(c, a)| Some(a.as_ref()?.saturating_duration_since(*c.as_ref()?)))
            .collect();
        latencies.sort();
        let delivered = latencies.len();
        anyhow::ensure!(delivered > 0, "nothing was delivered");
        let mut lines = Vec::new();
        let at = |q: f64| latencies[((delivered as f64 * q) as usize).min(delivered - 1)];
        lines.push(format!(
            "events committed:   {total} in {:.1} s ({:.0}/s)",
            committed_in.as_secs_f64(),
            total as f64 / committed_in.as_secs_f64()
        ));
        lines.push(format!(
            "delivered:          {delivered} ({} duplicates), all in by {:.1} s ({:.0}/s)",
            t.duplicates,
            all_in.as_secs_f64(),
            delivered as f64 / all_in.as_secs_f64()
        ));
        lines.push(format!(
            "commit to delivery: p50 {:?}, p90 {:?}, p99 {:?}, max {:?}",
            at(0.5),
            at(0.9),
            at(0.99),
            at(1.0)
        ));
        lines
    };
    for line in report {
        println!("{line}");
    }
    producer.close().await.ok();
    drop_database(&server, &name).await;
    Ok(())
}
