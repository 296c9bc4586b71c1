//! Webhooks: customer events posted to integrators' endpoints, signed as the Standard Webhooks
//! specification says, at least once, in order per customer and webhook. The dispatcher fans
//! recorded events out into deliveries ([`dispatch`]); workers on every node claim due
//! deliveries under leases and retry failures with backoff ([`delivery`], [`WebhookWorker`]);
//! staff and integrations manage webhooks through the [`WebhookRegistry`]. Targets inside the
//! installation's networks are refused under the strict policy ([`TargetPolicy`]).

mod delivery;
mod dispatch;
mod entity;
mod model;
mod personal;
mod registry;
mod secrets;
mod signing;
mod target;
mod worker;

pub use delivery::{DISABLE_AFTER, GIVE_UP_AFTER};
pub use dispatch::body;
pub use model::{
    Creator, Delivery, DeliveryPage, DeliveryStatus, NewWebhook, Webhook, WebhookPatch,
    WebhookStatus,
};
pub use personal::DeliveryData;
pub use registry::{MAX_DELIVERIES_PAGE, ROTATION_OVERLAP, WebhookRegistry, WebhookWithSecret};
pub use signing::{SigningSecret, signature_header};
pub use target::{GuardedResolver, MAX_URL_LENGTH, TargetPolicy, is_internal};
pub use worker::{ATTEMPT_TIMEOUT, WebhookWorker, WebhookWorkerSettings};

#[cfg(test)]
mod tests;
