//! Import jobs: an upload is staged and answered with `202` and a job at once; the job reports
//! its progress and report over HTTP and the admin API, can be cancelled, survives the node that
//! ran it, and is applied all or nothing.

use std::time::Duration;

use clientele_customers::{
    ImportBehavior, ImportControl, ImportEntity, ImportOptions, ImportUpload, JobState,
    ValidationStrategy,
};
use clientele_tests::{TestApp, db_test, error_ext};
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::{Value, json};

const JOB_FIELDS: &str = "id entity behavior validation_strategy allowed_error_count dry_run state cancel_requested bytes rows_total rows_done attempt created_by created_at started_at finished_at error report { rows created updated deleted skipped error_count committed planned { created } errors { line column message } }";

/// A Customers Main File of `rows` new customers, the first named `{prefix}.0@example.com`.
fn customers_file(prefix: &str, rows: usize) -> String {
    let mut csv = String::from("email,_website,firstname,lastname\n");
    for i in 0..rows {
        csv.push_str(&format!("{prefix}.{i}@example.com,base,Job,Person{i}\n"));
    }
    csv
}

/// Uploads without following the job: the upload's status, body and `Location` header.
async fn post_file(
    app: &TestApp,
    token: &str,
    query: &str,
    csv: String,
) -> (StatusCode, Value, String) {
    let response = app
        .http
        .post(format!("{}/admin/import/customer?{query}", app.base))
        .header("Authorization", format!("Bearer {token}"))
        .body(csv)
        .send()
        .await
        .expect("upload");
    let status = response.status();
    let location = response
        .headers()
        .get("location")
        .map(|l| l.to_str().expect("ascii").to_owned())
        .unwrap_or_default();
    (status, response.json().await.expect("json"), location)
}

/// A Customers Main File staged as a job on `app`'s node, not yet queued.
async fn staged(app: &TestApp, dry_run: bool, csv: String) -> ImportUpload {
    let options = ImportOptions {
        entity: ImportEntity::Customers,
        behavior: ImportBehavior::AddUpdate,
        strategy: ValidationStrategy::StopOnError,
        allowed_errors: 0,
        dry_run,
        websites: None,
    };
    let mut upload = app
        .services
        .back_office
        .begin_upload(&options, "test")
        .await
        .expect("upload");
    upload.write(csv.as_bytes()).await.expect("staged");
    upload
}

async fn customer_count(app: &TestApp, token: &str) -> i64 {
    let (_, body) = app
        .admin(Some(token), "{ customers { total_count } }", json!({}))
        .await;
    body["data"]["customers"]["total_count"]
        .as_i64()
        .unwrap_or_else(|| panic!("{body}"))
}

async fn job_by_graphql(app: &TestApp, token: &str, id: &str) -> Value {
    let (_, body) = app
        .admin(
            Some(token),
            &format!("query($id: ID!) {{ importJob(id: $id) {{ {JOB_FIELDS} }} }}"),
            json!({ "id": id }),
        )
        .await;
    body["data"]["importJob"].clone()
}

/// Moves a staged job to where a node that claimed it and then died leaves it: running, its
/// lease a minute ahead, after `attempt` runs.
async fn as_if_claimed_by_a_node_that_died(app: &TestApp, id: &str, attempt: i32) {
    let db = &app.services.db;
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "UPDATE import_jobs SET state = 'running', attempt = $1, lease_expires = $2, started_at = $2 WHERE id = $3"
        }
        _ => {
            "UPDATE import_jobs SET state = 'running', attempt = ?1, lease_expires = ?2, started_at = ?2 WHERE id = ?3"
        }
    };
    let lease = app.services.clock.now() + chrono::Duration::seconds(60);
    let done = db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [attempt.into(), lease.into(), id.into()],
        ))
        .await
        .expect("update");
    assert_eq!(done.rows_affected(), 1);
}

/// Rows of `table` (a table of import jobs' data) that belong to the job `id`.
async fn job_rows(app: &TestApp, table: &str, id: &str) -> i64 {
    let db = &app.services.db;
    let backend = db.get_database_backend();
    let placeholder = match backend {
        DbBackend::Postgres => "$1",
        _ => "?1",
    };
    let sql = format!("SELECT COUNT(*) AS n FROM {table} WHERE job_id = {placeholder}");
    db.query_one_raw(Statement::from_sql_and_values(backend, sql, [id.into()]))
        .await
        .expect("count")
        .expect("row")
        .try_get::<i64>("", "n")
        .expect("n")
}

