//! Read-mostly data (the store hierarchy, configuration) kept in memory on every API node, and the
//! bus that tells every node when it changed.
//!
//! A write calls [`CacheBus::changed`] after its commit: the node's own copies are dropped at once
//! and, on PostgreSQL, a `NOTIFY` reaches the listener of every other node, which drops its copies
//! too. A lifetime bounds how long a copy can outlive a notice that never arrived (a node that
//! died between commit and notice, a listener that was reconnecting).

use std::future::Future;
use std::sync::{Arc, RwLock, Weak};
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement};

use crate::Result;

/// The PostgreSQL channel change notices travel on.
pub const CHANNEL: &str = "clientele_cache";

/// How long the listener waits before reconnecting after losing its connection.
const RECONNECT_DELAY: Duration = Duration::from_secs(1);

/// Something a change notice can drop.
pub trait Invalidate: Send + Sync {
    /// The topic whose changes make this copy stale.
    fn topic(&self) -> &'static str;
    /// Drops the copy; the next read loads a fresh one.
    fn invalidate(&self);
}

struct Slot<T> {
    /// Bumped by every invalidation, so a load that started before one never stores its result.
    epoch: u64,
    entry: Option<(Instant, Arc<T>)>,
}

/// One value loaded from the database, shared by every request of the node.
pub struct Cached<T> {
    topic: &'static str,
    ttl: Duration,
    slot: RwLock<Slot<T>>,
}

impl<T: Send + Sync> Cached<T> {
    /// An empty copy of the data behind `topic`, kept at most `ttl`.
    pub fn new(topic: &'static str, ttl: Duration) -> Self {
        Self {
            topic,
            ttl,
            slot: RwLock::new(Slot {
                epoch: 0,
                entry: None,
            }),
        }
    }

    /// The cached value, or the one `load` reads (and keeps, unless a change notice arrived
    /// while it was reading).
    pub async fn get_or_load<F, Fut>(&self, load: F) -> Result<Arc<T>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let epoch = {
            let slot = self.slot.read().unwrap_or_else(|e| e.into_inner());
            if let Some((loaded_at, value)) = &slot.entry
                && loaded_at.elapsed() < self.ttl
            {
                return Ok(Arc::clone(value));
            }
            slot.epoch
        };
        let started = Instant::now();
        let value = Arc::new(load().await?);
        let mut slot = self.slot.write().unwrap_or_else(|e| e.into_inner());
        if slot.epoch == epoch {
            slot.entry = Some((started, Arc::clone(&value)));
        }
        Ok(value)
    }
}

impl<T: Send + Sync> Invalidate for Cached<T> {
    fn topic(&self) -> &'static str {
        self.topic
    }

    fn invalidate(&self) {
        let mut slot = self.slot.write().unwrap_or_else(|e| e.into_inner());
        slot.epoch = slot.epoch.wrapping_add(1);
        slot.entry = None;
    }
}

struct Bus {
    db: DatabaseConnection,
    caches: RwLock<Vec<Weak<dyn Invalidate>>>,
}

/// Carries change notices to the caches of this node and, on PostgreSQL, of every node.
#[derive(Clone)]
pub struct CacheBus {
    bus: Arc<Bus>,
}

impl CacheBus {
    /// A bus over `db`; notices reach other nodes only once [`CacheBus::listen`] runs on them.
    pub fn new(db: DatabaseConnection) -> Self {
        Self {
            bus: Arc::new(Bus {
                db,
                caches: RwLock::new(Vec::new()),
            }),
        }
    }

    /// Makes `cache` drop its copy on notices of its topic.
    pub fn register(&self, cache: &Arc<dyn Invalidate>) {
        let mut caches = self.bus.caches.write().unwrap_or_else(|e| e.into_inner());
        caches.retain(|c| c.strong_count() > 0);
        caches.push(Arc::downgrade(cache));
    }

