//! Adobe Commerce's rule for counting failed sign-ins, shared by staff and shopper accounts:
//! failures count from the first one within the lockout window, and reaching the maximum locks
//! the account for the length of the window.

use chrono::{DateTime, Duration, Utc};

/// An account's failure count after one more failed sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FailureCount {
    /// Failures within the current window.
    pub failures: i32,
    /// When the window started.
    pub first_failure: DateTime<Utc>,
    /// Until when the account is locked, if this failure locked it.
    pub lock_expires: Option<DateTime<Utc>>,
}

/// Counts one more failure at `now`, given the stored count and window start. `max_failures`
/// of 0 never locks.
pub fn count_failure(
    failures_num: i32,
    first_failure: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    max_failures: i64,
    window: Duration,
) -> FailureCount {
    let window_over = first_failure.is_none_or(|first| now - first > window);
    if failures_num == 0 || window_over {
        return FailureCount {
            failures: 1,
            first_failure: now,
            lock_expires: None,
        };
    }
    let failures = failures_num + 1;
    FailureCount {
        failures,
        first_failure: first_failure.unwrap_or(now),
        lock_expires: (max_failures > 0 && i64::from(failures) >= max_failures)
            .then(|| now + window),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_lock_at_the_maximum_within_the_window() {
        let now = Utc::now();
        let window = Duration::minutes(10);
        let first = count_failure(0, None, now, 3, window);
        assert_eq!((first.failures, first.lock_expires), (1, None));
        let second = count_failure(1, Some(now), now, 3, window);
        assert_eq!((second.failures, second.lock_expires), (2, None));
        let third = count_failure(2, Some(now), now, 3, window);
        assert_eq!(third.lock_expires, Some(now + window));
        let later = count_failure(2, Some(now - Duration::minutes(11)), now, 3, window);
        assert_eq!((later.failures, later.first_failure), (1, now));
        assert_eq!(
            count_failure(9, Some(now), now, 0, window).lock_expires,
            None
        );
    }
}
