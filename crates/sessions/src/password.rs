//! Argon2id password hashing with OWASP parameters (m = 19 MiB, t = 2, p = 1). Each hash costs tens
//! of milliseconds of CPU and 19 MiB, so hashing runs on threads of its own, as many as the machine
//! has cores, with a bounded queue: beyond it callers are told to retry instead of piling up.
//!
//! The threads take the next job from the queue as soon as they finish one. Handing each job to
//! the async runtime's blocking pool instead left the cores idle between hashes while a busy
//! runtime got round to starting the next one.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};

use std::cell::RefCell;

use argon2::password_hash::{Output, ParamsString, PasswordHash, Salt, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use clientele_kernel::{Error, InternalContext, Result};
use tokio::sync::oneshot;

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
    jobs: mpsc::Sender<Job>,
    queued: Arc<AtomicUsize>,
    max_queued: usize,
    dummy_hash: Arc<String>,
}

/// Work for a hashing thread; it sends its own result.
type Job = Box<dyn FnOnce() + Send>;

fn argon2() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::default())
}

thread_local! {
    /// The 19 MiB a hash works in, kept by a hashing thread from one hash to the next while jobs
    /// are queued: allocating and clearing it afresh was a tenth of each hash's time.
    static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// Runs `argon` over `password` and `salt` into `out`, in this thread's kept memory. Every block
/// is written before it is read, so what an earlier hash left there plays no part.
fn derive(argon: &Argon2<'_>, password: &[u8], salt: &[u8], out: &mut [u8]) -> argon2::Result<()> {
    MEMORY.with_borrow_mut(|blocks| {
        let needed = argon.params().block_count();
        if blocks.len() < needed {
            blocks.resize(needed, Block::default());
        }
        argon.hash_password_into_with_memory(password, salt, out, &mut blocks[..needed])
    })
}

/// Gives this thread's kept memory back, for when no job waits.
fn release_memory() {
    MEMORY.with_borrow_mut(|blocks| *blocks = Vec::new());
}

fn hash_now(password: &[u8]) -> Result<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).internal("rng")?;
    let encoded = SaltString::encode_b64(&salt).internal("salt")?;
    let argon = argon2();
    let output = Output::init_with(Params::DEFAULT_OUTPUT_LEN, |out| {
        Ok(derive(&argon, password, &salt, out)?)
    })
    .internal("argon2")?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(argon.params()).internal("argon2")?,
        salt: Some(encoded.as_salt()),
        hash: Some(output),
    };
    Ok(hash.to_string())
}

/// Whether `password` gives the hash `parsed` holds, with the algorithm, version and parameters
/// `parsed` names (as `argon2`'s own verifier does), compared in constant time.
fn matches(password: &[u8], parsed: &PasswordHash<'_>) -> bool {
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return false;
    };
    let (Ok(algorithm), Ok(version), Ok(params)) = (
        Algorithm::try_from(parsed.algorithm),
        parsed.version.map(Version::try_from).transpose(),
        Params::try_from(parsed),
    ) else {
        return false;
    };
    let mut salt_bytes = [0u8; Salt::MAX_LENGTH];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let argon = Argon2::new(algorithm, version.unwrap_or_default(), params);
    Output::init_with(expected.len(), |out| {
        Ok(derive(&argon, password, salt, out)?)
    })
    .is_ok_and(|computed| computed == expected)
}

/// Whether checking a password against `parsed` costs at most eight hashes of today's parameters,
/// in at most 256 MiB. A stored hash names its own parameters: one imported with, say, 4 GiB of
/// memory would otherwise make every sign-in to its account allocate that much. A hash beyond
/// the bounds is treated like one in an unknown format: it never matches, at the usual cost.
fn affordable(parsed: &PasswordHash<'_>) -> bool {
    let today = Params::default();
    let budget = 8 * u64::from(today.m_cost()) * u64::from(today.t_cost());
    Params::try_from(parsed).is_ok_and(|p| {
        p.m_cost() <= 256 * 1024
            && p.p_cost() <= 8
            && u64::from(p.m_cost()) * u64::from(p.t_cost()) <= budget
    })
}

