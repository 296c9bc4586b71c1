//! Read-mostly data (the store hierarchy, configuration) kept in memory on every API node, and the
//! bus that tells every node when it changed.
//!
//! A write calls [`CacheBus::announce`] inside its transaction: on PostgreSQL a `NOTIFY` is
//! delivered with the commit to the listener of every node, and the returned guard drops this
//! node's copies when it goes out of scope after the commit, even if the request is abandoned
//! mid-commit. A lifetime bounds how long a copy can outlive a notice that never arrived (a
//! listener that was reconnecting drops every copy once it is back, but a copy loaded while it
//! was away lives on until it expires).

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
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

struct Entries<K, V> {
    /// Bumped by every invalidation, as in [`Cached`].
    epoch: u64,
    entries: HashMap<K, (Instant, Arc<V>)>,
}

/// Values loaded from the database one key at a time (a sign-in session, a token), shared by
/// every request of the node. A change notice of its topic drops them all: such changes are rare
/// next to the reads, and telling which keys a change touches would be a second rule to keep.
pub struct CachedMap<K, V> {
    topic: &'static str,
    ttl: Duration,
    capacity: usize,
    slot: RwLock<Entries<K, V>>,
}

impl<K: Eq + Hash + Clone + Send + Sync, V: Send + Sync> CachedMap<K, V> {
    /// Empty copies of the data behind `topic`, each kept at most `ttl`, at most `capacity` of
    /// them (past it, the expired ones go, and if none had expired, all of them).
    pub fn new(topic: &'static str, ttl: Duration, capacity: usize) -> Self {
        Self {
            topic,
            ttl,
            capacity: capacity.max(1),
            slot: RwLock::new(Entries {
                epoch: 0,
                entries: HashMap::new(),
            }),
        }
    }

    /// The cached value of `key`, or the one `load` reads: kept when found, unless a change
    /// notice arrived while it was reading; `None` (not found) is never kept, so a stream of
    /// unknown keys cannot crowd out the known ones.
    pub async fn get_or_load<F, Fut>(&self, key: &K, load: F) -> Result<Option<Arc<V>>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Option<V>>>,
    {
        let epoch = {
            let slot = self.slot.read().unwrap_or_else(|e| e.into_inner());
            if let Some((loaded_at, value)) = slot.entries.get(key)
                && loaded_at.elapsed() < self.ttl
            {
                return Ok(Some(Arc::clone(value)));
            }
            slot.epoch
        };
        let started = Instant::now();
        let Some(value) = load().await?.map(Arc::new) else {
            return Ok(None);
        };
        let mut slot = self.slot.write().unwrap_or_else(|e| e.into_inner());
        if slot.epoch == epoch {
            if slot.entries.len() >= self.capacity && !slot.entries.contains_key(key) {
                let ttl = self.ttl;
                slot.entries.retain(|_, (at, _)| at.elapsed() < ttl);
                if slot.entries.len() >= self.capacity {
                    slot.entries.clear();
                }
            }
            slot.entries
                .insert(key.clone(), (started, Arc::clone(&value)));
        }
        Ok(Some(value))
    }

    /// How many values are kept now.
    pub fn len(&self) -> usize {
        let slot = self.slot.read().unwrap_or_else(|e| e.into_inner());
        slot.entries.len()
    }

    /// Whether no value is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<K: Send + Sync, V: Send + Sync> Invalidate for CachedMap<K, V> {
    fn topic(&self) -> &'static str {
        self.topic
    }

    fn invalidate(&self) {
        let mut slot = self.slot.write().unwrap_or_else(|e| e.into_inner());
        slot.epoch = slot.epoch.wrapping_add(1);
        slot.entries.clear();
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

    /// Announces, inside the write transaction `txn`, that the data behind `topic` changes: other
    /// nodes hear of it with the commit, and this node drops its copies when the returned guard
    /// is dropped (keep it until after the commit).
    pub async fn announce(
        &self,
        txn: &impl ConnectionTrait,
        topic: &'static str,
    ) -> Result<ChangeGuard> {
        if txn.get_database_backend() == DatabaseBackend::Postgres {
            let notify = Statement::from_sql_and_values(
                DatabaseBackend::Postgres,
                "SELECT pg_notify($1, $2)",
                [CHANNEL.into(), topic.into()],
            );
            txn.execute_raw(notify).await?;
        }
        Ok(ChangeGuard {
            bus: self.clone(),
            topic,
        })
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

    /// On PostgreSQL, listens on its own connection to `database_url` for the change notices of
    /// every node for as long as the process runs, dropping every copy whenever the connection was
    /// lost (notices may have been missed meanwhile). Does nothing on other databases, which one
    /// node serves alone.
    pub fn listen(&self, database_url: &str) -> Option<tokio::task::JoinHandle<()>> {
        if self.bus.db.get_database_backend() != DatabaseBackend::Postgres {
            return None;
        }
        let bus = self.clone();
        let url = database_url.to_owned();
        Some(tokio::spawn(async move {
            loop {
                if let Err(error) = bus.listen_once(&url).await {
                    tracing::warn!(%error, "cache change listener lost its connection");
                }
                bus.invalidate_local(None);
                tokio::time::sleep(RECONNECT_DELAY).await;
            }
        }))
    }

    async fn listen_once(&self, url: &str) -> std::result::Result<(), sea_orm::sqlx::Error> {
        use sea_orm::sqlx::postgres::PgListener;
        // A connection of its own, outside the request pool, so listening never takes one.
        let mut listener = PgListener::connect(url).await?;
        listener.listen(CHANNEL).await?;
        // Anything changed while the listener was away is unknown: start from fresh copies.
        self.invalidate_local(None);
        loop {
            match listener.try_recv().await? {
                Some(notice) => self.invalidate_local(Some(notice.payload())),
                // The connection dropped and was re-established: notices may have been missed.
                None => self.invalidate_local(None),
            }
        }
    }
}

/// Data a service keeps in memory per node and changes itself: it reads through the copy and
/// announces each of its changes in the changing transaction, so every node reads afresh from
/// that commit on.
pub struct OwnedCopy<T> {
    bus: CacheBus,
    topic: &'static str,
    copy: Arc<Cached<T>>,
}

impl<T> Clone for OwnedCopy<T> {
    fn clone(&self) -> Self {
        Self {
            bus: self.bus.clone(),
            topic: self.topic,
            copy: Arc::clone(&self.copy),
        }
    }
}

impl<T: Send + Sync + 'static> OwnedCopy<T> {
    /// A copy of the data behind `topic`, kept at most `ttl` and dropped on `bus`'s notices.
    pub fn new(bus: &CacheBus, topic: &'static str, ttl: Duration) -> Self {
        let copy = Arc::new(Cached::new(topic, ttl));
        bus.register(&(Arc::clone(&copy) as Arc<dyn Invalidate>));
        Self {
            bus: bus.clone(),
            topic,
            copy,
        }
    }

    /// The kept value, or the one `load` reads.
    pub async fn get_or_load<F, Fut>(&self, load: F) -> Result<Arc<T>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        self.copy.get_or_load(load).await
    }

    /// Announces, in the write transaction `txn`, a change to the data; keep the guard until
    /// after the commit.
    pub async fn announce(&self, txn: &impl ConnectionTrait) -> Result<ChangeGuard> {
        self.bus.announce(txn, self.topic).await
    }
}

