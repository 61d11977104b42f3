//! The officers import, in the transaction [`crate::service::imports::run`] holds with the
//! import's lock: officers upserted by agency and badge number, teams by name in the pilot, and
//! assignments (a row is the officer's assignment to the pilot with the same first day, if they
//! have one, else a new one), each through the same writes as the forms, audited as imports.
//!
//! Rows are checked against the state the whole file leads to before anything is written:
//! agencies must be on file; an assignment may not share a day with one of the officer's that
//! the file leaves as stored, nor give up a day on which the officer has a shift. A dry run
//! writes the same rows, and the caller rolls them back.

use std::collections::{HashMap, HashSet};

use sqlx::PgConnection;

use super::assignments::write_in;
use super::officers::{Upserted, upsert_in};
use super::teams::save_team_in;
use super::{PeopleError, Via};
use crate::db::assignments::{self, Assignment};
use crate::db::officers::{self, Officer};
use crate::db::{agencies, shift_checks, teams};
use crate::domain::agency::AgencyCode;
use crate::domain::assignment_draft::{AssignmentDraft, PilotFrame};
use crate::domain::audit::AuditAction;
use crate::domain::ids::{OfficerId, PilotId, TeamId, UserId};
use crate::domain::people_rules::shifts_outside;
use crate::import::RowError;
use crate::import::apply::{Applied, Pilot, Request};
use crate::import::changes::{Change, Tally};
use crate::import::officers::{self as file, OfficerRow, days_meet};

/// What people call the file.
const FORMAT: &str = "officers CSV";

/// Reads, checks and (in the caller's transaction) writes an officers file into `pilot`.
pub async fn import_in(
    conn: &mut PgConnection,
    pilot: &Pilot,
    text: &str,
    request: &Request<'_>,
) -> anyhow::Result<Applied> {
    let frame = PilotFrame {
        starts_on: pilot.starts_on,
        ends_on: pilot.ends_on,
        teams: Vec::new(),
    };
    let rows = match file::parse(text, &frame) {
        Ok(rows) => rows,
        Err(errors) => return Ok(Applied::rejected(FORMAT.into(), errors)),
    };
    let pilot_id = pilot.id;
    let on_file = agencies::list(&mut *conn).await?;
    let known: HashSet<&AgencyCode> = on_file.iter().map(|a| &a.code).collect();
    let unknown: Vec<RowError> = rows
        .iter()
        .filter(|row| !known.contains(&row.officer.agency))
        .map(|row| {
            row.origin.error(format!(
                "there is no agency {} on file: an administrator adds it first (patrolboard \
                 agency add)",
                row.officer.agency
            ))
        })
        .collect();
    if !unknown.is_empty() {
        return Ok(Applied::rejected(FORMAT.into(), unknown));
    }
    let mut keys: Vec<(AgencyCode, String)> = rows.iter().map(OfficerRow::key).collect();
    keys.sort();
    keys.dedup();
    let stored: HashMap<(AgencyCode, String), Officer> = officers::by_badges(&mut *conn, &keys)
        .await?
        .into_iter()
        .map(|o| {
            (
                (o.details.agency.clone(), o.details.badge_number.clone()),
                o,
            )
        })
        .collect();
    let ids: Vec<OfficerId> = stored.values().map(|o| o.id).collect();
    shift_checks::lock_officers(conn, &ids).await?;
    let held = assignments::of_officers(&mut *conn, pilot_id, &ids).await?;
    let plan = match plan(conn, &rows, &stored, &held).await? {
        Ok(plan) => plan,
        Err(errors) => return Ok(Applied::rejected(FORMAT.into(), errors)),
    };
    match write(conn, request.user_id, pilot_id, &rows, &stored, &plan).await {
        Ok(tally) => Ok(Applied::tallied(FORMAT.into(), rows.len(), tally)),
        Err((row, PeopleError::Invalid(errors))) => {
            let reason: Vec<String> = errors.iter().map(|(f, m)| format!("{f}: {m}")).collect();
            Ok(Applied::rejected(
                FORMAT.into(),
                vec![row.origin.error(reason.join(" "))],
            ))
        }
        Err((_, error)) => Err(anyhow::anyhow!(error)),
    }
}

