//! A customer's timeline on the admin API: `Customer.timeline`, the events of that customer,
//! newest first, with who made each change; and `webhookEventTypes`' catalogue of event types.

use async_graphql::{Enum, ID, Json, SimpleObject};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use clientele_events::{Event, EventType, MAX_TIMELINE_PAGE, TimelinePage};
use clientele_kernel::Error;
use clientele_kernel::acting::Actor;
use uuid::Uuid;

use clientele_staff::acl;

use super::error::to_admin;
use super::guard::Needs;

/// Who made a change.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub(crate) enum EventActorType {
    /// A staff user on the admin API.
    Staff,
    /// A script with an integration token.
    Integration,
    /// The shopper on the storefront (signed in, or not yet: registering, asking for a link).
    Customer,
    /// A staff user acting as the shopper in a Login as Customer session.
    Assisted,
    /// A row of an import file.
    Import,
    /// Clientele itself: workers, schedules, commands.
    System,
}

/// Who made a change, with the ids that name them.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct EventActor {
    /// The kind of actor.
    #[graphql(name = "type")]
    kind: EventActorType,
    /// The staff user (STAFF, ASSISTED).
    staff_user_id: Option<i32>,
    /// The integration (INTEGRATION).
    integration_id: Option<i32>,
    /// The shopper (CUSTOMER when signed in, ASSISTED).
    customer_id: Option<i32>,
    /// The import job (IMPORT through the API).
    import_job_id: Option<String>,
    /// The import file: `customer` or `customer_address` (IMPORT).
    import_file: Option<String>,
    /// The file's line (IMPORT; the header is line 1).
    import_row: Option<u64>,
}

impl From<Actor> for EventActor {
    fn from(actor: Actor) -> Self {
        let mut shown = Self {
            kind: EventActorType::System,
            staff_user_id: None,
            integration_id: None,
            customer_id: None,
            import_job_id: None,
            import_file: None,
            import_row: None,
        };
        match actor {
            Actor::Staff { staff_user_id } => {
                shown.kind = EventActorType::Staff;
                shown.staff_user_id = Some(staff_user_id);
            }
            Actor::Integration { integration_id } => {
                shown.kind = EventActorType::Integration;
                shown.integration_id = Some(integration_id);
            }
            Actor::Customer { customer_id } => {
                shown.kind = EventActorType::Customer;
                shown.customer_id = customer_id;
            }
            Actor::Assisted {
                customer_id,
                staff_user_id,
            } => {
                shown.kind = EventActorType::Assisted;
                shown.customer_id = Some(customer_id);
                shown.staff_user_id = Some(staff_user_id);
            }
            Actor::Import { job_id, file, row } => {
                shown.kind = EventActorType::Import;
                shown.import_job_id = job_id;
                shown.import_file = Some(file);
                shown.import_row = Some(row);
            }
            Actor::System => {}
        }
        shown
    }
}

/// One field's change.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct EventFieldChange {
    /// The field, as the record names it (`firstname`, `group_id`).
    field: String,
    /// The value before (null: none).
    old_value: Json<serde_json::Value>,
    /// The value after (null: none).
    new_value: Json<serde_json::Value>,
}

/// Something that happened to a customer, as webhooks deliver it.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct CustomerEvent {
    /// The event id (a UUID v7, the `webhook-id` of its deliveries).
    id: ID,
    /// What happened, such as `customer.updated` (see `webhookEventTypes`).
    #[graphql(name = "type")]
    event_type: String,
    /// When it happened.
    occurred_at: DateTime<Utc>,
    /// The customer.
    customer_id: Option<i32>,
    /// The customer's website.
    website_id: Option<i32>,
    /// Who made the change.
    actor: EventActor,
    /// The fields that changed (secrets never appear).
    changes: Vec<EventFieldChange>,
    /// Ids and facts besides the changes, such as `address_id`.
    data: Json<serde_json::Value>,
    /// The `X-Request-Id` of the request that made the change.
    request_id: Option<String>,
}

impl From<Event> for CustomerEvent {
    fn from(event: Event) -> Self {
        Self {
            id: ID(event.id.to_string()),
            event_type: event.event_type,
            occurred_at: event.occurred_at,
            customer_id: event.customer_id,
            website_id: event.website_id,
            actor: event.actor.into(),
            changes: event
                .changes
                .into_iter()
                .map(|change| EventFieldChange {
                    field: change.field,
                    old_value: Json(change.old),
                    new_value: Json(change.new),
                })
                .collect(),
            data: Json(serde_json::Value::Object(event.data)),
            request_id: event.request_id,
        }
    }
}

