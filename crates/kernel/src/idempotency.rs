//! Idempotency keys: a client that may send a change twice (a retry after a timeout) names the
//! attempt with a key, and every repeat of the same request under that key gets the first
//! answer instead of running again. Keys are per caller (a staff user or an integration) and
//! are kept for a day.
//!
//! A key is claimed before the change runs: a second request with it while the first still runs
//! is told so; one with the same key but a different request is refused. A claim whose first
//! request never finished (the node died, the request timed out) is reported as such after
//! [`STALE_AFTER`], never run again: the change may have committed.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::Result;

/// How long a claim counts as still running; after it, as never finished.
pub const STALE_AFTER: Duration = Duration::minutes(5);

/// How long keys are kept.
pub const KEPT_FOR: Duration = Duration::hours(24);

/// Longest key accepted.
pub const MAX_KEY_LENGTH: usize = 255;

mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "idempotency_keys")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub caller: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub key: String,
        pub fingerprint: String,
        pub status: Option<i32>,
        pub response: Option<String>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

use entity::{ActiveModel, Column, Entity};

/// What a claim found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key is this request's: run it, then [`complete`] or [`release`].
    Fresh,
    /// The same request already ran: answer with its response.
    Replay {
        /// HTTP status of the first answer.
        status: u16,
        /// Its body.
        body: String,
    },
    /// The first request with this key is still running.
    InProgress,
    /// The first request with this key never finished: its outcome is unknown.
    Unfinished,
    /// The key was used for a different request.
    Mismatch,
}

/// Whether `key` is acceptable: 1 to [`MAX_KEY_LENGTH`] visible ASCII characters.
pub fn is_valid_key(key: &str) -> bool {
    !key.is_empty() && key.len() <= MAX_KEY_LENGTH && key.bytes().all(|b| b.is_ascii_graphic())
}

/// Claims `key` of `caller` for the request whose `fingerprint` is given.
pub async fn claim(
    db: &impl ConnectionTrait,
    caller: &str,
    key: &str,
    fingerprint: &str,
    now: DateTime<Utc>,
) -> Result<Claim> {
    let inserted = Entity::insert(ActiveModel {
        caller: Set(caller.to_owned()),
        key: Set(key.to_owned()),
        fingerprint: Set(fingerprint.to_owned()),
        status: Set(None),
        response: Set(None),
        created_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([Column::Caller, Column::Key])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    if inserted == 1 {
        return Ok(Claim::Fresh);
    }
    let Some(found) = Entity::find_by_id((caller.to_owned(), key.to_owned()))
        .one(db)
        .await?
    else {
        // Purged in between: nothing stands in the way of a new claim.
        return Box::pin(claim(db, caller, key, fingerprint, now)).await;
    };
    if found.fingerprint != fingerprint {
        return Ok(Claim::Mismatch);
    }
    if let (Some(status), Some(body)) = (found.status, found.response) {
        return Ok(Claim::Replay {
            status: u16::try_from(status).unwrap_or(200),
            body,
        });
    }
    if now - found.created_at < STALE_AFTER {
        Ok(Claim::InProgress)
    } else {
        Ok(Claim::Unfinished)
    }
}

/// Records the answer of a claimed request, for its repeats.
pub async fn complete(
    db: &impl ConnectionTrait,
    caller: &str,
    key: &str,
    status: u16,
    body: &str,
) -> Result<()> {
    Entity::update_many()
        .col_expr(Column::Status, Some(i32::from(status)).into())
        .col_expr(Column::Response, Some(body.to_owned()).into())
        .filter(Column::Caller.eq(caller))
        .filter(Column::Key.eq(key))
        .exec(db)
        .await?;
    Ok(())
}

/// Gives a claimed key back when its request did not reach a final answer (the database was
/// unreachable, say), so that a retry runs it.
pub async fn release(db: &impl ConnectionTrait, caller: &str, key: &str) -> Result<()> {
    Entity::delete_many()
        .filter(Column::Caller.eq(caller))
        .filter(Column::Key.eq(key))
        .filter(Column::Response.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Drops keys older than [`KEPT_FOR`]; how many.
pub async fn purge(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64> {
    Ok(Entity::delete_many()
        .filter(Column::CreatedAt.lt(now - KEPT_FOR))
        .exec(db)
        .await?
        .rows_affected)
}

/// The stored answers' share of a person's data: an answer kept for replay (a created account,
/// say) may show their address. Answers naming any of the person's addresses are forgotten; a
/// retry of that request is then run again or refused as unfinished, never answered with them.
pub struct StoredAnswers;

#[async_trait::async_trait]
impl crate::personal_data::PersonalData for StoredAnswers {
    fn section(&self) -> &'static str {
        "idempotency_keys"
    }

    /// Stored answers are copies of what other sections hold.
    async fn export(
        &self,
        _txn: &sea_orm::DatabaseTransaction,
        _subject: &crate::personal_data::DataSubject,
    ) -> Result<Option<serde_json::Value>> {
        Ok(None)
    }

    async fn erase(
        &self,
        txn: &sea_orm::DatabaseTransaction,
        subject: &crate::personal_data::DataSubject,
    ) -> Result<()> {
        use sea_orm::sea_query::{Expr, ExprTrait, Func};
        for email in &subject.emails {
            Entity::delete_many()
                .filter(
                    Expr::expr(Func::lower(Expr::col(Column::Response))).like(format!("%{email}%")),
                )
                .exec(txn)
                .await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_visible_ascii_of_bounded_length() {
        assert!(is_valid_key("order-2026-12-05/7"));
        assert!(!is_valid_key(""));
        assert!(!is_valid_key("with space"));
        assert!(!is_valid_key(&"k".repeat(256)));
        assert!(!is_valid_key("clé"));
    }
}
