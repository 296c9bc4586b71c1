//! Argon2id password hashing with OWASP parameters (m = 19 MiB, t = 2, p = 1). Each hash costs tens
//! of milliseconds of CPU and 19 MiB, so hashing runs on the blocking pool behind a semaphore sized
//! to the machine, with a bounded queue: beyond it callers are told to retry instead of piling up.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use clientele_kernel::{Error, InternalContext, Result};
use tokio::sync::Semaphore;

use crate::legacy::MagentoHash;

/// Outcome of a password check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verification {
    /// The password matches.
    pub matches: bool,
    /// The stored hash uses other parameters than today's; store a fresh hash.
    pub needs_rehash: bool,
}

/// Hashes and verifies passwords on a bounded pool.
#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
    queued: Arc<AtomicUsize>,
    max_queued: usize,
    dummy_hash: Arc<String>,
}

fn argon2() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::default())
}

fn hash_now(password: &[u8]) -> Result<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).internal("rng")?;
    let salt = SaltString::encode_b64(&salt).internal("salt")?;
    argon2()
        .hash_password(password, &salt)
        .map(|h| h.to_string())
        .internal("argon2")
}

fn verify_now(password: &[u8], stored: &str) -> Verification {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return Verification {
            matches: false,
            needs_rehash: false,
        };
    };
    let matches = argon2().verify_password(password, &parsed).is_ok();
    let current = Params::default();
    let needs_rehash = matches
        && (parsed.algorithm.as_str() != "argon2id"
            || Params::try_from(&parsed).map_or(true, |p| {
                p.m_cost() != current.m_cost()
                    || p.t_cost() != current.t_cost()
                    || p.p_cost() != current.p_cost()
            }));
    Verification {
        matches,
        needs_rehash,
    }
}

impl PasswordHasher {
    /// A hasher running at most `concurrency` hashes at once and queueing at most `max_queued`.
    pub fn new(concurrency: usize, max_queued: usize) -> Result<Self> {
        Ok(Self {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            queued: Arc::new(AtomicUsize::new(0)),
            max_queued,
            dummy_hash: Arc::new(hash_now(b"clientele-timing-equaliser")?),
        })
    }

    /// Hashes `password` into a PHC string.
    pub async fn hash(&self, password: &str) -> Result<String> {
        let password = password.as_bytes().to_vec();
        self.run(move || hash_now(&password)).await?
    }

    /// Checks `password` against a stored PHC string.
    pub async fn verify(&self, password: &str, stored: &str) -> Result<Verification> {
        let password = password.as_bytes().to_vec();
        // A hash we cannot read (another system's format) still costs a full check, so timing
        // does not single such accounts out.
        let stored = if PasswordHash::new(stored).is_ok() {
            stored.to_owned()
        } else if let Some(magento) = MagentoHash::parse(stored) {
            // Imported from Adobe Commerce: verified once, then replaced by today's hash. A fast
            // legacy check still costs a full Argon2id check, so timing does not single out
            // imported accounts.
            let dummy = self.dummy_hash.clone();
            let matches = self
                .run(move || {
                    let matches = magento.verify(&password);
                    verify_now(&password, &dummy);
                    matches
                })
                .await?;
            return Ok(Verification {
                matches,
                needs_rehash: matches,
            });
        } else {
            let dummy = self.dummy_hash.clone();
            self.run(move || verify_now(&password, &dummy)).await?;
            return Ok(Verification {
                matches: false,
                needs_rehash: false,
            });
        };
        self.run(move || verify_now(&password, &stored)).await
    }

    /// Spends the same work as a real check, for accounts that do not exist, so response times do
    /// not reveal which emails have accounts.
    pub async fn verify_nothing(&self, password: &str) -> Result<()> {
        let dummy = self.dummy_hash.clone();
        self.verify(password, &dummy).await.map(|_| ())
    }

    async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T> {
        let waiting = self.queued.fetch_add(1, Ordering::SeqCst);
        let _guard = QueueSlot(self.queued.clone());
        if waiting >= self.max_queued {
            return Err(Error::RateLimited(
                "Too many sign-in requests are being processed. Try again shortly.".into(),
            ));
        }
        let _permit = self.permits.acquire().await.internal("hash pool closed")?;
        tokio::task::spawn_blocking(work)
            .await
            .internal("hash task failed")
    }
}

struct QueueSlot(Arc<AtomicUsize>);

impl Drop for QueueSlot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}
