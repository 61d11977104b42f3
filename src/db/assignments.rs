//! Officers' assignments to pilots as stored, listed and written (through `service::people`).

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::PgExecutor;

use crate::domain::assignment_draft::AssignmentDraft;
use crate::domain::ids::{AssignmentId, OfficerId, PilotId};

/// An assignment as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Assignment {
    pub id: AssignmentId,
    pub officer_id: OfficerId,
    pub pilot_id: PilotId,
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub details: AssignmentDraft,
}

const ASSIGNMENT: &str = "id, officer_id, pilot_id, starts_on, ends_on, role, team_id";

/// An assignment with the name of its team, if any.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AssignmentListed {
    #[sqlx(flatten)]
    pub assignment: Assignment,
    pub team: Option<String>,
}

/// Officer `officer_id`'s assignments to pilot `pilot_id`, in date order.
pub async fn of_officer(
    db: impl PgExecutor<'_>,
    pilot_id: PilotId,
    officer_id: OfficerId,
) -> Result<Vec<AssignmentListed>, sqlx::Error> {
    sqlx::query_as(
        r#"select a.id, a.officer_id, a.pilot_id, a.starts_on, a.ends_on, a.role, a.team_id,
                  t.name as team
             from assignments a
             left join teams t on t.id = a.team_id
            where a.pilot_id = $1 and a.officer_id = $2
            order by a.starts_on"#,
    )
    .bind(pilot_id)
    .bind(officer_id)
    .fetch_all(db)
    .await
}

/// The assignments to pilot `pilot_id` of these officers, in officer and date order.
pub async fn of_officers(
    db: impl PgExecutor<'_>,
    pilot_id: PilotId,
    officers: &[OfficerId],
) -> Result<Vec<Assignment>, sqlx::Error> {
    sqlx::query_as(&format!(
        r#"select {ASSIGNMENT} from assignments
            where pilot_id = $1 and officer_id = any($2)
            order by officer_id, starts_on"#
    ))
    .bind(pilot_id)
    .bind(officers)
    .fetch_all(db)
    .await
}

/// Assignment `id` to pilot `pilot_id`, if there is one.
pub async fn find(
    db: impl PgExecutor<'_>,
    pilot_id: PilotId,
    id: AssignmentId,
) -> Result<Option<Assignment>, sqlx::Error> {
    by_id(db, pilot_id, id, "").await
}

/// Assignment `id` to pilot `pilot_id`, locked until the transaction ends.
pub async fn lock(
    db: impl PgExecutor<'_>,
    pilot_id: PilotId,
    id: AssignmentId,
) -> Result<Option<Assignment>, sqlx::Error> {
    by_id(db, pilot_id, id, "for update").await
}

async fn by_id(
    db: impl PgExecutor<'_>,
    pilot_id: PilotId,
    id: AssignmentId,
    lock: &str,
) -> Result<Option<Assignment>, sqlx::Error> {
    sqlx::query_as(&format!(
        "select {ASSIGNMENT} from assignments where pilot_id = $1 and id = $2 {lock}"
    ))
    .bind(pilot_id)
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Another assignment of the officer to the pilot sharing a day with `first..=last`, if any.
pub async fn overlapping(
    db: impl PgExecutor<'_>,
    pilot_id: PilotId,
    officer_id: OfficerId,
    first: NaiveDate,
    last: NaiveDate,
    except: Option<AssignmentId>,
) -> Result<Option<Assignment>, sqlx::Error> {
    sqlx::query_as(&format!(
        r#"select {ASSIGNMENT} from assignments
            where pilot_id = $1 and officer_id = $2
              and daterange(starts_on, ends_on, '[]') && daterange($3, $4, '[]')
              and ($5::int8 is null or id <> $5)
            order by starts_on
            limit 1"#
    ))
    .bind(pilot_id)
    .bind(officer_id)
    .bind(first)
    .bind(last)
    .bind(except)
    .fetch_optional(db)
    .await
}

/// The local days from `first` to `last` on which the officer has a non-cancelled shift of the
/// pilot starting outside `kept_first..=kept_last`: the days an assignment may not give up.
pub async fn shift_days_outside(
    db: impl PgExecutor<'_>,
    pilot_id: PilotId,
    officer_id: OfficerId,
    (first, last): (NaiveDate, NaiveDate),
    (kept_first, kept_last): (NaiveDate, NaiveDate),
) -> Result<Vec<NaiveDate>, sqlx::Error> {
    sqlx::query_scalar(
        r#"select distinct d.day
             from shift_members m
             join shifts s on s.id = m.shift_id
             join pilots p on p.id = s.pilot_id
             cross join lateral (select (s.starts_at at time zone p.time_zone)::date as day) d
            where s.pilot_id = $1 and m.officer_id = $2 and s.status <> 'cancelled'
              and d.day between $3 and $4 and d.day not between $5 and $6
            order by d.day"#,
    )
    .bind(pilot_id)
    .bind(officer_id)
    .bind(first)
    .bind(last)
    .bind(kept_first)
    .bind(kept_last)
    .fetch_all(db)
    .await
}

/// Assigns officer `officer_id` to pilot `pilot_id` as `assignment` says.
pub async fn insert(
    db: impl PgExecutor<'_>,
    pilot_id: PilotId,
    officer_id: OfficerId,
    assignment: &AssignmentDraft,
) -> Result<Assignment, sqlx::Error> {
    sqlx::query_as(&format!(
        r#"insert into assignments (officer_id, pilot_id, starts_on, ends_on, role, team_id)
           values ($1, $2, $3, $4, $5, $6)
           returning {ASSIGNMENT}"#
    ))
    .bind(officer_id)
    .bind(pilot_id)
    .bind(assignment.starts_on)
    .bind(assignment.ends_on)
    .bind(&assignment.role)
    .bind(assignment.team_id)
    .fetch_one(db)
    .await
}

/// Gives assignment `id` the days, role and team of `assignment`.
pub async fn update(
    db: impl PgExecutor<'_>,
    id: AssignmentId,
    assignment: &AssignmentDraft,
) -> Result<Assignment, sqlx::Error> {
    sqlx::query_as(&format!(
        r#"update assignments set starts_on = $2, ends_on = $3, role = $4, team_id = $5
            where id = $1
        returning {ASSIGNMENT}"#
    ))
    .bind(id)
    .bind(assignment.starts_on)
    .bind(assignment.ends_on)
    .bind(&assignment.role)
    .bind(assignment.team_id)
    .fetch_one(db)
    .await
}

/// Leaves the check that an officer's assignments to a pilot do not overlap to the commit, for a
/// transaction that moves several of them (the officers import, which checks the state its whole
/// file leads to first).
pub async fn defer_overlap_check(db: impl PgExecutor<'_>) -> Result<(), sqlx::Error> {
    sqlx::query("set constraints assignments_no_overlap deferred")
        .execute(db)
        .await?;
    Ok(())
}
