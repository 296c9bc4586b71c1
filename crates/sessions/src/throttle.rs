//! Per-client throttling shared by every API node: uses are counted in the database per bucket
//! (e.g. "sign-in failures from this network"), over a sliding window. Used against credential
//! stuffing and mass sign-ups, where per-account lockout does not help.
//!
//! A use is counted before it is checked ([`Throttle::take`]), so a burst of parallel requests
//! cannot all pass a check made before any of them is counted. The window slides: the count is
//! the current fixed window's plus the previous window's, weighted by how much of it still lies
//! within one window length of now, so a client cannot double its allowance at a window edge.

use chrono::{DateTime, Duration, Utc};
use clientele_kernel::{Clock, Result};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect,
};

use crate::entity::throttle;

/// A limit: at most `max` uses per `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Uses allowed within one window length (0: no limit).
    pub max: u32,
    /// Window length.
    pub window: Duration,
}

/// One use taken from a bucket's allowance, which [`Throttle::give_back`] can return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    bucket: String,
    window_start: i64,
}

/// Counts uses per bucket over a sliding window.
#[derive(Clone)]
pub struct Throttle {
    db: DatabaseConnection,
    clock: Clock,
}

/// The start of the fixed window holding `now`, in seconds, and the window length.
fn window_of(now: DateTime<Utc>, window: Duration) -> (i64, i64) {
    let seconds = Ord::max(window.num_seconds(), 1);
    (now.timestamp() / seconds * seconds, seconds)
}

/// The sliding count: this window's uses plus the share of the previous window's uses that
/// still lies within one window length of now.
fn sliding_count(previous: i32, current: i32, elapsed_ms: i64, window_ms: i64) -> f64 {
    let remaining = (window_ms - elapsed_ms).clamp(0, window_ms) as f64 / window_ms as f64;
    f64::from(previous) * remaining + f64::from(current)
}

impl Throttle {
    /// Counters over `db`, with windows on `clock`.
    pub fn new(db: DatabaseConnection, clock: Clock) -> Self {
        Self { db, clock }
    }

    /// Takes one use of `bucket`'s allowance: counts it, then checks the sliding count.
    /// `None` when the allowance is used up; the refused use is not counted, so a client that
    /// keeps trying is let in again as its earlier uses age out.
    pub async fn take(&self, bucket: &str, limit: Limit) -> Result<Option<Ticket>> {
        let now = self.clock.now();
        let (start, seconds) = window_of(now, limit.window);
        let ticket = Ticket {
            bucket: key(bucket),
            window_start: start,
        };
        if limit.max == 0 {
            return Ok(Some(ticket));
        }
        let current = self.add(&ticket, 1).await?;
        let previous: Option<i32> = throttle::Entity::find()
            .select_only()
            .column(throttle::Column::Hits)
            .filter(throttle::Column::Bucket.eq(&ticket.bucket))
            .filter(throttle::Column::WindowStart.eq(start - seconds))
            .into_tuple()
            .one(&self.db)
            .await?;
        let elapsed_ms = now.timestamp_millis() - start * 1000;
        let count = sliding_count(previous.unwrap_or(0), current, elapsed_ms, seconds * 1000);
        if count > f64::from(limit.max) {
            self.give_back(ticket).await?;
            return Ok(None);
        }
        // About one use in a hundred drops windows older than a day, so the table stays small.
        if one_in_a_hundred(now) {
            throttle::Entity::delete_many()
                .filter(throttle::Column::WindowStart.lt(start - 86_400))
                .exec(&self.db)
                .await?;
        }
        Ok(Some(ticket))
    }