fn verify_now(password: &[u8], stored: &str) -> Verification {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return Verification {
            matches: false,
            needs_rehash: false,
        };
    };
    let matches = matches(password, &parsed);
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
    /// Its threads end when the last clone of the hasher is dropped.
    pub fn new(concurrency: usize, max_queued: usize) -> Result<Self> {
        // Hashed here, on the caller's thread, which has no use for the memory afterwards.
        let dummy_hash = hash_now(b"clientele-timing-equaliser");
        release_memory();
        let dummy_hash = dummy_hash?;
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        let queued = Arc::new(AtomicUsize::new(0));
        for index in 0..concurrency.max(1) {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("password-hash-{index}"))
                .spawn({
                    let queued = queued.clone();
                    move || hashing_thread(&queue, &queued)
                })
                .internal("starting a password hashing thread")?;
        }
        Ok(Self {
            jobs,
            queued,
            max_queued,
            dummy_hash: Arc::new(dummy_hash),
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
        let stored = if PasswordHash::new(stored).is_ok_and(|parsed| affordable(&parsed)) {
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
        let slot = QueueSlot(self.queued.clone());
        if self.queued.fetch_add(1, Ordering::SeqCst) >= self.max_queued {
            return Err(Error::RateLimited(
                "Too many sign-in requests are being processed. Try again shortly.".into(),
            ));
        }
        let (answer, answered) = oneshot::channel();
        let job: Job = Box::new(move || {
            // A caller that went away (its request was dropped) no longer needs the hash.
            let result = (!answer.is_closed()).then(work);
            // The slot is free before the answer arrives, so the next caller finds it free.
            drop(slot);
            if let Some(result) = result {
                let _ = answer.send(result);
            }
        });
        if self.jobs.send(job).is_err() {
            return Err(Error::Internal(anyhow::anyhow!("hash pool closed")));
        }
        answered.await.internal("hash task failed")
    }
}

/// Runs jobs until every hasher is dropped. Only idle threads wait on the lock, each in turn for
/// the next job. The thread keeps its hashing memory while jobs are queued (`queued` counts them,
/// with those running) and gives it back when none is.
fn hashing_thread(queue: &Mutex<mpsc::Receiver<Job>>, queued: &AtomicUsize) {
    loop {
        let next = match queue.lock() {
            Ok(queue) => queue.recv(),
            Err(_) => return,
        };
        match next {
            // A job that panics drops its answer, which its caller reports; the thread goes on.
            Ok(job) => {
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                if queued.load(Ordering::SeqCst) == 0 {
                    release_memory();
                }
            }
            Err(mpsc::RecvError) => return,
        }
    }
}

/// A place in the hashing queue, given back when dropped.
struct QueueSlot(Arc<AtomicUsize>);

impl Drop for QueueSlot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let hasher = PasswordHasher::new(2, 8).unwrap();
        let stored = hasher.hash("correct horse").await.unwrap();
        let right = hasher.verify("correct horse", &stored).await.unwrap();
        assert_eq!(
            right,
            Verification {
                matches: true,
                needs_rehash: false
            }
        );
        assert!(!hasher.verify("wrong horse", &stored).await.unwrap().matches);
    }

    #[test]
    fn hashes_agree_with_the_argon2_crates_own_hashing_and_verifying() {
        use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
        let ours = hash_now(b"correct horse").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(argon2().verify_password(b"correct horse", &parsed).is_ok());
        assert!(argon2().verify_password(b"wrong horse", &parsed).is_err());
        let salt = SaltString::encode_b64(b"sixteen byte salt").unwrap();
        let theirs = argon2().hash_password(b"correct horse", &salt).unwrap();
        assert!(matches(b"correct horse", &theirs));
        assert!(!matches(b"correct horse ", &theirs));
        // Older parameters still verify, in the same kept memory, and ask for a fresh hash.
        let older = Argon2::new(
            Algorithm::Argon2i,
            Version::V0x10,
            Params::new(8 * 1024, 3, 1, Some(24)).unwrap(),
        )
        .hash_password(b"correct horse", &salt)
        .unwrap()
        .to_string();
        assert_eq!(
            verify_now(b"correct horse", &older),
            Verification {
                matches: true,
                needs_rehash: true
            }
        );
        assert!(!verify_now(b"wrong horse", &older).matches);
        assert!(verify_now(b"correct horse", &ours).matches);
    }

    #[test]
    fn hashes_that_would_cost_too_much_to_check_are_never_checked() {
        let phc = |params: &str| {
            format!(
                "$argon2id$v=19${params}$c2l4dGVlbiBieXRlIHNhbHQ$MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY"
            )
        };
        for (params, expected) in [
            ("m=19456,t=2,p=1", true),
            ("m=65536,t=3,p=4", true),
            ("m=262144,t=1,p=1", true),
            ("m=4194304,t=1,p=1", false),
            ("m=19456,t=100,p=1", false),
            ("m=19456,t=2,p=64", false),
        ] {
            let stored = phc(params);
            let parsed = PasswordHash::new(&stored).unwrap();
            assert_eq!(affordable(&parsed), expected, "{params}");
        }
    }

    #[tokio::test]
    async fn an_unaffordable_hash_never_matches() {
        let hasher = PasswordHasher::new(1, 4).unwrap();
        let salt = SaltString::encode_b64(b"sixteen byte salt").unwrap();
        // A real hash of the password, but with more passes than a sign-in may spend.
        let costly = {
            use argon2::password_hash::PasswordHasher as _;
            Argon2::new(
                Algorithm::Argon2id,
                Version::V0x13,
                Params::new(19 * 1024, 20, 1, None).unwrap(),
            )
            .hash_password(b"correct horse", &salt)
            .unwrap()
            .to_string()
        };
        assert!(
            !hasher
                .verify("correct horse", &costly)
                .await
                .unwrap()
                .matches
        );
    }

    #[tokio::test]
    async fn beyond_the_queue_callers_are_told_to_retry_and_the_queue_frees_up() {
        let hasher = PasswordHasher::new(1, 2).unwrap();
        let (first, second, third) =
            tokio::join!(hasher.hash("one"), hasher.hash("two"), hasher.hash("three"));
        assert!(first.is_ok() && second.is_ok());
        assert!(matches!(third, Err(Error::RateLimited(_))), "{third:?}");
        assert_eq!(hasher.queued.load(Ordering::SeqCst), 0);
        assert!(hasher.hash("four").await.is_ok());
    }
}
