//! Behaviour when credentials are forged and when the database goes away.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use clientele_tests::{Backend, TestApp, db_test, error_ext, postgres_url};
use serde_json::{Value, json};

fn b64(value: &serde_json::Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).expect("json"))
}

db_test!(forged_and_tampered_staff_tokens_are_refused, |app| {
    let token = app.root_token().await;
    let parts: Vec<&str> = token.split('.').collect();
    let payload: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).expect("b64")).expect("json");
    let mut raised = payload.clone();
    raised["sub"] = json!("999");
    let forgeries = [
        format!(
            "{}.{}.",
            b64(&json!({"alg": "none", "typ": "JWT"})),
            parts[1]
        ),
        format!(
            "{}.{}.{}",
            b64(&json!({"alg": "HS256", "typ": "JWT"})),
            parts[1],
            parts[2]
        ),
        format!("{}.{}.{}", parts[0], b64(&raised), parts[2]),
        format!(
            "{}.{}.{}",
            b64(&json!({"alg": "EdDSA", "kid": "unknown"})),
            parts[1],
            parts[2]
        ),
        token[..token.len() - 5].to_owned(),
        "clt_not-a-real-integration-token".to_owned(),
    ];
    for forged in forgeries {
        let (status, body) = app
            .admin(Some(&forged), "{ currentStaffUser { id } }", json!({}))
            .await;
        assert_eq!(status, 401, "{forged}: {body}");
        assert_eq!(error_ext(&body, "code"), "UNAUTHENTICATED");
        assert!(body["data"].is_null());
    }
    let (status, _) = app
        .admin(Some(&token), "{ currentStaffUser { id } }", json!({}))
        .await;
    assert_eq!(status, 200, "the genuine token still works");
});

#[tokio::test]
async fn readiness_follows_the_database() {
    if postgres_url().is_none() {
        eprintln!("CLIENTELE_TEST_POSTGRES_URL is not set: skipped");
        return;
    }
    let app = TestApp::spawn_with(Backend::Postgres, |s| s.db_acquire_timeout_secs = 1)
        .await
        .expect("app");
    let ready = app
        .http
        .get(format!("{}/readyz", app.base))
        .send()
        .await
        .expect("readyz");
    assert_eq!(ready.status(), 200);
    let url = app.settings.database_url.clone();
    let path = url.split('?').next().expect("path");
    let name = path.rsplit('/').next().expect("name").to_owned();
    let server = postgres_url().expect("server");
    let admin = sea_orm::Database::connect(&server).await.expect("server");
    sea_orm::ConnectionTrait::execute_unprepared(
        &admin,
        &format!("DROP DATABASE \"{name}\" WITH (FORCE)"),
    )
    .await
    .expect("drop");
    let started = std::time::Instant::now();
    let not_ready = app
        .http
        .get(format!("{}/readyz", app.base))
        .send()
        .await
        .expect("readyz");
    assert_eq!(not_ready.status(), 503);
    assert!(started.elapsed().as_secs() < 5);
    let (status, body) = app.storefront("{ storeConfig { store_code } }").await;
    assert!(
        status == 503 || status == 500 || error_ext(&body, "category") == "internal",
        "{status} {body}"
    );
    let text = body.to_string().to_lowercase();
    for leak in [
        "select",
        "postgres",
        "sqlx",
        "sea_orm",
        "database \"",
        "does not exist",
    ] {
        assert!(!text.contains(leak), "response leaks {leak}: {body}");
    }
    let health = app
        .http
        .get(format!("{}/healthz", app.base))
        .send()
        .await
        .expect("healthz");
    assert_eq!(health.status(), 200, "the process stays up");
    app.finish().await;
}

/// The `host:port` of a PostgreSQL URL.
fn authority(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
    let host_port = rest.split(['/', '?']).next().unwrap_or(rest);
    if host_port.contains(':') {
        host_port.to_owned()
    } else {
        format!("{host_port}:5432")
    }
}

async fn ready(app: &TestApp) -> u16 {
    app.http
        .get(format!("{}/readyz", app.base))
        .send()
        .await
        .map_or(0, |r| r.status().as_u16())
}

async fn wait_until_ready(app: &TestApp, wanted: u16, within: std::time::Duration) {
    let started = std::time::Instant::now();
    while ready(app).await != wanted {
        assert!(started.elapsed() < within, "readyz never answered {wanted}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_database_outage_is_survived_without_a_restart() {
    let Some(server) = postgres_url() else {
        eprintln!("CLIENTELE_TEST_POSTGRES_URL is not set: skipped");
        return;
    };
    let target = authority(&server);
    let link = clientele_tests::FaultyLink::to(&target)
        .await
        .expect("link");
    let through = link.addr.to_string();
    let app = TestApp::spawn_with(Backend::Postgres, |s| {
        s.database_url = s.database_url.replacen(&target, &through, 1);
        s.db_acquire_timeout_secs = 1;
    })
    .await
    .expect("app");
    let token = app.root_token().await;
    app.import_customers(&token, &["ann@example.com"], "Sunny-Day-42")
        .await;
    let sign_in = "mutation { generateCustomerToken(email: \"ann@example.com\", password: \"Sunny-Day-42\") { token } }";
    let sign_up = |email: &str| {
        format!(
            "mutation {{ createCustomerV2(input: {{firstname: \"A\", lastname: \"B\", email: \"{email}\"}}) {{ customer {{ email }} }} }}"
        )
    };

    link.cut();
    wait_until_ready(&app, 503, std::time::Duration::from_secs(10)).await;
    // Changes and sign-ins fail closed, quickly, and say nothing of the database.
    for query in [sign_up("during@example.com"), sign_in.to_owned()] {
        let started = std::time::Instant::now();
        let (status, body) = app.storefront(&query).await;
        assert!(
            body["data"].is_null()
                || body["data"]
                    .as_object()
                    .is_some_and(|d| d.values().all(Value::is_null)),
            "{body}"
        );
        assert!(
            status.as_u16() == 503 || error_ext(&body, "category") == "internal",
            "{status} {body}"
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(10));
        assert!(
            !body.to_string().to_lowercase().contains("postgres"),
            "{body}"
        );
    }
    let health = app
        .http
        .get(format!("{}/healthz", app.base))
        .send()
        .await
        .expect("healthz");
    assert_eq!(health.status(), 200, "the process stays up");
    // A node started while the database is away refuses to start, with a clear message.
    let refused = app
        .another_node()
        .await
        .err()
        .expect("no database, no start");
    assert!(format!("{refused:#}").contains("database"), "{refused:#}");

    link.restore();
    wait_until_ready(&app, 200, std::time::Duration::from_secs(30)).await;
    let (_, body) = app.storefront(&sign_up("after@example.com")).await;
    assert_eq!(
        body["data"]["createCustomerV2"]["customer"]["email"], "after@example.com",
        "{body}"
    );
    assert!(body["errors"].is_null(), "{body}");
    let (status, body) = app.storefront(sign_in).await;
    assert_eq!(status.as_u16(), 200, "{body}");
    assert!(body["data"]["generateCustomerToken"]["token"].is_string());
    // The change made during the outage did not happen; a node started now migrates nothing new.
    let (_, body) = app
        .admin(
            Some(&token),
            "{ customers(filter: {email: {match: \"during@example.com\"}}) { total_count } }",
            json!({}),
        )
        .await;
    assert_eq!(body["data"]["customers"]["total_count"], 0, "{body}");
    let second = app.another_node().await.expect("a node starts again");
    second.finish().await;
    app.finish().await;
}
