//! Personal data: the export of everything held about a customer (staff, and the customer through
//! an emailed single-use link) and their erasure, at once or after a grace period. After an
//! erasure, no trace of the person's names, street, phone or any address they used is left in
//! any column of any table, nor, on SQLite, in the database and write-ahead log files.

use clientele_tests::{TestApp, db_test, error_ext, error_message};
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::{Value, json};

const PASSWORD: &str = "Sunny-Day-42";
const FIRST: &str = "Xylophania";
const LAST: &str = "Quorblewick";
const STREET: &str = "Zephyrine Lane 77";
const PHONE: &str = "555-0199-7342";
const EMAIL: &str = "xq.marker@example.com";
const NEW_EMAIL: &str = "xq.renamed@example.com";
const ERASE: &str = "mutation($id: Int!, $r: String!) { eraseCustomer(id: $id, reason: $r) { id customer_id status reason erase_after completed_at requested_by { type staff_user_id customer_id } } }";
const EXPORT: &str = "query($id: Int!) { exportCustomerData(id: $id) }";

/// Signs `email` in; the token, or the whole answer when refused.
async fn sign_in(app: &TestApp, email: &str) -> Result<String, Value> {
    let (_, body) = app
        .shopper(
            None,
            "mutation($e: String!, $p: String!) { generateCustomerToken(email: $e, password: $p) { token } }",
            json!({"e": email, "p": PASSWORD}),
        )
        .await;
    body["data"]["generateCustomerToken"]["token"]
        .as_str()
        .map(str::to_owned)
        .ok_or(body)
}

/// A shopper who registered with the markers as names, subscribed to the newsletter, added an
/// address with the marker street and phone, and changed their email once; their id and token.
async fn marked_shopper(app: &TestApp, admin: &str) -> (i64, String) {
    let (_, created) = app
        .shopper(
            None,
            "mutation($f: String!, $l: String!, $e: String!, $p: String!) { createCustomerV2(input: {firstname: $f, lastname: $l, email: $e, password: $p, is_subscribed: true}) { customer { email } } }",
            json!({"f": FIRST, "l": LAST, "e": EMAIL, "p": PASSWORD}),
        )
        .await;
    assert!(created["errors"].is_null(), "{created}");
    let token = sign_in(app, EMAIL).await.expect("signed in");
    let (_, address) = app
        .shopper(
            Some(&token),
            "mutation($f: String!, $l: String!, $s: String!, $t: String!) { createCustomerAddress(input: {firstname: $f, lastname: $l, street: [$s], city: \"Austin\", postcode: \"78701\", telephone: $t, country_code: US, region: {region_code: \"TX\"}, default_billing: true, default_shipping: true}) { id } }",
            json!({"f": FIRST, "l": LAST, "s": STREET, "t": PHONE}),
        )
        .await;
    assert!(address["errors"].is_null(), "{address}");
    let (_, renamed) = app
        .shopper(
            Some(&token),
            "mutation($e: String!, $p: String!) { updateCustomerEmail(email: $e, password: $p) { customer { email } } }",
            json!({"e": NEW_EMAIL, "p": PASSWORD}),
        )
        .await;
    assert!(renamed["errors"].is_null(), "{renamed}");
    let id = app.customer_id(admin, NEW_EMAIL).await;
    let token = sign_in(app, NEW_EMAIL).await.expect("signed in again");
    (id, token)
}

/// The markers: every trace of the person.
fn markers() -> [&'static str; 6] {
    [FIRST, LAST, STREET, PHONE, EMAIL, NEW_EMAIL]
}

