//! A pilot's roster as people read it: shifts with their names (a week of the grid, a calendar
//! feed), the teams and officers that may be rostered, and the rules a new shift is checked
//! against.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use sqlx::{PgConnection, PgExecutor};

use crate::domain::agency::AgencyCode;
use crate::domain::ids::{OfficerId, PilotId, ShiftId, TeamId};
use crate::domain::roster_rules::{RosterRules, Team};
use crate::domain::{Mode, ShiftStatus};

/// A shift with the names people read: on the roster grid and in the calendar feeds.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ShiftView {
    pub id: ShiftId,
    /// The pilot's name.
    pub pilot: String,
    pub team_id: TeamId,
    /// The team's name.
    pub team: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub mode: Mode,
    pub status: ShiftStatus,
    pub notes: String,
    pub cancel_reason: String,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The names of its hotspots, by priority and name.
    pub hotspots: Vec<String>,
    /// The codes of the districts of `hotspots`.
    pub districts: Vec<String>,
    /// Its officers by name (then id): their ids, names and agencies.
    pub member_ids: Vec<OfficerId>,
    pub members: Vec<String>,
    pub member_agencies: Vec<AgencyCode>,
}

/// The query of [`ShiftView`]s where `$condition` holds, in time order.
macro_rules! views_where {
    ($condition:literal) => {
        concat!(
            r#"select s.id, p.name as pilot, s.team_id, t.name as team, s.starts_at, s.ends_at,
                  s.mode, s.status, s.notes, s.cancel_reason, s.version, s.created_at, s.updated_at,
                  array(select h.name from shift_hotspots sh join hotspots h on h.id = sh.hotspot_id
                         where sh.shift_id = s.id order by h.priority, h.name) as hotspots,
                  array(select distinct d.code from shift_hotspots sh
                          join hotspots h on h.id = sh.hotspot_id
                          join districts d on d.id = h.district_id
                         where sh.shift_id = s.id order by d.code) as districts,
                  coalesce(m.ids, '{}') as member_ids, coalesce(m.names, '{}') as members,
                  coalesce(m.agencies, '{}') as member_agencies
             from shifts s
             join teams t on t.id = s.team_id
             join pilots p on p.id = s.pilot_id
             left join lateral (select array_agg(o.id order by o.name, o.id) as ids,
                                       array_agg(o.name order by o.name, o.id) as names,
                                       array_agg(o.agency order by o.name, o.id) as agencies
                                  from shift_members sm join officers o on o.id = sm.officer_id
                                 where sm.shift_id = s.id) m on true
            where "#,
            $condition,
            " order by s.starts_at, s.id"
        )
    };
}

/// Shifts of a pilot starting on local dates `from..=to`.
pub async fn shifts(
    db: impl PgExecutor<'_>,
    pilot_id: PilotId,
    time_zone: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<ShiftView>, sqlx::Error> {
    // The instants bound the index scan; the local dates decide (a day's bounds are its local
    // midnights, so they agree, but a bare date test read every shift of the pilot).
    let (start, end) = super::day_bounds(time_zone, from, to);
    sqlx::query_as(views_where!(
        "s.pilot_id = $1 and s.starts_at >= $5 and s.starts_at < $6
         and (s.starts_at at time zone $2)::date between $3 and $4"
    ))
    .bind(pilot_id)
    .bind(time_zone)
    .bind(from)
    .bind(to)
    .bind(start)
    .bind(end)
    .fetch_all(db)
    .await
}

/// Every shift (cancelled too) that officer `officer_id` is on, when given, and of team
/// `team_id`, when given.
pub async fn shifts_of(
    db: impl PgExecutor<'_>,
    officer_id: Option<OfficerId>,
    team_id: Option<TeamId>,
) -> Result<Vec<ShiftView>, sqlx::Error> {
    sqlx::query_as(views_where!(
        r#"($1::bigint is null
             or exists (select 1 from shift_members m where m.shift_id = s.id and m.officer_id = $1))
           and ($2::bigint is null or s.team_id = $2)"#
    ))
    .bind(officer_id)
    .bind(team_id)
    .fetch_all(db)
    .await
}

/// The teams of a pilot, by name.
pub async fn teams(db: impl PgExecutor<'_>, pilot_id: PilotId) -> Result<Vec<Team>, sqlx::Error> {
    sqlx::query_as("select id, name, agency, mode from teams where pilot_id = $1 order by name, id")
        .bind(pilot_id)
        .fetch_all(db)
        .await
}

/// An officer assigned to a pilot.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PilotOfficer {
    pub id: OfficerId,
    pub name: String,
    pub agency: AgencyCode,
    pub badge_number: String,
}

/// The officers assigned to the pilot (on any day of it), by name.
pub async fn officers(
    db: impl PgExecutor<'_>,
    pilot_id: PilotId,
) -> Result<Vec<PilotOfficer>, sqlx::Error> {
    sqlx::query_as(
        r#"select o.id, o.name, o.agency, o.badge_number
             from officers o
            where exists (select 1 from assignments a where a.officer_id = o.id and a.pilot_id = $1)
            order by o.name, o.id"#,
    )
    .bind(pilot_id)
    .fetch_all(db)
    .await
}

/// What the roster of a pilot, in `zone` and running `starts_on..=ends_on`, may hold: its teams,
/// assigned officers and hotspots.
pub async fn rules(
    conn: &mut PgConnection,
    pilot_id: PilotId,
    zone: Tz,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
) -> Result<RosterRules, sqlx::Error> {
    let teams = teams(&mut *conn, pilot_id).await?;
    let assignments = sqlx::query_as(
        r#"select o.id as officer_id, o.name, a.starts_on, a.ends_on
             from assignments a join officers o on o.id = a.officer_id
            where a.pilot_id = $1 order by o.name"#,
    )
    .bind(pilot_id)
    .fetch_all(&mut *conn)
    .await?;
    let hotspots = sqlx::query_as(
        "select id, name, active_from, active_to from hotspots where pilot_id = $1 order by priority, name",
    )
    .bind(pilot_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(RosterRules {
        zone,
        starts_on,
        ends_on,
        teams,
        assignments,
        hotspots,
    })
}
