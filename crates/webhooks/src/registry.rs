//! The webhooks an installation has: created, changed, rotated and deleted by staff and
//! integrations, with their deliveries listed and redelivered.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use clientele_events::EventType;
use clientele_kernel::db::begin_write;
use clientele_kernel::{Clock, Error, Result};
use clientele_sessions::KeyWrapping;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;
use uuid::Uuid;

use crate::delivery::{Carried, park, pending};
use crate::entity::{delivery, webhook};
use crate::model::{
    Creator, DeliveryPage, DeliveryStatus, NewWebhook, Webhook, WebhookPatch, WebhookStatus,
};
use crate::signing::SigningSecret;
use crate::target::TargetPolicy;
use crate::{Delivery, secrets};

/// How long the secret before a rotation keeps signing beside the new one, so consumers can
/// switch without losing a delivery.
pub const ROTATION_OVERLAP: Duration = Duration::hours(24);

/// Most deliveries one page lists.
pub const MAX_DELIVERIES_PAGE: u64 = 200;

/// The longest description.
const MAX_DESCRIPTION: usize = 255;

/// Webhooks: their settings and deliveries.
#[derive(Clone)]
pub struct WebhookRegistry {
    db: DatabaseConnection,
    clock: Clock,
    wrapping: KeyWrapping,
    policy: Arc<TargetPolicy>,
}

/// A webhook with the secret it signs with, shown once: when created and when rotated.
#[derive(Debug, Clone)]
pub struct WebhookWithSecret {
    /// The webhook.
    pub webhook: Webhook,
    /// The signing secret (`whsec_…`).
    pub secret: String,
}

impl WebhookRegistry {
    /// The registry over `db`, sealing secrets with `wrapping`, targets checked by `policy`.
    pub fn new(
        db: DatabaseConnection,
        clock: Clock,
        wrapping: KeyWrapping,
        policy: Arc<TargetPolicy>,
    ) -> Self {
        Self {
            db,
            clock,
            wrapping,
            policy,
        }
    }

