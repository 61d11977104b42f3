//! Hotspots: the CPS-identified areas inside districts.

use chrono::{NaiveDate, NaiveTime};
use sqlx::PgExecutor;

/// A hotspot as the pages show it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Hotspot {
    pub id: i64,
    pub district_id: i64,
    pub name: String,
    pub priority: i16,
    pub active_from: NaiveDate,
    pub active_to: Option<NaiveDate>,
    pub window_start: NaiveTime,
    pub window_end: NaiveTime,
    pub target_minutes_per_day: i32,
    pub max_gap_minutes: i32,
    pub reason: String,
    pub boundary: serde_json::Value,
}

impl From<&Hotspot> for crate::coverage::Hotspot {
    fn from(h: &Hotspot) -> Self {
        crate::coverage::Hotspot {
            id: h.id,
            district_id: h.district_id,
            priority: h.priority,
            active_from: h.active_from,
            active_to: h.active_to,
            window_start: h.window_start,
            window_end: h.window_end,
            target_minutes_per_day: h.target_minutes_per_day,
            max_gap_minutes: h.max_gap_minutes,
        }
    }
}

/// The hotspots of a pilot, by priority and name.
pub async fn list(db: impl PgExecutor<'_>, pilot_id: i64) -> Result<Vec<Hotspot>, sqlx::Error> {
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
