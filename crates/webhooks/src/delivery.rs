//! The delivery queue: claiming due deliveries under leases (the oldest pending delivery of each
//! webhook and customer only, so a customer's events reach a webhook in order), and recording
//! each attempt's outcome: success, a retry after exponential backoff with jitter, giving up
//! after three days, and disabling a webhook that answers 410 Gone or fails for five days.

use chrono::{DateTime, Duration, Utc};
use clientele_kernel::Result;
use clientele_kernel::db::begin_write;
use clientele_mail::{TemplateCode, enqueue};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::{
    Alias, Expr, ExprTrait, LockBehavior, LockType, Order, Query, SelectStatement,
};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
};
use serde_json::json;

use crate::entity::{delivery, webhook};
use crate::model::{DeliveryStatus, WebhookStatus};

/// How long a delivery is retried before it is given up.
pub const GIVE_UP_AFTER: Duration = Duration::days(3);

/// How long a webhook may fail without a success before it is disabled.
pub const DISABLE_AFTER: Duration = Duration::days(5);

/// The wait after the first failed attempt; doubled for each further one.
const FIRST_RETRY: Duration = Duration::seconds(10);

/// The longest wait between two attempts.
const LONGEST_RETRY: Duration = Duration::hours(6);

/// The start of a response body kept with its delivery.
pub(crate) const KEPT_RESPONSE_BYTES: usize = 1_000;

/// The event a delivery carries: what its row repeats of it.
pub(crate) struct Carried {
    /// The event's id.
    pub event_id: uuid::Uuid,
    /// Its type.
    pub event_type: String,
    /// Its customer (0: none).
    pub customer_id: i32,
    /// The customer's website.
    pub website_id: Option<i32>,
    /// When it happened.
    pub occurred_at: DateTime<Utc>,
    /// The JSON body posted.
    pub body: String,
}