/// The stored assignment each row changes (`None`: the row is a new assignment), or every row
/// that cannot be written: one sharing a day with an assignment of the officer that the file
/// leaves alone, or giving up a day on which the officer has a shift.
async fn plan<'a>(
    conn: &mut PgConnection,
    rows: &[OfficerRow],
    stored: &HashMap<(AgencyCode, String), Officer>,
    held: &'a [Assignment],
) -> anyhow::Result<Result<Vec<Option<&'a Assignment>>, Vec<RowError>>> {
    let officer_of = |row: &OfficerRow| stored.get(&row.key()).map(|o| o.id);
    let changes: Vec<Option<&Assignment>> = rows
        .iter()
        .map(|row| {
            let id = officer_of(row)?;
            held.iter()
                .find(|a| a.officer_id == id && a.details.starts_on == row.assignment.starts_on)
        })
        .collect();
    let changed: HashSet<_> = changes.iter().flatten().map(|a| a.id).collect();
    let mut errors = Vec::new();
    for (row, before) in rows.iter().zip(&changes) {
        let Some(officer_id) = officer_of(row) else {
            continue;
        };
        let days = (row.assignment.starts_on, row.assignment.ends_on);
        let kept = held.iter().find(|a| {
            a.officer_id == officer_id
                && !changed.contains(&a.id)
                && days_meet(days, (a.details.starts_on, a.details.ends_on))
        });
        if let Some(kept) = kept {
            errors.push(row.origin.error(format!(
                "this assignment shares days with the officer's assignment to the pilot from {} \
                 to {}, which the file leaves as it is: an officer is assigned to a pilot once \
                 at a time",
                kept.details.starts_on, kept.details.ends_on
            )));
            continue;
        }
        if let Some(before) = before {
            let was = (before.details.starts_on, before.details.ends_on);
            let given_up =
                assignments::shift_days_outside(&mut *conn, before.pilot_id, officer_id, was, days)
                    .await?;
            if !given_up.is_empty() {
                errors.push(row.origin.error(shifts_outside(&given_up)));
            }
        }
    }
    Ok(if errors.is_empty() {
        Ok(changes)
    } else {
        Err(errors)
    })
}

/// Writes the teams, then each row's officer and assignment; the counts of rows that are new
/// assignments, that change something, and that change nothing. The first refused write ends
/// it, with its row.
async fn write<'r>(
    conn: &mut PgConnection,
    author: Option<UserId>,
    pilot_id: PilotId,
    rows: &'r [OfficerRow],
    stored: &HashMap<(AgencyCode, String), Officer>,
    plan: &[Option<&Assignment>],
) -> Result<Tally, (&'r OfficerRow, PeopleError)> {
    let first_row = |name: &str| {
        rows.iter()
            .find(|r| r.team.as_ref().is_some_and(|(n, _)| n == name))
            .unwrap_or(&rows[0])
    };
    assignments::defer_overlap_check(&mut *conn)
        .await
        .map_err(|e| (&rows[0], e.into()))?;
    let drafts = file::teams(rows);
    let names: Vec<&str> = drafts.iter().map(|t| t.name.as_str()).collect();
    let locked = teams::lock_by_names(&mut *conn, pilot_id, &names)
        .await
        .map_err(|e| (&rows[0], e.into()))?;
    let mut team_ids: HashMap<&str, (TeamId, bool)> = HashMap::new();
    for draft in &drafts {
        let before = locked.iter().find(|t| t.details.name == draft.name);
        let after = save_team_in(conn, author, Via::Import, pilot_id, before, draft)
            .await
            .map_err(|e| (first_row(&draft.name), e))?;
        let changed = before.is_none_or(|b| *b != after);
        team_ids.insert(draft.name.as_str(), (after.id, changed));
    }
    let mut tally = Tally::default();
    for (row, before) in rows.iter().zip(plan) {
        let officer = match stored.get(&row.key()) {
            Some(on_file) => crate::domain::officer_draft::OfficerDraft {
                home_unit: on_file.details.home_unit.clone(),
                ..row.officer.clone()
            },
            None => row.officer.clone(),
        };
        let (officer, upserted) = upsert_in(conn, author, Via::Import, &officer)
            .await
            .map_err(|e| (row, e))?;
        let team = row.team.as_ref().map(|(name, _)| team_ids[name.as_str()]);
        let assignment = AssignmentDraft {
            team_id: team.map(|(id, _)| id),
            ..row.assignment.clone()
        };
        let key = (pilot_id, officer.id);
        let after = write_in(conn, author, AuditAction::Import, key, *before, &assignment)
            .await
            .map_err(|e| (row, e))?;
        let change = match before {
            None => Some(Change::New),
            Some(before) if **before != after || upserted != Upserted::Unchanged => {
                Some(Change::Changed)
            }
            Some(_) if team.is_some_and(|(_, changed)| changed) => Some(Change::Changed),
            Some(_) => None,
        };
        tally.note(row.origin, change, || {
            format!(
                "officer {} {} {}",
                row.officer.agency, row.officer.badge_number, row.officer.name
            )
        });
    }
    Ok(tally)
}
