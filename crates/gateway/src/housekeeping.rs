//! Periodic clean-up every node runs: visitors who fell out of the Online Minutes Interval,
//! expired Login as Customer sessions and codes, sign-in attempts whose requests died,
//! idempotency keys past their day, and audit log lines past their retention. Each pass
//! is a few bounded deletes that any number of nodes may run at once.

use std::time::Duration;

use tokio::sync::watch;

use crate::services::Services;

/// Runs the clean-up every `every` until `stopped` turns true, keeping audit log lines for
/// `audit_retention_days`.
pub(crate) async fn run(
    services: Services,
    every: Duration,
    audit_retention_days: u32,
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
        match services.audit.purge(audit_retention_days).await {
            Ok(0) => {}
            Ok(removed) => tracing::info!(removed, "audit log lines past their retention purged"),
            Err(error) => tracing::warn!(?error, "audit log clean-up failed"),
        }
    }
}
