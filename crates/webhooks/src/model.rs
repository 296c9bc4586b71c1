//! Webhooks and deliveries as the rest of the system sees them.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::entity::{delivery, webhook};

/// Whether a webhook receives deliveries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookStatus {
    /// Deliveries are sent.
    Enabled,
    /// Nothing is sent (switched off, answered 410 Gone, or failed for days); deliveries wait.
    Disabled,
}

impl WebhookStatus {
    pub(crate) fn stored(self) -> &'static str {
        match self {
            Self::Enabled => "ENABLED",
            Self::Disabled => "DISABLED",
        }
    }
}

/// Who created a webhook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Creator {
    /// A staff user.
    Staff(i32),
    /// An integration.
    Integration(i32),
}

/// A webhook.
#[derive(Debug, Clone, PartialEq)]
pub struct Webhook {
    /// Id.
    pub id: i32,
    /// Where deliveries are posted.
    pub url: String,
    /// What it is for.
    pub description: Option<String>,
    /// The event types it receives.
    pub event_types: Vec<String>,
    /// The websites whose customers' events it receives; empty: every website.
    pub website_ids: Vec<i32>,
    /// Whether it receives deliveries.
    pub status: WebhookStatus,
    /// Why it was disabled.
    pub disabled_reason: Option<String>,
    /// When it was disabled.
    pub disabled_at: Option<DateTime<Utc>>,
    /// Since when its deliveries fail without a success in between.
    pub failing_since: Option<DateTime<Utc>>,
    /// Where the notice goes when it is disabled for failing.
    pub notify_email: Option<String>,
    /// Until when the secret before the last rotation still signs beside the current one.
    pub previous_secret_until: Option<DateTime<Utc>>,
    /// Who created it.
    pub created_by: Option<Creator>,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Last changed at.
    pub updated_at: DateTime<Utc>,
}

