//! Tokens and passwords stay out of URLs and logs (security requirement E7): with every log
//! line on (`debug`, in the JSON log file), nothing a client sent as a secret, nor a token
//! the server issued, nor a token's signature, is ever written; a token in the query string is
//! not a credential.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod binary;

use std::io::Write;
use std::process::Stdio;

use serde_json::{Value, json};

const STAFF_PASSWORD: &str = "Log-Audit-Staff-2026!";
const SHOPPER_PASSWORD: &str = "Log-Audit-Shopper-77";

async fn graphql(base: &str, path: &str, token: Option<&str>, query: &str) -> Value {
    let mut request = reqwest::Client::new()
        .post(format!("{base}{path}"))
        .json(&json!({ "query": query }));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_sent_and_tokens_issued_never_reach_the_log() {
    let dir = binary::workdir();
    let mut create = binary::command(&dir)
        .args([
            "admin",
            "create",
            "--email",
            "ops@example.com",
            "--name",
            "Ops",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .spawn()
        .expect("cli");
    create
        .stdin
        .take()
        .expect("stdin")
        .write_all(STAFF_PASSWORD.as_bytes())
        .expect("password");
    assert!(create.wait().expect("cli").success());
    let log = dir.join("clientele.log");
    let log_file = log.display().to_string();
    let mut server = binary::start(
        dir,
        &[
            ("CLIENTELE_LOG_LEVEL", "debug"),
            ("CLIENTELE_LOG_FILE", &log_file),
        ],
    )
    .await;
    let base = server.base.clone();

    let body = graphql(&base, "/admin/graphql", None, &format!(
        "mutation {{ generateStaffToken(email: \"ops@example.com\", password: \"{STAFF_PASSWORD}\") {{ token }} }}"
    ))
    .await;
    let staff = body["data"]["generateStaffToken"]["token"]
        .as_str()
        .expect("staff token")
        .to_owned();
    let body = graphql(
        &base,
        "/admin/graphql",
        Some(&staff),
        "{ staffUsers { total_count } }",
    )
    .await;
    assert_eq!(body["data"]["staffUsers"]["total_count"], 1, "{body}");

    let body = graphql(&base, "/graphql", None, &format!(
        "mutation {{ createCustomerV2(input: {{firstname: \"Ann\", lastname: \"Lee\", email: \"ann@example.com\", password: \"{SHOPPER_PASSWORD}\"}}) {{ customer {{ email }} }} }}"
    ))
    .await;
    assert!(body["errors"].is_null(), "{body}");
    let body = graphql(&base, "/graphql", None, &format!(
        "mutation {{ generateCustomerToken(email: \"ann@example.com\", password: \"{SHOPPER_PASSWORD}\") {{ token }} }}"
    ))
    .await;
    let shopper = body["data"]["generateCustomerToken"]["token"]
        .as_str()
        .expect("token")
        .to_owned();
    let body = graphql(&base, "/graphql", Some(&shopper), "{ customer { email } }").await;
    assert_eq!(
        body["data"]["customer"]["email"], "ann@example.com",
        "{body}"
    );

    // A token in the URL is not a credential.
    let response = reqwest::Client::new()
        .get(format!("{base}/graphql"))
        .query(&[
            ("access_token", shopper.as_str()),
            ("query", "{ customer { email } }"),
        ])
        .send()
        .await
        .expect("request");
    let body: Value = response.json().await.expect("json");
    assert_eq!(
        body["errors"][0]["message"], "The current customer isn't authorized.",
        "{body}"
    );

    server.stop().await;
    let written = std::fs::read_to_string(&log).expect("the log file");
    assert!(
        written.lines().count() > 20,
        "debug logging was on: {written}"
    );
    let signature = |token: &str| token.rsplit('.').next().expect("signature").to_owned();
    for (what, secret) in [
        ("the staff password", STAFF_PASSWORD.to_owned()),
        ("the shopper password", SHOPPER_PASSWORD.to_owned()),
        ("the staff token", staff.clone()),
        ("the staff token's signature", signature(&staff)),
        ("the shopper token", shopper.clone()),
        ("the shopper token's signature", signature(&shopper)),
    ] {
        assert!(!written.contains(&secret), "{what} is in the log");
    }
}
