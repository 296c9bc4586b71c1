//! Server settings: built-in defaults, then an optional TOML file (`clientele.toml` in the working
//! directory, or the file named by `CLIENTELE_CONFIG`), then `CLIENTELE_*` environment variables.
//! Invalid settings stop the server at start with a message naming the setting.
//! The reference table lives in `docs/operators/configuration.md`.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, bail};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

/// Every setting the server reads.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// `development` (the default: everything open for exploring) or `production` (introspection,
    /// field suggestions and the IDE off unless set on explicitly; a key-encryption key and a
    /// PostgreSQL server reached over TLS required).
    pub profile: Profile,
    /// The key-encryption key that seals the token signing keys in the database: 32 bytes in
    /// base64 (`openssl rand -base64 32`). Or name a file holding it in `key_encryption_key_file`.
    #[serde(skip_serializing)]
    pub key_encryption_key: Option<SecretString>,
    /// A file holding the key-encryption key (base64), instead of `key_encryption_key`.
    pub key_encryption_key_file: Option<PathBuf>,
    /// Earlier key-encryption keys (base64, comma-separated) while rotating: keys they sealed are
    /// sealed again with the current one at start, after which they can go.
    #[serde(default, skip_serializing)]
    pub previous_key_encryption_keys: SecretString,
    /// Let the production profile use a database on loopback or without TLS (a sidecar proxy
    /// that adds TLS, say).
    pub allow_insecure_database: bool,
    /// `sqlite://file.db?mode=rwc` (default, created on first run) or `postgres://…`.
    pub database_url: String,
    /// Address to listen on.
    pub listen: SocketAddr,
    /// Address of the listener that serves `/metrics` (Prometheus), apart from the API so it is
    /// not public; loopback by default. Leave it out (`CLIENTELE_METRICS_LISTEN=off`) to serve
    /// no metrics.
    #[serde(with = "optional_address")]
    pub metrics_listen: Option<SocketAddr>,
    /// `pretty` (human) or `json` (one JSON object per line).
    pub log_format: LogFormat,
    /// Log filter, e.g. `info` or `info,clientele_gateway=debug`.
    pub log_level: String,
    /// Also append JSON log lines to this file.
    pub log_file: Option<PathBuf>,
    /// Apply pending migrations when `serve` starts.
    pub migrate_on_start: bool,
    /// Largest database pool.
    pub db_max_connections: u32,
    /// Seconds a request waits for a database connection before failing as unavailable.
    pub db_acquire_timeout_secs: u64,
    /// Largest accepted request body, in bytes.
    pub request_body_limit: usize,
    /// Seconds before a request is abandoned.
    pub request_timeout_secs: u64,
    /// Largest CSV file accepted by `POST /admin/import/…`, in bytes.
    pub import_body_limit: usize,
    /// Whether this node runs import jobs (any node may stage uploads and report on jobs).
    pub import_jobs: bool,
    /// Seconds in-flight requests get to finish after SIGTERM.
    pub shutdown_grace_secs: u64,
    /// Comma-separated browser origins allowed by CORS (`*` for any); empty disables CORS.
    pub cors_origins: String,
    /// Whether the storefront schema answers introspection (and suggests field names); unset:
    /// on in the development profile, off in production.
    pub storefront_introspection: Option<bool>,
    /// Whether the admin schema answers introspection (and suggests field names); unset: on in
    /// the development profile, off in production.
    pub admin_introspection: Option<bool>,
    /// Whether a browser opening `/graphql` or `/admin/graphql` gets the GraphQL IDE (GraphiQL,
    /// served from this binary); unset: on in the development profile, off in production.
    pub graphql_ide: Option<bool>,
    /// Deepest storefront query.
    pub storefront_max_depth: usize,
    /// Costliest storefront query (every selected field costs 1, as Adobe Commerce counts).
    pub storefront_max_complexity: usize,
    /// Deepest admin query.
    pub admin_max_depth: usize,
    /// Costliest admin query: every selected field costs 1, and a paged list costs its selection
    /// once per item of a full page.
    pub admin_max_complexity: usize,
    /// Most aliased fields in one document.
    pub max_aliases: usize,
    /// Most directives on one field.
    pub max_directives: usize,
    /// `iss` claim of every token.
    pub jwt_issuer: String,
    /// Password hashes computed at once (defaults to the number of cores).
    pub hash_concurrency: usize,
    /// Password hashes allowed to wait; beyond it sign-ins are told to retry.
    pub hash_queue: usize,
    /// Take the client address from `X-Forwarded-For` (only behind a proxy you control).
    pub trust_forwarded_for: bool,
    /// Where email goes: `file` (one `.eml` per message in `mail_dir`), `smtp`, or `none` (kept
    /// in the outbox, unsent, e.g. on nodes that should not send).
    pub mail_transport: String,
    /// Directory of the file transport.
    pub mail_dir: PathBuf,
    /// Sender of every email (`Name <address>`).
    pub mail_from: String,
    /// Milliseconds between outbox polls when nothing is due.
    pub mail_poll_ms: u64,
    /// SMTP host.
    pub smtp_host: String,
    /// SMTP port.
    pub smtp_port: u16,
    /// SMTP security: `starttls`, `tls` (implicit) or `none`.
    pub smtp_security: String,
    /// SMTP user, when the server wants authentication.
    pub smtp_username: Option<String>,
    /// SMTP password.
    #[serde(skip_serializing)]
    pub smtp_password: Option<SecretString>,
    /// Failed sign-ins (shoppers and staff) allowed from one client address per 15 minutes (0: off).
    pub sign_in_failures_per_client: u32,
    /// Sign-ups and confirmation emails allowed from one client address per 10 minutes (0: off).
    pub sign_ups_per_client: u32,
    /// Visitor ids one client address may request per 10 minutes (0: off). Visitors behind one
    /// office or carrier address share it, so it is generous.
    pub visitor_ids_per_client: u32,
    /// Longest time, in seconds, a node keeps its in-memory copy of the store hierarchy and the
    /// configuration when no change notice reaches it (0: no copies).
    pub cache_ttl_secs: u64,
    /// Days the staff audit log keeps a line (at least 30: the database refuses to delete
    /// younger lines).
    pub audit_retention_days: u32,
    /// Milliseconds between webhook queue polls when nothing waits (bounds the delay from a
    /// change to its delivery).
    pub webhook_poll_ms: u64,
    /// Webhook deliveries in flight at once on this node (0: this node delivers none).
    pub webhook_concurrency: usize,
    /// Host names and networks (CIDR) webhooks may reach although inside this installation's
    /// networks, separated by commas; the production profile refuses other such targets.
    pub webhook_allowed_targets: String,
    /// Days a finished webhook delivery (succeeded or given up) is kept for its history.
    pub webhook_delivery_retention_days: u32,
    /// The address clients reach this API at (`https://api.shop.example`), which links in emails
    /// that lead to the API itself start with (a customer's data export download).
    pub public_url: String,
}

