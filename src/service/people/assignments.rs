//! Officers' assignments to a pilot: making one (through [`super::add_to_pilot`] or the
//! import), editing one and ending one early. An officer is assigned to a pilot once at a time,
//! and an assignment may not give up days on which the officer has shifts of the pilot: the
//! roster only books officers on days they are assigned.

use chrono::NaiveDate;
use sqlx::{PgConnection, PgPool};

use super::{PeopleError, Via, invalid, record};
use crate::db::assignments::{self, Assignment};
use crate::db::officers;
use crate::db::retry::retrying;
use crate::domain::assignment_draft::AssignmentDraft;
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::ids::{AssignmentId, OfficerId, PilotId, UserId};
use crate::domain::people_rules::{ends_already, overlap, shifts_outside};

/// Assigns officer `officer_id` to pilot `pilot_id` as `assignment` says, with the audit entry;
/// refused when it shares a day with another of their assignments to the pilot. Locks the
/// officer.
pub async fn assign_in(
    conn: &mut PgConnection,
    author: Option<UserId>,
    via: Via,
    pilot_id: PilotId,
    officer_id: OfficerId,
    assignment: &AssignmentDraft,
) -> Result<Assignment, PeopleError> {
    officers::lock(&mut *conn, officer_id)
        .await?
        .ok_or(PeopleError::NotFound)?;
    check_overlap(conn, pilot_id, officer_id, assignment, None).await?;
    let action = via.action(AuditAction::Create);
    write_in(
        conn,
        author,
        action,
        (pilot_id, officer_id),
        None,
        assignment,
    )
    .await
}

/// Gives assignment `id` to pilot `pilot_id` the days, role and team of `assignment`, on behalf
/// of `author`.
pub async fn update_assignment(
    pool: &PgPool,
    author: UserId,
    pilot_id: PilotId,
    id: AssignmentId,
    assignment: &AssignmentDraft,
) -> Result<Assignment, PeopleError> {
    retrying(move || async move {
        let mut tx = pool.begin().await?;
        let before = lock(&mut tx, pilot_id, id).await?;
        let after = change_in(&mut tx, author, AuditAction::Update, &before, assignment).await?;
        tx.commit().await?;
        Ok(after)
    })
    .await
}

/// Ends assignment `id` to pilot `pilot_id` on `ends_on` (no later than it ends now), on behalf
/// of `author`.
pub async fn end_assignment(
    pool: &PgPool,
    author: UserId,
    pilot_id: PilotId,
    id: AssignmentId,
    ends_on: NaiveDate,
) -> Result<Assignment, PeopleError> {
    retrying(move || async move {
        let mut tx = pool.begin().await?;
        let before = lock(&mut tx, pilot_id, id).await?;
        if ends_on > before.details.ends_on {
            return Err(invalid("ends_on", ends_already(before.details.ends_on)));
        }
        let ended = AssignmentDraft {
            ends_on,
            ..before.details.clone()
        };
        let after = change_in(&mut tx, author, AuditAction::End, &before, &ended).await?;
        tx.commit().await?;
        Ok(after)
    })
    .await
}

/// Locks assignment `id` of pilot `pilot_id` and, before it, its officer.
async fn lock(
    conn: &mut PgConnection,
    pilot_id: PilotId,
    id: AssignmentId,
) -> Result<Assignment, PeopleError> {
    let found = assignments::find(&mut *conn, pilot_id, id)
        .await?
        .ok_or(PeopleError::NotFound)?;
    officers::lock(&mut *conn, found.officer_id).await?;
    assignments::lock(&mut *conn, pilot_id, id)
        .await?
        .filter(|locked| locked.officer_id == found.officer_id)
        .ok_or(PeopleError::NotFound)
}

/// Changes `before` (locked with its officer) to `assignment` as `action`, by `author`: refused
/// when the new days share one with another assignment of the officer to the pilot.
async fn change_in(
    conn: &mut PgConnection,
    author: UserId,
    action: AuditAction,
    before: &Assignment,
    assignment: &AssignmentDraft,
) -> Result<Assignment, PeopleError> {
    let (pilot_id, officer_id) = (before.pilot_id, before.officer_id);
    check_overlap(conn, pilot_id, officer_id, assignment, Some(before.id)).await?;
    let key = (pilot_id, officer_id);
    write_in(conn, Some(author), action, key, Some(before), assignment).await
}

/// Stores `assignment` of officer and pilot `key` as `action`, with the audit entry: as a new
/// assignment, or as the change of `before` (locked with its officer; nothing is written when
/// nothing changes), refused when it leaves out a day on which the officer has a shift of the
/// pilot. Whether it overlaps another assignment is the caller's to check.
pub(super) async fn write_in(
    conn: &mut PgConnection,
    author: Option<UserId>,
    action: AuditAction,
    (pilot_id, officer_id): (PilotId, OfficerId),
    before: Option<&Assignment>,
    assignment: &AssignmentDraft,
) -> Result<Assignment, PeopleError> {
    let Some(before) = before else {
        let after = assignments::insert(&mut *conn, pilot_id, officer_id, assignment).await?;
        let key = (AuditEntity::Assignment, after.id.0, Some(pilot_id));
        record(conn, author, action, key, None, &after).await?;
        return Ok(after);
    };
    if before.details == *assignment {
        return Ok(before.clone());
    }
    let given_up = assignments::shift_days_outside(
        &mut *conn,
        pilot_id,
        officer_id,
        (before.details.starts_on, before.details.ends_on),
        (assignment.starts_on, assignment.ends_on),
    )
    .await?;
    if let Some(first) = given_up.first() {
        let field = match *first < assignment.starts_on {
            true => "starts_on",
            false => "ends_on",
        };
        return Err(invalid(field, shifts_outside(&given_up)));
    }
    let after = assignments::update(&mut *conn, before.id, assignment).await?;
    let key = (AuditEntity::Assignment, after.id.0, Some(pilot_id));
    record(conn, author, action, key, Some(before), &after).await?;
    Ok(after)
}

/// Refuses `assignment` of the officer when it shares a day with another of theirs to the pilot.
async fn check_overlap(
    conn: &mut PgConnection,
    pilot_id: PilotId,
    officer_id: OfficerId,
    assignment: &AssignmentDraft,
    except: Option<AssignmentId>,
) -> Result<(), PeopleError> {
    let other = assignments::overlapping(
        &mut *conn,
        pilot_id,
        officer_id,
        assignment.starts_on,
        assignment.ends_on,
        except,
    )
    .await?;
    match other {
        Some(other) => Err(invalid(
            "starts_on",
            overlap(other.details.starts_on, other.details.ends_on),
        )),
        None => Ok(()),
    }
}
