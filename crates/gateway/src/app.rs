//! Start-up, shared by `main` and the tests: connect, migrate, wire, bind, serve, shut down
//! gracefully.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use anyhow::Context;
use clientele_kernel::Clock;
use clientele_kernel::db::{DbSettings, connect};
use clientele_mail::{
    FileTransport, MailWorker, SmtpSettings, SmtpTransport, Transport, WorkerSettings,
};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use migration::{Migrator, MigratorTrait};
use sea_orm::DatabaseConnection;
use tokio::net::TcpListener;

use clientele_webhooks::{WebhookWorker, WebhookWorkerSettings};

use crate::config::Settings;
use crate::graphql::{Limits, admin_schema, storefront_schema};
use crate::http::labels::OperationLabels;
use crate::http::{AppState, metrics_router, router};
use crate::services::Services;

/// A bound, ready-to-serve application.
pub struct App {
    listener: TcpListener,
    router: axum::Router,
    /// The metrics listener and its router, unless metrics are off.
    metrics: Option<(TcpListener, axum::Router)>,
    shutting_down: Arc<AtomicBool>,
    grace: Duration,
    services: Services,
    mail: Option<MailWorker>,
    /// The webhook deliverer of this node, unless it delivers none.
    webhooks: Option<WebhookWorker>,
    /// Whether this node runs import jobs.
    import_jobs: bool,
    /// Where the change listener connects (it keeps a connection of its own).
    database_url: String,
    /// How long housekeeping keeps what it purges.
    retention: crate::housekeeping::Retention,
}

/// Opens the database pool described by `settings`.
/// Every statement the pool runs is counted in `clientele_db_statements_total`.
pub async fn open_database(settings: &Settings) -> anyhow::Result<DatabaseConnection> {
    let mut db = connect(&DbSettings {
        url: settings.database_url.clone(),
        max_connections: settings.db_max_connections,
        acquire_timeout: Duration::from_secs(settings.db_acquire_timeout_secs),
    })
    .await
    .context("cannot open the database (database_url / CLIENTELE_DATABASE_URL)")?;
    db.set_metric_callback(|info| {
        let outcome = if info.failed { "failed" } else { "ok" };
        metrics::counter!("clientele_db_statements_total", "outcome" => outcome).increment(1);
    });
    Ok(db)
}

/// The process-wide Prometheus recorder, installed by the first app of the process.
fn metrics_handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new();
            let builder = match builder.set_buckets(&[
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
            ]) {
                Ok(b) => b,
                Err(_) => PrometheusBuilder::new(),
            };
            let recorder = builder.build_recorder();
            let handle = recorder.handle();
            if metrics::set_global_recorder(recorder).is_err() {
                tracing::warn!("another metrics recorder is installed; /metrics will be empty");
            }
            handle
        })
        .clone()
}

