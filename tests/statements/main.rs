//! What a page of customers costs the database: a fixed number of statements, whatever the page
//! size, with every per-row field (activity, subscriptions, custom attributes, address books and
//! their custom attributes) selected. The count comes from `clientele_db_statements_total` on the
//! metrics listener; the counter is process-wide, so this suite runs in a process of its own,
//! one backend after the other. A known staff or integration token costs no statement at all.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use clientele_tests::{Backend, TestApp, postgres_url};
use serde_json::{Value, json};

const PAGE: &str = "query($n: Int!) { customers(pageSize: $n, sort: {field: ID, direction: ASC}) { total_count items { id email activity { last_signed_in_at is_online } newsletter_subscriptions { store_id status } custom_attributes { code value } addresses(pageSize: 5) { total_count items { id city custom_attributes { code } } } } } }";

/// Customers the suite creates.
const CUSTOMERS: i64 = 30;

async fn statements(app: &TestApp) -> u64 {
    let base = app.metrics_base.as_deref().expect("metrics listener");
    let text = app
        .http
        .get(format!("{base}/metrics"))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    text.lines()
        .filter(|l| l.starts_with("clientele_db_statements_total"))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum::<f64>() as u64
}

/// Statements run by one request for a page of `size` (all the customers when there are fewer).
async fn page_cost(app: &TestApp, token: &str, size: i64) -> u64 {
    let before = statements(app).await;
    let (_, body) = app.admin(Some(token), PAGE, json!({ "n": size })).await;
    let after = statements(app).await;
    assert!(body["errors"].is_null(), "{body}");
    let items = body["data"]["customers"]["items"]
        .as_array()
        .expect("items");
    assert_eq!(items.len() as i64, size.min(CUSTOMERS));
    assert!(
        items.iter().all(|c| c["addresses"]["total_count"] == 2),
        "{body}"
    );
    assert!(items.iter().all(|c| {
        c["newsletter_subscriptions"]
            .as_array()
            .is_some_and(|s| s.len() == 1)
    }));
    after - before
}

async fn one_backend(backend: Backend) {
    let app = TestApp::spawn_with(backend, |s| {
        s.mail_transport = "none".into();
        s.cache_ttl_secs = 3600;
        s.admin_max_complexity = 100_000;
        // The import worker looks for queued jobs every second, which the count would catch.
        s.import_jobs = false;
        // So do the webhook workers, at their queues.
        s.webhook_concurrency = 0;
    })
    .await
    .expect("app");
    let token = app.root_token().await;
    for i in 0..CUSTOMERS {
        let (_, body) = app
            .admin(
                Some(&token),
                "mutation($e: String!) { createCustomer(input: {email: $e, firstname: \"Ann\", lastname: \"Lee\"}) { id } }",
                json!({ "e": format!("c{i}@example.com") }),
            )
            .await;
        let id = body["data"]["createCustomer"]["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("{body}"));
        for city in ["Austin", "Boston"] {
            let (_, body): (_, Value) = app
                .admin(
                    Some(&token),
                    "mutation($c: Int!, $city: String!) { createCustomerAddress(customerId: $c, input: {firstname: \"Ann\", lastname: \"Lee\", street: [\"1 Main St\"], city: $city, country_code: \"US\", region_code: \"TX\", postcode: \"78701\", telephone: \"512-555-0100\"}) { id } }",
                    json!({ "c": id, "city": city }),
                )
                .await;
            assert!(body["errors"].is_null(), "{body}");
        }
        let (_, body) = app
            .admin(
                Some(&token),
                "mutation($c: Int!) { subscribeCustomerToNewsletter(customerId: $c) { status } }",
                json!({ "c": id }),
            )
            .await;
        assert!(body["errors"].is_null(), "{body}");
    }
    // Warm the caches every request reads (configuration, stores), then measure.
    page_cost(&app, &token, 2).await;
    let small = page_cost(&app, &token, 3).await;
    let large = page_cost(&app, &token, CUSTOMERS).await;
    let short = page_cost(&app, &token, CUSTOMERS + 1).await;
    eprintln!("{backend:?}: a page of 3 ran {small} statements, a page of 30 ran {large}");
    assert_eq!(
        small, large,
        "a page costs the same statements whatever its size"
    );
    assert!(small <= 16, "{small} statements for one page");
    assert_eq!(
        short,
        small - 1,
        "a page short of its size tells the total without counting"
    );
    credentials_are_checked_from_memory(&app, &token).await;
    app.finish().await;
}

/// Once a node has seen a staff or integration token, checking it again costs no statement.
async fn credentials_are_checked_from_memory(app: &TestApp, staff: &str) {
    let (_, created) = app
        .admin(
            Some(staff),
            "mutation { createIntegration(input: {name: \"ERP\", all_resources: true}) { token } }",
            json!({}),
        )
        .await;
    let integration = created["data"]["createIntegration"]["token"]
        .as_str()
        .unwrap_or_else(|| panic!("{created}"))
        .to_owned();
    for token in [staff, integration.as_str()] {
        let (_, first) = app.admin(Some(token), "{ __typename }", json!({})).await;
        assert_eq!(first["data"]["__typename"], "Query", "{first}");
        let before = statements(app).await;
        for _ in 0..5 {
            let (status, _) = app.admin(Some(token), "{ __typename }", json!({})).await;
            assert_eq!(status, 200);
        }
        let after = statements(app).await;
        assert_eq!(
            after - before,
            0,
            "statements for five checks of a known token"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_of_customers_costs_a_fixed_number_of_statements() {
    one_backend(Backend::Sqlite).await;
    if postgres_url().is_some() {
        one_backend(Backend::Postgres).await;
    } else {
        eprintln!("CLIENTELE_TEST_POSTGRES_URL is not set: PostgreSQL leg skipped");
    }
}