/// A new pending delivery of `event` for webhook `webhook_id`, due at `now`.
pub(crate) fn pending(
    webhook_id: i32,
    event: Carried,
    now: DateTime<Utc>,
) -> delivery::ActiveModel {
    delivery::ActiveModel {
        id: NotSet,
        webhook_id: Set(webhook_id),
        event_id: Set(event.event_id),
        event_type: Set(event.event_type),
        customer_id: Set(event.customer_id),
        website_id: Set(event.website_id),
        occurred_at: Set(event.occurred_at),
        body: Set(event.body),
        status: Set(DeliveryStatus::Pending.stored().to_owned()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        lease_until: Set(None),
        created_at: Set(now),
        last_attempt_at: Set(None),
        last_response_status: Set(None),
        last_response_body: Set(None),
        last_duration_ms: Set(None),
        last_error: Set(None),
        completed_at: Set(None),
    }
}

/// The due deliveries a claim may take: pending, due, not leased, of an enabled webhook, and
/// the oldest pending delivery of their webhook and customer.
fn eligible(limit: u64, now: DateTime<Utc>) -> SelectStatement {
    use delivery::Column as D;
    let earlier = Alias::new("earlier");
    let enabled = Query::select()
        .column(webhook::Column::Id)
        .from(webhook::Entity)
        .and_where(Expr::col(webhook::Column::Status).eq(WebhookStatus::Enabled.stored()))
        .to_owned();
    let earlier_pending = Query::select()
        .expr(Expr::val(1))
        .from_as(delivery::Entity, earlier.clone())
        .and_where(
            Expr::col((earlier.clone(), D::WebhookId)).equals((delivery::Entity, D::WebhookId)),
        )
        .and_where(
            Expr::col((earlier.clone(), D::CustomerId)).equals((delivery::Entity, D::CustomerId)),
        )
        .and_where(Expr::col((earlier.clone(), D::Status)).eq(DeliveryStatus::Pending.stored()))
        .and_where(Expr::col((earlier, D::Id)).lt(Expr::col((delivery::Entity, D::Id))))
        .to_owned();
    Query::select()
        .column((delivery::Entity, D::Id))
        .from(delivery::Entity)
        .and_where(Expr::col((delivery::Entity, D::Status)).eq(DeliveryStatus::Pending.stored()))
        .and_where(Expr::col((delivery::Entity, D::NextAttemptAt)).lte(now))
        .cond_where(
            Condition::any()
                .add(Expr::col((delivery::Entity, D::LeaseUntil)).is_null())
                .add(Expr::col((delivery::Entity, D::LeaseUntil)).lt(now)),
        )
        .and_where(Expr::col((delivery::Entity, D::WebhookId)).in_subquery(enabled))
        .and_where(Expr::exists(earlier_pending).not())
        // The order they fell due, which the due index holds: a claim reads as many rows as it
        // takes, not every one that waits. Each customer's order is the rule above's.
        .order_by((delivery::Entity, D::NextAttemptAt), Order::Asc)
        .order_by((delivery::Entity, D::Id), Order::Asc)
        .limit(limit)
        // Rows another node is claiming are passed over, not waited for (SQLite, with one
        // writer at a time, has no row locks and needs none).
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .to_owned()
}

/// Claims up to `limit` due deliveries for `lease`, counting the attempt; oldest first.
pub(crate) async fn claim(
    db: &DatabaseConnection,
    limit: u64,
    lease: Duration,
    now: DateTime<Utc>,
) -> Result<Vec<delivery::Model>> {
    // A claimed delivery falls due again when its lease ends (should its node stop), so claims
    // meanwhile pass it by in the due index's order instead of reading it again.
    let mut claimed = delivery::Entity::update_many()
        .col_expr(delivery::Column::LeaseUntil, Expr::value(Some(now + lease)))
        .col_expr(delivery::Column::NextAttemptAt, Expr::value(now + lease))
        .col_expr(
            delivery::Column::Attempts,
            Expr::col(delivery::Column::Attempts).add(1),
        )
        .filter(delivery::Column::Id.in_subquery(eligible(limit, now)))
        .exec_with_returning(db)
        .await?;
    claimed.sort_by_key(|row| row.id);
    Ok(claimed)
}

/// What one attempt came to.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Attempt {
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// How long it took.
    pub duration_ms: i32,
    /// The response's status, when one came.
    pub response_status: Option<u16>,
    /// The start of the response's body.
    pub response_body: Option<String>,
    /// Why no response came.
    pub error: Option<String>,
}

impl Attempt {
    /// An attempt that got no response: refused before sending, or failed on the way.
    pub fn unanswered(started_at: DateTime<Utc>, duration_ms: i32, error: String) -> Self {
        Self {
            started_at,
            duration_ms,
            response_status: None,
            response_body: None,
            error: Some(error),
        }
    }

    fn succeeded(&self) -> bool {
        self.response_status
            .is_some_and(|status| (200..300).contains(&status))
    }

    fn gone(&self) -> bool {
        self.response_status == Some(410)
    }
}

/// The wait before the next attempt after `attempts` failed ones: doubling from 10 seconds up
/// to 6 hours, spread by `jitter` (0 to 1) over ±25% so failing consumers are not hit in step.
pub(crate) fn retry_delay(attempts: i32, jitter: f64) -> Duration {
    let doublings = u32::try_from(attempts.saturating_sub(1))
        .unwrap_or(0)
        .clamp(0, 16);
    let base = std::cmp::min(FIRST_RETRY * 2_i32.pow(doublings), LONGEST_RETRY);
    let factor = 0.75 + 0.5 * jitter.clamp(0.0, 1.0);
    Duration::milliseconds((base.num_milliseconds() as f64 * factor) as i64)
}

/// How a recorded attempt left things.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Recorded {
    /// Delivered.
    Succeeded,
    /// Failed; another attempt is due later.
    Retrying,
    /// Failed for good.
    GivenUp,
    /// The lease ran out before the outcome was recorded; another node owns the delivery now.
    LeaseLost,
}

