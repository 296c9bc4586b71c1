//! Graceful shutdown of the real binary (security requirement J9): on SIGTERM the requests in
//! flight all complete, new ones are not served, and the process exits within its grace period.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const GRACE_SECS: u64 = 5;

struct Server {
    child: Child,
    base: String,
    dir: std::path::PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

async fn start() -> Server {
    let dir = std::env::temp_dir().join(format!("clientele-shutdown-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("dir");
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_clientele"))
        .arg("serve")
        .current_dir(&dir)
        .env("CLIENTELE_DATABASE_URL", "sqlite://clientele.db?mode=rwc")
        .env("CLIENTELE_LISTEN", format!("127.0.0.1:{port}"))
        .env("CLIENTELE_METRICS_LISTEN", "off")
        .env("CLIENTELE_LOG_LEVEL", "warn")
        .env("CLIENTELE_MAIL_TRANSPORT", "none")
        .env("CLIENTELE_HASH_CONCURRENCY", "1")
        .env("CLIENTELE_SIGN_IN_FAILURES_PER_CLIENT", "0")
        .env("CLIENTELE_SHUTDOWN_GRACE_SECS", GRACE_SECS.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server binary starts");
    let server = Server {
        child,
        base: format!("http://127.0.0.1:{port}"),
        dir,
    };
    let client = reqwest::Client::new();
    let started = Instant::now();
    loop {
        if let Ok(r) = client.get(format!("{}/readyz", server.base)).send().await
            && r.status() == 200
        {
            return server;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "the server never became ready");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_finishes_requests_in_flight_refuses_new_ones_and_exits_in_time() {
    let mut server = start().await;
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
