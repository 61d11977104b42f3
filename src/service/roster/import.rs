//! Writing the rows of a roster file, inside the import's transaction (`import::roster_apply`
//! reads the file, finds and locks the stored shifts its rows name, and decides what each row
//! changes).
//!
//! Clashes are checked against the state the whole file leads to: cancellations are written
//! first, the members of every changed shift are taken off before any row is written, and each
//! row is checked against everything written before it, so a clash between two rows is reported
//! on the later one.

use super::shifts::{cancel_shift_in, create_shift_in, update_shift_in};
use super::{Editor, RosterPilot, WriteError, refresh};
use crate::db::shift_checks::lock_officers;
use crate::db::shifts::{self, ShiftRecord};
use crate::domain::ShiftStatus;
use crate::domain::ids::{ShiftId, UserId};
use crate::domain::roster_checks::{Clash, ShortRest};
use crate::domain::shift_draft::ShiftDraft;

/// What a row does to its shift.
#[derive(Debug)]
pub enum RowChange<'a> {
    /// Adds a new shift.
    Create(ShiftDraft),
    /// Rewrites a stored shift, which the caller has locked.
    Update(&'a ShiftRecord, ShiftDraft),
    /// Cancels a stored shift, which the caller has locked, and changes nothing else.
    Cancel(&'a ShiftRecord),
    /// Leaves its shift as it is.
    Unchanged,
}

/// A row of a roster file, checked and ready to write.
#[derive(Debug)]
pub struct ImportRow<'a> {
    /// Its line in the file, for the log when writing it fails.
    pub line: usize,
    pub change: RowChange<'a>,
    /// The status the row gives its shift.
    pub status: ShiftStatus,
    /// Why the row accepts short rest, if it does.
    pub rest_reason: &'a str,
}

/// What became of a row.
#[derive(Debug)]
pub enum RowOutcome {
    Unchanged,
    Created(ShiftRecord),
    Updated(ShiftRecord),
    /// Cancelled, by a cancelling row or by an update to `cancelled`.
    Cancelled(ShiftRecord),
    Refused(Refusal),
    /// Not written: an earlier row ended the transaction.
    NotReached,
}

/// Why a row was not written.
#[derive(Debug)]
pub enum Refusal {
    /// An officer of the row is on another shift then: a stored one, or one written by an earlier
    /// row.
    Clash(Clash),
    /// The row leaves officers too little rest and gives no reason.
    ShortRest(Vec<ShortRest>),
    /// Someone saved a clashing shift while the file was being checked (the database's overlap
    /// constraint refused the row); the transaction is over, so no later row was tried.
    Overtaken,
}

/// Writes `rows` of a roster file into `pilot` by `user_id` (`None`: the shell), in the caller's
/// transaction: the outcome of each row, in the order given. When `will_commit` (not a dry run,
/// nothing else wrong with the file) and no row was refused, refreshes the coverage of every
/// shift touched.
pub async fn import_in<'a>(
    conn: &mut sqlx::PgConnection,
    pilot: &RosterPilot,
    rows: &[ImportRow<'a>],
    user_id: Option<UserId>,
    will_commit: bool,
) -> Result<Vec<RowOutcome>, WriteError> {
    let editor = |row: &ImportRow<'a>| Editor {
        user_id,
        rest_reason: row.rest_reason.trim(),
    };
    // Every officer the file adds or takes off, locked at once before any write, in the order
    // every other roster writer uses.
    let mut officers = Vec::new();
    for row in rows {
        match &row.change {
            RowChange::Create(draft) => officers.extend(&draft.officer_ids),
            RowChange::Update(before, draft) => {
                officers.extend(&draft.officer_ids);
                officers.extend(&before.officer_ids);
            }
            RowChange::Cancel(before) => officers.extend(&before.officer_ids),
            RowChange::Unchanged => {}
        }
    }
    lock_officers(conn, &officers).await?;
    let mut outcomes: Vec<RowOutcome> = rows
        .iter()
        .map(|row| match row.change {
            RowChange::Unchanged => RowOutcome::Unchanged,
            _ => RowOutcome::NotReached,
        })
        .collect();
    let mut touched = Vec::new();
    for (outcome, row) in outcomes.iter_mut().zip(rows) {
        if let RowChange::Cancel(before) = row.change {
            let after = cancel_shift_in(conn, before, editor(row), "")
                .await
                .map_err(|e| e.into_anyhow("cancelling a shift of the roster file"))?;
            touched.push(before.clone());
            *outcome = RowOutcome::Cancelled(after);
        }
    }
    let changed: Vec<ShiftId> = rows
        .iter()
        .filter_map(|row| match row.change {
            RowChange::Update(before, _) => Some(before.id),
            _ => None,
        })
        .collect();
    shifts::remove_members(&mut *conn, &changed).await?;
    let mut refused = false;
    for (outcome, row) in outcomes.iter_mut().zip(rows) {
        let written = match &row.change {
            RowChange::Create(draft) => {
                create_shift_in(conn, pilot, draft, row.status, editor(row)).await
            }
            RowChange::Update(before, draft) => {
                touched.push((*before).clone());
                update_shift_in(conn, pilot, before, draft, row.status, editor(row)).await
            }
            RowChange::Cancel(_) | RowChange::Unchanged => continue,
        };
        *outcome = match written {
            Ok(after) => {
                touched.push(after.clone());
                match row.change {
                    RowChange::Update(before, _)
                        if before.status.counts() && !after.status.counts() =>
                    {
                        RowOutcome::Cancelled(after)
                    }
                    RowChange::Update(..) => RowOutcome::Updated(after),
                    _ => RowOutcome::Created(after),
                }
            }
            Err(WriteError::Clash(clash)) => RowOutcome::Refused(Refusal::Clash(clash)),
            Err(WriteError::NeedsRestReason(short)) => {
                RowOutcome::Refused(Refusal::ShortRest(short))
            }
            Err(error) if error.is_overlap() => {
                *outcome = RowOutcome::Refused(Refusal::Overtaken);
                refused = true;
                break;
            }
            Err(error) => {
                let what = format!("writing the shift of line {}", row.line);
                return Err(error.into_anyhow(what).into());
            }
        };
        refused |= matches!(outcome, RowOutcome::Refused(_));
    }
    if will_commit && !refused && !touched.is_empty() {
        refresh(conn, pilot, &touched)
            .await
            .map_err(|e| e.context("refreshing coverage after the roster import"))?;
    }
    Ok(outcomes)
}
