//! Per-client throttling shared by every API node: hits are counted in the database per bucket
//! (e.g. "sign-in failures from this address") and fixed time window. Used against credential
//! stuffing and mass sign-ups, where per-account lockout does not help.

use chrono::{Duration, Utc};
use clientele_kernel::Result;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect,
};

use crate::entity::throttle;

/// A limit: at most `max` hits per `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Hits allowed in one window (0: no limit).
    pub max: u32,
    /// Window length.
    pub window: Duration,
}

/// Counts hits per bucket and window.
#[derive(Clone)]
pub struct Throttle {
    db: DatabaseConnection,
}

fn window_start(window: Duration) -> i64 {
    let seconds = Ord::max(window.num_seconds(), 1);
    Utc::now().timestamp() / seconds * seconds
}

impl Throttle {
    /// Counters over `db`.
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    /// Whether `bucket` has used up `limit` in the current window.
    pub async fn exceeded(&self, bucket: &str, limit: Limit) -> Result<bool> {
        if limit.max == 0 {
            return Ok(false);
        }
        let hits: Option<i32> = throttle::Entity::find()
            .select_only()
            .column(throttle::Column::Hits)
            .filter(throttle::Column::Bucket.eq(key(bucket)))
            .filter(throttle::Column::WindowStart.eq(window_start(limit.window)))
            .into_tuple()
            .one(&self.db)
            .await?;
        Ok(hits.unwrap_or(0) >= limit.max as i32)
    }

    /// Counts a hit for `bucket` (one atomic upsert, so concurrent hits are all counted).
    pub async fn hit(&self, bucket: &str, limit: Limit) -> Result<()> {
        if limit.max == 0 {
            return Ok(());
        }
        let start = window_start(limit.window);
        throttle::Entity::insert(throttle::ActiveModel {
            bucket: Set(key(bucket)),
            window_start: Set(start),
            hits: Set(1),
        })
        .on_conflict(
            OnConflict::columns([throttle::Column::Bucket, throttle::Column::WindowStart])
                .value(
                    throttle::Column::Hits,
                    Expr::col((throttle::Entity, throttle::Column::Hits)).add(1),
                )
                .to_owned(),
        )
        .exec_without_returning(&self.db)
        .await?;
        // About one hit in a hundred drops windows older than a day, so the table stays small.
        if rand_tick() {
            throttle::Entity::delete_many()
                .filter(throttle::Column::WindowStart.lt(start - 86_400))
                .exec(&self.db)
                .await?;
        }
        Ok(())
    }
}

/// The stored form of a bucket name (bounded to the column), the same for reads and writes.
fn key(bucket: &str) -> String {
    bucket.chars().take(200).collect()
}

/// Roughly one call in a hundred, from the clock's nanoseconds (no need for a real RNG).
fn rand_tick() -> bool {
    Utc::now().timestamp_subsec_nanos().is_multiple_of(100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clientele_kernel::testing::for_each_database;
    use migration::{Migrator, MigratorTrait};

    #[tokio::test]
    async fn hits_are_counted_per_bucket_until_the_limit() {
        for_each_database(|db| async move {
            Migrator::up(&db, None).await.expect("migrate");
            let throttle = Throttle::new(db);
            let limit = Limit {
                max: 3,
                window: Duration::hours(1),
            };
            for _ in 0..3 {
                assert!(!throttle.exceeded("ip:1", limit).await.expect("check"));
                throttle.hit("ip:1", limit).await.expect("hit");
            }
            assert!(throttle.exceeded("ip:1", limit).await.expect("check"));
            assert!(!throttle.exceeded("ip:2", limit).await.expect("check"));
            let off = Limit { max: 0, ..limit };
            throttle.hit("ip:1", off).await.expect("hit");
            assert!(!throttle.exceeded("ip:1", off).await.expect("check"));
        })
        .await;
    }
}
