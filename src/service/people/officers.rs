//! Officers: adding one to a pilot (found by agency and badge number, or created) and editing
//! one. An officer's agency counts in the stored officer-hours by agency (`officer_days`), so a
//! change of agency refreshes them for every pilot where the officer has shifts, in the same
//! transaction.

use sqlx::{PgConnection, PgPool};

use super::{PeopleError, Via, assign_in, record};
use crate::db::assignments::Assignment;
use crate::db::officers::{self, Officer};
use crate::db::retry::retrying;
use crate::db::{self};
use crate::domain::assignment_draft::AssignmentDraft;
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::ids::{OfficerId, PilotId, UserId};
use crate::domain::officer_draft::OfficerDraft;

/// What [`add_to_pilot`] stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Added {
    pub officer: Officer,
    /// Whether the officer was new (else they were on file, and now have the details given).
    pub officer_created: bool,
    pub assignment: Assignment,
}

/// What [`upsert_in`] did to an officer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upserted {
    Created,
    Updated,
    Unchanged,
}

/// Assigns the officer of `officer`'s agency and badge number to pilot `pilot_id` as
/// `assignment` says, on behalf of `author`: an officer not on file is created, one on file gets
/// the details given. Refused (nothing stored) when the assignment shares a day with another of
/// the officer's to the pilot.
pub async fn add_to_pilot(
    pool: &PgPool,
    author: UserId,
    pilot_id: PilotId,
    officer: &OfficerDraft,
    assignment: &AssignmentDraft,
) -> Result<Added, PeopleError> {
    retrying(move || async move {
        let mut tx = pool.begin().await?;
        let (stored, upserted) = upsert_in(&mut tx, Some(author), Via::Form, officer).await?;
        let assignment = assign_in(
            &mut tx,
            Some(author),
            Via::Form,
            pilot_id,
            stored.id,
            assignment,
        )
        .await?;
        tx.commit().await?;
        Ok(Added {
            officer: stored,
            officer_created: upserted == Upserted::Created,
            assignment,
        })
    })
    .await
}

/// Stores `officer` when their agency has no officer with the badge number, else gives that
/// officer (locked) these details; with the audit entry. Either way the officer is locked until
/// the transaction ends.
pub async fn upsert_in(
    conn: &mut PgConnection,
    author: Option<UserId>,
    via: Via,
    officer: &OfficerDraft,
) -> Result<(Officer, Upserted), PeopleError> {
    if let Some(created) = officers::insert_new(&mut *conn, officer).await? {
        let key = (AuditEntity::Officer, created.id.0, None);
        record(
            conn,
            author,
            via.action(AuditAction::Create),
            key,
            None,
            &created,
        )
        .await?;
        return Ok((created, Upserted::Created));
    }
    let before = officers::lock_by_badge(&mut *conn, &officer.agency, &officer.badge_number)
        .await?
        .ok_or_else(|| {
            anyhow::anyhow!(
                "officer {} is neither new nor on file",
                officer.badge_number
            )
        })?;
    if before.details == *officer {
        return Ok((before, Upserted::Unchanged));
    }
    let after = officers::update(&mut *conn, before.id, officer).await?;
    let key = (AuditEntity::Officer, after.id.0, None);
    record(
        conn,
        author,
        via.action(AuditAction::Update),
        key,
        Some(&before),
        &after,
    )
    .await?;
    Ok((after, Upserted::Updated))
}

/// Gives officer `id` the details of `officer`, on behalf of `author`. A new agency moves the
/// officer's hours to it in the stored officer-hours of every pilot where they have shifts.
pub async fn update_officer(
    pool: &PgPool,
    author: UserId,
    id: OfficerId,
    officer: &OfficerDraft,
) -> Result<Officer, PeopleError> {
    retrying(move || async move {
        let mut tx = pool.begin().await?;
        let before = officers::lock(&mut *tx, id)
            .await?
            .ok_or(PeopleError::NotFound)?;
        if before.details == *officer {
            return Ok(before);
        }
        let after = officers::update(&mut *tx, id, officer).await?;
        let key = (AuditEntity::Officer, id.0, None);
        record(
            &mut tx,
            Some(author),
            AuditAction::Update,
            key,
            Some(&before),
            &after,
        )
        .await?;
        if before.details.agency != after.details.agency {
            for days in officers::shift_days(&mut *tx, id).await? {
                db::coverage::refresh_hotspots(
                    &mut tx,
                    days.pilot_id,
                    (days.first, days.last),
                    Some(&[]),
                    db::rollups::Changed::Officers,
                )
                .await?;
            }
        }
        tx.commit().await?;
        Ok(after)
    })
    .await
}
