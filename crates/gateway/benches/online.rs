//! Now Online benchmark: 100,000 visitors and 10,000 customers online at once, then the grid
//! queries staff use, activity reports, and the clean-up of visitors who went quiet.
//!
//! ```sh
//! CLIENTELE_BENCH_ONLINE_DATABASE_URL=postgres://postgres@127.0.0.1:5432/clientele_bench_online \
//! cargo bench -p clientele-gateway --bench online
//! ```
//! The PostgreSQL database is created when missing. `CLIENTELE_BENCH_VISITORS` (default 100,000)
//! and `CLIENTELE_BENCH_ONLINE_CUSTOMERS` (default 10,000) set the crowd; every run refreshes it,
//! so all of it is within the 15-minute interval.

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use std::time::Instant;

use chrono::Utc;
use clientele_activity::{Active, OnlineKind, OnlineQuery, OnlineSort, OnlineSortField};
use clientele_customers::GridQuery;
use clientele_kernel::PageRequest;
use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};

const BATCH: usize = 500;

mod support;

use clientele_gateway::services::Services;
use support::{Stats, measure, ms, open_services};

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Inserts rows of `columns` in multi-row statements, with values bound.
async fn insert_rows(
    db: &sea_orm::DatabaseConnection,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Value>>,
) {
    let backend = db.get_database_backend();
    for chunk in rows.chunks(BATCH) {
        let mut values = Vec::with_capacity(chunk.len() * columns.len());
        let mut tuples = Vec::with_capacity(chunk.len());
        for row in chunk {
            let mut marks = Vec::with_capacity(row.len());
            for value in row {
                values.push(value.clone());
                marks.push(match backend {
                    DbBackend::Postgres => format!("${}", values.len()),
                    _ => "?".to_owned(),
                });
            }
            tuples.push(format!("({})", marks.join(", ")));
        }
        let sql = format!(
            "INSERT INTO {table} ({}) VALUES {}",
            columns.join(", "),
            tuples.join(", ")
        );
        db.execute_raw(Statement::from_sql_and_values(backend, sql, values))
            .await
            .expect("insert");
    }
}

/// Puts `visitors` visitors and `customers` customers online, active over the last 14 minutes.
async fn refresh_crowd(services: &Services, visitors: usize, customers: usize) {
    let db = &services.db;
    db.execute_unprepared("DELETE FROM visitors")
        .await
        .expect("clear");
    db.execute_unprepared("DELETE FROM customer_log")
        .await
        .expect("clear");
    let now = Utc::now();
    let spread = |i: usize| now - chrono::Duration::milliseconds((i as i64 * 7_919) % 840_000);
    let started = Instant::now();
    let rows = (0..visitors)
        .map(|i| {
            vec![
                uuid::Uuid::new_v4().to_string().into(),
                now.into(),
                spread(i).into(),
                Some(format!("https://shop.example.com/p/{}", i % 5_000)).into(),
                Some(format!("https://shop.example.com/p/{}", i % 5_000)).into(),
            ]
        })
        .collect();
    insert_rows(
        db,
        "visitors",
        &[
            "id",
            "created_at",
            "last_activity_at",
            "last_url",
            "last_url_key",
        ],
        rows,
    )
    .await;
    let ids: Vec<i32> = services
        .back_office
        .export_ids(&GridQuery::default(), customers)
        .await;
    let rows = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            vec![
                (*id).into(),
                spread(i).into(),
                spread(i).into(),
                Some(format!("https://shop.example.com/cart/{}", i % 100)).into(),
                Some(format!("https://shop.example.com/cart/{}", i % 100)).into(),
            ]
        })
        .collect();
    insert_rows(
        db,
        "customer_log",
        &[
            "customer_id",
            "last_login_at",
            "last_activity_at",
            "last_url",
            "last_url_key",
        ],
        rows,
    )
    .await;
    let secs = started.elapsed().as_secs_f64();
    println!(
        "crowd: {visitors} visitors and {} customers online, written in {secs:.1} s",
        ids.len()
    );
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_unprepared("VACUUM ANALYZE visitors")
            .await
            .expect("analyze");
        db.execute_unprepared("VACUUM ANALYZE customer_log")
            .await
            .expect("analyze");
    }
}

trait ExportIds {
    async fn export_ids(&self, query: &GridQuery, limit: usize) -> Vec<i32>;
}

impl ExportIds for clientele_customers::BackOffice {
    async fn export_ids(&self, query: &GridQuery, limit: usize) -> Vec<i32> {
        let mut ids = Vec::with_capacity(limit);
        let mut page_number = 1;
        while ids.len() < limit {
            let page = self
                .grid(
                    query,
                    Default::default(),
                    PageRequest::new(300, page_number).expect("page"),
                )
                .await
                .expect("grid");
            if page.items.is_empty() {
                break;
            }
            ids.extend(page.items.iter().map(|c| c.id));
            page_number += 1;
        }
        ids.truncate(limit);
        ids
    }
}