    /// Every webhook, oldest first.
    pub async fn list(&self) -> Result<Vec<Webhook>> {
        Ok(webhook::Entity::find()
            .order_by_asc(webhook::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(Webhook::from)
            .collect())
    }

    /// One webhook.
    pub async fn get(&self, id: i32) -> Result<Webhook> {
        Ok(self.row(id).await?.into())
    }

    async fn row(&self, id: i32) -> Result<webhook::Model> {
        webhook::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .ok_or_else(|| Error::not_found("Webhook", id))
    }

    /// Creates a webhook with a new secret.
    pub async fn create(&self, new: NewWebhook) -> Result<WebhookWithSecret> {
        self.policy.check_target(&new.url).await?;
        let event_types = event_types(&new.event_types)?;
        let description = description(new.description)?;
        let website_ids = website_ids(new.website_ids)?;
        let notify_email = notify_email(new.notify_email)?;
        let secret = SigningSecret::generate()?;
        let now = self.clock.now();
        let (staff, integration) = match new.created_by {
            Creator::Staff(id) => (Some(id), None),
            Creator::Integration(id) => (None, Some(id)),
        };
        let txn = begin_write(&self.db).await?;
        let row = webhook::ActiveModel {
            id: NotSet,
            url: Set(new.url),
            description: Set(description),
            event_types: Set(json!(event_types)),
            website_ids: Set(json!(website_ids)),
            // Sealed under the webhook's id, known once the row exists.
            secret: Set(String::new()),
            previous_secret: Set(None),
            previous_secret_until: Set(None),
            status: Set(WebhookStatus::Enabled.stored().to_owned()),
            disabled_reason: Set(None),
            disabled_at: Set(None),
            failing_since: Set(None),
            notify_email: Set(notify_email),
            created_by_staff_user_id: Set(staff),
            created_by_integration_id: Set(integration),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await?;
        let mut sealed = row.into_active_model();
        let id = *sealed.id.as_ref();
        sealed.secret = Set(secrets::seal(&self.wrapping, id, &secret)?);
        let row = sealed.update(&txn).await?;
        txn.commit().await?;
        tracing::info!(webhook_id = id, "webhook created");
        Ok(WebhookWithSecret {
            webhook: row.into(),
            secret: secret.to_text(),
        })
    }

    /// Changes a webhook.
    pub async fn update(&self, id: i32, patch: WebhookPatch) -> Result<Webhook> {
        let row = self.row(id).await?;
        let mut changed = row.into_active_model();
        if let Some(url) = patch.url {
            self.policy.check_target(&url).await?;
            changed.url = Set(url);
        }
        if let Some(types) = patch.event_types {
            changed.event_types = Set(json!(event_types(&types)?));
        }
        if let Some(text) = patch.description {
            changed.description = Set(description(text)?);
        }
        let narrowed_to = match patch.website_ids {
            Some(ids) => {
                let ids = website_ids(ids)?;
                changed.website_ids = Set(json!(ids));
                (!ids.is_empty()).then_some(ids)
            }
            None => None,
        };
        if let Some(email) = patch.notify_email {
            changed.notify_email = Set(notify_email(email)?);
        }
        let now = self.clock.now();
        let was_enabled = *changed.status.as_ref() == WebhookStatus::Enabled.stored();
        match patch.enabled {
            Some(true) => {
                changed.status = Set(WebhookStatus::Enabled.stored().to_owned());
                changed.disabled_reason = Set(None);
                changed.disabled_at = Set(None);
                changed.failing_since = Set(None);
            }
            Some(false) if was_enabled => {
                changed.status = Set(WebhookStatus::Disabled.stored().to_owned());
                changed.disabled_reason = Set(Some("Disabled through the API.".to_owned()));
                changed.disabled_at = Set(Some(now));
            }
            _ => {}
        }
        changed.updated_at = Set(now);
        let txn = begin_write(&self.db).await?;
        let row = changed.update(&txn).await?;
        match patch.enabled {
            Some(true) if !was_enabled => park(&txn, id, true, now).await?,
            Some(false) if was_enabled => park(&txn, id, false, now).await?,
            _ => {}
        }
        if let Some(websites) = narrowed_to {
            // What waits for customers of websites the webhook no longer covers is not sent to
            // its (perhaps new) URL.
            delivery::Entity::update_many()
                .col_expr(
                    delivery::Column::Status,
                    Expr::value(DeliveryStatus::Failed.stored()),
                )
                .col_expr(delivery::Column::CompletedAt, Expr::value(Some(now)))
                .col_expr(
                    delivery::Column::LastError,
                    Expr::value("The webhook no longer covers this customer's website."),
                )
                .filter(delivery::Column::WebhookId.eq(id))
                .filter(delivery::Column::Status.eq(DeliveryStatus::Pending.stored()))
                .filter(delivery::Column::WebsiteId.is_not_in(websites))
                .exec(&txn)
                .await?;
        }
        txn.commit().await?;
        tracing::info!(webhook_id = id, "webhook changed");
        Ok(row.into())
    }

    /// Deletes a webhook and its deliveries.
    pub async fn delete(&self, id: i32) -> Result<()> {
        let txn = begin_write(&self.db).await?;
        delivery::Entity::delete_many()
            .filter(delivery::Column::WebhookId.eq(id))
            .exec(&txn)
            .await?;
        let deleted = webhook::Entity::delete_by_id(id).exec(&txn).await?;
        if deleted.rows_affected == 0 {
            return Err(Error::not_found("Webhook", id));
        }
        txn.commit().await?;
        tracing::info!(webhook_id = id, "webhook deleted");
        Ok(())
    }

    /// Gives a webhook a new secret; the old one keeps signing beside it for
    /// [`ROTATION_OVERLAP`].
    pub async fn rotate_secret(&self, id: i32) -> Result<WebhookWithSecret> {
        let row = self.row(id).await?;
        let secret = SigningSecret::generate()?;
        let now = self.clock.now();
        let mut changed = row.clone().into_active_model();
        changed.previous_secret = Set(Some(row.secret));
        changed.previous_secret_until = Set(Some(now + ROTATION_OVERLAP));
        changed.secret = Set(secrets::seal(&self.wrapping, id, &secret)?);
        changed.updated_at = Set(now);
        let row = changed.update(&self.db).await?;
        tracing::info!(webhook_id = id, "webhook secret rotated");
        Ok(WebhookWithSecret {
            webhook: row.into(),
            secret: secret.to_text(),
        })
    }

    /// A webhook's deliveries, newest first: `first` of them older than delivery `before`,
    /// of `status` when given, and about customers of `websites` when given (events about no
    /// customer are in every website's view).
    pub async fn deliveries(
        &self,
        webhook_id: i32,
        status: Option<DeliveryStatus>,
        websites: Option<&[i32]>,
        first: u64,
        before: Option<i64>,
    ) -> Result<DeliveryPage> {
        if !(1..=MAX_DELIVERIES_PAGE).contains(&first) {
            return Err(Error::invalid(
                "first",
                format!("Ask for 1 to {MAX_DELIVERIES_PAGE} deliveries."),
            ));
        }
        self.row(webhook_id).await?;
        let mut select = delivery::Entity::find()
            .filter(delivery::Column::WebhookId.eq(webhook_id))
            .order_by_desc(delivery::Column::Id)
            .limit(first + 1);
        if let Some(status) = status {
            select = select.filter(delivery::Column::Status.eq(status.stored()));
        }
        if let Some(before) = before {
            select = select.filter(delivery::Column::Id.lt(before));
        }
        if let Some(websites) = websites {
            select = select.filter(in_websites(websites));
        }
        let mut rows = select.all(&self.db).await?;
        let has_older = rows.len() as u64 > first;
        rows.truncate(first as usize);
        Ok(DeliveryPage {
            deliveries: rows.into_iter().map(Delivery::from).collect(),
            has_older,
        })
    }

    /// Queues event `event_id` again for webhook `webhook_id`, with the body it was first sent
    /// with; it goes out after the customer's earlier pending deliveries. With `websites`, only
    /// an event about a customer of those websites (or about no customer).
    pub async fn redeliver(
        &self,
        webhook_id: i32,
        event_id: Uuid,
        websites: Option<&[i32]>,
    ) -> Result<Delivery> {
        let hook: Webhook = self.row(webhook_id).await?.into();
        if hook.status == WebhookStatus::Disabled {
            return Err(Error::Conflict(
                "The webhook is disabled: enable it (updateWebhook) before redelivering.".into(),
            ));
        }
        let mut sent = delivery::Entity::find()
            .filter(delivery::Column::WebhookId.eq(webhook_id))
            .filter(delivery::Column::EventId.eq(event_id))
            .order_by_desc(delivery::Column::Id);
        if let Some(websites) = websites {
            sent = sent.filter(in_websites(websites));
        }
        let sent = sent
            .one(&self.db)
            .await?
            .ok_or_else(|| Error::not_found("Webhook delivery", event_id))?;
        let now = self.clock.now();
        let carried = Carried {
            event_id: sent.event_id,
            event_type: sent.event_type,
            customer_id: sent.customer_id,
            website_id: sent.website_id,
            occurred_at: sent.occurred_at,
            body: sent.body,
        };
        let row = pending(webhook_id, carried, now).insert(&self.db).await?;
        tracing::info!(webhook_id, event_id = %event_id, "webhook event queued again");
        Ok(row.into())
    }

    /// Seals again with the current key-encryption key every secret an earlier one sealed (after
    /// the operator rotated it), so the earlier one can be retired; returns how many webhooks
    /// changed. Every node runs it at start, as it does for the token signing keys.
    pub async fn reseal_secrets(&self) -> Result<usize> {
        let mut resealed = 0;
        for row in webhook::Entity::find().all(&self.db).await? {
            let current = secrets::reseal(&self.wrapping, row.id, &row.secret)?;
            let previous = match &row.previous_secret {
                Some(stored) => secrets::reseal(&self.wrapping, row.id, stored)?,
                None => None,
            };
            if current.is_none() && previous.is_none() {
                continue;
            }
            let mut changed = row.into_active_model();
            if let Some(sealed) = current {
                changed.secret = Set(sealed);
            }
            if let Some(sealed) = previous {
                changed.previous_secret = Set(Some(sealed));
            }
            changed.update(&self.db).await?;
            resealed += 1;
        }
        if resealed > 0 {
            tracing::info!(
                resealed,
                "webhook secrets sealed with the current key-encryption key"
            );
        }
        Ok(resealed)
    }

    /// Deletes finished deliveries (succeeded or given up) completed before `before`; returns
    /// how many.
    pub async fn purge_deliveries(&self, before: DateTime<Utc>) -> Result<u64> {
        let purged = delivery::Entity::delete_many()
            .filter(delivery::Column::Status.ne(DeliveryStatus::Pending.stored()))
            .filter(delivery::Column::CompletedAt.lt(before))
            .exec(&self.db)
            .await?;
        Ok(purged.rows_affected)
    }
}

/// Deliveries about customers of `websites`, or about no customer.
fn in_websites(websites: &[i32]) -> Condition {
    Condition::any()
        .add(delivery::Column::WebsiteId.is_in(websites.iter().copied()))
        .add(delivery::Column::WebsiteId.is_null())
}

/// Known event type names, each once, in catalogue order.
fn event_types(names: &[String]) -> Result<Vec<&'static str>> {
    if names.is_empty() {
        return Err(Error::invalid(
            "events",
            "Name at least one event type (see webhookEventTypes).",
        ));
    }
    for name in names {
        if EventType::from_name(name).is_none() {
            return Err(Error::invalid(
                "events",
                format!("\"{name}\" is not an event type. See webhookEventTypes."),
            ));
        }
    }
    Ok(EventType::ALL
        .iter()
        .map(|kind| kind.name())
        .filter(|name| names.iter().any(|n| n == name))
        .collect())
}

fn description(text: Option<String>) -> Result<Option<String>> {
    let text = text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
    if text
        .as_ref()
        .is_some_and(|t| t.chars().count() > MAX_DESCRIPTION)
    {
        return Err(Error::invalid(
            "description",
            "The description is longer than 255 characters.",
        ));
    }
    Ok(text)
}

fn website_ids(mut ids: Vec<i32>) -> Result<Vec<i32>> {
    if ids.iter().any(|id| *id <= 0) {
        return Err(Error::invalid(
            "website_ids",
            "Website ids are positive (the admin website 0 has no customers).",
        ));
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

fn notify_email(email: Option<String>) -> Result<Option<String>> {
    let email = email.map(|e| e.trim().to_owned()).filter(|e| !e.is_empty());
    if let Some(address) = &email {
        let valid = address.len() <= 255
            && !address.chars().any(char::is_whitespace)
            && address
                .split_once('@')
                .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'));
        if !valid {
            return Err(Error::invalid(
                "notify_email",
                "The notice address is not a valid email address.",
            ));
        }
    }
    Ok(email)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_types_are_known_and_kept_once_in_catalogue_order() {
        let names = ["customer.updated", "customer.created", "customer.updated"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            event_types(&names).expect("types"),
            ["customer.created", "customer.updated"]
        );
        assert!(event_types(&[]).is_err());
        assert!(event_types(&["customer.renamed".to_owned()]).is_err());
    }

    #[test]
    fn inputs_are_checked() {
        assert_eq!(website_ids(vec![2, 1, 2]).expect("ids"), [1, 2]);
        assert!(website_ids(vec![0]).is_err());
        assert_eq!(description(Some("  ".into())).expect("empty"), None);
        assert!(description(Some("x".repeat(256))).is_err());
        assert!(notify_email(Some("ops@example.com".into())).is_ok());
        assert!(notify_email(Some("ops example.com".into())).is_err());
    }
}