impl App {
    /// Connects, migrates (when configured), wires the services on the system clock and binds
    /// the listener.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        Self::build_on(settings, Clock::system()).await
    }

    /// [`App::build`] with the services telling the time by `clock` (tests move it).
    pub async fn build_on(settings: Settings, clock: Clock) -> anyhow::Result<Self> {
        settings.validate()?;
        let db = open_database(&settings).await?;
        if settings.migrate_on_start {
            Migrator::up(&db, None).await.context("migrations failed")?;
        }
        let services = Services::build(db, &settings, clock).await?;
        let shutting_down = Arc::new(AtomicBool::new(false));
        let storefront = storefront_schema(services.clone(), Limits::storefront(&settings));
        let admin = admin_schema(services.clone(), Limits::admin(&settings));
        let state = AppState {
            labels: Arc::new(OperationLabels::from_sdl(&storefront.sdl(), &admin.sdl())),
            storefront,
            admin,
            services: Arc::new(services.clone()),
            metrics: metrics_handle(),
            shutting_down: shutting_down.clone(),
            settings: Arc::new(settings.clone()),
            documents: Arc::default(),
        };
        let listener = TcpListener::bind(settings.listen).await.with_context(|| {
            format!(
                "cannot listen on {} (listen / CLIENTELE_LISTEN)",
                settings.listen
            )
        })?;
        let metrics = match settings.metrics_listen {
            Some(address) => {
                let listener = TcpListener::bind(address).await.with_context(|| {
                    format!(
                        "cannot listen on {address} (metrics_listen / CLIENTELE_METRICS_LISTEN)"
                    )
                })?;
                Some((listener, metrics_router(state.clone())))
            }
            None => None,
        };
        let mail = mail_worker(&settings, &services)?;
        let webhooks = webhook_worker(&settings, &services)?;
        Ok(Self {
            listener,
            metrics,
            router: router(state),
            shutting_down,
            grace: Duration::from_secs(settings.shutdown_grace_secs),
            services,
            mail,
            webhooks,
            import_jobs: settings.import_jobs,
            database_url: settings.database_url.clone(),
            retention: crate::housekeeping::Retention {
                audit_days: settings.audit_retention_days,
                webhook_delivery_days: settings.webhook_delivery_retention_days,
            },
        })
    }

    /// The bound address (useful with port 0).
    pub fn local_addr(&self) -> anyhow::Result<SocketAddr> {
        Ok(self.listener.local_addr()?)
    }

    /// The bound address of the metrics listener, if metrics are on.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics
            .as_ref()
            .and_then(|(listener, _)| listener.local_addr().ok())
    }

    /// The wired services (the tests use them to arrange data).
    pub fn services(&self) -> &Services {
        &self.services
    }

    /// Serves until `shutdown` completes, then stops accepting connections and lets in-flight
    /// requests finish for up to the grace period.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let addr = self.local_addr()?;
        tracing::info!(%addr, "clientele is listening");
        let (stopped_tx, stopped_rx) = tokio::sync::watch::channel(false);
        let mail = self
            .mail
            .map(|worker| tokio::spawn(worker.run(stopped_rx.clone())));
        let webhooks = self
            .webhooks
            .map(|worker| tokio::spawn(worker.run(stopped_rx.clone())));
        let import_jobs = self.import_jobs.then(|| {
            tokio::spawn(crate::import_jobs::run(
                self.services.clone(),
                Duration::from_secs(1),
                stopped_rx.clone(),
            ))
        });
        let housekeeping = tokio::spawn(crate::housekeeping::run(
            self.services.clone(),
            Duration::from_secs(60),
            self.retention,
            stopped_rx.clone(),
        ));
        let cache_listener = self.services.cache_bus.listen(&self.database_url);
        let metrics = self.metrics.map(|(listener, router)| {
            let mut stopped = stopped_rx.clone();
            tokio::spawn(async move {
                let stop = async move {
                    while !*stopped.borrow() {
                        if stopped.changed().await.is_err() {
                            break;
                        }
                    }
                };
                if let Err(error) = axum::serve(listener, router)
                    .with_graceful_shutdown(stop)
                    .await
                {
                    tracing::error!(%error, "the metrics listener failed");
                }
            })
        });
        let flag = self.shutting_down.clone();
        let signal = async move {
            shutdown.await;
            flag.store(true, Ordering::SeqCst);
            let _ = stopped_tx.send(true);
            tracing::info!("shutting down: finishing in-flight requests");
        };
        let server = axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(signal);
        let grace = self.grace;
        let deadline = async move {
            let mut rx = stopped_rx;
            while !*rx.borrow() {
                if rx.changed().await.is_err() {
                    std::future::pending::<()>().await;
                }
            }
            tokio::time::sleep(grace).await;
        };
        tokio::select! {
            result = server => result.context("server failed")?,
            () = deadline => tracing::warn!("grace period over; exiting with requests still open"),
        }
        if let Some(webhooks) = webhooks {
            let _ = webhooks.await;
        }
        if let Some(mail) = mail {
            let _ = mail.await;
        }
        if let Some(import_jobs) = import_jobs {
            let _ = import_jobs.await;
        }
        housekeeping.abort();
        if let Some(metrics) = metrics {
            metrics.abort();
        }
        if let Some(listener) = cache_listener {
            listener.abort();
        }
        tracing::info!("stopped");
        Ok(())
    }
}

/// The outbox sender of this node, unless mail is turned off.
fn mail_worker(settings: &Settings, services: &Services) -> anyhow::Result<Option<MailWorker>> {
    let transport: Arc<dyn Transport> = match settings.mail_transport.as_str() {
        "file" => Arc::new(FileTransport::new(settings.mail_dir.clone())),
        "smtp" => Arc::new(
            SmtpTransport::new(&SmtpSettings {
                host: settings.smtp_host.clone(),
                port: settings.smtp_port,
                security: settings.smtp_security.clone(),
                username: settings.smtp_username.clone(),
                password: settings.smtp_password.clone(),
                timeout: Duration::from_secs(15),
            })
            .map_err(|e| anyhow::anyhow!("invalid SMTP configuration: {e}"))?,
        ),
        _ => return Ok(None),
    };
    Ok(Some(MailWorker::new(
        services.db.clone(),
        transport,
        WorkerSettings {
            from: settings.mail_from.clone(),
            poll: Duration::from_millis(settings.mail_poll_ms.max(10)),
            max_attempts: 8,
            first_retry: chrono::Duration::seconds(30),
            lease: chrono::Duration::minutes(2),
        },
        services.clock.clone(),
    )))
}

/// The webhook deliverer of this node, unless `webhook_concurrency` is 0.
fn webhook_worker(
    settings: &Settings,
    services: &Services,
) -> anyhow::Result<Option<WebhookWorker>> {
    if settings.webhook_concurrency == 0 {
        return Ok(None);
    }
    let worker = WebhookWorker::new(
        services.db.clone(),
        services.clock.clone(),
        services.wrapping.clone(),
        services.target_policy.clone(),
        WebhookWorkerSettings {
            poll: Duration::from_millis(settings.webhook_poll_ms.max(5)),
            concurrency: settings.webhook_concurrency,
            ..WebhookWorkerSettings::default()
        },
    )
    .map_err(|e| anyhow::anyhow!("webhook worker: {e}"))?;
    Ok(Some(worker))
}

/// Completes on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