#[tokio::main]
async fn main() {
    let url = std::env::var("CLIENTELE_BENCH_ONLINE_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/clientele_bench_online".into());
    let visitors = env_number("CLIENTELE_BENCH_VISITORS", 100_000);
    let online_customers = env_number("CLIENTELE_BENCH_ONLINE_CUSTOMERS", 10_000);
    let (db, services) = open_services(&url).await;
    println!("database: {}", url.split('@').next_back().unwrap_or(&url));
    let have = services
        .back_office
        .export_count(&GridQuery::default(), None)
        .await
        .expect("count");
    if have < online_customers as u64 {
        let missing = online_customers as u64 - have;
        let run = format!("{:x}", Utc::now().timestamp());
        services
            .back_office
            .seed(missing, 500, &run, |_| {})
            .await
            .expect("seed");
    }
    refresh_crowd(&services, visitors, online_customers).await;
    let online = &services.online;
    let page = PageRequest::new(20, 1).expect("page");
    let report = |name: &str, s: Stats| println!("{name:<52} {:>10} {:>10}", ms(s.p50), ms(s.p95));
    println!("\n{:<52} {:>10} {:>10}", "query", "p50", "p95");

    let all = OnlineQuery::default();
    let first = online
        .online(&all, OnlineSort::default(), page)
        .await
        .expect("grid");
    println!("(online now: {})", first.total_count);
    report(
        "first page, newest activity first (+count)",
        measure(|| async {
            online
                .online(&all, OnlineSort::default(), page)
                .await
                .expect("grid");
        })
        .await,
    );
    let deep = PageRequest::new(20, 250).expect("page");
    report(
        "page 250, newest activity first (+count)",
        measure(|| async {
            online
                .online(&all, OnlineSort::default(), deep)
                .await
                .expect("grid");
        })
        .await,
    );
    let customers_only = OnlineQuery {
        kind: Some(OnlineKind::Customer),
        ..Default::default()
    };
    let by_email = OnlineSort {
        field: OnlineSortField::Email,
        descending: false,
    };
    report(
        "customers only, sorted by email (+count)",
        measure(|| async {
            online
                .online(&customers_only, by_email, page)
                .await
                .expect("grid");
        })
        .await,
    );
    let email = OnlineQuery {
        email: Some("smith".into()),
        ..Default::default()
    };
    report(
        "email contains 'smith' (+count)",
        measure(|| async {
            online
                .online(&email, OnlineSort::default(), page)
                .await
                .expect("grid");
        })
        .await,
    );
    let url_filter = OnlineQuery {
        last_url: Some("/p/42".into()),
        ..Default::default()
    };
    report(
        "last URL contains '/p/42' (+count)",
        measure(|| async {
            online
                .online(&url_filter, OnlineSort::default(), page)
                .await
                .expect("grid");
        })
        .await,
    );
    let visitors_only = OnlineQuery {
        kind: Some(OnlineKind::Visitor),
        ..Default::default()
    };
    let by_url = OnlineSort {
        field: OnlineSortField::LastUrl,
        descending: false,
    };
    report(
        "visitors only, sorted by last URL (+count)",
        measure(|| async {
            online
                .online(&visitors_only, by_url, page)
                .await
                .expect("grid");
        })
        .await,
    );

    let reporters: Vec<String> = {
        let mut ids = Vec::new();
        for _ in 0..200 {
            let issued = online.issue_visitor().await.expect("visitor");
            ids.push(online.visitor(&issued.visitor_id).await.expect("uuid"));
        }
        ids
    };
    let mut next = 0;
    report(
        "activity report (visitor upsert)",
        measure(|| {
            next = (next + 1) % reporters.len();
            let who = Active::Visitor(reporters[next].clone());
            async move {
                online
                    .record(&who, Some("https://shop.example.com/cart"))
                    .await
                    .expect("record");
            }
        })
        .await,
    );

    // Everyone goes quiet for 16 minutes: the clean-up removes them all.
    let backend = db.get_database_backend();
    let mark = if backend == DbBackend::Postgres {
        "$1"
    } else {
        "?"
    };
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        format!("UPDATE visitors SET last_activity_at = {mark}"),
        [(Utc::now() - chrono::Duration::minutes(16)).into()],
    ))
    .await
    .expect("age");
    let started = Instant::now();
    let removed = online.purge_idle_visitors().await.expect("purge");
    let secs = started.elapsed().as_secs_f64();
    println!(
        "\nclean-up: {removed} idle visitors deleted in {secs:.2} s = {:.0} rows/s",
        removed as f64 / secs
    );
}
