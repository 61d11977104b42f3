//! The roster of a week, as the grid shows it.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgExecutor;

/// A shift with the names the grid prints.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RosterShift {
    pub id: i64,
    pub team_id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub mode: String,
    pub status: String,
    pub notes: String,
    pub version: i32,
    pub member_names: Vec<String>,
    pub member_agencies: Vec<String>,
    pub hotspot_names: Vec<String>,
}

/// Shifts of a pilot starting on local dates `from..=to`, in time order.
pub async fn shifts(
    db: impl PgExecutor<'_>,
    pilot_id: i64,
    time_zone: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<RosterShift>, sqlx::Error> {
    sqlx::query_as(
        r#"select s.id, s.team_id, s.starts_at, s.ends_at, s.mode, s.status, s.notes, s.version,
                  coalesce(m.names, '{}') as member_names, coalesce(m.agencies, '{}') as member_agencies,
                  coalesce(h.names, '{}') as hotspot_names
             from shifts s
             left join lateral (select array_agg(o.name order by o.agency, o.name) as names,
                                       array_agg(o.agency order by o.agency, o.name) as agencies
                                  from shift_members sm join officers o on o.id = sm.officer_id
                                 where sm.shift_id = s.id) m on true
             left join lateral (select array_agg(hs.name order by hs.priority, hs.name) as names
                                  from shift_hotspots sh join hotspots hs on hs.id = sh.hotspot_id
                                 where sh.shift_id = s.id) h on true
            where s.pilot_id = $1 and (s.starts_at at time zone $2)::date between $3 and $4
            order by s.starts_at, s.id"#,
    )
    .bind(pilot_id)
    .bind(time_zone)
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await
}

/// Teams of a pilot: (id, name, agency, mode).
pub async fn teams(
    db: impl PgExecutor<'_>,
    pilot_id: i64,
) -> Result<Vec<(i64, String, String, String)>, sqlx::Error> {
    sqlx::query_as("select id, name, agency, mode from teams where pilot_id = $1 order by name")
        .bind(pilot_id)
        .fetch_all(db)
        .await
}
