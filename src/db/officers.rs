//! Officers, their hours and their shifts in a pilot; an officer as stored, and its writes
//! (through `service::people`).

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::PgExecutor;

use crate::domain::agency::AgencyCode;
use crate::domain::ids::{OfficerId, PilotId, ShiftId};
use crate::domain::officer_draft::OfficerDraft;
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

/// An officer as stored, as the officer forms and the audit log show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Officer {
    pub id: OfficerId,
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub details: OfficerDraft,
}

const OFFICER: &str = "id, agency, badge_number, name, rank, home_unit";

/// Officer `id`, if on file.
pub async fn get(db: impl PgExecutor<'_>, id: OfficerId) -> Result<Option<Officer>, sqlx::Error> {
    by_id(db, id, "").await
}

/// Officer `id`, locked until the transaction ends. Their agency and badge number may change, so
/// this is a `for update` lock, which also waits for a writer of their shifts
/// (`db::shift_checks::lock_officers`).
pub async fn lock(db: impl PgExecutor<'_>, id: OfficerId) -> Result<Option<Officer>, sqlx::Error> {
    by_id(db, id, "for update").await
}

async fn by_id(
    db: impl PgExecutor<'_>,
    id: OfficerId,
    lock: &str,
) -> Result<Option<Officer>, sqlx::Error> {
    sqlx::query_as(&format!(
        "select {OFFICER} from officers where id = $1 {lock}"
    ))
    .bind(id)
    .fetch_optional(db)
    .await
}

/// The officers with these (agency, badge number) keys, as stored.
pub async fn by_badges(
    db: impl PgExecutor<'_>,
    keys: &[(AgencyCode, String)],
) -> Result<Vec<Officer>, sqlx::Error> {
    sqlx::query_as(&format!(
        r#"select {OFFICER} from officers
            where (agency, badge_number) in
                  (select * from unnest($1::text[], $2::text[]))"#
    ))
    .bind(keys.iter().map(|(agency, _)| agency).collect::<Vec<_>>())
    .bind(
        keys.iter()
            .map(|(_, badge)| badge.as_str())
            .collect::<Vec<_>>(),
    )
    .fetch_all(db)
    .await
}

/// Stores `officer` unless their agency already has the badge number (waiting for a concurrent
/// insert of it to end); the row when this call stored it.
pub async fn insert_new(
    db: impl PgExecutor<'_>,
    officer: &OfficerDraft,
) -> Result<Option<Officer>, sqlx::Error> {
    sqlx::query_as(&format!(
        r#"insert into officers (agency, badge_number, name, rank, home_unit)
           values ($1, $2, $3, $4, $5)
           on conflict on constraint officers_agency_badge_key do nothing
           returning {OFFICER}"#
    ))
    .bind(&officer.agency)
    .bind(&officer.badge_number)
    .bind(&officer.name)
    .bind(&officer.rank)
    .bind(&officer.home_unit)
    .fetch_optional(db)
    .await
}

/// The officer of `agency` with `badge_number`, locked until the transaction ends.
pub async fn lock_by_badge(
    db: impl PgExecutor<'_>,
    agency: &AgencyCode,
    badge_number: &str,
) -> Result<Option<Officer>, sqlx::Error> {
    sqlx::query_as(&format!(
        "select {OFFICER} from officers where agency = $1 and badge_number = $2 for update"
    ))
    .bind(agency)
    .bind(badge_number)
    .fetch_optional(db)
    .await
}

/// Gives officer `id` the details of `officer`.
pub async fn update(
    db: impl PgExecutor<'_>,
    id: OfficerId,
    officer: &OfficerDraft,
) -> Result<Officer, sqlx::Error> {
    sqlx::query_as(&format!(
        r#"update officers
              set agency = $2, badge_number = $3, name = $4, rank = $5, home_unit = $6
            where id = $1
        returning {OFFICER}"#
    ))
    .bind(id)
    .bind(&officer.agency)
    .bind(&officer.badge_number)
    .bind(&officer.name)
    .bind(&officer.rank)
    .bind(&officer.home_unit)
    .fetch_one(db)
    .await
}

/// The local days of a pilot on which an officer's shifts start: the first and the last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct ShiftDays {
    pub pilot_id: PilotId,
    pub first: NaiveDate,
    pub last: NaiveDate,
}

/// For every pilot in which officer `id` is a member of a shift, the first and last local day on
/// which one of those shifts starts, by pilot id.
pub async fn shift_days(
    db: impl PgExecutor<'_>,
    id: OfficerId,
) -> Result<Vec<ShiftDays>, sqlx::Error> {
    sqlx::query_as(
        r#"select s.pilot_id,
                  min((s.starts_at at time zone p.time_zone)::date) as first,
                  max((s.starts_at at time zone p.time_zone)::date) as last
             from shift_members m
             join shifts s on s.id = m.shift_id
             join pilots p on p.id = s.pilot_id
            where m.officer_id = $1
            group by s.pilot_id
            order by s.pilot_id"#,
    )
    .bind(id)
    .fetch_all(db)
    .await
}
