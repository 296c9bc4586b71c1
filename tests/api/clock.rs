//! Time-driven rules read the application's clock: the tests move it instead of waiting.

use clientele_tests::{TestApp, db_test, error_ext, error_message};
use serde_json::{Value, json};

const PASSWORD: &str = "Sunny-Day-42";
const FAILED: &str = "The account sign-in was incorrect or your account is disabled temporarily. Please wait and try again later.";

async fn sign_in(app: &TestApp, password: &str) -> (u16, Value) {
    let (status, body) = app
        .storefront_with(
            &format!(
                "mutation {{ generateCustomerToken(email: \"ann@example.com\", password: \"{password}\") {{ token }} }}"
            ),
            &[],
        )
        .await;
    (status.as_u16(), body)
}

async fn read_account(app: &TestApp, token: &str) -> Value {
    let bearer = format!("Bearer {token}");
    let (_, body) = app
        .storefront_with(
            "{ customer { email } }",
            &[("Authorization", bearer.as_str())],
        )
        .await;
    body
}

fn minutes(n: i64) -> chrono::Duration {
    chrono::Duration::minutes(n)
}

db_test!(a_shopper_token_lives_for_its_lifetime_on_the_clock, |app| {
    let admin = app.root_token().await;
    app.import_customers(&admin, &["ann@example.com"], PASSWORD)
        .await;
    let (_, body) = sign_in(app, PASSWORD).await;
    let token = body["data"]["generateCustomerToken"]["token"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned();
    assert_eq!(
        read_account(app, &token).await["data"]["customer"]["email"],
        "ann@example.com"
    );
    // One hour by default, and thirty seconds of tolerated skew between nodes.
    app.clock.advance(minutes(60));
    let body = read_account(app, &token).await;
    assert_eq!(
        body["data"]["customer"]["email"], "ann@example.com",
        "{body}"
    );
    app.clock.advance(chrono::Duration::seconds(31));
    let body = read_account(app, &token).await;
    // Adobe Commerce's answer for an expired token.
    assert_eq!(error_message(&body), "Consumer key has expired", "{body}");
    assert_eq!(error_ext(&body, "category"), "graphql-authentication");
});

db_test!(
    a_locked_account_opens_when_the_lockout_window_has_passed,
    |app| {
        let admin = app.root_token().await;
        app.import_customers(&admin, &["ann@example.com"], PASSWORD)
            .await;
        app.set_config("customer/password/lockout_failures", "3")
            .await;
        for _ in 0..3 {
            let (status, body) = sign_in(app, "wrong-password").await;
            assert_eq!((status, error_message(&body)), (401, FAILED), "{body}");
        }
        let (status, _) = sign_in(app, PASSWORD).await;
        assert_eq!(status, 401, "locked");
        // Ten minutes by default (customer/password/lockout_threshold).
        app.clock.advance(minutes(9));
        let (status, _) = sign_in(app, PASSWORD).await;
        assert_eq!(status, 401, "still locked");
        app.clock.advance(minutes(2));
        let (status, body) = sign_in(app, PASSWORD).await;
        assert_eq!(status, 200, "{body}");
        assert!(body["data"]["generateCustomerToken"]["token"].is_string());
    }
);

db_test!(a_staff_token_expires_on_the_clock, |app| {
    let admin = app.root_token().await;
    let query = "{ customerGroups { total_count } }";
    let (status, body) = app.admin(Some(&admin), query, json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["data"]["customerGroups"]["total_count"].is_i64());
    // Four hours by default (oauth/access_token_lifetime/admin).
    app.clock.advance(minutes(4 * 60 + 1));
    let (status, body) = app.admin(Some(&admin), query, json!({})).await;
    assert_eq!(status, 401, "{body}");
    assert!(body["data"]["customerGroups"].is_null(), "{body}");
});
