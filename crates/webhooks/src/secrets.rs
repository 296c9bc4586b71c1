//! Signing secrets at rest: sealed with the key-encryption key under the webhook's id, so a
//! database copy alone cannot forge deliveries, and a sealed secret opens for its own webhook
//! only.

use chrono::{DateTime, Utc};
use clientele_kernel::Result;
use clientele_sessions::KeyWrapping;

use crate::entity::webhook;
use crate::signing::SigningSecret;

fn label(webhook_id: i32) -> String {
    format!("webhook:{webhook_id}")
}

/// The stored form of `secret` for webhook `webhook_id`.
pub(crate) fn seal(
    wrapping: &KeyWrapping,
    webhook_id: i32,
    secret: &SigningSecret,
) -> Result<String> {
    wrapping.seal(&label(webhook_id), secret.as_bytes())
}

/// `stored` sealed again with the current KEK when an earlier one sealed it; `None` when it
/// needs nothing.
pub(crate) fn reseal(
    wrapping: &KeyWrapping,
    webhook_id: i32,
    stored: &str,
) -> Result<Option<String>> {
    let (bytes, stale) = wrapping.open(&label(webhook_id), stored)?;
    if !stale {
        return Ok(None);
    }
    let secret = SigningSecret::from_bytes(bytes);
    seal(wrapping, webhook_id, &secret).map(Some)
}

/// The secrets a webhook signs with at `now`: the current one, and the one before the last
/// rotation while it overlaps.
pub(crate) fn signing(
    wrapping: &KeyWrapping,
    row: &webhook::Model,
    now: DateTime<Utc>,
) -> Result<Vec<SigningSecret>> {
    let open = |stored: &str| -> Result<SigningSecret> {
        let (bytes, _) = wrapping.open(&label(row.id), stored)?;
        Ok(SigningSecret::from_bytes(bytes))
    };
    let mut secrets = vec![open(&row.secret)?];
    if let (Some(previous), Some(until)) = (&row.previous_secret, row.previous_secret_until)
        && now < until
    {
        secrets.push(open(previous)?);
    }
    Ok(secrets)
}
