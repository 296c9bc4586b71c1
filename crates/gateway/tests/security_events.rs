//! Shopper security events reach the process log (security requirement H4): a sign-in, failed
//! sign-ins up to the lockout, a password reset request and a refused guest each write a line
//! with its UTC time, the customer where known, the client's address and the outcome. The
//! password tried is never written, and an email holding a line break cannot start a line of
//! its own.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod binary;

use std::time::Duration;

use serde_json::{Value, json};

const PASSWORD: &str = "Log-Events-Shopper-77";
const CANARY: &str = "CANARY_pw_7f3";

async fn storefront(base: &str, query: &str, variables: Value) -> Value {
    reqwest::Client::new()
        .post(format!("{base}/graphql"))
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json")
}

const SIGN_IN: &str = "mutation($e: String!, $p: String!) { generateCustomerToken(email: $e, password: $p) { token } }";

/// The log's lines, as JSON.
fn lines(written: &str) -> Vec<Value> {
    written
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

/// The lines whose message is `message`.
fn with_message<'a>(lines: &'a [Value], message: &str) -> Vec<&'a Value> {
    lines
        .iter()
        .filter(|line| line["fields"]["message"] == message)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shopper_security_events_are_logged_with_time_client_and_outcome() {
    let dir = binary::workdir();
    let log = dir.join("clientele.log");
    let log_file = log.display().to_string();
    let mut server = binary::start(
        dir,
        &[
            ("CLIENTELE_LOG_LEVEL", "info"),
            ("CLIENTELE_LOG_FILE", &log_file),
        ],
    )
    .await;
    let base = server.base.clone();

    let created = storefront(
        &base,
        "mutation($p: String!) { createCustomerV2(input: {firstname: \"Ann\", lastname: \"Lee\", email: \"ann@example.com\", password: $p}) { customer { email } } }",
        json!({"p": PASSWORD}),
    )
    .await;
    assert!(created["errors"].is_null(), "{created}");
    let signed_in = storefront(
        &base,
        SIGN_IN,
        json!({"e": "ann@example.com", "p": PASSWORD}),
    )
    .await;
    assert!(
        signed_in["data"]["generateCustomerToken"]["token"].is_string(),
        "{signed_in}"
    );
    // Wrong passwords until the account locks (ten by default).
    for _ in 0..10 {
        let refused =
            storefront(&base, SIGN_IN, json!({"e": "ann@example.com", "p": CANARY})).await;
        assert!(!refused["errors"].is_null(), "{refused}");
    }
    let reset = storefront(
        &base,
        "mutation { requestPasswordResetEmail(email: \"ann@example.com\") }",
        json!({}),
    )
    .await;
    assert!(reset["errors"].is_null(), "{reset}");
    let injected = storefront(
        &base,
        SIGN_IN,
        json!({"e": "x\nFAKE_ENTRY {\"level\":\"INFO\"}@example.com", "p": CANARY}),
    )
    .await;
    assert!(!injected["errors"].is_null(), "{injected}");
    let guest = storefront(&base, "{ customer { email } }", json!({})).await;
    assert!(!guest["errors"].is_null(), "{guest}");

    // Failed sign-ins settle after their answer: wait for the lock to be written.
    for _ in 0..100 {
        let written = std::fs::read_to_string(&log).unwrap_or_default();
        if written.contains("customer account locked") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    server.stop().await;

    let written = std::fs::read_to_string(&log).expect("the log file");
    assert!(!written.contains(CANARY), "a password tried is in the log");
    assert!(
        written.lines().all(|line| !line.starts_with("FAKE_ENTRY")),
        "a line was injected"
    );
    let lines = lines(&written);
    // Each event: UTC time, the client, the outcome, and the customer where known.
    let expect = |message: &str, outcome: Option<&str>, customer: bool| {
        let found = with_message(&lines, message);
        assert!(!found.is_empty(), "no \"{message}\" in the log:\n{written}");
        for line in found {
            let time = line["timestamp"].as_str().expect("timestamp");
            assert!(time.ends_with('Z'), "not UTC: {time}");
            assert_eq!(line["span"]["client"], "127.0.0.1", "{line}");
            if let Some(outcome) = outcome {
                assert_eq!(line["fields"]["outcome"], outcome, "{line}");
            }
            if customer {
                assert_eq!(line["fields"]["customer_id"], 1, "{line}");
            }
        }
    };
    expect("shopper signed in", Some("success"), true);
    expect("shopper sign-in refused", Some("refused"), false);
    expect(
        "customer account locked after repeated sign-in failures",
        None,
        true,
    );
    expect("password reset link issued", None, true);
    expect(
        "a guest asked for what needs a signed-in customer",
        Some("denied"),
        false,
    );
}
