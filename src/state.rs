//! What every handler can reach.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::FromRef;
use sqlx::PgPool;

use crate::config::Config;
use crate::db::officers::OfficerSummary;
use crate::evaluation::Study;
use crate::export::stream::ExportSlots;
use crate::web::city_outlines::CityOutlines;
use crate::web::dashboard::DashboardView;
use crate::web::login::PasswordChecks;
use crate::web::roster::WeekData;
use crate::web::view_cache::ViewCache;

/// Shared application state: the pool, the configuration, the places for running exports, the
/// turns to check passwords, and this server's caches of computed views.
#[derive(Clone)]
pub struct AppState {
    pub db: PgPool,
    pub config: Arc<Config>,
    pub exports: ExportSlots,
    pub password_checks: PasswordChecks,
    /// Dashboards without their layout, by pilot data version.
    pub dashboards: ViewCache<Arc<DashboardView>>,
    /// The coverage API's JSON, by pilot data version.
    pub coverage_api: ViewCache<Bytes>,
    /// The officers list's rows (hours and shifts by officer), by pilot data version.
    pub officer_lists: ViewCache<Arc<Vec<OfficerSummary>>>,
    /// What a roster week reads from the database, by pilot data version and week.
    pub roster_weeks: ViewCache<Arc<WeekData>>,
    /// Each city's community outlines, for the dashboard map's context.
    pub city_outlines: CityOutlines,
    /// What an evaluation is computed from (boundaries and counts read, areas worked out), by
    /// pilot data version and dataset.
    pub evaluation_studies: ViewCache<Arc<Study>>,
}

impl AppState {
    /// The state of a server over `db`: one password check per core at a time, empty caches.
    pub fn new(db: PgPool, config: Config) -> AppState {
        AppState {
            dashboards: ViewCache::new(config.view_cache_entries),
            coverage_api: ViewCache::new(config.view_cache_entries),
            officer_lists: ViewCache::new(config.view_cache_entries),
            roster_weeks: ViewCache::new(config.view_cache_entries),
            city_outlines: CityOutlines::default(),
            evaluation_studies: ViewCache::new(config.view_cache_entries),
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
