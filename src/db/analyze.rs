//! Fresh planner statistics after a bulk load.

use sqlx::PgExecutor;

/// The tables a coverage refresh (`db::coverage::refresh`) writes: `hotspot_days` and its
/// roll-ups (`db::rollups`).
pub const COVERAGE_TABLES: &[&str] = &[
    "hotspot_days",
    "hotspot_weeks",
    "hotspot_months",
    "district_days",
    "district_weeks",
    "district_months",
    "officer_days",
    "activity_days",
    "shift_days",
];

/// Runs ANALYZE on `tables` (names written in the code, never taken from input), so queries
/// after a bulk load are planned for the tables' new sizes rather than waiting for autovacuum.
/// Run after the load's commit, so that its locks are not held while ANALYZE samples, and a load
/// rolled back costs nothing.
pub async fn tables(db: impl PgExecutor<'_>, tables: &[&str]) -> Result<(), sqlx::Error> {
    sqlx::query(&format!("analyze {}", tables.join(", ")))
        .execute(db)
        .await?;
    Ok(())
}