async fn staged_chunks(app: &TestApp, id: &str) -> i64 {
    job_rows(app, "import_job_chunks", id).await
}

db_test!(
    an_upload_is_answered_at_once_with_a_job_that_reports_its_end,
    |app| {
        let token = app.root_token().await;
        let csv = customers_file("job", 2500);
        let bytes = csv.len();
        let (status, body, location) = post_file(app, &token, "", csv).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{body}");
        let job = &body["data"];
        let id = job["id"].as_str().expect("id").to_owned();
        assert_eq!(location, format!("/admin/import/jobs/{id}"));
        assert_eq!(job["rows_total"], 2500, "{body}");
        assert_eq!(job["bytes"], bytes, "{body}");
        assert_eq!(job["behavior"], "add_update");
        assert!(
            job["created_by"]
                .as_str()
                .expect("by")
                .starts_with("staff:"),
            "{body}"
        );
        assert!(
            ["queued", "running", "succeeded"].contains(&job["state"].as_str().expect("state")),
            "{body}"
        );

        let done = app.finished_import_job(&token, &json!(id)).await;
        assert_eq!(done["state"], "succeeded", "{done}");
        assert_eq!(done["rows_done"], 2500, "{done}");
        assert_eq!(done["attempt"], 1, "{done}");
        assert_eq!(done["report"]["created"], 2500, "{done}");
        assert_eq!(done["report"]["committed"], true, "{done}");
        assert!(done["finished_at"].is_string(), "{done}");
        assert_eq!(customer_count(app, &token).await, 2500);
        // What was staged is removed once the job has ended.
        assert_eq!(staged_chunks(app, &id).await, 0);

        let by_graphql = job_by_graphql(app, &token, &id).await;
        assert_eq!(by_graphql["state"], "SUCCEEDED", "{by_graphql}");
        assert_eq!(by_graphql["entity"], "CUSTOMER");
        assert_eq!(by_graphql["rows_total"], 2500);
        assert_eq!(by_graphql["report"]["created"], 2500);
        let (_, list) = app
            .admin(
                Some(&token),
                "{ importJobs(pageSize: 5) { total_count items { id state } } }",
                json!({}),
            )
            .await;
        assert_eq!(list["data"]["importJobs"]["total_count"], 1, "{list}");
        assert_eq!(list["data"]["importJobs"]["items"][0]["id"], id.as_str());

        let (status, missing) = app
            .import_job(&token, "00000000-0000-0000-0000-000000000000")
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{missing}");
        assert_eq!(error_ext(&missing, "code"), "NOT_FOUND");
    }
);

db_test!(
    a_file_of_several_chunks_is_read_whole_and_its_rows_counted_as_it_arrives,
    |app| {
        let token = app.root_token().await;
        // Over two staged chunks of a mebibyte, with a quoted line break in one cell.
        let mut csv = String::from("email,_website,firstname,lastname\n");
        let filler = "x".repeat(150);
        for i in 0..15_000 {
            csv.push_str(&format!(
                "many.{i}@example.com,base,Many,\"Person {filler}\"\n"
            ));
        }
        csv.push_str("last@example.com,base,Last,\"Two\nLines\"\n");
        assert!(csv.len() > 2 * 1024 * 1024);
        let (status, body) = app
            .import_file(
                &token,
                "customer",
                "dry_run=true&validation_strategy=skip_errors",
                csv,
            )
            .await;
        assert_eq!(status, StatusCode::ACCEPTED, "{body}");
        assert_eq!(body["job"]["rows_total"], 15_001, "{body}");
        assert_eq!(body["job"]["state"], "succeeded", "{body}");
        assert_eq!(body["data"]["rows"], 15_001, "{body}");
        // The row with a line break in its last name is one row, refused and skipped.
        assert_eq!(body["data"]["errors"][0]["line"], 15_002, "{body}");
        assert_eq!(body["data"]["skipped"], 1, "{body}");
        assert_eq!(body["data"]["planned"]["created"], 15_000, "{body}");
        assert_eq!(body["data"]["committed"], false, "{body}");
        assert_eq!(customer_count(app, &token).await, 0);
    }
);

