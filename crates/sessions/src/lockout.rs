//! Adobe Commerce's rule for counting failed sign-ins, shared by staff and shopper accounts:
//! failures count from the first one within the lockout window, and reaching the maximum locks
//! the account for the length of the window.
//!
//! Under concurrency the count must hold too, so an attempt is counted *before* its password is
//! checked: [`reserve_attempt`] counts it with the failures and the attempts still under way (an
//! attempt beyond the allowance is refused, whatever its password), and [`after_right_password`]
//! lets a right password sign in only if no lock was set meanwhile. Reservations are kept either in
//! the failure count itself ([`after_wrong_password`] then locks when the attempt that reached the
//! maximum fails, and [`release_attempt`] takes back a right password's reservation) or apart
//! from it, as rows of their own ([`record_wrong_password`] then counts the failure as it
//! finishes), which spares the account row a write on every sign-in. Each caller applies these to
//! its own rows, read and written under a row lock in one transaction.

use chrono::{DateTime, Duration, Utc};

/// An account's failure count after one more failed sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FailureCount {
    failures: i32,
    first_failure: DateTime<Utc>,
    lock_expires: Option<DateTime<Utc>>,
}

/// The failure columns of an account row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LockState {
    /// Failures within the window (with the attempts under way, where reservations are kept in
    /// the count itself).
    pub failures: i32,
    /// When the window started.
    pub first_failure: Option<DateTime<Utc>>,
    /// Until when the account is locked.
    pub lock_expires: Option<DateTime<Utc>>,
}

impl LockState {
    /// Whether the account is locked at `now`.
    pub fn is_locked(&self, now: DateTime<Utc>) -> bool {
        self.lock_expires.is_some_and(|until| until > now)
    }
}

/// How many failures lock an account, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockoutPolicy {
    /// Failures within the window that lock the account (0: never lock).
    pub max_failures: i64,
    /// The window, which is also how long a lock lasts.
    pub window: Duration,
}

/// What to do with a sign-in attempt before its password is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reservation {
    /// Check the password. Where reservations are kept in the failure count, store `state`
    /// first; `attempt` is the attempt's place in the window.
    Granted {
        /// The row's new failure columns.
        state: LockState,
        /// 1 for the first attempt of the window, and so on.
        attempt: i32,
    },
    /// Refuse without checking the password; store `lock` if it is `Some`.
    Refused {
        /// A lock to store: the allowance was used up by attempts still under way.
        lock: Option<LockState>,
    },
}

