//! The delivery worker of one node: fans recorded events out to the webhooks (when no other
//! node is doing so), and posts due deliveries, several at a time, each signed, retried and
//! recorded through [`crate::delivery`].

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::Duration;
use clientele_kernel::{Clock, InternalContext, Result};
use clientele_sessions::KeyWrapping;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::delivery::{Attempt, KEPT_RESPONSE_BYTES, Recorded, claim, record_attempt};
use crate::dispatch::dispatch_once;
use crate::entity::{delivery, webhook};
use crate::secrets;
use crate::signing::signature_header;
use crate::target::{GuardedResolver, TargetPolicy};

/// How long one attempt may take, connection included.
pub const ATTEMPT_TIMEOUT: StdDuration = StdDuration::from_secs(10);

/// How the worker paces itself.
#[derive(Debug, Clone)]
pub struct WebhookWorkerSettings {
    /// Pause between polls when nothing is due.
    pub poll: StdDuration,
    /// Deliveries in flight at once on this node.
    pub concurrency: usize,
    /// Events fanned out per transaction.
    pub dispatch_batch: u64,
}

impl Default for WebhookWorkerSettings {
    fn default() -> Self {
        Self {
            poll: StdDuration::from_millis(100),
            concurrency: 64,
            dispatch_batch: 500,
        }
    }
}

/// Delivers webhooks from one node.
#[derive(Clone)]
pub struct WebhookWorker {
    inner: Arc<Inner>,
}

struct Inner {
    db: DatabaseConnection,
    clock: Clock,
    wrapping: KeyWrapping,
    policy: Arc<TargetPolicy>,
    client: reqwest::Client,
    settings: WebhookWorkerSettings,
}

