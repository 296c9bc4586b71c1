//! The outbox: messages written with the change that causes them, then claimed, sent and marked by
//! a worker.

use chrono::{DateTime, Duration, Utc};
use clientele_kernel::Result;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use serde::Serialize;

use crate::entity::outbox;
use crate::templates::{TemplateCode, render};

/// Where a message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxStatus {
    /// Waiting to be sent (or to be retried).
    Pending,
    /// Handed to the transport.
    Sent,
    /// Given up after the last attempt.
    Failed,
}

/// A message of the outbox, without its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    /// Id.
    pub id: i64,
    /// Template code.
    pub template: String,
    /// Store view it was rendered for.
    pub store_id: i32,
    /// Recipient address.
    pub recipient: String,
    /// Subject.
    pub subject: String,
    /// Status.
    pub status: OutboxStatus,
    /// Attempts so far.
    pub attempts: i32,
    /// The last transport error.
    pub last_error: Option<String>,
    /// Written at.
    pub created_at: DateTime<Utc>,
    /// Sent at.
    pub sent_at: Option<DateTime<Utc>>,
}

impl From<outbox::Model> for OutboxEntry {
    fn from(m: outbox::Model) -> Self {
        let status = if m.sent_at.is_some() {
            OutboxStatus::Sent
        } else if m.failed_at.is_some() {
            OutboxStatus::Failed
        } else {
            OutboxStatus::Pending
        };
        Self {
            id: m.id,
            template: m.template,
            store_id: m.store_id,
            recipient: m.recipient,
            subject: m.subject,
            status,
            attempts: m.attempts,
            last_error: m.last_error,
            created_at: m.created_at,
            sent_at: m.sent_at,
        }
    }
}

/// Renders `code` for the store view and writes it to the outbox on `db` (the caller's
/// transaction), so the email exists exactly when the change that causes it commits; it is due
/// at `now`, the time of that change.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    code: TemplateCode,
    store_id: i32,
    recipient: &str,
    vars: &impl Serialize,
    now: DateTime<Utc>,
) -> Result<()> {
    let (subject, body) = render(db, code, store_id, vars).await?;
    outbox::Entity::insert(outbox::ActiveModel {
        template: Set(code.code().to_owned()),
        store_id: Set(store_id),
        recipient: Set(recipient.to_owned()),
        subject: Set(subject),
        body: Set(Some(body)),
        attempts: Set(0),
        next_attempt_at: Set(now),
        created_at: Set(now),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    tracing::info!(template = code.code(), store_id, "email queued");
    Ok(())
}

/// The newest outbox messages, newest first (bodies are not shown).
pub async fn outbox_entries(db: &DatabaseConnection, limit: u64) -> Result<Vec<OutboxEntry>> {
    Ok(outbox::Entity::find()
        .order_by_desc(outbox::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}

/// Claims up to `limit` due messages for `lease`: a message under lease is not claimed again, so
/// several workers (one per API node) never send it at the same time.
pub(crate) async fn claim(
    db: &DatabaseConnection,
    limit: u64,
    lease: Duration,
    now: DateTime<Utc>,
) -> Result<Vec<outbox::Model>> {
    let due = outbox::Entity::find()
        .select_only()
        .column(outbox::Column::Id)
        .filter(outbox::Column::SentAt.is_null())
        .filter(outbox::Column::FailedAt.is_null())
        .filter(outbox::Column::NextAttemptAt.lte(now))
        .filter(
            outbox::Column::LeaseUntil
                .is_null()
                .or(outbox::Column::LeaseUntil.lt(now)),
        )
        .order_by_asc(outbox::Column::Id)
        .limit(limit)
        .into_tuple::<i64>()
        .all(db)
        .await?;
    let mut claimed = Vec::with_capacity(due.len());
    for id in due {
        // The lease is taken by a conditional update: of two workers racing for a message, only
        // the one whose update still finds it unleased gets it.
        let taken = outbox::Entity::update_many()
            .col_expr(outbox::Column::LeaseUntil, Expr::value(Some(now + lease)))
            .col_expr(
                outbox::Column::Attempts,
                Expr::col(outbox::Column::Attempts).add(1),
            )
            .filter(outbox::Column::Id.eq(id))
            .filter(outbox::Column::SentAt.is_null())
            .filter(outbox::Column::FailedAt.is_null())
            .filter(outbox::Column::NextAttemptAt.lte(now))
            .filter(
                outbox::Column::LeaseUntil
                    .is_null()
                    .or(outbox::Column::LeaseUntil.lt(now)),
            )
            .exec(db)
            .await?
            .rows_affected
            == 1;
        if taken && let Some(row) = outbox::Entity::find_by_id(id).one(db).await? {
            claimed.push(row);
        }
    }
    Ok(claimed)
}

/// The claim of `row` still holds: a worker whose lease ran out (and whose message another worker
/// may have claimed since) must not mark what it no longer owns.
fn still_leased(row: &outbox::Model) -> Condition {
    let lease = match row.lease_until {
        Some(until) => outbox::Column::LeaseUntil.eq(until),
        None => outbox::Column::LeaseUntil.is_null(),
    };
    Condition::all()
        .add(outbox::Column::Id.eq(row.id))
        .add(lease)
}

/// Marks a claimed message sent at `now` and drops its body (it may hold a one-time link).
/// `false` when the lease was lost meanwhile.
pub(crate) async fn mark_sent(
    db: &DatabaseConnection,
    row: &outbox::Model,
    now: DateTime<Utc>,
) -> Result<bool> {
    let marked = outbox::Entity::update_many()
        .col_expr(outbox::Column::SentAt, Expr::value(Some(now)))
        .col_expr(outbox::Column::Body, Expr::value(Option::<String>::None))
        .col_expr(
            outbox::Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(still_leased(row))
        .exec(db)
        .await?;
    Ok(marked.rows_affected == 1)
}

/// Records a failed attempt of a claimed message: retried after `retry_in`, or given up (and the
/// body dropped) when `give_up`. `false` when the lease was lost meanwhile.
pub(crate) async fn mark_failed(
    db: &DatabaseConnection,
    row: &outbox::Model,
    error: &str,
    retry_in: Duration,
    give_up: bool,
    now: DateTime<Utc>,
) -> Result<bool> {
    let mut update = outbox::Entity::update_many()
        .col_expr(
            outbox::Column::LastError,
            Expr::value(Some(error.to_owned())),
        )
        .col_expr(outbox::Column::NextAttemptAt, Expr::value(now + retry_in))
        .col_expr(
            outbox::Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        );
    if give_up {
        update = update
            .col_expr(outbox::Column::FailedAt, Expr::value(Some(now)))
            .col_expr(outbox::Column::Body, Expr::value(Option::<String>::None));
    }
    let marked = update.filter(still_leased(row)).exec(db).await?;
    Ok(marked.rows_affected == 1)
}
