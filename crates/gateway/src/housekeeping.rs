//! Periodic clean-up every node runs: visitors who fell out of the Online Minutes Interval,
//! expired Login as Customer sessions and codes, sign-in attempts whose requests died,
//! idempotency keys past their day, audit log lines and finished webhook deliveries past their
//! retention, used or expired data export links; and it carries out customer erasures whose
//! grace period has passed. Each pass
//! is a few bounded deletes that any number of nodes may run at once.

use std::time::Duration;

use tokio::sync::watch;

use crate::services::Services;

/// How long what housekeeping purges is kept, in days.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Retention {
    /// Staff audit log lines.
    pub audit_days: u32,
    /// Finished webhook deliveries.
    pub webhook_delivery_days: u32,
}

/// Runs the clean-up every `every` until `stopped` turns true, keeping what `retention` says.
pub(crate) async fn run(
    services: Services,
    every: Duration,
    retention: Retention,
    mut stopped: watch::Receiver<bool>,
) {
    let mut ticker = tokio::time::interval(every);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = ticker.tick() => {}
            _ = stopped.changed() => {}
        }
        if *stopped.borrow() {
            return;
        }
        match services.online.purge_idle_visitors().await {
            Ok(0) => {}
            Ok(removed) => tracing::info!(removed, "idle visitors purged"),
            Err(error) => tracing::warn!(?error, "visitor clean-up failed"),
        }
        match services.assistance.purge_expired().await {
            Ok(0) => {}
            Ok(removed) => tracing::info!(removed, "expired login as customer sessions purged"),
            Err(error) => tracing::warn!(?error, "housekeeping pass failed"),
        }
        match services.shoppers.purge_abandoned_sign_in_attempts().await {
            Ok(0) => {}
            Ok(removed) => tracing::info!(removed, "abandoned sign-in attempts purged"),
            Err(error) => tracing::warn!(?error, "sign-in attempt clean-up failed"),
        }
        match clientele_kernel::idempotency::purge(&services.db, services.clock.now()).await {
            Ok(0) => {}
            Ok(removed) => tracing::info!(removed, "expired idempotency keys purged"),
            Err(error) => tracing::warn!(?error, "idempotency key clean-up failed"),
        }
        let finished_before = services.clock.now()
            - chrono::Duration::days(i64::from(retention.webhook_delivery_days));
        match services.webhooks.purge_deliveries(finished_before).await {
            Ok(0) => {}
            Ok(removed) => tracing::info!(removed, "finished webhook deliveries purged"),
            Err(error) => tracing::warn!(?error, "webhook delivery clean-up failed"),
        }
        match services.privacy.erase_due().await {
            Ok(0) => {}
            Ok(erased) => tracing::info!(erased, "customers erased after their grace period"),
            Err(error) => tracing::warn!(?error, "due customer erasures failed"),
        }
        match services.privacy.purge_export_links().await {
            Ok(0) => {}
            Ok(removed) => tracing::info!(removed, "used or expired data export links purged"),
            Err(error) => tracing::warn!(?error, "data export link clean-up failed"),
        }
        match services.audit.purge(retention.audit_days).await {
            Ok(0) => {}
            Ok(removed) => tracing::info!(removed, "audit log lines past their retention purged"),
            Err(error) => tracing::warn!(?error, "audit log clean-up failed"),
        }
    }
}
