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

/// The codes and names of a pilot's districts that have hotspots, by name: what a filter offers.
pub async fn with_hotspots(
    db: impl PgExecutor<'_>,
    pilot_id: PilotId,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        r#"select d.code, d.name from districts d
            where d.pilot_id = $1 and exists (select 1 from hotspots h where h.district_id = d.id)
            order by d.name"#,
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

/// A district as its edit page shows it and its rename locks it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredDistrict {
    pub id: DistrictId,
    pub pilot_id: PilotId,
    /// The slug of its pilot, for links and the audit log.
    pub pilot_slug: String,
    pub pilot_name: String,
    pub code: String,
    pub name: String,
}

/// The select of [`StoredDistrict`] for district `$1`, then `$rest` (a lock, or nothing).
macro_rules! stored_district {
    ($rest:literal) => {
        concat!(
            r#"select d.id, d.pilot_id, p.slug as pilot_slug, p.name as pilot_name, d.code, d.name
             from districts d join pilots p on p.id = d.pilot_id
            where d.id = $1"#,
            $rest
        )
    };
}

/// District `id`.
pub async fn find(
    db: impl PgExecutor<'_>,
    id: DistrictId,
) -> Result<Option<StoredDistrict>, sqlx::Error> {
    sqlx::query_as(stored_district!(""))
        .bind(id)
        .fetch_optional(db)
        .await
}

/// District `id`, locked until the transaction ends.
pub async fn lock(
    db: impl PgExecutor<'_>,
    id: DistrictId,
) -> Result<Option<StoredDistrict>, sqlx::Error> {
    sqlx::query_as(stored_district!(" for update of d"))
        .bind(id)
        .fetch_optional(db)
        .await
}

/// Renames district `id`.
pub async fn set_name(
    db: impl PgExecutor<'_>,
    id: DistrictId,
    name: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("update districts set name = $2 where id = $1")
        .bind(id)
        .bind(name)
        .execute(db)
        .await?;
    Ok(())
}

/// Whether the database refused a write because another district of the pilot has the name.
pub fn is_name_taken(error: &sqlx::Error) -> bool {
    super::is_violation(error, "districts_pilot_name_key")
}