/// Paging facts of a list read by cursor.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct CursorPageInfo {
    /// Whether more items follow.
    has_next_page: bool,
    /// Pass as `after` to read the next page; null when there is none.
    end_cursor: Option<String>,
}

impl CursorPageInfo {
    /// A page after which `end_cursor` continues (`None`: the last page).
    pub(crate) fn new(end_cursor: Option<String>) -> Self {
        Self {
            has_next_page: end_cursor.is_some(),
            end_cursor,
        }
    }
}

/// The paging arguments of a list read newest first by a numeric cursor: the page size (`first`,
/// `default` when absent, 1 to `max`) and the id the page continues below (`after`). `items`
/// names the things listed in the error (`lines`, `deliveries`).
pub(crate) fn numeric_page(
    first: Option<i32>,
    default: i32,
    max: u64,
    after: Option<&str>,
    items: &str,
) -> async_graphql::Result<(u64, Option<i64>)> {
    let first = u64::try_from(first.unwrap_or(default))
        .ok()
        .filter(|n| (1..=max).contains(n))
        .ok_or_else(|| {
            to_admin(Error::invalid(
                "first",
                format!("Ask for 1 to {max} {items}."),
            ))
        })?;
    let before = after
        .map(|cursor| {
            cursor
                .parse::<i64>()
                .map_err(|_| to_admin(Error::invalid("after", "The cursor is not valid.")))
        })
        .transpose()?;
    Ok((first, before))
}

/// A page of a customer's timeline.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct CustomerTimeline {
    /// Events of this page, newest first.
    items: Vec<CustomerEvent>,
    /// Paging facts.
    page_info: CursorPageInfo,
}

impl From<TimelinePage> for CustomerTimeline {
    fn from(page: TimelinePage) -> Self {
        let end_cursor = match (page.has_older, page.events.last()) {
            (true, Some(last)) => Some(URL_SAFE_NO_PAD.encode(last.id.as_bytes())),
            _ => None,
        };
        Self {
            items: page.events.into_iter().map(Into::into).collect(),
            page_info: CursorPageInfo::new(end_cursor),
        }
    }
}

/// The event a timeline cursor continues after.
pub(crate) fn decode_cursor(cursor: &str) -> async_graphql::Result<Uuid> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| Uuid::from_slice(&bytes).ok())
        .ok_or_else(|| to_admin(Error::invalid("after", "The cursor is not valid.")))
}

/// The event types named by `types`, refusing unknown names.
pub(crate) fn event_types(types: &[String]) -> async_graphql::Result<Vec<EventType>> {
    types
        .iter()
        .map(|name| {
            EventType::from_name(name).ok_or_else(|| {
                to_admin(Error::invalid(
                    "types",
                    format!("\"{name}\" is not an event type. See webhookEventTypes."),
                ))
            })
        })
        .collect()
}

/// Events on a timeline page when the caller does not say.
pub(crate) const DEFAULT_TIMELINE_PAGE: i32 = 20;

/// The page size asked for, within the timeline's limit.
pub(crate) fn timeline_page_size(first: i32) -> async_graphql::Result<u64> {
    u64::try_from(first)
        .ok()
        .filter(|n| (1..=MAX_TIMELINE_PAGE).contains(n))
        .ok_or_else(|| {
            to_admin(Error::invalid(
                "first",
                format!("Ask for 1 to {MAX_TIMELINE_PAGE} events."),
            ))
        })
}

/// An event type of the catalogue.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct WebhookEventType {
    /// The name webhooks subscribe to, such as `customer.created`.
    name: String,
    /// What it means.
    description: String,
}

/// Every event type, in catalogue order.
pub(crate) fn catalogue() -> Vec<WebhookEventType> {
    EventType::ALL
        .iter()
        .map(|kind| WebhookEventType {
            name: kind.name().to_owned(),
            description: kind.description().to_owned(),
        })
        .collect()
}

/// Queries about events.
#[derive(Default)]
pub(crate) struct EventQuery;

#[async_graphql::Object]
impl EventQuery {
    /// Every event type a webhook can subscribe to and a timeline can be filtered by.
    #[graphql(guard = "Needs(&[acl::CUSTOMER_TIMELINE, acl::WEBHOOKS])")]
    async fn webhook_event_types(&self) -> Vec<WebhookEventType> {
        catalogue()
    }
}
