//! Configuration from flags and environment variables.

use std::path::PathBuf;
use std::time::Duration;

/// What the server needs to know beyond the database.
#[derive(Debug, Clone)]
pub struct Config {
    /// Mark the session cookie `Secure`: set when users reach the server over HTTPS.
    pub secure_cookies: bool,
    /// How long a sign-in lasts.
    pub session_ttl: Duration,
    /// Longest time a request may take before it is answered with 503.
    pub request_timeout: Duration,
    /// Largest request body accepted, in bytes.
    pub body_limit: usize,
    /// Where the private cluster and the demo accounts file live.
    pub data_dir: PathBuf,
    /// Computed views each cache keeps (the dashboard's, the coverage API's); 0 turns them off.
    pub view_cache_entries: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            secure_cookies: false,
            session_ttl: Duration::from_secs(12 * 60 * 60),
            request_timeout: Duration::from_secs(30),
            body_limit: 2 * 1024 * 1024,
            data_dir: PathBuf::from(".patrolboard"),
            view_cache_entries: 256,
        }
    }
}
