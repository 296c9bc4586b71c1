//! The background sender: claims due messages, hands them to the transport, and retries failures
//! with exponential backoff until the last attempt.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::Duration;
use clientele_kernel::Clock;
use sea_orm::DatabaseConnection;
use tokio::sync::watch;

use crate::outbox::{claim, mark_failed, mark_sent};
use crate::transport::{OutgoingEmail, Transport};

/// How the worker paces itself.
#[derive(Debug, Clone)]
pub struct WorkerSettings {
    /// Sender address (`Name <address>` or an address).
    pub from: String,
    /// Pause between polls when nothing is due.
    pub poll: StdDuration,
    /// Attempts before a message is given up.
    pub max_attempts: i32,
    /// Wait after the first failure; doubled for each further one.
    pub first_retry: Duration,
    /// How long a claimed message stays reserved for its worker.
    pub lease: Duration,
}

/// Sends the outbox.
pub struct MailWorker {
    db: DatabaseConnection,
    transport: Arc<dyn Transport>,
    settings: WorkerSettings,
    clock: Clock,
}

impl MailWorker {
    /// A worker over `db` sending through `transport`, due times read on `clock`.
    pub fn new(
        db: DatabaseConnection,
        transport: Arc<dyn Transport>,
        settings: WorkerSettings,
        clock: Clock,
    ) -> Self {
        Self {
            db,
            transport,
            settings,
            clock,
        }
    }

    /// Sends what is due now; returns how many messages were attempted.
    pub async fn run_once(&self) -> clientele_kernel::Result<usize> {
        // A small batch: every message of it is sent well within its lease, even when each send
        // waits out the transport's timeout.
        let batch = claim(&self.db, 5, self.settings.lease, self.clock.now()).await?;
        for row in &batch {
            if row.body.is_none() {
                mark_failed(
                    &self.db,
                    row,
                    "the message has no body",
                    self.settings.first_retry,
                    true,
                    self.clock.now(),
                )
                .await?;
                continue;
            }
            let email = OutgoingEmail {
                id: row.id,
                from: self.settings.from.clone(),
                to: row.recipient.clone(),
                subject: row.subject.clone(),
                html: row.body.clone().unwrap_or_default(),
            };
            match self.transport.send(&email).await {
                Ok(()) => {
                    if mark_sent(&self.db, row, self.clock.now()).await? {
                        tracing::info!(outbox_id = row.id, template = %row.template, "email sent");
                    } else {
                        // The send outlasted the lease: another node may have sent it again.
                        tracing::warn!(outbox_id = row.id, "email sent after its lease ran out");
                    }
                }
                Err(e) => {
                    let give_up = row.attempts >= self.settings.max_attempts;
                    let factor = 2_i32.saturating_pow((row.attempts - 1).clamp(0, 16) as u32);
                    let retry_in = self.settings.first_retry * factor;
                    tracing::warn!(outbox_id = row.id, attempts = row.attempts, give_up, error = %e, "email not sent");
                    let error = e.to_string();
                    let failed =
                        mark_failed(&self.db, row, &error, retry_in, give_up, self.clock.now());
                    if !failed.await? {
                        tracing::warn!(outbox_id = row.id, "send failed after its lease ran out");
                    }
                }
            }
        }
        Ok(batch.len())
    }

    /// Sends until `shutdown` turns true.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        loop {
            let busy = match self.run_once().await {
                Ok(n) => n > 0,
                Err(e) => {
                    tracing::error!(error = %e, "mail worker");
                    false
                }
            };
            if *shutdown.borrow() {
                return;
            }
            if !busy {
                tokio::select! {
                    _ = tokio::time::sleep(self.settings.poll) => {}
                    _ = shutdown.changed() => return,
                }
            }
        }
    }
}