    /// Returns a use that turned out not to count (a sign-in that succeeded).
    pub async fn give_back(&self, ticket: Ticket) -> Result<()> {
        throttle::Entity::update_many()
            .col_expr(
                throttle::Column::Hits,
                Expr::col(throttle::Column::Hits).sub(1),
            )
            .filter(throttle::Column::Bucket.eq(ticket.bucket))
            .filter(throttle::Column::WindowStart.eq(ticket.window_start))
            .filter(throttle::Column::Hits.gt(0))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// Adds `uses` to the ticket's window in one atomic upsert and returns the window's count.
    async fn add(&self, ticket: &Ticket, uses: i32) -> Result<i32> {
        let row = throttle::Entity::insert(throttle::ActiveModel {
            bucket: Set(ticket.bucket.clone()),
            window_start: Set(ticket.window_start),
            hits: Set(uses),
        })
        .on_conflict(
            OnConflict::columns([throttle::Column::Bucket, throttle::Column::WindowStart])
                .value(
                    throttle::Column::Hits,
                    Expr::col((throttle::Entity, throttle::Column::Hits)).add(uses),
                )
                .to_owned(),
        )
        .exec_with_returning(&self.db)
        .await?;
        Ok(row.hits)
    }
}

/// Forgets the counts of `buckets` on `db` (the transaction of an erasure, when the names hold
/// a person's address).
pub async fn forget_buckets(db: &impl sea_orm::ConnectionTrait, buckets: &[String]) -> Result<()> {
    if buckets.is_empty() {
        return Ok(());
    }
    throttle::Entity::delete_many()
        .filter(throttle::Column::Bucket.is_in(buckets.iter().map(|b| key(b))))
        .exec(db)
        .await?;
    Ok(())
}

/// The stored form of a bucket name (bounded to the column), the same for reads and writes.
fn key(bucket: &str) -> String {
    bucket.chars().take(200).collect()
}

/// Roughly one call in a hundred, from the clock's nanoseconds (no need for a real RNG).
fn one_in_a_hundred(now: DateTime<Utc>) -> bool {
    now.timestamp_subsec_nanos().is_multiple_of(100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clientele_kernel::clock::SettableClock;
    use clientele_kernel::testing::for_each_database;
    use migration::{Migrator, MigratorTrait};

    #[tokio::test]
    async fn uses_are_counted_per_bucket_until_the_limit() {
        for_each_database(|db| async move {
            Migrator::up(&db, None).await.expect("migrate");
            let throttle = Throttle::new(db, Clock::system());
            let limit = Limit {
                max: 3,
                window: Duration::hours(1),
            };
            let mut tickets = Vec::new();
            for _ in 0..3 {
                tickets.push(throttle.take("ip:1", limit).await.expect("take"));
            }
            assert!(tickets.iter().all(Option::is_some));
            assert_eq!(throttle.take("ip:1", limit).await.expect("take"), None);
            assert!(throttle.take("ip:2", limit).await.expect("take").is_some());
            // A use given back can be taken again; a refused one was never counted.
            let ticket = tickets.pop().flatten().expect("ticket");
            throttle.give_back(ticket).await.expect("give back");
            assert!(throttle.take("ip:1", limit).await.expect("take").is_some());
            assert_eq!(throttle.take("ip:1", limit).await.expect("take"), None);
            let off = Limit { max: 0, ..limit };
            assert!(throttle.take("ip:1", off).await.expect("take").is_some());
        })
        .await;
    }

    #[tokio::test]
    async fn a_burst_of_parallel_uses_gets_no_more_than_the_limit() {
        for_each_database(|db| async move {
            Migrator::up(&db, None).await.expect("migrate");
            let throttle = Throttle::new(db, Clock::system());
            let limit = Limit {
                max: 5,
                window: Duration::hours(1),
            };
            let burst = (0..20).map(|_| {
                let throttle = throttle.clone();
                tokio::spawn(async move { throttle.take("burst", limit).await })
            });
            let mut granted = 0;
            for task in burst {
                if task.await.expect("join").expect("take").is_some() {
                    granted += 1;
                }
            }
            assert_eq!(granted, 5);
        })
        .await;
    }

    #[tokio::test]
    async fn uses_age_out_as_the_clock_moves_on() {
        for_each_database(|db| async move {
            Migrator::up(&db, None).await.expect("migrate");
            let (hand, clock) = SettableClock::new();
            hand.set(DateTime::from_timestamp(1_800_000_000, 0).expect("instant"));
            let throttle = Throttle::new(db, clock);
            let limit = Limit {
                max: 2,
                window: Duration::minutes(10),
            };
            for _ in 0..2 {
                assert!(throttle.take("aging", limit).await.expect("take").is_some());
            }
            assert_eq!(throttle.take("aging", limit).await.expect("take"), None);
            // Two minutes into the next window, eight tenths of the previous one still count.
            hand.advance(Duration::minutes(12));
            assert_eq!(throttle.take("aging", limit).await.expect("take"), None);
            hand.advance(Duration::minutes(10));
            assert!(throttle.take("aging", limit).await.expect("take").is_some());
        })
        .await;
    }

    #[test]
    fn the_previous_window_counts_for_the_part_still_within_reach() {
        assert_eq!(sliding_count(10, 0, 0, 1000), 10.0);
        assert_eq!(sliding_count(10, 2, 500, 1000), 7.0);
        assert_eq!(sliding_count(10, 2, 1000, 1000), 2.0);
        assert_eq!(sliding_count(10, 2, 5000, 1000), 2.0);
    }
}
