//! Behaviour when credentials are forged and when the database goes away.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use clientele_tests::{Backend, TestApp, db_test, error_ext, postgres_url};
use serde_json::json;

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
    let name = url.rsplit('/').next().expect("name").to_owned();
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
