//! Hotspots: the CPS-identified areas inside districts.

use serde_json::Value;
use sqlx::PgExecutor;

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
                  boundary = excluded.boundary
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