/// How strict the defaults are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// Everything open for exploring; a key-encryption key is generated when none is set.
    Development,
    /// Closed by default; refuses to start without what production needs.
    Production,
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    Pretty,
    /// One JSON object per line.
    Json,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            profile: Profile::Development,
            key_encryption_key: None,
            key_encryption_key_file: None,
            previous_key_encryption_keys: SecretString::default(),
            allow_insecure_database: false,
            database_url: "sqlite://clientele.db?mode=rwc".into(),
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            metrics_listen: Some(SocketAddr::from(([127, 0, 0, 1], 9464))),
            log_format: LogFormat::Pretty,
            log_level: "info".into(),
            log_file: None,
            migrate_on_start: true,
            db_max_connections: 10,
            db_acquire_timeout_secs: 5,
            request_body_limit: 256 * 1024,
            request_timeout_secs: 30,
            import_body_limit: 1024 * 1024 * 1024,
            import_jobs: true,
            shutdown_grace_secs: 30,
            cors_origins: String::new(),
            storefront_introspection: None,
            admin_introspection: None,
            graphql_ide: None,
            storefront_max_depth: 20,
            storefront_max_complexity: 300,
            admin_max_depth: 20,
            admin_max_complexity: 10_000,
            max_aliases: 30,
            max_directives: 5,
            jwt_issuer: "clientele".into(),
            hash_concurrency: std::thread::available_parallelism().map_or(2, |n| n.get()),
            hash_queue: 256,
            trust_forwarded_for: false,
            mail_transport: "file".into(),
            mail_dir: PathBuf::from("var/mail"),
            mail_from: "Clientele <no-reply@localhost>".into(),
            mail_poll_ms: 1000,
            smtp_host: "localhost".into(),
            smtp_port: 587,
            smtp_security: "starttls".into(),
            smtp_username: None,
            smtp_password: None,
            sign_in_failures_per_client: 30,
            sign_ups_per_client: 20,
            visitor_ids_per_client: 600,
            cache_ttl_secs: 30,
            audit_retention_days: 365,
            webhook_poll_ms: 100,
            webhook_concurrency: 64,
            webhook_allowed_targets: String::new(),
            webhook_delivery_retention_days: 30,
            public_url: "http://localhost:8080".into(),
        }
    }
}