impl From<webhook::Model> for Webhook {
    fn from(row: webhook::Model) -> Self {
        let created_by = match (row.created_by_staff_user_id, row.created_by_integration_id) {
            (Some(id), _) => Some(Creator::Staff(id)),
            (None, Some(id)) => Some(Creator::Integration(id)),
            (None, None) => None,
        };
        Self {
            id: row.id,
            url: row.url,
            description: row.description,
            event_types: serde_json::from_value(row.event_types).unwrap_or_default(),
            website_ids: serde_json::from_value(row.website_ids).unwrap_or_default(),
            status: if row.status == WebhookStatus::Enabled.stored() {
                WebhookStatus::Enabled
            } else {
                WebhookStatus::Disabled
            },
            disabled_reason: row.disabled_reason,
            disabled_at: row.disabled_at,
            failing_since: row.failing_since,
            notify_email: row.notify_email,
            previous_secret_until: row.previous_secret_until,
            created_by,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

impl Webhook {
    /// Whether it receives an event of `event_type` about a customer of `website_id` (events
    /// about no customer have no website and reach every webhook of their type).
    pub fn receives(&self, event_type: &str, website_id: Option<i32>) -> bool {
        self.status == WebhookStatus::Enabled
            && self.event_types.iter().any(|t| t == event_type)
            && match website_id {
                Some(website) if !self.website_ids.is_empty() => {
                    self.website_ids.contains(&website)
                }
                _ => true,
            }
    }
}

/// A new webhook.
#[derive(Debug, Clone, PartialEq)]
pub struct NewWebhook {
    /// Where deliveries are posted.
    pub url: String,
    /// The event type names it receives (at least one).
    pub event_types: Vec<String>,
    /// What it is for.
    pub description: Option<String>,
    /// The websites it covers; empty: every website.
    pub website_ids: Vec<i32>,
    /// Where the notice goes when it is disabled for failing.
    pub notify_email: Option<String>,
    /// Who creates it.
    pub created_by: Creator,
}

/// A change to a webhook: each given field replaces the stored one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WebhookPatch {
    /// A new URL.
    pub url: Option<String>,
    /// New event types.
    pub event_types: Option<Vec<String>>,
    /// A new description (`Some(None)` clears it).
    pub description: Option<Option<String>>,
    /// New websites.
    pub website_ids: Option<Vec<i32>>,
    /// A new notice address (`Some(None)` clears it).
    pub notify_email: Option<Option<String>>,
    /// Switch it on or off; switching it on clears the failure record.
    pub enabled: Option<bool>,
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryStatus {
    /// Waiting for its first attempt or its next one.
    Pending,
    /// The endpoint answered 2xx.
    Succeeded,
    /// Given up: retried for three days, or the endpoint answered 410 Gone.
    Failed,
}

impl DeliveryStatus {
    pub(crate) fn stored(self) -> &'static str {
        match self {
            Self::Pending => "PENDING",
            Self::Succeeded => "SUCCEEDED",
            Self::Failed => "FAILED",
        }
    }

    fn of(stored: &str) -> Self {
        match stored {
            "SUCCEEDED" => Self::Succeeded,
            "FAILED" => Self::Failed,
            _ => Self::Pending,
        }
    }
}

/// One event for one webhook, with its last attempt.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    /// Id: a customer's deliveries to a webhook go out in the order of their ids.
    pub id: i64,
    /// The webhook.
    pub webhook_id: i32,
    /// The event (the `webhook-id` header).
    pub event_id: Uuid,
    /// The event's type.
    pub event_type: String,
    /// The event's customer.
    pub customer_id: Option<i32>,
    /// The customer's website.
    pub website_id: Option<i32>,
    /// When the event happened.
    pub occurred_at: DateTime<Utc>,
    /// The JSON body posted.
    pub body: String,
    /// Where it stands.
    pub status: DeliveryStatus,
    /// Attempts so far.
    pub attempts: i32,
    /// When the next attempt is due (pending deliveries of an enabled webhook).
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// Queued at.
    pub created_at: DateTime<Utc>,
    /// The last attempt's start.
    pub last_attempt_at: Option<DateTime<Utc>>,
    /// The last response's HTTP status.
    pub last_response_status: Option<i32>,
    /// The start of the last response's body.
    pub last_response_body: Option<String>,
    /// How long the last attempt took, in milliseconds.
    pub last_duration_ms: Option<i32>,
    /// Why the last attempt failed without a response (timeout, refused connection).
    pub last_error: Option<String>,
    /// When it succeeded or was given up.
    pub completed_at: Option<DateTime<Utc>>,
}

impl From<delivery::Model> for Delivery {
    fn from(row: delivery::Model) -> Self {
        let status = DeliveryStatus::of(&row.status);
        Self {
            id: row.id,
            webhook_id: row.webhook_id,
            event_id: row.event_id,
            event_type: row.event_type,
            customer_id: (row.customer_id != 0).then_some(row.customer_id),
            website_id: row.website_id,
            occurred_at: row.occurred_at,
            body: row.body,
            status,
            attempts: row.attempts,
            // A disabled webhook's deliveries are parked a century ahead: no attempt is due.
            next_attempt_at: (status == DeliveryStatus::Pending
                && row.next_attempt_at - row.created_at < chrono::Duration::days(365 * 50))
            .then_some(row.next_attempt_at),
            created_at: row.created_at,
            last_attempt_at: row.last_attempt_at,
            last_response_status: row.last_response_status,
            last_response_body: row.last_response_body,
            last_duration_ms: row.last_duration_ms,
            last_error: row.last_error,
            completed_at: row.completed_at,
        }
    }
}

/// A page of a webhook's deliveries.
#[derive(Debug, Clone, PartialEq)]
pub struct DeliveryPage {
    /// The deliveries, newest first.
    pub deliveries: Vec<Delivery>,
    /// Whether older ones follow.
    pub has_older: bool,
}