/// `table.column` of every column in the database with a value that contains one of the
/// markers (in any case).
async fn traces(app: &TestApp) -> Vec<String> {
    let db = &app.services.db;
    let backend = db.get_database_backend();
    let tables_sql = match backend {
        DbBackend::Sqlite => {
            "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        }
        _ => {
            "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        }
    };
    let tables: Vec<String> = db
        .query_all_raw(Statement::from_string(backend, tables_sql))
        .await
        .expect("tables")
        .iter()
        .map(|row| row.try_get::<String>("", "t").expect("name"))
        .collect();
    assert!(tables.len() > 30, "{tables:?}");
    let mut found = Vec::new();
    for table in tables {
        // Every column, whatever its type, read as text.
        let columns_sql = match backend {
            DbBackend::Sqlite => format!("SELECT name AS c FROM pragma_table_info('{table}')"),
            _ => format!(
                "SELECT column_name::text AS c FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '{table}'"
            ),
        };
        let columns: Vec<String> = db
            .query_all_raw(Statement::from_string(backend, columns_sql))
            .await
            .expect("columns")
            .iter()
            .map(|row| row.try_get::<String>("", "c").expect("column"))
            .collect();
        for column in columns {
            let any_marker: Vec<String> = markers()
                .iter()
                .map(|marker| {
                    format!(
                        "LOWER(CAST(\"{column}\" AS TEXT)) LIKE '%{}%'",
                        marker.to_lowercase()
                    )
                })
                .collect();
            let sql = format!(
                "SELECT COUNT(*) AS n FROM \"{table}\" WHERE {}",
                any_marker.join(" OR ")
            );
            let row = db
                .query_one_raw(Statement::from_string(backend, sql))
                .await
                .expect("scan")
                .expect("row");
            let n: i64 = row.try_get("", "n").expect("count");
            if n > 0 {
                found.push(format!("{table}.{column}"));
            }
        }
    }
    found
}

/// On SQLite, the markers found in the bytes of the database file and its write-ahead log.
fn traces_in_files(app: &TestApp) -> Vec<String> {
    let Some(path) = app
        .settings
        .database_url
        .strip_prefix("sqlite://")
        .and_then(|rest| rest.split('?').next())
    else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for file in [path.to_owned(), format!("{path}-wal")] {
        let Ok(bytes) = std::fs::read(&file) else {
            continue;
        };
        for marker in markers() {
            if bytes
                .windows(marker.len())
                .any(|window| window.eq_ignore_ascii_case(marker.as_bytes()))
            {
                found.push(format!("{file} holds {marker}"));
            }
        }
    }
    found
}

db_test!(an_erased_customer_leaves_no_trace_anywhere, |app| {
    let admin = app.root_token().await;
    // A webhook that wants everything: its deliveries carry the changes.
    let (_, hook) = app
        .admin(
            Some(&admin),
            "mutation { createWebhook(input: {url: \"http://127.0.0.1:9/hook\", events: [\"customer.created\", \"customer.updated\", \"customer.email_changed\", \"customer.address.created\"]}) { webhook { id } } }",
            json!({}),
        )
        .await;
    assert!(hook["errors"].is_null(), "{hook}");
    let (id, token) = marked_shopper(app, &admin).await;
    // A reset link asked for and a stored idempotent answer naming the person.
    let (_, reset) = app
        .shopper(
            None,
            "mutation($e: String!) { requestPasswordResetEmail(email: $e) }",
            json!({"e": NEW_EMAIL}),
        )
        .await;
    assert!(reset["errors"].is_null(), "{reset}");
    let response = app
        .http
        .post(format!("{}/admin/graphql", app.base))
        .bearer_auth(&admin)
        .header("Idempotency-Key", "read-xq-1")
        .json(&json!({"query": "mutation($id: Int!) { updateCustomer(id: $id, input: {middlename: \"M\"}) { email firstname } }", "variables": {"id": id}}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
    app.wait_for_mail(NEW_EMAIL, "Reset your").await;
    // The webhook has its deliveries before the erasure.
    let hook_id = hook["data"]["createWebhook"]["webhook"]["id"]
        .as_i64()
        .expect("hook id");
    for _ in 0..200 {
        let (_, deliveries) = app
            .admin(
                Some(&admin),
                "query($w: Int!) { webhookDeliveries(webhook: $w, first: 50) { items { id } } }",
                json!({"w": hook_id}),
            )
            .await;
        if deliveries["data"]["webhookDeliveries"]["items"]
            .as_array()
            .is_some_and(|items| items.len() >= 3)
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(
        !traces(app).await.is_empty(),
        "the markers are in the database before"
    );

    let (_, erased) = app
        .admin(
            Some(&admin),
            ERASE,
            json!({"id": id, "r": "Erasure request by email, ticket 4711"}),
        )
        .await;
    assert!(erased["errors"].is_null(), "{erased}");
    let erasure = &erased["data"]["eraseCustomer"];
    assert_eq!(erasure["status"], "ERASED");
    assert_eq!(erasure["customer_id"], id);
    assert_eq!(erasure["requested_by"]["type"], "STAFF");
    assert!(erasure["completed_at"].is_string(), "{erasure}");

    let left = traces(app).await;
    assert!(left.is_empty(), "traces left: {left:?}");
    let in_files = traces_in_files(app);
    assert!(
        in_files.is_empty(),
        "traces left in the files: {in_files:?}"
    );

    // The account is gone: its token and its password no longer work.
    let (_, me) = app
        .shopper(Some(&token), "{ customer { email } }", json!({}))
        .await;
    assert_eq!(error_message(&me), "User token has been revoked", "{me}");
    let refused = sign_in(app, NEW_EMAIL).await.expect_err("no sign-in");
    assert!(
        error_message(&refused).contains("account sign-in was incorrect"),
        "{refused}"
    );
    // The timeline keeps what happened, without the values.
    let events = app
        .services
        .events
        .timeline(id as i32, &[], 50, None)
        .await
        .expect("timeline");
    assert!(
        events
            .events
            .iter()
            .any(|e| e.event_type == "customer.deleted"),
        "{:?}",
        events.events
    );
    assert!(
        events
            .events
            .iter()
            .flat_map(|e| &e.changes)
            .all(|c| c.old.is_null() && c.new.is_null())
    );
    // The address can be used again.
    let (_, again) = app
        .shopper(
            None,
            "mutation($e: String!, $p: String!) { createCustomerV2(input: {firstname: \"Ann\", lastname: \"Lee\", email: $e, password: $p}) { customer { email } } }",
            json!({"e": NEW_EMAIL, "p": PASSWORD}),
        )
        .await;
    assert!(again["errors"].is_null(), "{again}");
    // Erasing someone who is not there is refused.
    let (_, missing) = app
        .admin(Some(&admin), ERASE, json!({"id": id, "r": "again"}))
        .await;
    assert_eq!(error_ext(&missing, "code"), "NOT_FOUND", "{missing}");
});

db_test!(
    a_grace_period_suspends_the_account_until_it_is_erased_or_restored,
    |app| {
        app.set_config("customer/account_information/erasure_grace_days", "14")
            .await;
        let admin = app.root_token().await;
        let (id, token) = marked_shopper(app, &admin).await;

        let (_, asked) = app
            .admin(
                Some(&admin),
                ERASE,
                json!({"id": id, "r": "Asked by phone"}),
            )
            .await;
        let erasure = &asked["data"]["eraseCustomer"];
        assert_eq!(erasure["status"], "PENDING", "{asked}");
        assert!(erasure["completed_at"].is_null());
        // Suspended: the token stops working and the password does not sign in.
        let (_, me) = app
            .shopper(Some(&token), "{ customer { email } }", json!({}))
            .await;
        assert!(!me["errors"].is_null(), "{me}");
        assert!(sign_in(app, NEW_EMAIL).await.is_err());
        // Asking again answers with the same erasure.
        let (_, twice) = app
            .admin(Some(&admin), ERASE, json!({"id": id, "r": "Asked again"}))
            .await;
        assert_eq!(
            twice["data"]["eraseCustomer"]["id"], erasure["id"],
            "{twice}"
        );

        // Restored: the account is back as it was.
        let (_, restored) = app
            .admin(
                Some(&admin),
                "mutation($id: Int!) { restoreCustomer(id: $id) { status completed_at } }",
                json!({"id": id}),
            )
            .await;
        assert_eq!(
            restored["data"]["restoreCustomer"]["status"], "RESTORED",
            "{restored}"
        );
        sign_in(app, NEW_EMAIL)
            .await
            .expect("signs in after the restore");
        let (_, nothing) = app
            .admin(
                Some(&admin),
                "mutation($id: Int!) { restoreCustomer(id: $id) { status } }",
                json!({"id": id}),
            )
            .await;
        assert_eq!(error_ext(&nothing, "code"), "NOT_FOUND", "{nothing}");

        // Asked again: nothing happens before the grace period ends, everything after.
        app.admin(Some(&admin), ERASE, json!({"id": id, "r": "Final"}))
            .await;
        assert_eq!(app.services.privacy.erase_due().await.expect("due"), 0);
        assert!(!traces(app).await.is_empty());
        app.clock.advance(chrono::Duration::days(15));
        assert_eq!(app.services.privacy.erase_due().await.expect("due"), 1);
        let left = traces(app).await;
        assert!(left.is_empty(), "traces left: {left:?}");
        let admin = app.root_token().await;
        let (_, listed) = app
            .admin(
                Some(&admin),
                "query($id: Int) { customerErasures(customerId: $id) { customer_id status reason } }",
                json!({"id": id}),
            )
            .await;
        assert_eq!(
            listed["data"]["customerErasures"],
            json!([
                {"customer_id": id, "status": "ERASED", "reason": "Final"},
                {"customer_id": id, "status": "RESTORED", "reason": "Asked by phone"},
            ]),
            "{listed}"
        );
    }
);

db_test!(
    staff_export_everything_held_about_a_customer_and_no_secret,
    |app| {
        let admin = app.root_token().await;
        let (id, _) = marked_shopper(app, &admin).await;

        let (_, exported) = app.admin(Some(&admin), EXPORT, json!({"id": id})).await;
        assert!(exported["errors"].is_null(), "{exported}");
        let document = &exported["data"]["exportCustomerData"];
        assert_eq!(document["format"], "clientele.customer-data/1");
        assert_eq!(document["customer"]["email"], NEW_EMAIL);
        assert_eq!(document["customer"]["firstname"], FIRST);
        assert_eq!(document["group"]["name"], "General");
        assert_eq!(document["addresses"][0]["street"], STREET, "{document}");
        assert_eq!(document["addresses"][0]["default_billing"], true);
        assert_eq!(
            document["newsletter"][0]["status"], "SUBSCRIBED",
            "{document}"
        );
        assert!(
            document["sign_in_activity"]["last_login_at"].is_string(),
            "{document}"
        );
        let types: Vec<&str> = document["timeline"]
            .as_array()
            .expect("timeline")
            .iter()
            .filter_map(|e| e["type"].as_str())
            .collect();
        for kind in [
            "customer.created",
            "customer.address.created",
            "customer.email_changed",
        ] {
            assert!(types.contains(&kind), "{kind} in {types:?}");
        }
        // The notice of the changed email went to the old address: it is theirs too.
        let recipients: Vec<&str> = document["emails"]
            .as_array()
            .expect("emails")
            .iter()
            .filter_map(|e| e["recipient"].as_str())
            .collect();
        assert!(recipients.contains(&EMAIL), "{recipients:?}");
        assert!(document["login_as_customer_log"].is_array());
        let text = document.to_string();
        for secret in [
            "password_hash",
            "$argon2",
            "confirmation\"",
            "tokens_valid_after",
        ] {
            assert!(!text.contains(secret), "{secret} in the export");
        }

        // The same document as a download, with its line in the staff audit log.
        let uid =
            base64::Engine::encode(&base64::engine::general_purpose::STANDARD, id.to_string());
        let response = app
            .get(
                &format!("/admin/exports/customers/{uid}/data.json"),
                &[],
                &[("authorization", &format!("Bearer {admin}"))],
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        assert!(
            response.headers()[reqwest::header::CONTENT_DISPOSITION]
                .to_str()
                .expect("header")
                .contains(&format!("customer-{id}-data.json"))
        );
        let downloaded: Value = response.json().await.expect("json");
        assert_eq!(downloaded["customer"], document["customer"]);
        let (_, log) = app
        .admin(
            Some(&admin),
            "{ adminActions(filter: {operation: \"GET /admin/exports/customers/{uid}/data.json\"}) { items { operation kind targets } } }",
            json!({}),
        )
        .await;
        assert_eq!(
            log["data"]["adminActions"]["items"][0]["targets"],
            json!({"customerId": id}),
            "{log}"
        );

        // Staff without the permission get neither, and an unknown uid is not found.
        let clerk = app
            .staff_with_role("clerk@example.com", &["Magento_Customer::manage"], None)
            .await;
        let (_, refused) = app.admin(Some(&clerk), EXPORT, json!({"id": id})).await;
        assert_eq!(error_ext(&refused, "code"), "FORBIDDEN", "{refused}");
        let response = app
            .get(
                &format!("/admin/exports/customers/{uid}/data.json"),
                &[],
                &[("authorization", &format!("Bearer {clerk}"))],
            )
            .await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        let response = app
            .get(
                "/admin/exports/customers/OTk5OTk=/data.json",
                &[],
                &[("authorization", &format!("Bearer {admin}"))],
            )
            .await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    }
);

db_test!(
    a_shopper_downloads_their_data_once_and_deletes_their_account,
    |app| {
        let admin = app.root_token().await;
        let (id, token) = marked_shopper(app, &admin).await;

        let (_, guest) = app
            .shopper(None, "mutation { requestCustomerDataExport }", json!({}))
            .await;
        assert_eq!(
            error_ext(&guest, "category"),
            "graphql-authorization",
            "{guest}"
        );
        let (_, asked) = app
            .shopper(
                Some(&token),
                "mutation { requestCustomerDataExport }",
                json!({}),
            )
            .await;
        assert_eq!(asked["data"]["requestCustomerDataExport"], true, "{asked}");
        let mail = app
            .wait_for_mail(NEW_EMAIL, "/exports/customer-data/")
            .await;
        let start = mail.find("/exports/customer-data/").expect("link");
        let path: String = mail[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || "/-_".contains(*c))
            .collect();
        // Opening the link (as a mail scanner would) shows the page and uses nothing up.
        for _ in 0..2 {
            let page = app.get(&path, &[], &[]).await;
            assert_eq!(page.status(), StatusCode::OK);
            assert!(
                page.text()
                    .await
                    .expect("page")
                    .contains("<form method=\"post\">")
            );
        }
        let download = || app.http.post(format!("{}{path}", app.base)).send();
        let response = download().await.expect("download");
        assert_eq!(response.status(), StatusCode::OK);
        let document: Value = response.json().await.expect("json");
        assert_eq!(document["customer"]["id"], id);
        assert_eq!(document["customer"]["lastname"], LAST);
        // Used once, the link is dead; a made-up one never worked.
        let again = download().await.expect("again");
        assert_eq!(again.status(), StatusCode::NOT_FOUND);
        let made_up = app
            .http
            .post(format!("{}/exports/customer-data/cdx_nothing", app.base))
            .send()
            .await
            .expect("made up");
        assert_eq!(made_up.status(), StatusCode::NOT_FOUND);
        // The shopper deletes their account: it is erased, on their own request.
        let (_, deleted) = app
            .shopper(Some(&token), "mutation { deleteCustomer }", json!({}))
            .await;
        assert_eq!(deleted["data"]["deleteCustomer"], true, "{deleted}");
        let left = traces(app).await;
        assert!(left.is_empty(), "traces left: {left:?}");
        let (_, listed) = app
        .admin(
            Some(&admin),
            "{ customerErasures(status: ERASED) { customer_id reason requested_by { type customer_id } } }",
            json!({}),
        )
        .await;
        assert_eq!(
            listed["data"]["customerErasures"][0],
            json!({"customer_id": id, "reason": "Deleted by the customer (deleteCustomer).", "requested_by": {"type": "CUSTOMER", "customer_id": id}}),
            "{listed}"
        );
    }
);
