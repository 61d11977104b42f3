//! Hotspots: the CPS-identified areas inside districts.

use serde_json::Value;
use sqlx::PgExecutor;

use super::pilots::Pilot;
use crate::domain::hotspot::Watch;
use crate::domain::ids::{DistrictId, HotspotId, PilotId};

/// A hotspot as the pages show it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Hotspot {
    pub id: HotspotId,
    pub district_id: DistrictId,
    pub name: String,
    /// When it is watched and what is aimed for.
    #[sqlx(flatten)]
    pub watch: Watch,
    /// Why the area was identified.
    pub reason: String,
    /// A GeoJSON Polygon.
    pub boundary: Value,
}

impl From<&Hotspot> for crate::coverage::Hotspot {
    fn from(h: &Hotspot) -> Self {
        crate::coverage::Hotspot {
            id: h.id,
            district_id: h.district_id,
            watch: h.watch.clone(),
        }
    }
}

/// Writes hotspot `name` of a pilot: adds it, or rewrites everything else about the pilot's
/// hotspot of that name. Its id.
pub async fn save(
    db: impl PgExecutor<'_>,
    pilot_id: PilotId,
    district_id: DistrictId,
    name: &str,
    watch: &Watch,
    reason: &str,
    boundary: &Value,
) -> Result<HotspotId, sqlx::Error> {
    sqlx::query_scalar(
        r#"insert into hotspots (pilot_id, district_id, name, priority, active_from, active_to,
                                 window_start, window_end, target_minutes_per_day,
                                 max_gap_minutes, reason, boundary)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
           on conflict on constraint hotspots_pilot_name_key do update
              set district_id = excluded.district_id, priority = excluded.priority,
                  active_from = excluded.active_from, active_to = excluded.active_to,
                  window_start = excluded.window_start, window_end = excluded.window_end,
                  target_minutes_per_day = excluded.target_minutes_per_day,
                  max_gap_minutes = excluded.max_gap_minutes, reason = excluded.reason,
                  boundary = excluded.boundary, version = hotspots.version + 1
           returning id"#,
    )
    .bind(pilot_id)
    .bind(district_id)
    .bind(name)
    .bind(watch.priority)
    .bind(watch.active_from)
    .bind(watch.active_to)
    .bind(watch.window_start)
    .bind(watch.window_end)
    .bind(watch.target_minutes_per_day)
    .bind(watch.max_gap_minutes)
    .bind(reason)
    .bind(boundary)
    .fetch_one(db)
    .await
}

/// The hotspots of a pilot, by priority and name.
pub async fn list(db: impl PgExecutor<'_>, pilot_id: PilotId) -> Result<Vec<Hotspot>, sqlx::Error> {
    sqlx::query_as(
        r#"select id, district_id, name, priority, active_from, active_to, window_start, window_end,
                  target_minutes_per_day, max_gap_minutes, reason, boundary
             from hotspots
            where pilot_id = $1
            order by priority, name"#,
    )
    .bind(pilot_id)
    .fetch_all(db)
    .await
}

/// A hotspot as its edit page shows it and its changes lock it: everything stored, with the
/// version the edit form carries.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredHotspot {
    pub id: HotspotId,
    pub pilot_id: PilotId,
    pub district_id: DistrictId,
    pub name: String,
    #[sqlx(flatten)]
    pub watch: Watch,
    pub reason: String,
    /// A GeoJSON Polygon.
    pub boundary: Value,
    pub version: i32,
}

/// The select of [`StoredHotspot`] for hotspot `$1`, then `$rest` (a lock, or nothing).
macro_rules! stored_hotspot {
    ($rest:literal) => {
        concat!(
            r#"select id, pilot_id, district_id, name, priority, active_from, active_to, window_start,
                  window_end, target_minutes_per_day, max_gap_minutes, reason, boundary, version
             from hotspots
            where id = $1"#,
            $rest
        )
    };
}

/// The select of the pilot of hotspot `$1`, then `$rest` (a lock, or nothing).
macro_rules! pilot_of_hotspot {
    ($rest:literal) => {
        concat!(
            r#"select p.id, p.slug, p.name, p.city, p.time_zone, p.starts_on, p.ends_on, p.block_minutes
             from pilots p join hotspots h on h.pilot_id = p.id
            where h.id = $1"#,
            $rest
        )
    };
}

/// Hotspot `id`.
pub async fn find(
    db: impl PgExecutor<'_>,
    id: HotspotId,
) -> Result<Option<StoredHotspot>, sqlx::Error> {
    sqlx::query_as(stored_hotspot!(""))
        .bind(id)
        .fetch_optional(db)
        .await
}

/// Hotspot `id`, locked until the transaction ends.
pub async fn lock(
    db: impl PgExecutor<'_>,
    id: HotspotId,
) -> Result<Option<StoredHotspot>, sqlx::Error> {
    sqlx::query_as(stored_hotspot!(" for update"))
        .bind(id)
        .fetch_optional(db)
        .await
}

/// The pilot of hotspot `id`.
pub async fn pilot_of(
    db: impl PgExecutor<'_>,
    id: HotspotId,
) -> Result<Option<Pilot>, sqlx::Error> {
    sqlx::query_as(pilot_of_hotspot!(""))
        .bind(id)
        .fetch_optional(db)
        .await
}

/// The pilot of hotspot `id`, its dates kept from changing until the transaction ends. A change
/// to a hotspot takes this before it locks the hotspot: pilot, then hotspot, then coverage.
pub async fn lock_pilot_of(
    db: impl PgExecutor<'_>,
    id: HotspotId,
) -> Result<Option<Pilot>, sqlx::Error> {
    sqlx::query_as(pilot_of_hotspot!(" for share of p"))
        .bind(id)
        .fetch_optional(db)
        .await
}

/// Gives hotspot `id` a name, watch and reason; its new version.
pub async fn set_attributes(
    db: impl PgExecutor<'_>,
    id: HotspotId,
    name: &str,
    watch: &Watch,
    reason: &str,
) -> Result<i32, sqlx::Error> {
    sqlx::query_scalar(
        r#"update hotspots
              set name = $2, priority = $3, active_from = $4, active_to = $5, window_start = $6,
                  window_end = $7, target_minutes_per_day = $8, max_gap_minutes = $9,
                  reason = $10, version = version + 1
            where id = $1
        returning version"#,
    )
    .bind(id)
    .bind(name)
    .bind(watch.priority)
    .bind(watch.active_from)
    .bind(watch.active_to)
    .bind(watch.window_start)
    .bind(watch.window_end)
    .bind(watch.target_minutes_per_day)
    .bind(watch.max_gap_minutes)
    .bind(reason)
    .fetch_one(db)
    .await
}

/// Gives hotspot `id` a new outline (a GeoJSON Polygon); its new version.
pub async fn set_boundary(
    db: impl PgExecutor<'_>,
    id: HotspotId,
    boundary: &Value,
) -> Result<i32, sqlx::Error> {
    sqlx::query_scalar(
        "update hotspots set boundary = $2, version = version + 1 where id = $1 returning version",
    )
    .bind(id)
    .bind(boundary)
    .fetch_one(db)
    .await
}

/// Whether the database refused a write because another hotspot of the pilot has the name.
pub fn is_name_taken(error: &sqlx::Error) -> bool {
    super::is_violation(error, "hotspots_pilot_name_key")
}
