//! Customers grid benchmark: seeds a database to the wanted size once, then measures the grid
//! queries customer service uses, the count, cursor paging, export and bulk-insert throughput.
//!
//! ```sh
//! CLIENTELE_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/clientele_bench \
//! CLIENTELE_BENCH_CUSTOMERS=1000000 cargo bench -p clientele-gateway --bench customers
//! ```
//! The PostgreSQL database is created when missing. Defaults: that URL and 1,000,000 customers.
//! `CLIENTELE_BENCH_IMPORT_ROWS` (default 100,000) sets the size of the import files; the imported
//! customers are deleted again at the end, so repeated runs keep the database at its size.
//! `CLIENTELE_BENCH_ONLY=import` runs only the import part. Every run ends by importing the same
//! files into a new, empty database beside the benchmark's (`<name>_fresh`, or a temporary SQLite
//! file), as a store moving in does first.

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use std::time::Instant;

use clientele_customer_export::{ExportFormat, ExportLabels, export_rows};
use clientele_customers::{
    BackOffice, GridQuery, GridSort, GridSortField, ImportBehavior, ImportControl, ImportEntity,
    ImportOptions, ValidationStrategy,
};
use clientele_kernel::PageRequest;
use futures_util::StreamExt;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend};

mod support;

use support::{Stats, measure, ms, open_services};

