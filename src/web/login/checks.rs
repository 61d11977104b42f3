//! The bound on password checks (and hashes of new passwords) running at once.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::domain::password;

/// How long an attempt waits for a turn before it is told to come back later.
const WAIT_FOR_TURN: Duration = Duration::from_secs(2);

/// Turns to check a password, one per core. A check takes about 19 MiB and a core for tens of
/// milliseconds, so a flood of attempts checked all at once exhausts memory; with turns, the
/// flood waits, and what waits too long is refused without being checked. Each turn reuses the
/// working memory of an earlier one, so the memory of checks stays at one buffer per turn.
#[derive(Clone)]
pub struct PasswordChecks {
    turns: Arc<Semaphore>,
    wait: Duration,
    scratch: Arc<Mutex<Vec<password::Scratch>>>,
}

/// All turns stayed taken for as long as an attempt may wait.
#[derive(Debug)]
pub struct Busy;

/// A turn to check one password, taken before the attempt touches the database.
pub struct Turn {
    permit: OwnedSemaphorePermit,
    scratch: Arc<Mutex<Vec<password::Scratch>>>,
}

impl PasswordChecks {
    /// One turn per core this process may use.
    pub fn per_core() -> PasswordChecks {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        PasswordChecks::new(cores, WAIT_FOR_TURN)
    }

    /// `turns` checks at once; an attempt waits at most `wait` for one.
    pub fn new(turns: usize, wait: Duration) -> PasswordChecks {
        PasswordChecks {
            turns: Arc::new(Semaphore::new(turns.max(1))),
            wait,
            scratch: Arc::default(),
        }
    }

    /// Waits for a turn, first come first served, for a short while at most.
    pub async fn turn(&self) -> Result<Turn, Busy> {
        match tokio::time::timeout(self.wait, self.turns.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(Turn {
                permit,
                scratch: self.scratch.clone(),
            }),
            _ => Err(Busy),
        }
    }

    /// Seconds to tell a refused client to wait before trying again.
    pub fn retry_after_secs(&self) -> u64 {
        self.wait.as_secs().max(1) + 1
    }
}

impl Turn {
    /// Whether `attempt` matches `hash`; with no hash (an unknown username), checks it against a
    /// decoy so that an unknown username costs the same time as a wrong password.
    pub async fn verify(self, attempt: String, hash: Option<String>) -> anyhow::Result<bool> {
        self.run(move |scratch| {
            let hash = hash.as_deref().unwrap_or(password::decoy_hash());
            password::verify_in(&attempt, hash, scratch)
        })
        .await
    }

    /// The hash of a new password (one that passed [`password::check`]).
    pub async fn hash(self, new: String) -> anyhow::Result<String> {
        Ok(self
            .run(move |scratch| password::hash_in(&new, scratch))
            .await??)
    }

    /// The hash of `new` if `current` matches `hash`, else `None`: a change of password, checked
    /// and hashed in one turn.
    pub async fn verify_then_hash(
        self,
        current: String,
        hash: String,
        new: String,
    ) -> anyhow::Result<Option<String>> {
        let hashed = self
            .run(move |scratch| {
                password::verify_in(&current, &hash, scratch)
                    .then(|| password::hash_in(&new, scratch))
                    .transpose()
            })
            .await??;
        Ok(hashed)
    }

    /// Runs `work` with a buffer of working memory on a blocking thread. The turn goes with it and
    /// ends with it, even if the request is given up meanwhile.
    async fn run<T: Send + 'static>(
        self,
        work: impl FnOnce(&mut password::Scratch) -> T + Send + 'static,
    ) -> anyhow::Result<T> {
        let Turn { permit, scratch } = self;
        let done = tokio::task::spawn_blocking(move || {
            // A turn hands its buffer back before its permit, so there is one buffer per turn.
            let mut buffer = scratch
                .lock()
                .ok()
                .and_then(|mut s| s.pop())
                .unwrap_or_default();
            let done = work(&mut buffer);
            if let Ok(mut buffers) = scratch.lock() {
                buffers.push(buffer);
            }
            drop(permit);
            done
        })
        .await?;
        Ok(done)
    }
}
