//! The one place Clientele reads the wall clock.
//!
//! Every service takes a [`Clock`] when it is built and asks it for the time; nothing else calls
//! `Utc::now()`. Production wires the system clock. Tests (with the `testing` feature) wire a
//! [`SettableClock`] and move it, so time-driven rules (token expiry, lockouts, Now Online, reset
//! links, segment windows) are tested without waiting. Elapsed-time measurements (metrics, rate
//! limits on reloads) use `std::time::Instant`, which is monotonic and no wall-clock read.

use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};

/// Where a [`Clock`] gets the current time: the port behind it.
pub trait TimeSource: Send + Sync + 'static {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;
}

/// The operating system's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl TimeSource for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A cheap, shareable handle on the time source of one running application.
#[derive(Clone)]
pub struct Clock(Arc<dyn TimeSource>);

impl Clock {
    /// The operating system's clock: what production runs on.
    pub fn system() -> Self {
        Self(Arc::new(SystemClock))
    }

    /// A clock over any time source.
    pub fn new(source: Arc<dyn TimeSource>) -> Self {
        Self(source)
    }

    /// The current instant.
    pub fn now(&self) -> DateTime<Utc> {
        self.0.now()
    }

    /// Today's date in UTC.
    pub fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }
}

impl Default for Clock {
    fn default() -> Self {
        Self::system()
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Clock")
    }
}

#[cfg(any(test, feature = "testing"))]
pub use settable::SettableClock;

#[cfg(any(test, feature = "testing"))]
mod settable {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicI64, Ordering};

    use chrono::{DateTime, Duration, Utc};

    use super::{Clock, TimeSource};

    /// A clock that runs with the system clock, shifted by however far a test has moved it.
    ///
    /// It keeps running rather than standing still, so code that waits (timeouts, retries)
    /// behaves as in production between moves.
    #[derive(Debug, Default)]
    pub struct SettableClock {
        shift_us: AtomicI64,
    }

    impl SettableClock {
        /// A clock in step with the system clock until it is moved, and the [`Clock`] reading it.
        pub fn new() -> (Arc<Self>, Clock) {
            let hand = Arc::new(Self::default());
            let clock = Clock::new(hand.clone());
            (hand, clock)
        }

        /// Moves the clock forward by `by` (backward when negative).
        pub fn advance(&self, by: Duration) {
            self.shift_us.fetch_add(micros(by), Ordering::SeqCst);
        }

        /// Moves the clock so that it reads `at` now.
        pub fn set(&self, at: DateTime<Utc>) {
            self.shift_us
                .store(micros(at - Utc::now()), Ordering::SeqCst);
        }
    }

    /// `d` in microseconds, saturating (a shift of ±292,000 years is enough for any test).
    fn micros(d: Duration) -> i64 {
        d.num_microseconds().unwrap_or(if d < Duration::zero() {
            i64::MIN
        } else {
            i64::MAX
        })
    }

    impl TimeSource for SettableClock {
        fn now(&self) -> DateTime<Utc> {
            Utc::now() + Duration::microseconds(self.shift_us.load(Ordering::SeqCst))
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone, Utc};

    use super::SettableClock;

    #[test]
    fn a_settable_clock_moves_by_what_it_is_told_and_keeps_running() {
        let (hand, clock) = SettableClock::new();
        let before = clock.now();
        hand.advance(Duration::days(3));
        let moved = clock.now() - before;
        assert!(moved >= Duration::days(3) && moved < Duration::days(3) + Duration::seconds(5));

        let at = Utc.with_ymd_and_hms(2030, 1, 2, 3, 4, 5).unwrap();
        hand.set(at);
        let off = (clock.now() - at).abs();
        assert!(off < Duration::seconds(5), "{off}");
        assert_eq!(clock.today(), at.date_naive());
    }

    #[test]
    fn the_system_clock_reads_the_system_time() {
        let clock = super::Clock::system();
        let off = (clock.now() - Utc::now()).abs();
        assert!(off < Duration::seconds(5));
    }
}
