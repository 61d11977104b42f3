//! Officers, their hours and their shifts in a pilot.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgExecutor;

use crate::domain::agency::AgencyCode;
use crate::domain::ids::{OfficerId, PilotId, ShiftId};
use crate::domain::{Mode, ShiftStatus};

use super::day_bounds;

/// An officer of a pilot with their work in a range.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OfficerSummary {
    pub id: OfficerId,
    pub agency: AgencyCode,
    pub badge_number: String,
    pub name: String,
    pub rank: String,
    /// The team they were on most often in the range, if any.
    pub team: Option<String>,
    pub shifts: i64,
    pub seconds: f64,
}

/// Officers assigned to a pilot, with non-cancelled shifts starting on a local date in the range,
/// by agency (in the order of the agencies' names) and name.
pub async fn list(
    db: impl PgExecutor<'_>,
    pilot_id: PilotId,
    time_zone: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<OfficerSummary>, sqlx::Error> {
    let (start, end) = day_bounds(time_zone, from, to);
    sqlx::query_as(
        r#"with worked as (
               select m.officer_id, s.team_id,
                      extract(epoch from s.ends_at - s.starts_at)::float8 as seconds
                 from shifts s join shift_members m on m.shift_id = s.id
                where s.pilot_id = $1 and s.status <> 'cancelled'
                  and s.starts_at >= $2 and s.starts_at < $3),
           totals as (
               select officer_id, count(*) as shifts, sum(seconds) as seconds
                 from worked group by officer_id),
           usual_team as (
               -- The team each officer was on most often (by name on a tie).
               select distinct on (w.officer_id) w.officer_id, t.name
                 from (select officer_id, team_id, count(*) as n
                         from worked group by officer_id, team_id) w
                 join teams t on t.id = w.team_id
                order by w.officer_id, w.n desc, t.name)
           select o.id, o.agency, o.badge_number, o.name, o.rank, u.name as team,
                  coalesce(x.shifts, 0) as shifts, coalesce(x.seconds, 0) as seconds
             from officers o
             join agencies g on g.code = o.agency
             left join totals x on x.officer_id = o.id
             left join usual_team u on u.officer_id = o.id
            where exists (select 1 from assignments a where a.officer_id = o.id and a.pilot_id = $1)
            order by g.name, o.agency, o.name"#,
    )
    .bind(pilot_id)
    .bind(start)
    .bind(end)
    .fetch_all(db)
    .await
}

/// Who an officer is.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OfficerProfile {
    pub agency: AgencyCode,
    pub badge_number: String,
    pub name: String,
    pub rank: String,
    pub home_unit: String,
}

/// One officer of a pilot; `None` when not assigned to it.
pub async fn find(
    db: impl PgExecutor<'_>,
    pilot_id: PilotId,
    officer_id: OfficerId,
) -> Result<Option<OfficerProfile>, sqlx::Error> {
    sqlx::query_as(
        r#"select o.agency, o.badge_number, o.name, o.rank, o.home_unit
             from officers o
            where o.id = $2 and exists (select 1 from assignments a where a.officer_id = o.id and a.pilot_id = $1)"#,
    )
    .bind(pilot_id)
    .bind(officer_id)
    .fetch_optional(db)
    .await
}

/// A shift an officer worked (or was rostered on).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OfficerShift {
    pub id: ShiftId,
    pub team: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub status: ShiftStatus,
    pub mode: Mode,
    pub hotspots: Vec<String>,
    pub partners: Vec<String>,
}

/// The officer's shifts starting on a local date in the range, in time order.
pub async fn shifts(
    db: impl PgExecutor<'_>,
    pilot_id: PilotId,
    officer_id: OfficerId,
    time_zone: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<OfficerShift>, sqlx::Error> {
    sqlx::query_as(
        r#"select s.id, t.name as team, s.starts_at, s.ends_at, s.status, s.mode,
                  coalesce((select array_agg(h.name order by h.name) from shift_hotspots sh
                              join hotspots h on h.id = sh.hotspot_id where sh.shift_id = s.id), '{}') as hotspots,
                  coalesce((select array_agg(o.name order by o.name) from shift_members sm
                              join officers o on o.id = sm.officer_id
                             where sm.shift_id = s.id and sm.officer_id <> $2), '{}') as partners
             from shifts s
             join shift_members m on m.shift_id = s.id and m.officer_id = $2
             join teams t on t.id = s.team_id
            where s.pilot_id = $1 and (s.starts_at at time zone $3)::date between $4 and $5
            order by s.starts_at"#,
    )
    .bind(pilot_id)
    .bind(officer_id)
    .bind(time_zone)
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await
}
