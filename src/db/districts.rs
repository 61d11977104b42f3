//! Districts: the coverage areas of a pilot.

use sqlx::PgExecutor;

/// A district with its boundary (GeoJSON MultiPolygon).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct District {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub boundary: serde_json::Value,
}

/// The districts of a pilot, by name.
pub async fn list(db: impl PgExecutor<'_>, pilot_id: i64) -> Result<Vec<District>, sqlx::Error> {
    sqlx::query_as(
        "select id, code, name, boundary from districts where pilot_id = $1 order by name",
    )
    .bind(pilot_id)
    .fetch_all(db)
    .await
}