db_test!(a_refused_file_fails_its_job_and_writes_nothing, |app| {
    let token = app.root_token().await;
    let mut csv = customers_file("partial", 2400);
    csv.push_str("not-an-email,base,Bad,Row\n");
    let (status, body) = app.import_file(&token, "customer", "", csv).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    assert_eq!(body["job"]["state"], "failed", "{body}");
    assert_eq!(
        body["job"]["error"], "The file has errors; nothing was written.",
        "{body}"
    );
    assert_eq!(body["data"]["errors"][0]["line"], 2402, "{body}");
    assert_eq!(body["data"]["committed"], false);
    assert_eq!(body["data"]["created"], 0);
    assert_eq!(customer_count(app, &token).await, 0);
});

db_test!(
    a_job_that_has_not_started_is_cancelled_at_once,
    settings | settings | {
        settings.import_jobs = false;
    },
    |app| {
        let token = app.root_token().await;
        let (status, body, _) = post_file(app, &token, "", customers_file("cancel", 50)).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{body}");
        assert_eq!(body["data"]["state"], "queued", "{body}");
        let id = body["data"]["id"].as_str().expect("id").to_owned();
        let cancel =
            format!("mutation($id: ID!) {{ cancelImportJob(id: $id) {{ {JOB_FIELDS} }} }}");
        let (_, cancelled) = app.admin(Some(&token), &cancel, json!({ "id": id })).await;
        let job = &cancelled["data"]["cancelImportJob"];
        assert_eq!(job["state"], "CANCELLED", "{cancelled}");
        assert_eq!(job["cancel_requested"], true);
        assert_eq!(staged_chunks(app, &id).await, 0);
        let (_, again) = app.admin(Some(&token), &cancel, json!({ "id": id })).await;
        assert_eq!(error_ext(&again, "code"), "CONFLICT", "{again}");
        assert_eq!(
            again["errors"][0]["message"],
            "The import job has already cancelled."
        );

        // A node that runs jobs leaves it alone.
        let worker = app
            .another_node_with(|s| s.import_jobs = true)
            .await
            .expect("worker node");
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let (_, after) = app.import_job(&token, &id).await;
        assert_eq!(after["data"]["state"], "cancelled", "{after}");
        assert_eq!(customer_count(app, &token).await, 0);
        worker.finish().await;
    }
);

db_test!(
    a_running_job_stops_when_cancelled_and_writes_nothing,
    |app| {
        let back_office = &app.services.back_office;
        let upload = staged(app, false, customers_file("stopped", 3000)).await;
        let control = ImportControl::default();
        // Cancelled before it starts: the run stops after its first thousand rows.
        control.cancel();
        let job = back_office
            .run_upload_here(upload, &control)
            .await
            .expect("run");
        assert_eq!(job.state, JobState::Cancelled, "{job:?}");
        assert_eq!(job.rows_done, 1000, "{job:?}");
        assert!(job.report.is_none());
        let token = app.root_token().await;
        assert_eq!(customer_count(app, &token).await, 0);
    }
);

db_test!(
    a_job_whose_node_died_is_run_again_once_its_lease_runs_out,
    settings | settings | {
        settings.import_jobs = false;
    },
    |app| {
        let token = app.root_token().await;
        let (_, body, _) = post_file(app, &token, "", customers_file("again", 1200)).await;
        let id = body["data"]["id"].as_str().expect("id").to_owned();
        as_if_claimed_by_a_node_that_died(app, &id, 1).await;

        let worker = app
            .another_node_with(|s| s.import_jobs = true)
            .await
            .expect("worker node");
        // The lease is still running: the job is left to the node that holds it.
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let (_, waiting) = app.import_job(&token, &id).await;
        assert_eq!(waiting["data"]["state"], "running", "{waiting}");
        assert_eq!(waiting["data"]["attempt"], 1, "{waiting}");
        assert_eq!(customer_count(app, &token).await, 0);

        app.clock.advance(chrono::Duration::seconds(61));
        let done = app.finished_import_job(&token, &json!(id)).await;
        assert_eq!(done["state"], "succeeded", "{done}");
        assert_eq!(done["attempt"], 2, "{done}");
        assert_eq!(done["report"]["created"], 1200, "{done}");
        assert_eq!(customer_count(app, &token).await, 1200);
        worker.finish().await;
    }
);

