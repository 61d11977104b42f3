//! Running a unit of work again when PostgreSQL gave up on it to break a deadlock or a
//! serialization conflict. The roster's writers lock in one order so this should not happen;
//! when something unforeseen still makes it happen, a fresh attempt nearly always goes through,
//! and the person saving should not see a failure the database asked us to retry.

use std::time::Duration;

/// How many times a unit of work is tried before its failure is returned.
pub const ATTEMPTS: u32 = 3;

/// SQLSTATE 40P01 (deadlock detected) or 40001 (serialization failure): the transaction was
/// rolled back and may simply be run again.
pub fn is_transient(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Database(e) => matches!(e.code().as_deref(), Some("40P01" | "40001")),
        _ => false,
    }
}

/// An error that may say the database asked for a retry.
pub trait Transient {
    /// Whether running the whole unit of work again may succeed.
    fn is_transient(&self) -> bool;
}

impl Transient for sqlx::Error {
    fn is_transient(&self) -> bool {
        is_transient(self)
    }
}

impl Transient for anyhow::Error {
    fn is_transient(&self) -> bool {
        self.chain().any(|cause| {
            cause
                .downcast_ref::<sqlx::Error>()
                .is_some_and(is_transient)
        })
    }
}

/// Runs `work` (which must open and finish its own transaction) up to [`ATTEMPTS`] times while it
/// fails with a transient error, waiting a little longer, with jitter, before each new attempt
/// so the writers that collided do not collide again.
pub async fn retrying<T, E, F, Fut>(mut work: F) -> Result<T, E>
where
    E: Transient,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let mut attempt = 1;
    loop {
        match work().await {
            Err(e) if e.is_transient() && attempt < ATTEMPTS => {
                tracing::warn!(attempt, "the database broke a lock conflict; trying again");
                tokio::time::sleep(backoff(attempt)).await;
                attempt += 1;
            }
            result => return result,
        }
    }
}

/// 20 ms doubled for each attempt made, plus up to as much again at random.
fn backoff(attempt: u32) -> Duration {
    let base = 20u64 << attempt.min(6);
    let mut byte = [0u8; 1];
    // Without a random byte the wait is merely not jittered.
    let _ = getrandom::getrandom(&mut byte);
    Duration::from_millis(base + base * u64::from(byte[0]) / 255)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_with_each_attempt_and_stays_short() {
        for attempt in 1..ATTEMPTS {
            let wait = backoff(attempt);
            assert!(wait >= Duration::from_millis(20 << attempt));
            assert!(wait <= Duration::from_millis(40 << attempt));
        }
    }

    #[test]
    fn only_deadlocks_and_serialization_failures_are_retried() {
        assert!(!is_transient(&sqlx::Error::RowNotFound));
        let wrapped = anyhow::Error::new(sqlx::Error::PoolTimedOut).context("writing");
        assert!(!wrapped.is_transient());
    }
}