/// Setting names, which are also the environment variable names without `CLIENTELE_`.
const KEYS: &[&str] = &[
    "profile",
    "key_encryption_key",
    "key_encryption_key_file",
    "previous_key_encryption_keys",
    "allow_insecure_database",
    "database_url",
    "listen",
    "metrics_listen",
    "log_format",
    "log_level",
    "log_file",
    "migrate_on_start",
    "db_max_connections",
    "db_acquire_timeout_secs",
    "request_body_limit",
    "request_timeout_secs",
    "import_body_limit",
    "import_jobs",
    "shutdown_grace_secs",
    "cors_origins",
    "storefront_introspection",
    "admin_introspection",
    "graphql_ide",
    "storefront_max_depth",
    "storefront_max_complexity",
    "admin_max_depth",
    "admin_max_complexity",
    "max_aliases",
    "max_directives",
    "jwt_issuer",
    "hash_concurrency",
    "hash_queue",
    "trust_forwarded_for",
    "mail_transport",
    "mail_dir",
    "mail_from",
    "mail_poll_ms",
    "smtp_host",
    "smtp_port",
    "smtp_security",
    "smtp_username",
    "smtp_password",
    "sign_in_failures_per_client",
    "sign_ups_per_client",
    "visitor_ids_per_client",
    "cache_ttl_secs",
    "audit_retention_days",
    "webhook_poll_ms",
    "webhook_concurrency",
    "webhook_allowed_targets",
    "webhook_delivery_retention_days",
    "public_url",
];

impl Settings {
    /// Loads defaults, the TOML file and the environment, then validates.
    pub fn load() -> anyhow::Result<Self> {
        let file = std::env::var("CLIENTELE_CONFIG").map(PathBuf::from);
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        match file {
            Ok(path) => {
                if !path.exists() {
                    bail!(
                        "CLIENTELE_CONFIG names {}, which does not exist",
                        path.display()
                    );
                }
                figment = figment.merge(Toml::file(path));
            }
            Err(_) => figment = figment.merge(Toml::file("clientele.toml")),
        }
        let settings: Settings = figment
            .merge(Env::prefixed("CLIENTELE_").only(KEYS))
            .extract()
            .map_err(|e| anyhow::anyhow!("invalid configuration: {e}"))?;
        settings.validate()?;
        Ok(settings)
    }

    /// What is open unless set otherwise: everything in development, nothing in production.
    fn open_by_default(&self) -> bool {
        self.profile == Profile::Development
    }

    /// Whether the storefront answers introspection and suggests field names.
    pub fn storefront_introspection_on(&self) -> bool {
        self.storefront_introspection
            .unwrap_or_else(|| self.open_by_default())
    }

    /// Whether the admin API answers introspection and suggests field names.
    pub fn admin_introspection_on(&self) -> bool {
        self.admin_introspection
            .unwrap_or_else(|| self.open_by_default())
    }

    /// Whether browsers get the GraphQL IDE.
    pub fn graphql_ide_on(&self) -> bool {
        self.graphql_ide.unwrap_or_else(|| self.open_by_default())
    }

