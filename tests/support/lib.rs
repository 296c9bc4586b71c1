//! Test harness: starts the real application on a random loopback port against a fresh database
//! (a new SQLite file, or a new PostgreSQL database when `CLIENTELE_TEST_POSTGRES_URL` is set) and
//! talks to it over HTTP only.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod link;

pub use link::FaultyLink;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clientele_gateway::app::App;
use clientele_gateway::config::Settings;
use clientele_gateway::services::Services;
use clientele_kernel::Clock;
use clientele_kernel::clock::SettableClock;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A fresh SQLite file.
    Sqlite,
    /// A fresh PostgreSQL database on the server of `CLIENTELE_TEST_POSTGRES_URL`.
    Postgres,
}

pub use clientele_kernel::testing::sqlite_skipped;

/// The PostgreSQL server URL for tests, when configured.
pub fn postgres_url() -> Option<String> {
    std::env::var("CLIENTELE_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

/// Password of every staff user the tests create.
pub const STAFF_PASSWORD: &str = "Staff-Pass-2026!";

/// A running application.
pub struct TestApp {
    /// Base URL, e.g. `http://127.0.0.1:41234`.
    pub base: String,
    /// The bound address.
    pub addr: SocketAddr,
    /// Base URL of the metrics listener, e.g. `http://127.0.0.1:41235`.
    pub metrics_base: Option<String>,
    /// HTTP client.
    pub http: reqwest::Client,
    /// The wired services, for arranging data a test is not about.
    pub services: Services,
    /// The settings the app runs with.
    pub settings: Settings,
    /// Moves the clock the app tells the time by (shared with every other node of the test).
    pub clock: Arc<SettableClock>,
    _dir: tempdir::TempDir,
    database: Option<(String, String)>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
}

/// A minimal temporary directory, removed on drop.
mod tempdir {
    use std::path::{Path, PathBuf};

    pub struct TempDir(PathBuf);

    impl TempDir {
        pub fn new() -> std::io::Result<Self> {
            let path =
                std::env::temp_dir().join(format!("clientele-test-{}", uuid::Uuid::new_v4()));
            std::fs::create_dir_all(&path)?;
            Ok(Self(path))
        }

        pub fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

impl TestApp {
    /// Starts the app with default test settings.
    pub async fn spawn(backend: Backend) -> anyhow::Result<Self> {
        Self::spawn_with(backend, |_| {}).await
    }

    /// Starts the app after `adjust` has changed the settings.
    pub async fn spawn_with(
        backend: Backend,
        adjust: impl FnOnce(&mut Settings),
    ) -> anyhow::Result<Self> {
        let dir = tempdir::TempDir::new()?;
        let mut settings = Settings {
            listen: "127.0.0.1:0".parse()?,
            metrics_listen: Some("127.0.0.1:0".parse()?),
            log_level: std::env::var("TEST_LOG").unwrap_or_else(|_| "off".into()),
            log_file: Some(dir.path().join("clientele.log")),
            hash_concurrency: 2,
            mail_dir: dir.path().join("mail"),
            // Every app of a test has its own key, shared with the other nodes it starts.
            key_encryption_key: Some(random_kek().into()),
            mail_poll_ms: 50,
            ..Settings::default()
        };
        let mut database = None;
        match backend {
            Backend::Sqlite => {
                settings.database_url =
                    format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
            }
            Backend::Postgres => {
                let server = postgres_url().context("CLIENTELE_TEST_POSTGRES_URL is not set")?;
                let name = format!("clientele_test_{}", uuid::Uuid::new_v4().simple());
                clientele_kernel::testing::create_database(&server, &name).await?;
                settings.database_url = clientele_kernel::testing::database_url(&server, &name);
                settings.db_max_connections = 5;
                database = Some((server, name));
            }
        }
        adjust(&mut settings);
        clientele_gateway::telemetry::init(&settings)?;
        Self::start(settings, dir, database, SettableClock::new()).await
    }

    /// Starts a second node over the same database (another API node of one installation).
    pub async fn another_node(&self) -> anyhow::Result<Self> {
        self.another_node_with(|_| {}).await
    }

    /// Starts a second node over the same database with settings changed by `adjust`.
    pub async fn another_node_with(
        &self,
        adjust: impl FnOnce(&mut Settings),
    ) -> anyhow::Result<Self> {
        let mut settings = Settings {
            listen: "127.0.0.1:0".parse()?,
            metrics_listen: Some("127.0.0.1:0".parse()?),
            ..self.settings.clone()
        };
        adjust(&mut settings);
        let clock = (self.clock.clone(), self.services.clock.clone());
        Self::start(settings, tempdir::TempDir::new()?, None, clock).await
    }

    async fn start(
        settings: Settings,
        dir: tempdir::TempDir,
        database: Option<(String, String)>,
        (hand, clock): (Arc<SettableClock>, Clock),
    ) -> anyhow::Result<Self> {
        let app = App::build_on(settings.clone(), clock).await?;
        let addr = app.local_addr()?;
        let metrics_base = app.metrics_addr().map(|a| format!("http://{a}"));
        let services = app.services().clone();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(app.run_until_stopped(async move {
            let _ = rx.await;
        }));
        Ok(Self {
            base: format!("http://{addr}"),
            addr,
            metrics_base,
            http: reqwest::Client::new(),
            services,
            settings,
            clock: hand,
            _dir: dir,
            database,
            shutdown: Some(tx),
            server: Some(server),
        })
    }

    /// The emails the file transport has written so far, decoded, oldest first.
    pub fn sent_mail(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(&self.settings.mail_dir) else {
            return Vec::new();
        };
        let mut files: Vec<(i64, PathBuf)> = entries
            .flatten()
            .filter_map(|e| {
                let path = e.path();
                let id = path
                    .file_name()?
                    .to_str()?
                    .strip_suffix(".eml")?
                    .parse()
                    .ok()?;
                Some((id, path))
            })
            .collect();
        files.sort();
        files
            .into_iter()
            .filter_map(|(_, path)| std::fs::read(path).ok())
            .map(|raw| decode_message(&String::from_utf8_lossy(&raw)))
            .collect()
    }

    /// Waits (up to 10 s) until `count` emails to `to` contain `needle`; all of them, oldest
    /// first.
    pub async fn wait_for_mails(&self, to: &str, needle: &str, count: usize) -> Vec<String> {
        for _ in 0..200 {
            let found: Vec<String> = self
                .sent_mail()
                .into_iter()
                .filter(|m| m.contains(&format!("To: {to}")) && m.contains(needle))
                .collect();
            if found.len() >= count {
                return found;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("fewer than {count} emails to {to} containing {needle:?}");
    }

    /// Waits (up to 10 s) for an email to `to` containing `needle`, and returns it decoded.
    pub async fn wait_for_mail(&self, to: &str, needle: &str) -> String {
        for _ in 0..200 {
            if let Some(found) = self
                .sent_mail()
                .into_iter()
                .find(|m| m.contains(&format!("To: {to}")) && m.contains(needle))
            {
                return found;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!(
            "no email to {to} containing {needle:?}; sent: {:?}",
            self.sent_mail()
        );
    }

    /// The log file the app writes JSON lines to.
    pub fn log_path(&self) -> PathBuf {
        self._dir.path().join("clientele.log")
    }

    /// Stops the server and drops the PostgreSQL database.
    pub async fn finish(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
        self.services.db.clone().close().await.ok();
        if let Some((server, name)) = self.database.take() {
            clientele_kernel::testing::drop_database(&server, &name).await;
        }
    }

    /// POSTs a query to the storefront.
    pub async fn storefront(&self, query: &str) -> (StatusCode, Value) {
        self.post("/graphql", json!({ "query": query }), &[]).await
    }

    /// POSTs a query to the storefront with extra headers.
    pub async fn storefront_with(
        &self,
        query: &str,
        headers: &[(&str, &str)],
    ) -> (StatusCode, Value) {
        self.post("/graphql", json!({ "query": query }), headers)
            .await
    }

    /// POSTs a query with variables to the storefront, as the shopper of `token` (or a guest).
    pub async fn shopper(
        &self,
        token: Option<&str>,
        query: &str,
        variables: Value,
    ) -> (u16, Value) {
        let bearer = token.map(|t| format!("Bearer {t}"));
        let headers: Vec<(&str, &str)> = bearer
            .iter()
            .map(|b| ("Authorization", b.as_str()))
            .collect();
        let (status, body) = self
            .post(
                "/graphql",
                json!({"query": query, "variables": variables}),
                &headers,
            )
            .await;
        (status.as_u16(), body)
    }

    /// Sets a store configuration value at the default scope, as the root staff user.
    pub async fn set_config(&self, path: &str, value: &str) {
        let admin = self.root_token().await;
        let (_, body) = self
            .admin(
                Some(&admin),
                "mutation($v: [ConfigurationValueInput!]!) { setConfiguration(input: {scope: {type: DEFAULT}, values: $v}) { value } }",
                json!({"v": [{"path": path, "value": value}]}),
            )
            .await;
        assert!(body["errors"].is_null(), "{body}");
    }

    /// POSTs a query with variables to the admin endpoint, with an optional bearer token.
    pub async fn admin(
        &self,
        token: Option<&str>,
        query: &str,
        variables: Value,
    ) -> (StatusCode, Value) {
        let auth = token.map(|t| format!("Bearer {t}"));
        let headers: Vec<(&str, &str)> =
            auth.iter().map(|a| ("authorization", a.as_str())).collect();
        self.post(
            "/admin/graphql",
            json!({ "query": query, "variables": variables }),
            &headers,
        )
        .await
    }

    /// Uploads a CSV file to `POST /admin/import/{entity}?{query}` and, when it is queued as a
    /// job (`202`), follows the job to its end. Answers the upload's status with either its
    /// refusal or `{"data": <the job's report>, "job": <the finished job>}`.
    pub async fn import_file(
        &self,
        token: &str,
        entity: &str,
        query: &str,
        csv: impl Into<reqwest::Body>,
    ) -> (StatusCode, Value) {
        let response = self
            .http
            .post(format!("{}/admin/import/{entity}?{query}", self.base))
            .header("Authorization", format!("Bearer {token}"))
            .header("Content-Type", "text/csv")
            .body(csv)
            .send()
            .await
            .expect("upload");
        let status = response.status();
        let text = response.text().await.expect("body");
        let body: Value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        if status != StatusCode::ACCEPTED {
            return (status, body);
        }
        let job = self.finished_import_job(token, &body["data"]["id"]).await;
        (status, json!({ "data": job["report"], "job": job }))
    }

    /// Polls `GET /admin/import/jobs/{id}` until the job has ended, and answers it.
    pub async fn finished_import_job(&self, token: &str, id: &Value) -> Value {
        let id = id.as_str().unwrap_or_else(|| panic!("no job id: {id}"));
        for _ in 0..600 {
            let (status, body) = self.import_job(token, id).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            let job = &body["data"];
            if ["succeeded", "failed", "cancelled"].contains(&job["state"].as_str().unwrap_or("")) {
                return job.clone();
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("import job {id} did not end within 30 s");
    }

    /// `GET /admin/import/jobs/{id}`.
    pub async fn import_job(&self, token: &str, id: &str) -> (StatusCode, Value) {
        let response = self
            .http
            .get(format!("{}/admin/import/jobs/{id}", self.base))
            .header("Authorization", format!("Bearer {token}"))
            .send()
            .await
            .expect("job");
        let status = response.status();
        (status, response.json().await.expect("json"))
    }

    /// POSTs a JSON body to `path`.
    pub async fn post(
        &self,
        path: &str,
        body: Value,
        headers: &[(&str, &str)],
    ) -> (StatusCode, Value) {
        let mut request = self.http.post(format!("{}{path}", self.base)).json(&body);
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        let response = request.send().await.expect("request");
        let status = response.status();
        let text = response.text().await.expect("body");
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    /// POSTs a GraphQL query with variables to `path` on a task of its own, so a test can have
    /// many requests under way at once; the task answers with the status and body.
    pub fn post_in_background(
        &self,
        path: &str,
        query: &str,
        variables: Value,
        headers: &[(&str, &str)],
    ) -> tokio::task::JoinHandle<(StatusCode, Value)> {
        let mut request = self
            .http
            .post(format!("{}{path}", self.base))
            .json(&json!({ "query": query, "variables": variables }));
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        tokio::spawn(async move {
            let response = request.send().await.expect("request");
            let status = response.status();
            let text = response.text().await.expect("body");
            (
                status,
                serde_json::from_str(&text).unwrap_or(Value::String(text)),
            )
        })
    }

    /// GETs `path` with a query string.
    pub async fn get(
        &self,
        path: &str,
        params: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut request = self.http.get(format!("{}{path}", self.base)).query(params);
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        request.send().await.expect("request")
    }

    /// Creates a staff user with the role named `role` and returns their id.
    pub async fn create_staff(&self, email: &str, role_id: i32) -> i32 {
        self.services
            .staff
            .create_user(
                None,
                clientele_staff::NewStaffUser {
                    email: email.into(),
                    name: "Test Staff".into(),
                    password: STAFF_PASSWORD.into(),
                    role_id,
                    is_active: true,
                },
            )
            .await
            .expect("staff user")
            .id
    }

    /// Signs a staff user in through the API and returns the token.
    pub async fn sign_in(&self, email: &str) -> String {
        let (_, body) = self
            .admin(
                None,
                "mutation($e: String!, $p: String!) { generateStaffToken(email: $e, password: $p) { token } }",
                json!({ "e": email, "p": STAFF_PASSWORD }),
            )
            .await;
        body["data"]["generateStaffToken"]["token"]
            .as_str()
            .unwrap_or_else(|| panic!("sign-in failed: {body}"))
            .to_owned()
    }

    /// A staff user `email` with a role of `resources` over `websites` (all when `None`),
    /// created by the root user; their token.
    pub async fn staff_with_role(
        &self,
        email: &str,
        resources: &[&str],
        websites: Option<Vec<i64>>,
    ) -> String {
        let root = self.root_token().await;
        let mut input = json!({"name": format!("Role of {email}"), "resources": resources});
        if let Some(ids) = websites {
            input["website_ids"] = json!(ids);
        }
        let (_, role) = self
            .admin(
                Some(&root),
                "mutation($i: CreateRoleInput!) { createRole(input: $i) { id } }",
                json!({"i": input}),
            )
            .await;
        let role_id = role["data"]["createRole"]["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("{role}"));
        self.create_staff(email, role_id as i32).await;
        self.sign_in(email).await
    }

    /// The id of the staff user of `token`.
    pub async fn staff_id(&self, token: &str) -> i64 {
        let (_, me) = self
            .admin(Some(token), "{ currentStaffUser { id } }", json!({}))
            .await;
        me["data"]["currentStaffUser"]["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("{me}"))
    }

    /// The id of the customer with `email`, found in the grid as the staff user of `token`.
    pub async fn customer_id(&self, token: &str, email: &str) -> i64 {
        let (_, found) = self
            .admin(
                Some(token),
                "query($e: String!) { customers(filter: {email: {eq: $e}}) { items { id } } }",
                json!({"e": email}),
            )
            .await;
        found["data"]["customers"]["items"][0]["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("{found}"))
    }

    /// An Administrators staff token (the user is created on first use).
    pub async fn root_token(&self) -> String {
        let email = "root@example.com";
        let exists = self
            .services
            .staff
            .users(clientele_kernel::PageRequest::new(300, 1).expect("page"))
            .await
            .expect("users")
            .items
            .iter()
            .any(|u| u.email == email);
        if !exists {
            self.create_staff(email, 1).await;
        }
        self.sign_in(email).await
    }

    /// Creates customers of the base website with `password` through the import (the admin API
    /// sets no passwords), as the staff user of `token`.
    pub async fn import_customers(&self, token: &str, emails: &[&str], password: &str) {
        let mut csv = String::from("email,_website,firstname,lastname,password\n");
        for email in emails {
            csv.push_str(&format!("{email},base,Ann,Lee,{password}\n"));
        }
        let (_, body) = self.import_file(token, "customer", "", csv).await;
        assert_eq!(body["data"]["created"], emails.len(), "{body}");
    }

    /// Creates a website with `code` (named in capitals) as the staff user of `token`; its id.
    pub async fn create_website(&self, token: &str, code: &str) -> i64 {
        let (_, body) = self
            .admin(
                Some(token),
                "mutation($c: String!, $n: String!) { createWebsite(input: {code: $c, name: $n}) { id } }",
                json!({"c": code, "n": code.to_uppercase()}),
            )
            .await;
        body["data"]["createWebsite"]["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("{body}"))
    }

    /// Creates a website with `code`, a store group and a store view `{code}_en`; the website's
    /// id and the view's code (for the `Store` header).
    pub async fn create_website_with_store_view(&self, token: &str, code: &str) -> (i64, String) {
        let website = self.create_website(token, code).await;
        let (_, group) = self
            .admin(
                Some(token),
                "mutation($w: Int!, $c: String!) { createStoreGroup(input: {website_id: $w, code: $c, name: $c}) { id } }",
                json!({"w": website, "c": format!("{code}_store")}),
            )
            .await;
        let group = group["data"]["createStoreGroup"]["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("{group}"));
        let view = format!("{code}_en");
        let (_, created) = self
            .admin(
                Some(token),
                "mutation($g: Int!, $c: String!) { createStoreView(input: {group_id: $g, code: $c, name: $c}) { id } }",
                json!({"g": group, "c": view}),
            )
            .await;
        assert!(created["errors"].is_null(), "{created}");
        (website, view)
    }
}

/// The answer to a new password that is too easy to guess.
pub const TOO_GUESSABLE: &str = "The password is too easy to guess: avoid common passwords and words from your email address or the store's name. Create a new password and try again.";

/// A fresh random key-encryption key, in base64.
fn random_kek() -> String {
    use base64::Engine;
    let bytes: Vec<u8> = uuid::Uuid::new_v4()
        .as_bytes()
        .iter()
        .chain(uuid::Uuid::new_v4().as_bytes())
        .copied()
        .collect();
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The first error's extension value `key`.
pub fn error_ext<'a>(body: &'a Value, key: &str) -> &'a Value {
    &body["errors"][0]["extensions"][key]
}

/// The first error's message.
pub fn error_message(body: &Value) -> &str {
    body["errors"][0]["message"].as_str().unwrap_or("")
}

/// Defines one test per backend: `<name>::sqlite` always, `<name>::postgres` when
/// `CLIENTELE_TEST_POSTGRES_URL` is set (it passes as skipped otherwise). A leading
/// `#[ignore = "why"]` makes both run only when asked for (`cargo test -- --ignored`).
#[macro_export]
macro_rules! db_test {
    ($name:ident, |$app:ident| $body:block) => {
        $crate::db_test!($name, settings |_s| {}, |$app| $body);
    };
    ($name:ident, settings |$settings:ident| $adjust:block, |$app:ident| $body:block) => {
        $crate::db_test!(@with [] $name, settings |$settings| $adjust, |$app| $body);
    };
    (#[ignore = $why:literal] $name:ident, settings |$settings:ident| $adjust:block, |$app:ident| $body:block) => {
        $crate::db_test!(@with [ignore = $why] $name, settings |$settings| $adjust, |$app| $body);
    };
    (@with [$($attr:meta)*] $name:ident, settings |$settings:ident| $adjust:block, |$app:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($app: &$crate::TestApp) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            $(#[$attr])*
            async fn sqlite() {
                if $crate::sqlite_skipped() {
                    eprintln!("CLIENTELE_TEST_SKIP_SQLITE=1: SQLite run skipped");
                    return;
                }
                let app = $crate::TestApp::spawn_with($crate::Backend::Sqlite, |$settings| $adjust)
                    .await
                    .expect("app");
                run(&app).await;
                app.finish().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            $(#[$attr])*
            async fn postgres() {
                if $crate::postgres_url().is_none() {
                    eprintln!("CLIENTELE_TEST_POSTGRES_URL is not set: PostgreSQL leg skipped");
                    return;
                }
                let app = $crate::TestApp::spawn_with($crate::Backend::Postgres, |$settings| $adjust)
                    .await
                    .expect("app");
                run(&app).await;
                app.finish().await;
            }
        }
    };
}

/// Headers as they are, and the body decoded from base64 or quoted-printable.
pub fn decode_message(raw: &str) -> String {
    use base64::Engine;
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((raw, ""));
    let lower = head.to_ascii_lowercase();
    let decoded = if lower.contains("content-transfer-encoding: base64") {
        let compact: String = body.split_whitespace().collect();
        base64::engine::general_purpose::STANDARD
            .decode(compact)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_else(|_| body.to_owned())
    } else if lower.contains("content-transfer-encoding: quoted-printable") {
        let joined = body.replace("=\r\n", "");
        let bytes = joined.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            let hex = joined
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            match (bytes[i], hex) {
                (b'=', Some(b)) => {
                    out.push(b);
                    i += 3;
                }
                (other, _) => {
                    out.push(other);
                    i += 1;
                }
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    } else {
        body.to_owned()
    };
    format!("{head}\r\n\r\n{decoded}")
}

/// The value after the first `name=` of an email: a query parameter of the link it carries.
pub fn query_param(mail: &str, name: &str) -> String {
    let start = mail
        .find(&format!("{name}="))
        .unwrap_or_else(|| panic!("no {name} in {mail}"))
        + name.len()
        + 1;
    mail[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}