impl WebhookWorker {
    /// A worker over `db`, opening secrets with `wrapping`, connecting only where `policy`
    /// allows.
    pub fn new(
        db: DatabaseConnection,
        clock: Clock,
        wrapping: KeyWrapping,
        policy: Arc<TargetPolicy>,
        settings: WebhookWorkerSettings,
    ) -> Result<Self> {
        let client = reqwest::Client::builder()
            .timeout(ATTEMPT_TIMEOUT)
            .connect_timeout(ATTEMPT_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            // A proxy would resolve the target itself, past the guarded resolver.
            .no_proxy()
            .user_agent(concat!("Clientele-Webhooks/", env!("CARGO_PKG_VERSION")))
            .dns_resolver(Arc::new(GuardedResolver::new(policy.clone())))
            .build()
            .internal("webhook client")?;
        Ok(Self {
            inner: Arc::new(Inner {
                db,
                clock,
                wrapping,
                policy,
                client,
                settings,
            }),
        })
    }

    /// Fans out what waits; returns how many events were taken.
    pub async fn dispatch_once(&self) -> Result<usize> {
        let inner = &self.inner;
        dispatch_once(&inner.db, inner.settings.dispatch_batch, inner.clock.now()).await
    }

    /// Claims up to `limit` due deliveries, sends them all and records the outcomes; returns
    /// how many were attempted.
    pub async fn deliver_once(&self, limit: usize) -> Result<usize> {
        let mut in_flight = JoinSet::new();
        let claimed = self.claim_into(&mut in_flight, limit).await?;
        while in_flight.join_next().await.is_some() {}
        Ok(claimed)
    }

    /// Claims up to `limit` deliveries and starts each in `in_flight`.
    async fn claim_into(&self, in_flight: &mut JoinSet<()>, limit: usize) -> Result<usize> {
        let inner = &self.inner;
        let now = inner.clock.now();
        // The lease outlasts an attempt and its recording, so no other node takes it meanwhile.
        let lease = Duration::from_std(ATTEMPT_TIMEOUT * 3).unwrap_or(Duration::seconds(30));
        let rows = claim(&inner.db, limit as u64, lease, now).await?;
        if rows.is_empty() {
            return Ok(0);
        }
        let mut ids: Vec<i32> = rows.iter().map(|row| row.webhook_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let hooks: HashMap<i32, Arc<webhook::Model>> = webhook::Entity::find()
            .filter(webhook::Column::Id.is_in(ids))
            .all(&inner.db)
            .await?
            .into_iter()
            .map(|hook| (hook.id, Arc::new(hook)))
            .collect();
        let count = rows.len();
        for row in rows {
            let Some(hook) = hooks.get(&row.webhook_id).cloned() else {
                continue;
            };
            let worker = self.clone();
            in_flight.spawn(async move {
                if let Err(error) = worker.deliver(&hook, &row).await {
                    tracing::error!(delivery_id = row.id, error = %error, "webhook delivery");
                }
            });
        }
        Ok(count)
    }

    /// One attempt of one claimed delivery.
    async fn deliver(&self, hook: &webhook::Model, row: &delivery::Model) -> Result<()> {
        let inner = &self.inner;
        let started_at = inner.clock.now();
        let message_id = row.event_id.to_string();
        let timestamp = started_at.timestamp();
        let timer = tokio::time::Instant::now();
        // What stops an attempt before it is sent is recorded as a failed attempt, so it backs
        // off and is given up like any other.
        let ready = secrets::signing(&inner.wrapping, hook, started_at)
            .map_err(|error| {
                tracing::error!(webhook_id = hook.id, error = %error, "webhook secret cannot be opened");
                "The signing secret cannot be opened (is the key-encryption key that sealed it configured?)."
                    .to_owned()
            })
            .and_then(|secrets| {
                let url = inner.policy.check_url(&hook.url).map_err(|e| e.to_string())?;
                Ok((secrets, url))
            });
        let attempt = match ready {
            Err(error) => Attempt::unanswered(started_at, 0, error),
            Ok((secrets, url)) => {
                let signature = signature_header(&secrets, &message_id, timestamp, &row.body);
                let sent = inner
                    .client
                    .post(url)
                    .header("content-type", "application/json")
                    .header("webhook-id", &message_id)
                    .header("webhook-timestamp", timestamp.to_string())
                    .header("webhook-signature", signature)
                    .body(row.body.clone())
                    .send()
                    .await;
                match sent {
                    Ok(response) => {
                        let status = response.status().as_u16();
                        let body = response_start(response).await;
                        Attempt {
                            started_at,
                            duration_ms: elapsed_ms(timer),
                            response_status: Some(status),
                            response_body: Some(body),
                            error: None,
                        }
                    }
                    Err(error) => {
                        Attempt::unanswered(started_at, elapsed_ms(timer), describe(&error))
                    }
                }
            }
        };
        let now = inner.clock.now();
        let recorded = record_attempt(&inner.db, row, &attempt, jitter(), now).await?;
        let outcome = match recorded {
            Recorded::Succeeded => "succeeded",
            Recorded::Retrying => "retrying",
            Recorded::GivenUp => "given_up",
            Recorded::LeaseLost => "lease_lost",
        };
        metrics::counter!("clientele_webhook_attempts_total", "outcome" => outcome).increment(1);
        if recorded == Recorded::Succeeded {
            let latency = (now - row.occurred_at).num_milliseconds().max(0) as f64 / 1000.0;
            metrics::histogram!("clientele_webhook_delivery_latency_seconds").record(latency);
        } else {
            tracing::warn!(
                webhook_id = hook.id,
                delivery_id = row.id,
                attempts = row.attempts,
                status = ?attempt.response_status,
                error = ?attempt.error,
                outcome,
                "webhook attempt failed"
            );
        }
        Ok(())
    }

    /// Delivers until `shutdown` turns true: the fan-out in one task, the deliveries in
    /// another, keeping up to the configured number in flight.
    pub async fn run(self, shutdown: watch::Receiver<bool>) {
        let dispatcher = self.clone();
        tokio::join!(
            dispatcher.dispatch_loop(shutdown.clone()),
            self.delivery_loop(shutdown)
        );
    }

    async fn dispatch_loop(self, mut shutdown: watch::Receiver<bool>) {
        loop {
            let busy = match self.dispatch_once().await {
                Ok(taken) => taken > 0,
                Err(error) => {
                    tracing::error!(error = %error, "webhook dispatcher");
                    false
                }
            };
            if *shutdown.borrow() {
                return;
            }
            if !busy {
                tokio::select! {
                    _ = tokio::time::sleep(self.inner.settings.poll) => {}
                    _ = shutdown.changed() => return,
                }
            }
        }
    }

    async fn delivery_loop(self, mut shutdown: watch::Receiver<bool>) {
        let capacity = self.inner.settings.concurrency.max(1);
        let mut in_flight = JoinSet::new();
        loop {
            let free = capacity.saturating_sub(in_flight.len());
            let claimed = if free == 0 {
                0
            } else {
                self.claim_into(&mut in_flight, free)
                    .await
                    .unwrap_or_else(|error| {
                        tracing::error!(error = %error, "webhook delivery claim");
                        0
                    })
            };
            if *shutdown.borrow() {
                // Attempts under way finish; unclaimed ones wait for the next start.
                while in_flight.join_next().await.is_some() {}
                return;
            }
            if claimed == 0 || in_flight.len() >= capacity {
                tokio::select! {
                    Some(_) = in_flight.join_next(), if !in_flight.is_empty() => {}
                    _ = tokio::time::sleep(self.inner.settings.poll) => {}
                    _ = shutdown.changed() => {}
                }
            }
        }
    }
}

/// The start of a response's body, read no further than kept.
async fn response_start(mut response: reqwest::Response) -> String {
    let mut kept = Vec::new();
    while kept.len() < KEPT_RESPONSE_BYTES {
        match response.chunk().await {
            Ok(Some(chunk)) => kept.extend_from_slice(&chunk),
            _ => break,
        }
    }
    kept.truncate(KEPT_RESPONSE_BYTES);
    // PostgreSQL text holds no NUL character.
    String::from_utf8_lossy(&kept).replace('\0', "\u{FFFD}")
}

/// A delivery error as an operator reads it, without the URL (shown beside it anyway).
fn describe(error: &reqwest::Error) -> String {
    let kind = if error.is_timeout() {
        "timed out after 10 s"
    } else if error.is_connect() {
        "could not connect"
    } else {
        "failed"
    };
    let mut cause = std::error::Error::source(error);
    let mut deepest = None;
    while let Some(inner) = cause {
        deepest = Some(inner.to_string());
        cause = inner.source();
    }
    let text = match deepest {
        Some(reason) => format!("The request {kind}: {reason}"),
        None => format!("The request {kind}."),
    };
    text.chars().take(500).collect()
}

fn elapsed_ms(since: tokio::time::Instant) -> i32 {
    i32::try_from(since.elapsed().as_millis()).unwrap_or(i32::MAX)
}

/// A uniform number in [0, 1) for retry jitter.
fn jitter() -> f64 {
    let mut bytes = [0u8; 4];
    if getrandom::fill(&mut bytes).is_err() {
        return 0.5;
    }
    f64::from(u32::from_le_bytes(bytes)) / (f64::from(u32::MAX) + 1.0)
}