    /// Announces that the data behind `topic` changed (call it after the commit).
    pub async fn changed(&self, topic: &'static str) {
        self.invalidate_local(Some(topic));
        if self.bus.db.get_database_backend() != DatabaseBackend::Postgres {
            return;
        }
        let notify = Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT pg_notify($1, $2)",
            [CHANNEL.into(), topic.into()],
        );
        if let Err(error) = self.bus.db.execute_raw(notify).await {
            // The change is committed; other nodes catch up when their copies expire.
            tracing::warn!(%error, topic, "could not announce a change to other nodes");
        }
    }

    /// Drops the copies of `topic` (every copy for `None`) on this node.
    fn invalidate_local(&self, topic: Option<&str>) {
        let caches = self.bus.caches.read().unwrap_or_else(|e| e.into_inner());
        for cache in caches.iter().filter_map(Weak::upgrade) {
            if topic.is_none_or(|t| t == cache.topic()) {
                cache.invalidate();
            }
        }
    }

    /// On PostgreSQL, listens for the change notices of other nodes for as long as the process
    /// runs, reconnecting after failures (and dropping every copy then, since notices may have been
    /// missed). Does nothing on other databases, which one node serves alone.
    pub fn listen(&self) -> Option<tokio::task::JoinHandle<()>> {
        if self.bus.db.get_database_backend() != DatabaseBackend::Postgres {
            return None;
        }
        let bus = self.clone();
        Some(tokio::spawn(async move {
            loop {
                if let Err(error) = bus.listen_once().await {
                    tracing::warn!(%error, "cache change listener lost its connection");
                }
                bus.invalidate_local(None);
                tokio::time::sleep(RECONNECT_DELAY).await;
            }
        }))
    }

    async fn listen_once(&self) -> std::result::Result<(), sea_orm::sqlx::Error> {
        use sea_orm::sqlx::postgres::PgListener;
        let pool = self.bus.db.get_postgres_connection_pool();
        let mut listener = PgListener::connect_with(pool).await?;
        listener.listen(CHANNEL).await?;
        // Anything changed while the listener was away is unknown: start from fresh copies.
        self.invalidate_local(None);
        loop {
            let notice = listener.recv().await?;
            self.invalidate_local(Some(notice.payload()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn counted(loads: &std::sync::atomic::AtomicU32, value: u32) -> Result<u32> {
        loads.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Ok(value)
    }

    #[tokio::test]
    async fn a_copy_serves_until_invalidated_or_expired() {
        use std::sync::atomic::{AtomicU32, Ordering};
        let loads = AtomicU32::new(0);
        let cache = Cached::new("stores", Duration::from_secs(60));
        assert_eq!(*cache.get_or_load(|| counted(&loads, 1)).await.unwrap(), 1);
        assert_eq!(*cache.get_or_load(|| counted(&loads, 2)).await.unwrap(), 1);
        assert_eq!(loads.load(Ordering::SeqCst), 1);
        cache.invalidate();
        assert_eq!(*cache.get_or_load(|| counted(&loads, 3)).await.unwrap(), 3);

        let short = Cached::new("stores", Duration::ZERO);
        assert_eq!(*short.get_or_load(|| counted(&loads, 4)).await.unwrap(), 4);
        assert_eq!(*short.get_or_load(|| counted(&loads, 5)).await.unwrap(), 5);
    }

    #[tokio::test]
    async fn a_load_overtaken_by_a_change_is_not_kept() {
        let cache = Arc::new(Cached::new("config", Duration::from_secs(60)));
        let during = Arc::clone(&cache);
        let stale = cache
            .get_or_load(|| async move {
                during.invalidate();
                Ok(1)
            })
            .await
            .unwrap();
        assert_eq!(*stale, 1);
        assert_eq!(*cache.get_or_load(|| async { Ok(2) }).await.unwrap(), 2);
    }

    #[tokio::test]
    async fn the_bus_drops_copies_of_the_changed_topic_only() {
        let db = sea_orm::Database::connect("sqlite::memory:").await.unwrap();
        let bus = CacheBus::new(db);
        let stores = Arc::new(Cached::new("stores", Duration::from_secs(60)));
        let config = Arc::new(Cached::new("config", Duration::from_secs(60)));
        bus.register(&(Arc::clone(&stores) as Arc<dyn Invalidate>));
        bus.register(&(Arc::clone(&config) as Arc<dyn Invalidate>));
        stores.get_or_load(|| async { Ok(1) }).await.unwrap();
        config.get_or_load(|| async { Ok(1) }).await.unwrap();
        bus.changed("stores").await;
        assert_eq!(*stores.get_or_load(|| async { Ok(2) }).await.unwrap(), 2);
        assert_eq!(*config.get_or_load(|| async { Ok(2) }).await.unwrap(), 1);
    }
}
