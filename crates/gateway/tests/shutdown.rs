//! Graceful shutdown of the real binary (security requirement J9): on SIGTERM the requests in
//! flight all complete, new ones are not served, and the process exits within its grace period.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod binary;

use std::process::Command;
use std::time::{Duration, Instant};

const GRACE_SECS: u64 = 5;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_finishes_requests_in_flight_refuses_new_ones_and_exits_in_time() {
    let grace = GRACE_SECS.to_string();
    let mut server = binary::start(
        binary::workdir(),
        &[
            ("CLIENTELE_HASH_CONCURRENCY", "1"),
            ("CLIENTELE_SIGN_IN_FAILURES_PER_CLIENT", "0"),
            ("CLIENTELE_SHUTDOWN_GRACE_SECS", &grace),
        ],
    )
    .await;
    let client = reqwest::Client::new();
    // Twenty sign-ins, each a password hash on a pool of one: they stay in flight for a while.
    let in_flight: Vec<_> = (0..20)
        .map(|i| {
            let request = client
                .post(format!("{}/graphql", server.base))
                .json(&serde_json::json!({
                    "query": format!("mutation {{ generateCustomerToken(email: \"n{i}@example.com\", password: \"Wrong-Pass-1\") {{ token }} }}")
                }));
            tokio::spawn(async move { request.send().await.map(|r| r.status().as_u16()) })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(150)).await;
    let signalled = Instant::now();
    let killed = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    tokio::time::sleep(Duration::from_millis(100)).await;

    // A new client after the signal is not served.
    let fresh = reqwest::Client::builder()
        .timeout(Duration::from_secs(GRACE_SECS + 5))
        .build()
        .expect("client");
    let late = fresh
        .post(format!("{}/graphql", server.base))
        .json(&serde_json::json!({"query": "{ __typename }"}))
        .send()
        .await;
    assert!(
        late.as_ref().map_or(true, |r| r.status() == 503),
        "a request after SIGTERM was served: {late:?}"
    );

    // Every request in flight got its whole answer (a failed sign-in).
    for request in in_flight {
        let status = request.await.expect("join").expect("answered, not dropped");
        assert_eq!(status, 401);
    }
    let exit = loop {
        if let Some(status) = server.child.try_wait().expect("wait") {
            break status;
        }
        assert!(
            signalled.elapsed() < Duration::from_secs(GRACE_SECS + 3),
            "still running after the grace period"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(exit.success(), "{exit:?}");
}