#[tokio::main]
async fn main() {
    let url = std::env::var("CLIENTELE_BENCH_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/clientele_bench".into());
    let wanted: u64 = std::env::var("CLIENTELE_BENCH_CUSTOMERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let (db, services) = open_services(&url).await;
    let back_office = &services.back_office;
    let all = GridQuery::default();
    let have = back_office.export_count(&all, None).await.expect("count");
    println!("database: {}", url.split('@').next_back().unwrap_or(&url));
    if have < wanted {
        let missing = wanted - have;
        let started = Instant::now();
        let run = format!("{:x}", chrono::Utc::now().timestamp());
        back_office
            .seed(missing, 500, &run, |done| {
                if done % 100_000 == 0 {
                    eprintln!("  seeded {done}/{missing}");
                }
            })
            .await
            .expect("seed");
        let secs = started.elapsed().as_secs_f64();
        println!(
            "bulk insert (seed): {missing} customers with addresses in {secs:.1} s = {:.0} rows/s",
            missing as f64 / secs
        );
    }
    vacuum(&db).await;
    let total = back_office.export_count(&all, None).await.expect("count");
    println!("customers: {total}\n");
    if std::env::var("CLIENTELE_BENCH_ONLY").as_deref() == Ok("import") {
        bench_import(back_office, import_rows(), "").await;
        bench_fresh_import(&url, import_rows()).await;
        return;
    }
    println!("{:<52} {:>10} {:>10}", "query", "p50", "p95");
    let page = PageRequest::new(20, 1).expect("page");
    let by_name = GridSort {
        field: GridSortField::Name,
        descending: false,
        ..Default::default()
    };
    let group = GridQuery {
        group_ids: Some(vec![2]),
        ..Default::default()
    };
    let report = |name: &str, s: Stats| println!("{name:<52} {:>10} {:>10}", ms(s.p50), ms(s.p95));

    report(
        "first page, group filter, sorted by name (+count)",
        measure(|| async {
            back_office
                .grid(&group, by_name.clone(), page)
                .await
                .expect("grid");
        })
        .await,
    );
    report(
        "first page, sorted by newest (+count)",
        measure(|| async {
            back_office
                .grid(
                    &all,
                    GridSort {
                        field: GridSortField::CreatedAt,
                        descending: true,
                        ..Default::default()
                    },
                    page,
                )
                .await
                .expect("grid");
        })
        .await,
    );
    let keyword = GridQuery {
        keyword: Some("austin acme".into()),
        ..Default::default()
    };
    report(
        "keyword search 'austin acme' (+count)",
        measure(|| async {
            back_office
                .grid(&keyword, GridSort::default(), page)
                .await
                .expect("grid");
        })
        .await,
    );
    let rare = GridQuery {
        keyword: Some("o'brien seattle".into()),
        ..Default::default()
    };
    report(
        "keyword search 'o'brien seattle' (+count)",
        measure(|| async {
            back_office
                .grid(&rare, GridSort::default(), page)
                .await
                .expect("grid");
        })
        .await,
    );
    let email = GridQuery {
        email: Some("sofia.kim".into()),
        ..Default::default()
    };
    report(
        "email contains 'sofia.kim' (+count)",
        measure(|| async {
            back_office
                .grid(&email, GridSort::default(), page)
                .await
                .expect("grid");
        })
        .await,
    );
    report(
        "count only, group filter",
        measure(|| async {
            back_office.export_count(&group, None).await.expect("count");
        })
        .await,
    );
    let near_end = GridQuery {
        after_id: Some(i32::try_from(total).unwrap_or(i32::MAX) - 1_000),
        ..Default::default()
    };
    report(
        "deep page by cursor (near the end, +count)",
        measure(|| async {
            back_office
                .grid(&near_end, GridSort::default(), page)
                .await
                .expect("grid");
        })
        .await,
    );
    report(
        "deep page by cursor, total not selected",
        measure(|| async {
            back_office
                .grid_items(&near_end, GridSort::default(), page)
                .await
                .expect("grid");
        })
        .await,
    );
    let near_start = GridQuery {
        after_id: Some(1_000),
        ..Default::default()
    };
    report(
        "early page by cursor (+count)",
        measure(|| async {
            back_office
                .grid(&near_start, GridSort::default(), page)
                .await
                .expect("grid");
        })
        .await,
    );
    let deep_offset =
        PageRequest::new(20, (total / 20).saturating_sub(5).max(1) as i64).expect("page");
    let offset_stats = measure(|| async {
        back_office
            .grid(&all, GridSort::default(), deep_offset)
            .await
            .expect("grid");
    })
    .await;
    report("deep page by page number (for comparison)", offset_stats);

    let labels = ExportLabels::default();
    let started = Instant::now();
    let mut rows = 0_u64;
    let mut bytes = 0_usize;
    let mut batches = Box::pin(back_office.export_batches(GridQuery::default(), None, 1000));
    while let Some(batch) = batches.next().await {
        let batch = batch.expect("batch");
        rows += batch.len() as u64;
        bytes += export_rows(ExportFormat::Csv, &batch, &labels, chrono::Utc::now())
            .expect("csv")
            .len();
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "\nexport CSV: {rows} rows, {:.0} MB in {secs:.1} s = {:.0} rows/s",
        bytes as f64 / 1e6,
        rows as f64 / secs
    );

    println!();
    bench_import(back_office, import_rows(), "").await;
    bench_fresh_import(&url, import_rows()).await;
}

/// The same files as the first thing a new store does: into a database created for the run,
/// whose tables have never been analysed (PostgreSQL then has no statistics to plan by).
async fn bench_fresh_import(url: &str, rows: u64) {
    let fresh = support::fresh_database(url).await;
    let (_db, services) = open_services(&fresh).await;
    println!();
    bench_import(&services.back_office, rows, "new database: ").await;
}

/// Rows per import file (`CLIENTELE_BENCH_IMPORT_ROWS`, default 100,000).
fn import_rows() -> u64 {
    std::env::var("CLIENTELE_BENCH_IMPORT_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000)
}

/// Vacuums and analyses the customer tables on PostgreSQL before measuring, as autovacuum would
/// between runs: servers set up for tests often run without it, and every run's imports leave
/// 300,000 dead row versions behind, which would otherwise slow the next run's counts and search.
async fn vacuum(db: &DatabaseConnection) {
    if db.get_database_backend() == DbBackend::Postgres {
        for table in ["customers", "customer_addresses"] {
            db.execute_unprepared(&format!("VACUUM ANALYZE {table}"))
                .await
                .expect("vacuum");
        }
    }
}

/// Imports the files of a move from Adobe Commerce in its order: a Customers Main File of new
/// customers, then a Customer Addresses file with a default address each. Then the main file again
/// as updates, and finally deletes the customers by import. The files follow each other without
/// a vacuum in between, so the later ones meet the dead row versions the earlier ones left.
async fn bench_import(back_office: &BackOffice, rows: u64, label: &str) {
    let run = format!("{:x}", chrono::Utc::now().timestamp());
    let main = |surname: &str| {
        let mut csv = String::from(
            "email,_website,_store,confirmation,created_at,created_in,disable_auto_group_change,\
             dob,firstname,gender,group_id,lastname,middlename,password_hash,prefix,suffix,taxvat\n",
        );
        for i in 0..rows {
            csv.push_str(&format!(
                "import.{run}.{i}@example.com,base,default,,2024-03-0{} 10:00:00,Default Store View,0,\
                 1980-01-{:02},Jo{i},{},{},{surname},,,,,\n",
                1 + i % 9,
                1 + i % 28,
                1 + i % 3,
                1 + i % 3,
            ));
        }
        csv
    };
    let mut addresses = String::from(
        "_website,_email,_entity_id,city,company,country_id,firstname,lastname,postcode,region,\
         street,telephone,_address_default_billing_,_address_default_shipping_\n",
    );
    for i in 0..rows {
        addresses.push_str(&format!(
            "base,import.{run}.{i}@example.com,,Austin,Acme {},US,,,787{:02},Texas,{} Main St,\
             555-{:04},1,1\n",
            i % 50,
            i % 100,
            1 + i % 9999,
            i % 10000
        ));
    }
    let mut deletes = String::from("email,_website\n");
    for i in 0..rows {
        deletes.push_str(&format!("import.{run}.{i}@example.com,base\n"));
    }
    let files = [
        (
            "import customers, new (add/update)",
            ImportEntity::Customers,
            ImportBehavior::AddUpdate,
            main("Rivera"),
        ),
        (
            "import addresses, new, as defaults",
            ImportEntity::Addresses,
            ImportBehavior::AddUpdate,
            addresses,
        ),
        (
            "import customers, existing (add/update)",
            ImportEntity::Customers,
            ImportBehavior::AddUpdate,
            main("Okafor"),
        ),
        (
            "import customers, delete",
            ImportEntity::Customers,
            ImportBehavior::Delete,
            deletes,
        ),
    ];
    for (name, entity, behavior, csv) in files {
        let options = ImportOptions {
            entity,
            behavior,
            strategy: ValidationStrategy::StopOnError,
            allowed_errors: 0,
            dry_run: false,
            websites: None,
        };
        let cpu = support::CpuSplit::start();
        let started = Instant::now();
        // As an upload or the CLI runs it: staged as a job, then applied.
        let mut upload = back_office
            .begin_upload(&options, "bench")
            .await
            .expect("upload");
        upload.write(csv.as_bytes()).await.expect("staged");
        let job = back_office
            .run_upload_here(upload, &ImportControl::default())
            .await
            .expect("import");
        let report = job.report.expect("a report");
        let secs = started.elapsed().as_secs_f64();
        assert!(report.committed && report.error_count == 0, "{report:?}");
        println!(
            "{label}{name}: {} rows in {secs:.1} s = {:.0} rows/s ({})",
            report.rows,
            report.rows as f64 / secs,
            cpu.report()
        );
    }
}
