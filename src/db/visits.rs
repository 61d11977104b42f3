//! Visits of shifts to hotspots.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgExecutor;

use crate::domain::ids::{HotspotId, VisitId};

/// A visit as the hotspot page lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VisitRow {
    pub id: VisitId,
    pub arrived_at: DateTime<Utc>,
    pub departed_at: DateTime<Utc>,
    pub source: String,
    pub team: String,
    pub members: i64,
}

/// Visits to a hotspot arriving on a local date in the range, in time order: `limit` of them
/// after the first `offset`.
pub async fn for_hotspot(
    db: impl PgExecutor<'_>,
    hotspot_id: HotspotId,
    time_zone: &str,
    (from, to): (NaiveDate, NaiveDate),
    (limit, offset): (i64, i64),
) -> Result<Vec<VisitRow>, sqlx::Error> {
    let (start, end) = super::day_bounds(time_zone, from, to);
    sqlx::query_as(
        r#"select v.id, v.arrived_at, v.departed_at, v.source, t.name as team,
                  (select count(*) from shift_members m where m.shift_id = v.shift_id) as members
             from visits v
             join shifts s on s.id = v.shift_id
             join teams t on t.id = s.team_id
            where v.hotspot_id = $1 and v.arrived_at >= $2 and v.arrived_at < $3
            order by v.arrived_at, v.id
            limit $4 offset $5"#,
    )
    .bind(hotspot_id)
    .bind(start)
    .bind(end)
    .bind(limit)
    .bind(offset)
    .fetch_all(db)
    .await
}

/// How many visits to a hotspot arrive on a local date in the range.
pub async fn count_for_hotspot(
    db: impl PgExecutor<'_>,
    hotspot_id: HotspotId,
    time_zone: &str,
    (from, to): (NaiveDate, NaiveDate),
) -> Result<i64, sqlx::Error> {
    let (start, end) = super::day_bounds(time_zone, from, to);
    sqlx::query_scalar(
        "select count(*) from visits where hotspot_id = $1 and arrived_at >= $2 and arrived_at < $3",
    )
    .bind(hotspot_id)
    .bind(start)
    .bind(end)
    .fetch_one(db)
    .await
}