    /// Checks the values that parse but make no sense.
    pub fn validate(&self) -> anyhow::Result<()> {
        let positive = [
            ("db_max_connections", self.db_max_connections as u64),
            ("db_acquire_timeout_secs", self.db_acquire_timeout_secs),
            ("request_body_limit", self.request_body_limit as u64),
            ("request_timeout_secs", self.request_timeout_secs),
            ("import_body_limit", self.import_body_limit as u64),
            ("storefront_max_depth", self.storefront_max_depth as u64),
            (
                "storefront_max_complexity",
                self.storefront_max_complexity as u64,
            ),
            ("admin_max_depth", self.admin_max_depth as u64),
            ("admin_max_complexity", self.admin_max_complexity as u64),
            ("max_aliases", self.max_aliases as u64),
            ("max_directives", self.max_directives as u64),
            ("hash_concurrency", self.hash_concurrency as u64),
        ];
        for (name, value) in positive {
            if value == 0 {
                bail!(
                    "invalid configuration: {name} (CLIENTELE_{}) must be greater than 0",
                    name.to_uppercase()
                );
            }
        }
        if !(self.database_url.starts_with("sqlite:")
            || self.database_url.starts_with("postgres://")
            || self.database_url.starts_with("postgresql://"))
        {
            bail!(
                "invalid configuration: database_url (CLIENTELE_DATABASE_URL) must start with sqlite:, postgres:// or postgresql://"
            );
        }
        if self.jwt_issuer.trim().is_empty() {
            bail!("invalid configuration: jwt_issuer (CLIENTELE_JWT_ISSUER) must not be empty");
        }
        if !["file", "smtp", "none"].contains(&self.mail_transport.as_str()) {
            bail!(
                "invalid configuration: mail_transport (CLIENTELE_MAIL_TRANSPORT) must be file, smtp or none"
            );
        }
        if let Err(e) = self.webhook_target_policy() {
            bail!("invalid configuration: {e} (CLIENTELE_WEBHOOK_ALLOWED_TARGETS)");
        }
        if !["starttls", "tls", "none"].contains(&self.smtp_security.as_str()) {
            bail!(
                "invalid configuration: smtp_security (CLIENTELE_SMTP_SECURITY) must be starttls, tls or none"
            );
        }
        if self.mail_from.parse::<lettre::message::Mailbox>().is_err() {
            bail!(
                "invalid configuration: mail_from (CLIENTELE_MAIL_FROM) must be an address or `Name <address>`"
            );
        }
        if self.profile == Profile::Production {
            self.validate_production()?;
        }
        tracing_subscriber::EnvFilter::try_new(&self.log_level)
            .context("invalid configuration: log_level (CLIENTELE_LOG_LEVEL)")?;
        for origin in self.cors_origin_list() {
            if origin != "*" && axum::http::HeaderValue::from_str(&origin).is_err() {
                bail!(
                    "invalid configuration: cors_origins (CLIENTELE_CORS_ORIGINS) has an invalid origin {origin:?}"
                );
            }
        }
        Ok(())
    }

    /// What the production profile requires: a key-encryption key of the operator's, and a
    /// PostgreSQL server off this machine reached over TLS (unless `allow_insecure_database`).
    fn validate_production(&self) -> anyhow::Result<()> {
        if self.key_encryption_key.is_none() && self.key_encryption_key_file.is_none() {
            bail!(
                "invalid configuration: the production profile needs a key-encryption key: set key_encryption_key (CLIENTELE_KEY_ENCRYPTION_KEY) or key_encryption_key_file (CLIENTELE_KEY_ENCRYPTION_KEY_FILE)"
            );
        }
        if self.allow_insecure_database {
            return Ok(());
        }
        let Some(host) = postgres_host(&self.database_url) else {
            bail!(
                "invalid configuration: the production profile needs PostgreSQL (database_url / CLIENTELE_DATABASE_URL), or allow_insecure_database"
            );
        };
        if host.is_empty() || host == "localhost" || host.starts_with("127.") || host == "[::1]" {
            bail!(
                "invalid configuration: the production profile needs a database server off this machine, reached over TLS; database_url names {host:?} (set allow_insecure_database for a local TLS proxy)"
            );
        }
        let tls = self
            .database_url
            .split_once('?')
            .map_or("", |(_, query)| query)
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .any(|(name, value)| {
                name == "sslmode" && ["require", "verify-ca", "verify-full"].contains(&value)
            });
        if !tls {
            bail!(
                "invalid configuration: the production profile needs TLS to the database: add sslmode=verify-full (or require) to database_url, or set allow_insecure_database"
            );
        }
        Ok(())
    }

    /// Where webhooks may point: anywhere in development; in production, not inside this
    /// installation's networks unless `webhook_allowed_targets` allows it.
    pub fn webhook_target_policy(
        &self,
    ) -> clientele_kernel::Result<clientele_webhooks::TargetPolicy> {
        if self.profile == Profile::Production {
            clientele_webhooks::TargetPolicy::strict(&self.webhook_allowed_targets)
        } else {
            Ok(clientele_webhooks::TargetPolicy::default())
        }
    }

    /// The CORS origins as a list.
    pub fn cors_origin_list(&self) -> Vec<String> {
        self.cors_origins
            .split(',')
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .map(str::to_owned)
            .collect()
    }
}

