//! Webhooks on the admin API: create, change, rotate, delete and list them, list their
//! deliveries and send an event again, behind `Clientele_Integration::webhooks`. A role limited
//! to some websites manages only webhooks limited to those websites.

use async_graphql::{Context, Enum, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use chrono::{DateTime, Utc};
use clientele_kernel::Error;
use clientele_staff::{Actor, acl};
use clientele_webhooks::{
    Creator, Delivery, DeliveryPage, DeliveryStatus, MAX_DELIVERIES_PAGE, NewWebhook, Webhook,
    WebhookPatch, WebhookStatus, WebhookWithSecret,
};
use uuid::Uuid;

use super::error::{AdminResult, admin_error, code, to_admin};
use super::guard::{Needs, actor, website_scope};
use super::timeline::{CursorPageInfo, numeric_page};
use crate::services::Services;

/// Deliveries on a page when the caller does not say.
const DEFAULT_PAGE: i32 = 20;

/// Whether a webhook receives deliveries.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub(crate) enum WebhookState {
    /// Deliveries are sent.
    Enabled,
    /// Nothing is sent; deliveries wait until it is enabled again.
    Disabled,
}

/// A webhook: where Clientele posts the events it subscribes to.
#[derive(SimpleObject)]
#[graphql(name = "Webhook", rename_fields = "snake_case")]
pub(crate) struct WebhookObject {
    /// Id.
    id: i32,
    /// Where deliveries are posted.
    url: String,
    /// What it is for.
    description: Option<String>,
    /// The event types it receives (see `webhookEventTypes`).
    events: Vec<String>,
    /// The websites whose customers' events it receives; empty: every website.
    website_ids: Vec<i32>,
    /// Whether it receives deliveries.
    status: WebhookState,
    /// Why it was disabled.
    disabled_reason: Option<String>,
    /// When it was disabled.
    disabled_at: Option<DateTime<Utc>>,
    /// Since when its deliveries fail without a success in between (disabled after five days).
    failing_since: Option<DateTime<Utc>>,
    /// Where the notice goes when it is disabled for failing.
    notify_email: Option<String>,
    /// Until when the signature of the secret before the last rotation is still sent beside
    /// the current one's.
    rotation_ends_at: Option<DateTime<Utc>>,
    /// The staff user who created it.
    created_by_staff_user_id: Option<i32>,
    /// The integration that created it.
    created_by_integration_id: Option<i32>,
    /// Created at.
    created_at: DateTime<Utc>,
    /// Last changed at.
    updated_at: DateTime<Utc>,
}

impl From<Webhook> for WebhookObject {
    fn from(hook: Webhook) -> Self {
        let (staff, integration) = match hook.created_by {
            Some(Creator::Staff(id)) => (Some(id), None),
            Some(Creator::Integration(id)) => (None, Some(id)),
            None => (None, None),
        };
        Self {
            id: hook.id,
            url: hook.url,
            description: hook.description,
            events: hook.event_types,
            website_ids: hook.website_ids,
            status: match hook.status {
                WebhookStatus::Enabled => WebhookState::Enabled,
                WebhookStatus::Disabled => WebhookState::Disabled,
            },
            disabled_reason: hook.disabled_reason,
            disabled_at: hook.disabled_at,
            failing_since: hook.failing_since,
            notify_email: hook.notify_email,
            rotation_ends_at: hook.previous_secret_until,
            created_by_staff_user_id: staff,
            created_by_integration_id: integration,
            created_at: hook.created_at,
            updated_at: hook.updated_at,
        }
    }
}

/// A webhook with its signing secret, shown this once.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct WebhookWithSecretOutput {
    /// The webhook.
    webhook: WebhookObject,
    /// The signing secret (`whsec_…`): verify deliveries with it as the Standard Webhooks
    /// specification says. It is not shown again.
    secret: String,
}

impl From<WebhookWithSecret> for WebhookWithSecretOutput {
    fn from(created: WebhookWithSecret) -> Self {
        Self {
            webhook: created.webhook.into(),
            secret: created.secret,
        }
    }
}

