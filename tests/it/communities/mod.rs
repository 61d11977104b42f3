//! A city's communities as reference data: a pilot's districts chosen among them, and the City's
//! statistics kept per city.

mod choice;
mod context;
mod isolation;
mod migration;

use patrolboard::import::Kind;
use sqlx::PgPool;

use crate::imports::{BOUNDARIES_CSV, data, run};

/// The page of the fixture pilot `test` for choosing districts.
const PAGE: &str = "/pilots/test/districts/from-communities";

/// Calgary's 13 downtown and inner-city communities, imported.
async fn calgary_communities(db: &PgPool) {
    let report = run(
        db,
        Kind::Communities,
        Some("Calgary"),
        &data(BOUNDARIES_CSV),
        false,
    )
    .await;
    assert!(report.applied, "{:?}", report.errors);
}