/// Records the attempt on claimed delivery `row` at `now`, with its webhook's health: a success clears its failure record; a failure starts it, and disables the webhook
/// (with a notice by email) after five days or at once on 410 Gone.
pub(crate) async fn record_attempt(
    db: &DatabaseConnection,
    row: &delivery::Model,
    attempt: &Attempt,
    jitter: f64,
    now: DateTime<Utc>,
) -> Result<Recorded> {
    let txn = begin_write(db).await?;
    let retry_at = now + retry_delay(row.attempts, jitter);
    let outcome = if attempt.succeeded() {
        Recorded::Succeeded
    } else if attempt.gone()
        || now + retry_delay(row.attempts, jitter) - row.created_at > GIVE_UP_AFTER
    {
        Recorded::GivenUp
    } else {
        Recorded::Retrying
    };
    let mut update = delivery::Entity::update_many()
        .col_expr(
            delivery::Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            delivery::Column::LastAttemptAt,
            Expr::value(Some(attempt.started_at)),
        )
        .col_expr(
            delivery::Column::LastResponseStatus,
            Expr::value(attempt.response_status.map(i32::from)),
        )
        .col_expr(
            delivery::Column::LastResponseBody,
            Expr::value(attempt.response_body.clone()),
        )
        .col_expr(
            delivery::Column::LastDurationMs,
            Expr::value(Some(attempt.duration_ms)),
        )
        .col_expr(
            delivery::Column::LastError,
            Expr::value(attempt.error.clone()),
        );
    update = match outcome {
        Recorded::Succeeded => update
            .col_expr(
                delivery::Column::Status,
                Expr::value(DeliveryStatus::Succeeded.stored()),
            )
            .col_expr(delivery::Column::CompletedAt, Expr::value(Some(now))),
        Recorded::GivenUp => update
            .col_expr(
                delivery::Column::Status,
                Expr::value(DeliveryStatus::Failed.stored()),
            )
            .col_expr(delivery::Column::CompletedAt, Expr::value(Some(now))),
        _ => update.col_expr(delivery::Column::NextAttemptAt, Expr::value(retry_at)),
    };
    let lease = match row.lease_until {
        Some(until) => delivery::Column::LeaseUntil.eq(until),
        None => delivery::Column::LeaseUntil.is_null(),
    };
    let marked = update
        .filter(delivery::Column::Id.eq(row.id))
        .filter(lease)
        .exec(&txn)
        .await?;
    if marked.rows_affected != 1 {
        return Ok(Recorded::LeaseLost);
    }
    if outcome == Recorded::Retrying {
        // The customer's later deliveries wait for this one: they fall due with its retry, so
        // claims do not read them over and over meanwhile.
        delivery::Entity::update_many()
            .col_expr(delivery::Column::NextAttemptAt, Expr::value(retry_at))
            .filter(delivery::Column::WebhookId.eq(row.webhook_id))
            .filter(delivery::Column::CustomerId.eq(row.customer_id))
            .filter(delivery::Column::Status.eq(DeliveryStatus::Pending.stored()))
            .filter(delivery::Column::Id.gt(row.id))
            .filter(delivery::Column::NextAttemptAt.lt(retry_at))
            .exec(&txn)
            .await?;
    }
    // The webhook's failure record is read and written here, not taken from the claim: other
    // nodes record attempts of the same webhook meanwhile. Clearing an absent record writes
    // nothing.
    if outcome == Recorded::Succeeded {
        webhook::Entity::update_many()
            .col_expr(
                webhook::Column::FailingSince,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .filter(webhook::Column::Id.eq(row.webhook_id))
            .filter(webhook::Column::FailingSince.is_not_null())
            .exec(&txn)
            .await?;
    } else if attempt.gone() {
        disable(
            &txn,
            row.webhook_id,
            "The endpoint answered 410 Gone.",
            None,
            now,
        )
        .await?;
    } else {
        webhook::Entity::update_many()
            .col_expr(webhook::Column::FailingSince, Expr::value(Some(now)))
            .filter(webhook::Column::Id.eq(row.webhook_id))
            .filter(webhook::Column::FailingSince.is_null())
            .exec(&txn)
            .await?;
        disable(
            &txn,
            row.webhook_id,
            "Its deliveries failed for five days without a success.",
            Some(now - DISABLE_AFTER),
            now,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(outcome)
}

/// When the pending deliveries of a disabled webhook fall due: so far ahead that claims never
/// reach them in the due index until the webhook is enabled again.
const PARKED: Duration = Duration::days(365 * 100);

/// Parks the pending deliveries of webhook `webhook_id` (disabled at `now`), or, with
/// `resume`, makes them due at `now` (enabled again).
pub(crate) async fn park(
    txn: &impl ConnectionTrait,
    webhook_id: i32,
    resume: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    let due = if resume { now } else { now + PARKED };
    delivery::Entity::update_many()
        .col_expr(delivery::Column::NextAttemptAt, Expr::value(due))
        .filter(delivery::Column::WebhookId.eq(webhook_id))
        .filter(delivery::Column::Status.eq(DeliveryStatus::Pending.stored()))
        .exec(txn)
        .await?;
    Ok(())
}

/// Disables an enabled webhook for `reason` (only when it has been failing since
/// `failing_before` or earlier, when given) and, when it names a notice address, writes the
/// notice to the outbox in the same transaction.
async fn disable(
    txn: &impl ConnectionTrait,
    webhook_id: i32,
    reason: &str,
    failing_before: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<()> {
    let mut disabling = webhook::Entity::update_many()
        .col_expr(
            webhook::Column::Status,
            Expr::value(WebhookStatus::Disabled.stored()),
        )
        .col_expr(webhook::Column::DisabledReason, Expr::value(Some(reason)))
        .col_expr(webhook::Column::DisabledAt, Expr::value(Some(now)))
        .col_expr(webhook::Column::UpdatedAt, Expr::value(now))
        .filter(webhook::Column::Id.eq(webhook_id))
        .filter(webhook::Column::Status.eq(WebhookStatus::Enabled.stored()));
    if let Some(since) = failing_before {
        disabling = disabling.filter(webhook::Column::FailingSince.lte(since));
    }
    let disabled = disabling.exec_with_returning(txn).await?;
    let Some(hook) = disabled.into_iter().next() else {
        return Ok(());
    };
    tracing::warn!(webhook_id, reason, "webhook disabled");
    park(txn, webhook_id, false, now).await?;
    match &hook.notify_email {
        Some(address) => {
            let vars = json!({
                "webhook": {"id": hook.id, "url": hook.url, "description": hook.description},
                "reason": reason,
            });
            enqueue(txn, TemplateCode::WebhookDisabled, 0, address, &vars, now).await?;
        }
        None => tracing::warn!(webhook_id, "a disabled webhook has no notice address"),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_exponentially_within_a_ceiling_spread_by_jitter() {
        assert_eq!(retry_delay(1, 0.5), Duration::seconds(10));
        assert_eq!(retry_delay(2, 0.5), Duration::seconds(20));
        assert_eq!(retry_delay(4, 0.5), Duration::seconds(80));
        assert_eq!(retry_delay(40, 0.5), LONGEST_RETRY);
        assert_eq!(retry_delay(1, 0.0), Duration::milliseconds(7_500));
        assert_eq!(retry_delay(1, 1.0), Duration::milliseconds(12_500));
        let attempts_in_three_days = (1..)
            .scan(Duration::zero(), |waited, n| {
                *waited += retry_delay(n, 0.5);
                (*waited <= GIVE_UP_AFTER).then_some(n)
            })
            .count();
        assert!(
            (15..30).contains(&attempts_in_three_days),
            "{attempts_in_three_days}"
        );
    }
}
