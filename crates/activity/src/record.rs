//! The sign-in record of a customer: last sign-in, sign-out and activity, one row per customer.

use chrono::{DateTime, Duration, Utc};
use clientele_kernel::Result;
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;

use crate::entity::sign_in_log;

/// When a customer last signed in, signed out and was active; all `None` for never.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SignInRecord {
    /// Last sign-in.
    pub last_signed_in_at: Option<DateTime<Utc>>,
    /// Last sign-out.
    pub last_signed_out_at: Option<DateTime<Utc>>,
    /// Last activity.
    pub last_active_at: Option<DateTime<Utc>>,
}

impl SignInRecord {
    /// Whether the customer counts as online: active within `interval` and not signed out since.
    pub fn is_online(&self, now: DateTime<Utc>, interval: Duration) -> bool {
        match self.last_active_at {
            Some(active) => {
                active > now - interval && self.last_signed_out_at.is_none_or(|out| out < active)
            }
            None => false,
        }
    }
}

/// Records a sign-in at `at`, which is also the customer's latest activity, as part of the
/// transaction `db` (the sign-in's own).
pub async fn record_sign_in(
    db: &impl ConnectionTrait,
    customer_id: i32,
    at: DateTime<Utc>,
) -> Result<()> {
    upsert_log(
        db,
        sign_in_log::ActiveModel {
            customer_id: Set(customer_id),
            last_login_at: Set(Some(at)),
            last_activity_at: Set(Some(at)),
            ..Default::default()
        },
        &[
            sign_in_log::Column::LastLoginAt,
            sign_in_log::Column::LastActivityAt,
        ],
    )
    .await
}

/// Records a sign-out at `at`, as part of the transaction `db` that ends the sessions.
pub async fn record_sign_out(
    db: &impl ConnectionTrait,
    customer_id: i32,
    at: DateTime<Utc>,
) -> Result<()> {
    upsert_log(
        db,
        sign_in_log::ActiveModel {
            customer_id: Set(customer_id),
            last_logout_at: Set(Some(at)),
            ..Default::default()
        },
        &[sign_in_log::Column::LastLogoutAt],
    )
    .await
}

/// Writes the given columns of a customer's sign-in record, creating the record when missing.
async fn upsert_log(
    db: &impl ConnectionTrait,
    row: sign_in_log::ActiveModel,
    columns: &[sign_in_log::Column],
) -> Result<()> {
    sign_in_log::Entity::insert(row)
        .on_conflict(
            OnConflict::column(sign_in_log::Column::CustomerId)
                .update_columns(columns.iter().copied())
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// The sign-in records of `ids`, a thousand per query; customers who never signed in are left
/// out.
pub(crate) async fn sign_in_records(
    db: &impl ConnectionTrait,
    ids: &[i32],
) -> Result<HashMap<i32, SignInRecord>> {
    let mut records = HashMap::new();
    for chunk in ids.chunks(1000) {
        for row in sign_in_log::Entity::find()
            .filter(sign_in_log::Column::CustomerId.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            records.insert(
                row.customer_id,
                SignInRecord {
                    last_signed_in_at: row.last_login_at,
                    last_signed_out_at: row.last_logout_at,
                    last_active_at: row.last_activity_at,
                },
            );
        }
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn online_means_active_within_the_interval_and_not_signed_out_since() {
        let now = DateTime::<Utc>::from_timestamp(1_800_000_000, 0).expect("instant");
        let interval = Duration::minutes(15);
        let active = |minutes_ago: i64, out_minutes_ago: Option<i64>| SignInRecord {
            last_signed_in_at: Some(now - Duration::minutes(minutes_ago)),
            last_signed_out_at: out_minutes_ago.map(|m| now - Duration::minutes(m)),
            last_active_at: Some(now - Duration::minutes(minutes_ago)),
        };
        assert!(active(5, None).is_online(now, interval));
        assert!(active(5, Some(30)).is_online(now, interval));
        assert!(!active(5, Some(1)).is_online(now, interval));
        assert!(!active(20, None).is_online(now, interval));
        assert!(!SignInRecord::default().is_online(now, interval));
    }
}