/// A new webhook.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct CreateWebhookInput {
    /// Where deliveries are posted (https; in production not inside the installation's networks).
    url: String,
    /// The event types it receives (see `webhookEventTypes`).
    events: Vec<String>,
    /// What it is for.
    description: Option<String>,
    /// The websites whose customers' events it receives; empty or absent: every website (a
    /// role limited to some websites must name some of its own).
    website_ids: Option<Vec<i32>>,
    /// Where the notice goes when it is disabled for failing; a staff user's own address when
    /// absent.
    notify_email: Option<String>,
}

/// A change to a webhook: given fields replace the stored ones.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct UpdateWebhookInput {
    /// A new URL.
    url: Option<String>,
    /// New event types.
    events: Option<Vec<String>>,
    /// A new description; null clears it.
    description: MaybeUndefined<String>,
    /// New websites (empty: every website).
    website_ids: Option<Vec<i32>>,
    /// A new notice address; null clears it.
    notify_email: MaybeUndefined<String>,
    /// Switch it on (which sends the deliveries that waited and clears its failure record) or
    /// off.
    enabled: Option<bool>,
}

/// Where a delivery stands.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub(crate) enum WebhookDeliveryState {
    /// Waiting for its first or next attempt.
    Pending,
    /// The endpoint answered 2xx.
    Succeeded,
    /// Given up: retried for three days, or the endpoint answered 410 Gone.
    Failed,
}

impl From<DeliveryStatus> for WebhookDeliveryState {
    fn from(status: DeliveryStatus) -> Self {
        match status {
            DeliveryStatus::Pending => Self::Pending,
            DeliveryStatus::Succeeded => Self::Succeeded,
            DeliveryStatus::Failed => Self::Failed,
        }
    }
}

impl From<WebhookDeliveryState> for DeliveryStatus {
    fn from(state: WebhookDeliveryState) -> Self {
        match state {
            WebhookDeliveryState::Pending => Self::Pending,
            WebhookDeliveryState::Succeeded => Self::Succeeded,
            WebhookDeliveryState::Failed => Self::Failed,
        }
    }
}

/// One event for one webhook, with its last attempt.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct WebhookDelivery {
    /// Id.
    id: ID,
    /// The webhook.
    webhook_id: i32,
    /// The event: the `webhook-id` header, the same at every attempt.
    event_id: ID,
    /// The event's type.
    event_type: String,
    /// The event's customer.
    customer_id: Option<i32>,
    /// When the event happened.
    occurred_at: DateTime<Utc>,
    /// Where it stands.
    status: WebhookDeliveryState,
    /// Attempts so far.
    attempts: i32,
    /// When the next attempt is due (pending deliveries).
    next_attempt_at: Option<DateTime<Utc>>,
    /// The JSON body posted.
    request_body: String,
    /// The last attempt's start.
    last_attempt_at: Option<DateTime<Utc>>,
    /// The last response's HTTP status.
    response_status: Option<i32>,
    /// The start of the last response's body (up to 1,000 bytes).
    response_body: Option<String>,
    /// How long the last attempt took, in milliseconds.
    duration_ms: Option<i32>,
    /// Why the last attempt got no response (timeout, refused connection, refused target).
    error: Option<String>,
    /// Queued at.
    created_at: DateTime<Utc>,
    /// When it succeeded or was given up.
    completed_at: Option<DateTime<Utc>>,
}

impl From<Delivery> for WebhookDelivery {
    fn from(delivery: Delivery) -> Self {
        Self {
            id: ID(delivery.id.to_string()),
            webhook_id: delivery.webhook_id,
            event_id: ID(delivery.event_id.to_string()),
            event_type: delivery.event_type,
            customer_id: delivery.customer_id,
            occurred_at: delivery.occurred_at,
            status: delivery.status.into(),
            attempts: delivery.attempts,
            next_attempt_at: delivery.next_attempt_at,
            request_body: delivery.body,
            last_attempt_at: delivery.last_attempt_at,
            response_status: delivery.last_response_status,
            response_body: delivery.last_response_body,
            duration_ms: delivery.last_duration_ms,
            error: delivery.last_error,
            created_at: delivery.created_at,
            completed_at: delivery.completed_at,
        }
    }
}