db_test!(
    a_job_interrupted_three_times_fails_and_writes_nothing,
    settings | settings | {
        settings.import_jobs = false;
    },
    |app| {
        let token = app.root_token().await;
        let (_, body, _) = post_file(app, &token, "", customers_file("thrice", 10)).await;
        let id = body["data"]["id"].as_str().expect("id").to_owned();
        as_if_claimed_by_a_node_that_died(app, &id, 3).await;
        app.clock.advance(chrono::Duration::seconds(61));
        let worker = app
            .another_node_with(|s| s.import_jobs = true)
            .await
            .expect("worker node");
        let done = app.finished_import_job(&token, &json!(id)).await;
        assert_eq!(done["state"], "failed", "{done}");
        assert_eq!(
            done["error"], "The import was interrupted 3 times; nothing was written.",
            "{done}"
        );
        assert_eq!(staged_chunks(app, &id).await, 0);
        assert_eq!(customer_count(app, &token).await, 0);
        worker.finish().await;
    }
);

db_test!(a_stopping_node_puts_its_job_back_in_the_queue, |app| {
    let back_office = &app.services.back_office;
    let upload = staged(app, true, customers_file("requeued", 2000)).await;
    let id = upload.id();
    let control = ImportControl::default();
    // The node is stopping: the run stops after its first thousand rows.
    control.stop();
    let job = back_office
        .run_upload_here(upload, &control)
        .await
        .expect("run");
    assert_eq!(job.state, JobState::Queued, "{job:?}");
    assert_eq!(job.attempt, 0, "{job:?}");
    // This node's worker takes it up again.
    let token = app.root_token().await;
    let done = app
        .finished_import_job(&token, &json!(id.to_string()))
        .await;
    assert_eq!(done["state"], "succeeded", "{done}");
    assert_eq!(done["attempt"], 1, "{done}");
    assert_eq!(done["report"]["planned"]["created"], 2000, "{done}");
});

/// Rows of the job's passwords hashed beforehand.
async fn stored_hashes(app: &TestApp, id: &str) -> i64 {
    job_rows(app, "import_job_password_hashes", id).await
}

async fn signs_in(app: &TestApp, email: &str, password: &str) -> bool {
    let (_, body) = app
        .shopper(
            None,
            "mutation($e: String!, $p: String!) { generateCustomerToken(email: $e, password: $p) { token } }",
            json!({ "e": email, "p": password }),
        )
        .await;
    body["data"]["generateCustomerToken"]["token"].is_string()
}

db_test!(
    a_jobs_passwords_are_hashed_before_it_writes_and_kept_only_until_it_ends,
    |app| {
        // Two batches: a password in the first row and in the last; the rows between have none.
        let mut csv = String::from("email,_website,firstname,lastname,password\n");
        csv.push_str("first@example.com,base,Ann,Lee,Sunny-Day-42\n");
        for i in 0..1000 {
            csv.push_str(&format!("between.{i}@example.com,base,Bo,Kim,\n"));
        }
        csv.push_str("last@example.com,base,Cy,Ng,Rainy-Day-43\n");
        let upload = staged(app, false, csv).await;
        let id = upload.id().to_string();
        let control = ImportControl::default();
        // The node stops while the first batch's passwords are hashed: they are kept, nothing
        // else is written, and the job goes back to the queue.
        control.stop();
        let job = app
            .services
            .back_office
            .run_upload_here(upload, &control)
            .await
            .expect("run");
        assert_eq!(job.state, JobState::Queued, "{job:?}");
        assert_eq!(stored_hashes(app, &id).await, 1);
        let token = app.root_token().await;
        assert_eq!(customer_count(app, &token).await, 0);

        // What the next run finds for line 2 is what it writes: it hashes only the lines after
        // those already stored, and never hashes while it writes.
        let other = app
            .services
            .hasher
            .hash("Other-Pass-77")
            .await
            .expect("hash");
        let db = &app.services.db;
        let backend = db.get_database_backend();
        let sql = match backend {
            DbBackend::Postgres => {
                "UPDATE import_job_password_hashes SET password_hash = $1 WHERE job_id = $2 AND line = 2"
            }
            _ => {
                "UPDATE import_job_password_hashes SET password_hash = ?1 WHERE job_id = ?2 AND line = 2"
            }
        };
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [other.into(), id.clone().into()],
        ))
        .await
        .expect("update");

        let done = app.finished_import_job(&token, &json!(id)).await;
        assert_eq!(done["state"], "succeeded", "{done}");
        assert_eq!(done["report"]["created"], 1002, "{done}");
        assert!(signs_in(app, "first@example.com", "Other-Pass-77").await);
        assert!(!signs_in(app, "first@example.com", "Sunny-Day-42").await);
        assert!(signs_in(app, "last@example.com", "Rainy-Day-43").await);
        assert_eq!(stored_hashes(app, &id).await, 0, "kept until the job ended");
    }
);
