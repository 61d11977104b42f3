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

/// Visits to a hotspot arriving on a local date in the range, in time order.
pub async fn for_hotspot(
    db: impl PgExecutor<'_>,
    hotspot_id: HotspotId,
    time_zone: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<VisitRow>, sqlx::Error> {
    sqlx::query_as(
        r#"select v.id, v.arrived_at, v.departed_at, v.source, t.name as team,
                  (select count(*) from shift_members m where m.shift_id = v.shift_id) as members
             from visits v
             join shifts s on s.id = v.shift_id
             join teams t on t.id = s.team_id
            where v.hotspot_id = $1 and (v.arrived_at at time zone $2)::date between $3 and $4
            order by v.arrived_at"#,
    )
    .bind(hotspot_id)
    .bind(time_zone)
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await
}
