//! Districts: the coverage areas of a pilot.

use sqlx::PgExecutor;

use crate::domain::ids::{DistrictId, PilotId};

/// A district with its boundary (GeoJSON MultiPolygon).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct District {
    pub id: DistrictId,
    pub code: String,
    pub name: String,
    pub boundary: serde_json::Value,
}

/// The districts of a pilot, by name.
pub async fn list(
    db: impl PgExecutor<'_>,
    pilot_id: PilotId,
) -> Result<Vec<District>, sqlx::Error> {
    sqlx::query_as(
        "select id, code, name, boundary from districts where pilot_id = $1 order by name",
    )
    .bind(pilot_id)
    .fetch_all(db)
    .await
}

/// Writes district `code` of a pilot: adds it, or renames and redraws the pilot's district with
/// that code. Its id.
pub async fn save(
    db: impl PgExecutor<'_>,
    pilot_id: PilotId,
    code: &str,
    name: &str,
    boundary: &serde_json::Value,
) -> Result<DistrictId, sqlx::Error> {
    sqlx::query_scalar(
        r#"insert into districts (pilot_id, code, name, boundary) values ($1, $2, $3, $4)
           on conflict on constraint districts_pilot_code_key do update
              set name = excluded.name, boundary = excluded.boundary
           returning id"#,
    )
    .bind(pilot_id)
    .bind(code)
    .bind(name)
    .bind(boundary)
    .fetch_one(db)
    .await
}