/// A page of a webhook's deliveries.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct WebhookDeliveries {
    /// Deliveries of this page, newest first.
    items: Vec<WebhookDelivery>,
    /// Paging facts.
    page_info: CursorPageInfo,
}

impl From<DeliveryPage> for WebhookDeliveries {
    fn from(page: DeliveryPage) -> Self {
        let end_cursor = match (page.has_older, page.deliveries.last()) {
            (true, Some(last)) => Some(last.id.to_string()),
            _ => None,
        };
        Self {
            items: page.deliveries.into_iter().map(Into::into).collect(),
            page_info: CursorPageInfo::new(end_cursor),
        }
    }
}

/// Fails unless the caller's role covers every website `website_ids` names (empty: every
/// website).
fn require_websites(ctx: &Context<'_>, website_ids: &[i32]) -> async_graphql::Result<()> {
    match website_scope(ctx)? {
        Some(own) if website_ids.is_empty() || website_ids.iter().any(|id| !own.contains(id)) => {
            Err(admin_error(
                "Your role covers some websites only: name website_ids among them.",
                code::FORBIDDEN,
            ))
        }
        _ => Ok(()),
    }
}

/// The webhook `id`, when the caller's role covers its websites.
async fn visible(ctx: &Context<'_>, id: i32) -> async_graphql::Result<Webhook> {
    let hook = ctx.data::<Services>()?.webhooks.get(id).await.admin()?;
    if require_websites(ctx, &hook.website_ids).is_err() {
        // A webhook beyond the role's websites is not shown to exist.
        return Err(to_admin(Error::not_found("Webhook", id)));
    }
    Ok(hook)
}

/// Fails unless every website of `website_ids` exists.
async fn require_existing_websites(
    services: &Services,
    website_ids: &[i32],
) -> async_graphql::Result<()> {
    let websites = services.stores.websites().await.admin()?;
    match website_ids
        .iter()
        .find(|id| !websites.iter().any(|w| w.id == **id))
    {
        Some(missing) => Err(to_admin(Error::invalid(
            "website_ids",
            format!("Website {missing} does not exist."),
        ))),
        None => Ok(()),
    }
}

/// Queries of webhooks.
#[derive(Default)]
pub(crate) struct WebhookQuery;