/// The host of a PostgreSQL URL (`None` for another database), without user or port.
fn postgres_host(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("postgres://")
        .or_else(|| url.strip_prefix("postgresql://"))?;
    let authority = rest.split(['/', '?']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if host_port.starts_with('[') {
        host_port
            .split_inclusive(']')
            .next()
            .unwrap_or(host_port)
            .to_owned()
    } else {
        host_port.split(':').next().unwrap_or("").to_owned()
    };
    Some(host.to_ascii_lowercase())
}

/// An address that may be switched off: `off` (or empty) for none.
mod optional_address {
    use std::net::SocketAddr;

    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(
        value: &Option<SocketAddr>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(address) => serializer.serialize_str(&address.to_string()),
            None => serializer.serialize_str("off"),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<SocketAddr>, D::Error> {
        let text = String::deserialize(deserializer)?;
        match text.trim() {
            "" | "off" => Ok(None),
            address => address.parse().map(Some).map_err(serde::de::Error::custom),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The settings that are never written out (see [`secrets_stay_out_of_debug_output`]).
    const SECRETS: [&str; 3] = [
        "key_encryption_key",
        "previous_key_encryption_keys",
        "smtp_password",
    ];

    #[test]
    fn every_setting_has_an_environment_variable_and_every_variable_a_setting() {
        let serialized = serde_json::to_value(Settings::default()).expect("settings");
        let mut fields: Vec<&str> = serialized
            .as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .chain(SECRETS)
            .collect();
        fields.sort_unstable();
        let mut keys = KEYS.to_vec();
        keys.sort_unstable();
        assert_eq!(fields, keys);
    }

    #[test]
    fn secrets_stay_out_of_debug_output() {
        let settings = Settings {
            key_encryption_key: Some("kek-secret-value".to_owned().into()),
            previous_key_encryption_keys: "previous-secret-value".to_owned().into(),
            smtp_password: Some("smtp-secret-value".to_owned().into()),
            ..Settings::default()
        };
        let shown = format!("{settings:?}");
        for secret in [
            "kek-secret-value",
            "previous-secret-value",
            "smtp-secret-value",
        ] {
            assert!(!shown.contains(secret), "{secret} shown in {shown}");
        }
        assert!(
            shown.contains("smtp_password"),
            "the fields are still listed"
        );
    }

    #[test]
    fn defaults_are_valid() {
        Settings::default().validate().expect("defaults");
    }

    #[test]
    fn nonsense_values_name_the_setting() {
        let settings = Settings {
            max_aliases: 0,
            ..Settings::default()
        };
        let err = settings.validate().expect_err("zero");
        assert!(err.to_string().contains("max_aliases"));
        let settings = Settings {
            database_url: "mysql://x".into(),
            ..Settings::default()
        };
        assert!(
            settings
                .validate()
                .expect_err("mysql")
                .to_string()
                .contains("database_url")
        );
    }

    #[test]
    fn the_production_profile_closes_what_is_not_opened_explicitly() {
        let production = Settings {
            profile: Profile::Production,
            graphql_ide: Some(true),
            ..Settings::default()
        };
        assert!(!production.storefront_introspection_on() && !production.admin_introspection_on());
        assert!(production.graphql_ide_on(), "set explicitly, so kept");
        let development = Settings {
            admin_introspection: Some(false),
            ..Settings::default()
        };
        assert!(development.storefront_introspection_on() && development.graphql_ide_on());
        assert!(!development.admin_introspection_on());
    }

    #[test]
    fn the_production_profile_needs_a_kek_and_a_remote_database_over_tls() {
        let production = |url: &str, kek: bool| Settings {
            profile: Profile::Production,
            database_url: url.into(),
            key_encryption_key: kek.then(|| "x".into()),
            ..Settings::default()
        };
        let refused = |settings: Settings| settings.validate().expect_err("refused").to_string();
        assert!(
            refused(production(
                "postgres://db.internal/c?sslmode=require",
                false
            ))
            .contains("key-encryption key")
        );
        assert!(refused(production("sqlite://c.db", true)).contains("needs PostgreSQL"));
        assert!(
            refused(production(
                "postgres://u:p@127.0.0.1:5432/c?sslmode=require",
                true
            ))
            .contains("off this machine")
        );
        assert!(
            refused(production("postgres://u@[::1]/c?sslmode=require", true))
                .contains("off this machine")
        );
        assert!(refused(production("postgres://u@db.internal:5432/c", true)).contains("TLS"));
        let disguised = "postgres://u@db.internal/c?application_name=sslmode=require";
        assert!(refused(production(disguised, true)).contains("TLS"));
        production(
            "postgresql://u:p@DB.internal:5432/c?sslmode=verify-full",
            true,
        )
        .validate()
        .expect("remote over TLS");
        Settings {
            allow_insecure_database: true,
            ..production("sqlite://c.db", true)
        }
        .validate()
        .expect("overridden");
    }
}