/// Drops this node's copies of a topic when it goes out of scope; see [`CacheBus::announce`].
#[must_use = "the copies are dropped when the guard is, which must be after the commit"]
pub struct ChangeGuard {
    bus: CacheBus,
    topic: &'static str,
}

impl Drop for ChangeGuard {
    fn drop(&mut self) {
        self.bus.invalidate_local(Some(self.topic));
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

    async fn counted_key(loads: &std::sync::atomic::AtomicU32, value: u32) -> Result<Option<u32>> {
        loads.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Ok((value > 0).then_some(value))
    }

    #[tokio::test]
    async fn keyed_copies_serve_until_invalidated_and_misses_are_not_kept() {
        use std::sync::atomic::{AtomicU32, Ordering};
        let loads = AtomicU32::new(0);
        let map = CachedMap::new("staff", Duration::from_secs(60), 10);
        let a = "a".to_owned();
        assert_eq!(
            *map.get_or_load(&a, || counted_key(&loads, 1))
                .await
                .unwrap()
                .unwrap(),
            1
        );
        assert_eq!(
            *map.get_or_load(&a, || counted_key(&loads, 2))
                .await
                .unwrap()
                .unwrap(),
            1
        );
        assert_eq!(loads.load(Ordering::SeqCst), 1);

        let b = "b".to_owned();
        assert!(
            map.get_or_load(&b, || counted_key(&loads, 0))
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            map.get_or_load(&b, || counted_key(&loads, 0))
                .await
                .unwrap()
                .is_none()
        );
        assert_eq!(loads.load(Ordering::SeqCst), 3, "a miss is read again");
        assert_eq!(map.len(), 1);

        map.invalidate();
        assert!(map.is_empty());
        assert_eq!(
            *map.get_or_load(&a, || counted_key(&loads, 4))
                .await
                .unwrap()
                .unwrap(),
            4
        );
    }

    #[tokio::test]
    async fn a_keyed_load_overtaken_by_a_change_is_not_kept() {
        let map = Arc::new(CachedMap::new("staff", Duration::from_secs(60), 10));
        let during = Arc::clone(&map);
        let key = 7_u32;
        let stale = map
            .get_or_load(&key, || async move {
                during.invalidate();
                Ok(Some(1))
            })
            .await
            .unwrap();
        assert_eq!(stale.as_deref(), Some(&1));
        assert!(map.is_empty());
    }

    #[tokio::test]
    async fn a_full_map_makes_room() {
        let map = CachedMap::new("staff", Duration::from_secs(60), 2);
        for key in 0..5_u32 {
            map.get_or_load(&key, || async move { Ok(Some(key)) })
                .await
                .unwrap();
            assert!(map.len() <= 2, "{} kept", map.len());
        }
        let last = map
            .get_or_load(&4, || async { Ok(Some(99)) })
            .await
            .unwrap();
        assert_eq!(last.as_deref(), Some(&4), "the newest value is kept");
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
        let db = sea_orm::Database::connect("sqlite::memory:").await.unwrap();
        let guard = bus.announce(&db, "stores").await.unwrap();
        assert_eq!(
            *stores.get_or_load(|| async { Ok(2) }).await.unwrap(),
            1,
            "copies stay until the guard goes, after the commit"
        );
        drop(guard);
        assert_eq!(*stores.get_or_load(|| async { Ok(2) }).await.unwrap(), 2);
        assert_eq!(*config.get_or_load(|| async { Ok(2) }).await.unwrap(), 1);
    }
}
