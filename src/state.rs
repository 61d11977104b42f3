//! What every handler can reach.

use std::sync::Arc;

use axum::extract::FromRef;
use sqlx::PgPool;

use crate::config::Config;
use crate::export::stream::ExportSlots;
use crate::web::login::PasswordChecks;

/// Shared application state: the pool, the configuration, the places for running exports and the
/// turns to check passwords.
#[derive(Clone)]
pub struct AppState {
    pub db: PgPool,
    pub config: Arc<Config>,
    pub exports: ExportSlots,
    pub password_checks: PasswordChecks,
}

impl AppState {
    /// The state of a server over `db`: one password check per core at a time.
    pub fn new(db: PgPool, config: Config) -> AppState {
        AppState {
            db,
            config: Arc::new(config),
            exports: ExportSlots::new(),
            password_checks: PasswordChecks::per_core(),
        }
    }
}

impl FromRef<AppState> for PgPool {
    fn from_ref(state: &AppState) -> PgPool {
        state.db.clone()
    }
}