#[Object]
impl WebhookQuery {
    /// Every webhook the caller's role covers, oldest first.
    #[graphql(guard = "Needs(&[acl::WEBHOOKS])")]
    async fn webhooks(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<WebhookObject>> {
        let hooks = ctx.data::<Services>()?.webhooks.list().await.admin()?;
        Ok(hooks
            .into_iter()
            .filter(|hook| require_websites(ctx, &hook.website_ids).is_ok())
            .map(Into::into)
            .collect())
    }

    /// One webhook.
    #[graphql(guard = "Needs(&[acl::WEBHOOKS])")]
    async fn webhook(&self, ctx: &Context<'_>, id: i32) -> async_graphql::Result<WebhookObject> {
        Ok(visible(ctx, id).await?.into())
    }

    /// A webhook's deliveries, newest first: `first` (1 to 200; 20 when absent) after the
    /// cursor `after`, of `status` when given.
    #[graphql(guard = "Needs(&[acl::WEBHOOKS])")]
    async fn webhook_deliveries(
        &self,
        ctx: &Context<'_>,
        webhook: i32,
        status: Option<WebhookDeliveryState>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<WebhookDeliveries> {
        visible(ctx, webhook).await?;
        let scope = website_scope(ctx)?;
        let (first, before) = numeric_page(
            first,
            DEFAULT_PAGE,
            MAX_DELIVERIES_PAGE,
            after.as_deref(),
            "deliveries",
        )?;
        let page = ctx
            .data::<Services>()?
            .webhooks
            .deliveries(
                webhook,
                status.map(Into::into),
                scope.as_deref(),
                first,
                before,
            )
            .await
            .admin()?;
        Ok(page.into())
    }
}

/// Changes to webhooks.
#[derive(Default)]
pub(crate) struct WebhookMutation;

#[Object]
impl WebhookMutation {
    /// Creates a webhook; the answer carries its signing secret, shown this once.
    #[graphql(guard = "Needs(&[acl::WEBHOOKS])")]
    async fn create_webhook(
        &self,
        ctx: &Context<'_>,
        input: CreateWebhookInput,
    ) -> async_graphql::Result<WebhookWithSecretOutput> {
        let services = ctx.data::<Services>()?;
        let website_ids = input.website_ids.unwrap_or_default();
        require_websites(ctx, &website_ids)?;
        require_existing_websites(services, &website_ids).await?;
        let (created_by, notify_email) = match actor(ctx)? {
            Actor::Staff { user_id, .. } => {
                let notify_email = match input.notify_email {
                    Some(address) => address,
                    None => services.staff.user(*user_id).await.admin()?.email,
                };
                (Creator::Staff(*user_id), Some(notify_email))
            }
            Actor::Integration { integration_id, .. } => {
                (Creator::Integration(*integration_id), input.notify_email)
            }
        };
        let created = services
            .webhooks
            .create(NewWebhook {
                url: input.url,
                event_types: input.events,
                description: input.description,
                website_ids,
                notify_email,
                created_by,
            })
            .await
            .admin()?;
        Ok(created.into())
    }

    /// Changes a webhook.
    #[graphql(guard = "Needs(&[acl::WEBHOOKS])")]
    async fn update_webhook(
        &self,
        ctx: &Context<'_>,
        id: i32,
        input: UpdateWebhookInput,
    ) -> async_graphql::Result<WebhookObject> {
        visible(ctx, id).await?;
        let services = ctx.data::<Services>()?;
        if let Some(ids) = &input.website_ids {
            require_websites(ctx, ids)?;
            require_existing_websites(services, ids).await?;
        }
        let patch = WebhookPatch {
            url: input.url,
            event_types: input.events,
            description: maybe(input.description),
            website_ids: input.website_ids,
            notify_email: maybe(input.notify_email),
            enabled: input.enabled,
        };
        Ok(services.webhooks.update(id, patch).await.admin()?.into())
    }

    /// Deletes a webhook and its deliveries.
    #[graphql(guard = "Needs(&[acl::WEBHOOKS])")]
    async fn delete_webhook(&self, ctx: &Context<'_>, id: i32) -> async_graphql::Result<bool> {
        visible(ctx, id).await?;
        ctx.data::<Services>()?.webhooks.delete(id).await.admin()?;
        Ok(true)
    }

    /// Gives a webhook a new signing secret, shown this once; the old one keeps signing beside
    /// it for 24 hours, so consumers can switch without missing a delivery.
    #[graphql(guard = "Needs(&[acl::WEBHOOKS])")]
    async fn rotate_webhook_secret(
        &self,
        ctx: &Context<'_>,
        id: i32,
    ) -> async_graphql::Result<WebhookWithSecretOutput> {
        visible(ctx, id).await?;
        let rotated = ctx
            .data::<Services>()?
            .webhooks
            .rotate_secret(id)
            .await
            .admin()?;
        Ok(rotated.into())
    }

    /// Sends an event to a webhook again, with the body it was first sent with; it goes out
    /// after the customer's earlier pending deliveries.
    #[graphql(guard = "Needs(&[acl::WEBHOOKS])")]
    async fn redeliver_webhook_event(
        &self,
        ctx: &Context<'_>,
        webhook_id: i32,
        event_id: ID,
    ) -> async_graphql::Result<WebhookDelivery> {
        visible(ctx, webhook_id).await?;
        let event_id = Uuid::parse_str(&event_id)
            .map_err(|_| to_admin(Error::invalid("event_id", "The event id is not valid.")))?;
        let delivery = ctx
            .data::<Services>()?
            .webhooks
            .redeliver(webhook_id, event_id, website_scope(ctx)?.as_deref())
            .await
            .admin()?;
        Ok(delivery.into())
    }
}

/// A nullable input field as a patch: absent leaves the value, null clears it.
fn maybe(value: MaybeUndefined<String>) -> Option<Option<String>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(v)),
    }
}