/// Counts one more failure at `now`, given the stored count and window start. `max_failures`
/// of 0 never locks.
fn count_failure(
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

/// The count after one more failure of an unlocked account; a lock that has run out starts a
/// fresh window.
fn one_more_failure(state: LockState, now: DateTime<Utc>, policy: LockoutPolicy) -> FailureCount {
    let (failures, first_failure) = if state.lock_expires.is_some() {
        (0, None)
    } else {
        (state.failures, state.first_failure)
    };
    count_failure(
        failures,
        first_failure,
        now,
        policy.max_failures,
        policy.window,
    )
}

/// Reserves an attempt at `now`: counts it as a failure until its password proves right, so
/// attempts under way use up the allowance as they start, not as they finish. `in_flight` is the
/// number of attempts already reserved and not yet settled that `stored` does not count (0 where
/// reservations are stored in the failure count itself).
pub fn reserve_attempt(
    stored: LockState,
    in_flight: i32,
    now: DateTime<Utc>,
    policy: LockoutPolicy,
) -> Reservation {
    let Some(allowed) = attempts_allowed_under_way(stored, now, policy) else {
        return Reservation::Refused { lock: None };
    };
    let in_flight = in_flight.max(0);
    if i64::from(in_flight) > allowed {
        return Reservation::Refused {
            lock: Some(crowded_lock(stored, now, policy)),
        };
    }
    let count = one_more_failure(stored, now, policy);
    Reservation::Granted {
        state: LockState {
            failures: count.failures,
            first_failure: Some(count.first_failure),
            lock_expires: None,
        },
        attempt: count.failures + in_flight,
    }
}

/// How many attempts, kept apart from the failure count, may already be under way for one more
/// starting at `now` to be granted: [`reserve_attempt`] grants exactly when its `in_flight` is at
/// most this. `None`: the account is locked. It lets a store count the attempts under way and
/// reserve one in a single statement.
pub fn attempts_allowed_under_way(
    stored: LockState,
    now: DateTime<Utc>,
    policy: LockoutPolicy,
) -> Option<i64> {
    if stored.is_locked(now) {
        return None;
    }
    if policy.max_failures <= 0 {
        return Some(i64::MAX);
    }
    let count = one_more_failure(stored, now, policy);
    Some(policy.max_failures - i64::from(count.failures))
}

/// The lock an attempt starting at `now` stores when it finds more attempts under way than
/// [`attempts_allowed_under_way`] allows.
pub fn crowded_lock(stored: LockState, now: DateTime<Utc>, policy: LockoutPolicy) -> LockState {
    let count = one_more_failure(stored, now, policy);
    LockState {
        failures: count.failures,
        first_failure: Some(count.first_failure),
        lock_expires: Some(now + policy.window),
    }
}

/// The row's new state when a wrong password is recorded as it finishes (where reservations are
/// kept apart from the failure count): one more failure in the window, and the lock once the
/// maximum is reached. A lock set meanwhile is kept as it is, never extended.
pub fn record_wrong_password(
    current: LockState,
    now: DateTime<Utc>,
    policy: LockoutPolicy,
) -> LockState {
    if current.is_locked(now) {
        return current;
    }
    let count = one_more_failure(current, now, policy);
    LockState {
        failures: count.failures,
        first_failure: Some(count.first_failure),
        lock_expires: count.lock_expires,
    }
}

/// Whether reserved `attempt`, should it prove wrong, may lock the account: only the attempt that
/// reached the maximum does, so the others need not read the row again.
pub fn may_lock(attempt: i32, policy: LockoutPolicy) -> bool {
    policy.max_failures > 0 && i64::from(attempt) >= policy.max_failures
}

/// The row's new state after reserved `attempt` proved wrong: the attempt that reached the
/// maximum locks the account, unless a sign-in cleared the count meanwhile. `None`: no change.
pub fn after_wrong_password(
    current: LockState,
    attempt: i32,
    now: DateTime<Utc>,
    policy: LockoutPolicy,
) -> Option<LockState> {
    let reached = may_lock(attempt, policy);
    (reached && current.failures >= attempt && !current.is_locked(now)).then(|| LockState {
        lock_expires: Some(now + policy.window),
        ..current
    })
}

/// Whether a right password may sign in given the row's current state: not when a lock was set
/// while the password was being checked.
pub fn after_right_password(current: LockState, now: DateTime<Utc>) -> bool {
    !current.is_locked(now)
}

/// The row's state once the reservation of a right password is taken back.
pub fn release_attempt(current: LockState) -> LockState {
    LockState {
        failures: (current.failures - 1).max(0),
        ..current
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: LockoutPolicy = LockoutPolicy {
        max_failures: 3,
        window: Duration::minutes(10),
    };

    fn granted(reservation: Reservation) -> (LockState, i32) {
        match reservation {
            Reservation::Granted { state, attempt } => (state, attempt),
            Reservation::Refused { .. } => panic!("refused: {reservation:?}"),
        }
    }

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

    #[test]
    fn attempts_under_way_use_up_the_allowance_before_any_finishes() {
        let now = Utc::now();
        let mut state = LockState::default();
        let mut attempts = Vec::new();
        for _ in 0..3 {
            let (next, attempt) = granted(reserve_attempt(state, 0, now, POLICY));
            state = next;
            attempts.push(attempt);
        }
        assert_eq!(attempts, [1, 2, 3]);
        let Reservation::Refused { lock: Some(lock) } = reserve_attempt(state, 0, now, POLICY)
        else {
            panic!("a fourth attempt under way must be refused");
        };
        assert!(lock.is_locked(now));
        assert!(!after_right_password(lock, now));
    }

    #[test]
    fn the_attempt_that_reaches_the_maximum_locks_when_it_fails() {
        let now = Utc::now();
        let state = LockState {
            failures: 3,
            first_failure: Some(now),
            lock_expires: None,
        };
        assert_eq!(after_wrong_password(state, 2, now, POLICY), None);
        let locked = after_wrong_password(state, 3, now, POLICY).expect("locks");
        assert_eq!(locked.lock_expires, Some(now + POLICY.window));
        assert!(!after_right_password(locked, now));
        // A sign-in cleared the count meanwhile: the late failure does not lock.
        let cleared = LockState::default();
        assert_eq!(after_wrong_password(cleared, 3, now, POLICY), None);
        let never = LockoutPolicy {
            max_failures: 0,
            ..POLICY
        };
        assert_eq!(after_wrong_password(state, 99, now, never), None);
    }

    #[test]
    fn attempts_reserved_apart_count_with_the_recorded_failures() {
        let now = Utc::now();
        let stored = LockState {
            failures: 1,
            first_failure: Some(now),
            lock_expires: None,
        };
        let (_, attempt) = granted(reserve_attempt(stored, 1, now, POLICY));
        assert_eq!(attempt, 3);
        let Reservation::Refused { lock: Some(_) } = reserve_attempt(stored, 2, now, POLICY) else {
            panic!("a fourth attempt in all must be refused");
        };
        let recorded = record_wrong_password(stored, now, POLICY);
        assert_eq!((recorded.failures, recorded.lock_expires), (2, None));
        let locked = record_wrong_password(recorded, now, POLICY);
        assert_eq!(locked.lock_expires, Some(now + POLICY.window));
        assert_eq!(
            record_wrong_password(locked, now, POLICY),
            locked,
            "never extended"
        );
    }

    #[test]
    fn a_lock_that_ran_out_starts_a_fresh_window() {
        let now = Utc::now();
        let expired = LockState {
            failures: 4,
            first_failure: Some(now - POLICY.window),
            lock_expires: Some(now - Duration::seconds(1)),
        };
        let (state, attempt) = granted(reserve_attempt(expired, 0, now, POLICY));
        assert_eq!((attempt, state.lock_expires), (1, None));
        assert_eq!(release_attempt(state).failures, 0);
        assert_eq!(release_attempt(LockState::default()).failures, 0);
    }

    #[test]
    fn the_allowance_under_way_grants_exactly_what_reserving_grants() {
        let now = Utc::now();
        let never = LockoutPolicy {
            max_failures: 0,
            ..POLICY
        };
        for policy in [POLICY, never] {
            for failures in 0..6 {
                for (first_failure, lock_expires) in [
                    (None, None),
                    (Some(now), None),
                    (Some(now - POLICY.window * 2), None),
                    (Some(now), Some(now + Duration::minutes(1))),
                    (Some(now - POLICY.window), Some(now - Duration::seconds(1))),
                ] {
                    let stored = LockState {
                        failures,
                        first_failure,
                        lock_expires,
                    };
                    let allowed = attempts_allowed_under_way(stored, now, policy);
                    for in_flight in 0..8 {
                        let granted = matches!(
                            reserve_attempt(stored, in_flight, now, policy),
                            Reservation::Granted { .. }
                        );
                        let within = allowed.is_some_and(|n| i64::from(in_flight) <= n);
                        assert_eq!(granted, within, "{stored:?} with {in_flight} under way");
                        if !granted && allowed.is_some() {
                            assert_eq!(
                                reserve_attempt(stored, in_flight, now, policy),
                                Reservation::Refused {
                                    lock: Some(crowded_lock(stored, now, policy))
                                }
                            );
                        }
                    }
                }
            }
        }
    }
}
