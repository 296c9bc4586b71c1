//! Timing that would tell whether an account exists (security requirement C7): the medians of
//! answers for known and unknown emails must lie within a fifth of each other. Timing needs a
//! quiet machine, so these run only when asked for (`cargo test -- --ignored timing`), as CI
//! does in a step of its own.

use std::time::{Duration, Instant};

use clientele_tests::{TestApp, db_test};
use serde_json::{Value, json};

const TRIALS: usize = 30;
const PASSWORD: &str = "Sunny-Day-42";

/// Creates `count` customers with passwords through the import; their emails.
async fn accounts(app: &TestApp, prefix: &str, count: usize) -> Vec<String> {
    let token = app.root_token().await;
    let emails: Vec<String> = (0..count)
        .map(|i| format!("{prefix}{i}@example.com"))
        .collect();
    let refs: Vec<&str> = emails.iter().map(String::as_str).collect();
    app.import_customers(&token, &refs, PASSWORD).await;
    emails
}

async fn timed(app: &TestApp, query: &str, variables: Value) -> Duration {
    let started = Instant::now();
    let (status, body) = app.shopper(None, query, variables).await;
    let took = started.elapsed();
    assert!(status == 200 || status == 401, "{body}");
    took
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// Fails unless the two medians lie within a fifth of the larger one.
fn assert_close(what: &str, known: Vec<Duration>, unknown: Vec<Duration>) {
    let (known, unknown) = (median(known), median(unknown));
    let gap = known.abs_diff(unknown);
    let bound = known.max(unknown) / 5;
    eprintln!("{what}: known {known:?}, unknown {unknown:?}, gap {gap:?}, bound {bound:?}");
    assert!(
        gap <= bound,
        "{what}: known {known:?} vs unknown {unknown:?}"
    );
}

db_test!(
    #[ignore = "timing: run alone with --ignored"]
    timing_does_not_tell_whether_an_account_exists,
    settings | s | {
        s.sign_in_failures_per_client = 0;
        s.sign_ups_per_client = 0;
    },
    |app| {
        // No lockout and no reset limits: every trial takes the full path.
        app.set_config("customer/password/lockout_failures", "0")
            .await;
        app.set_config("customer/password/password_reset_protection_type", "0")
            .await;
        let known = accounts(app, "known", TRIALS).await;
        let sign_in = "mutation($e: String!) { generateCustomerToken(email: $e, password: \"Wrong-Pass-1\") { token } }";
        let reset = "mutation($e: String!) { requestPasswordResetEmail(email: $e) }";
        // One round of each first, so connection pools and caches are warm for both sides.
        timed(app, sign_in, json!({"e": known[0]})).await;
        timed(app, sign_in, json!({"e": "warm@example.com"})).await;
        let (mut known_times, mut unknown_times) = (Vec::new(), Vec::new());
        for (i, email) in known.iter().enumerate() {
            known_times.push(timed(app, sign_in, json!({"e": email})).await);
            let unknown = format!("nobody{i}@example.com");
            unknown_times.push(timed(app, sign_in, json!({"e": unknown})).await);
        }
        assert_close("sign-in", known_times, unknown_times);

        let (mut known_times, mut unknown_times) = (Vec::new(), Vec::new());
        for (i, email) in known.iter().enumerate() {
            known_times.push(timed(app, reset, json!({"e": email})).await);
            // The link is issued after the answer; let it finish before the next trial.
            tokio::time::sleep(Duration::from_millis(30)).await;
            let unknown = format!("nobody{i}@example.com");
            unknown_times.push(timed(app, reset, json!({"e": unknown})).await);
            tokio::time::sleep(Duration::from_millis(30)).await;
        }
        assert_close("password reset request", known_times, unknown_times);
    }
);
