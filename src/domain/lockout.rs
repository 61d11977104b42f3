//! The slow-down after repeated failed sign-ins for one username.

use chrono::{DateTime, Duration, Utc};

/// Failures allowed before the username is locked out for a while.
pub const FREE_ATTEMPTS: i32 = 5;
/// Longest lockout, however many failures.
const MAX_LOCKOUT: Duration = Duration::minutes(15);

/// How long sign-in for a username stays refused after `failures` consecutive failures, the last at
/// `last_failed_at`: 30 s after the fifth failure, doubling with each further one, at most 15 min.
pub fn remaining(
    failures: i32,
    last_failed_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Option<Duration> {
    if failures < FREE_ATTEMPTS {
        return None;
    }
    let doublings = (failures - FREE_ATTEMPTS).min(10) as u32;
    let lockout = (Duration::seconds(30) * 2i32.pow(doublings)).min(MAX_LOCKOUT);
    let remaining = last_failed_at + lockout - now;
    (remaining > Duration::zero()).then_some(remaining)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_failures_do_not_lock_the_username() {
        let now = Utc::now();
        assert_eq!(remaining(4, now, now), None);
    }

    #[test]
    fn the_fifth_failure_locks_for_30_seconds_and_more_double_it() {
        let now = Utc::now();
        assert_eq!(remaining(5, now, now), Some(Duration::seconds(30)));
        assert_eq!(remaining(6, now, now), Some(Duration::seconds(60)));
        assert_eq!(remaining(5, now - Duration::seconds(31), now), None);
        assert_eq!(remaining(40, now, now), Some(Duration::minutes(15)));
    }
}
