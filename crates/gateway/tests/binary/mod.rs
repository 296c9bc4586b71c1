//! The real `clientele` binary on a loopback port, over a SQLite database in a directory of its
//! own, for the tests that need a whole process: signals, logs.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running server process; killed and its directory removed when dropped.
pub struct Server {
    /// The process.
    pub child: Child,
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    /// Its working directory (database, log file).
    pub dir: PathBuf,
}

impl Server {
    /// Stops the process as an operator would (SIGTERM) and waits up to 5 s for it to exit.
    pub async fn stop(&mut self) {
        Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill");
        for _ in 0..100 {
            if self.child.try_wait().expect("wait").is_some() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
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

/// A fresh working directory.
pub fn workdir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("clientele-bin-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("dir");
    dir
}

/// The binary with the settings every test shares, run in `dir`.
pub fn command(dir: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_clientele"));
    command
        .current_dir(dir)
        .env("CLIENTELE_DATABASE_URL", "sqlite://clientele.db?mode=rwc")
        .env("CLIENTELE_METRICS_LISTEN", "off")
        .env("CLIENTELE_LOG_LEVEL", "warn")
        .env("CLIENTELE_MAIL_TRANSPORT", "none")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

/// Starts `clientele serve` in `dir` with `env` on top of the shared settings, once ready.
pub async fn start(dir: PathBuf, env: &[(&str, &str)]) -> Server {
    let port = free_port();
    let mut command = command(&dir);
    command
        .arg("serve")
        .env("CLIENTELE_LISTEN", format!("127.0.0.1:{port}"));
    for (key, value) in env {
        command.env(key, value);
    }
    let child = command.spawn().expect("the server binary starts");
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
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the server never became ready"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
