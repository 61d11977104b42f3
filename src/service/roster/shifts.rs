//! Creating, changing and cancelling one shift: the roster form's writes, and the `_in` steps
//! the roster import runs inside its own transaction.

use sqlx::{PgConnection, PgPool, Postgres, Transaction};

use super::{Editor, RosterPilot, WriteError, check, name_clash, record, refresh, rules};
use crate::db::retry::retrying;
use crate::db::shift_checks::lock_officers;
use crate::db::shifts::{self, ShiftRecord};
use crate::domain::ShiftStatus;
use crate::domain::audit::AuditAction;
use crate::domain::cancel_reason::CancelReason;
use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::{ShiftId, UserId};
use crate::domain::roster_rules::RosterRules;
use crate::domain::shift_draft::{ShiftDraft, ShiftForm};

/// Stores a new shift as the roster form filled it in, by `user_id` (with the form's reason
/// for short rest, if any). Refuses fields that break the roster's rules, a clash (checked under
/// the officers' locks, and by the database's exclusion constraint as a last line) and
/// unexplained short rest.
pub async fn create_shift(
    pool: &PgPool,
    pilot: &RosterPilot,
    form: &ShiftForm,
    user_id: UserId,
) -> Result<ShiftRecord, WriteError> {
    let editor = editor(user_id, form);
    retrying(move || async move {
        let (mut tx, draft) = begin(pool, pilot, |rules| ShiftDraft::parse(form, rules)).await?;
        let written = async {
            let after =
                create_shift_in(&mut tx, pilot, &draft, ShiftStatus::Planned, editor).await?;
            refresh(&mut tx, pilot, [&after]).await?;
            Ok(after)
        }
        .await;
        finish(tx, pool, &draft, None, written).await
    })
    .await
}

/// Changes shift `id` as the edit form filled it in, if the shift is still at the form's
/// version; otherwise `Stale` with its current state. Refuses what [`create_shift`] refuses.
pub async fn update_shift(
    pool: &PgPool,
    pilot: &RosterPilot,
    id: ShiftId,
    form: &ShiftForm,
    user_id: UserId,
) -> Result<ShiftRecord, WriteError> {
    let editor = editor(user_id, form);
    retrying(move || async move {
        let (mut tx, (draft, version)) =
            begin(pool, pilot, |rules| ShiftDraft::parse_edit(form, rules)).await?;
        let written = async {
            let before = lock_at(&mut tx, id, version).await?;
            if !before.status.counts() {
                return Err(WriteError::Cancelled);
            }
            let after =
                update_shift_in(&mut tx, pilot, &before, &draft, before.status, editor).await?;
            refresh(&mut tx, pilot, [&before, &after]).await?;
            Ok(after)
        }
        .await;
        finish(tx, pool, &draft, Some(id), written).await
    })
    .await
}

/// Cancels shift `id` if it is still at `version`.
pub async fn cancel_shift(
    pool: &PgPool,
    pilot: &RosterPilot,
    id: ShiftId,
    version: i32,
    reason: &CancelReason,
    user_id: UserId,
) -> Result<ShiftRecord, WriteError> {
    retrying(move || async move {
        let mut tx = pool.begin().await?;
        let before = lock_at(&mut tx, id, version).await?;
        if !before.status.counts() {
            return Err(WriteError::Cancelled);
        }
        let editor = Editor {
            user_id: Some(user_id),
            rest_reason: "",
        };
        let after = cancel_shift_in(&mut tx, &before, editor, reason.as_str()).await?;
        refresh(&mut tx, pilot, [&before]).await?;
        tx.commit().await?;
        Ok(after)
    })
    .await
}

/// The user, with the reason for short rest the form gives.
fn editor(user_id: UserId, form: &ShiftForm) -> Editor<'_> {
    Editor {
        user_id: Some(user_id),
        rest_reason: &form.rest_reason,
    }
}

/// Begins the transaction of a change the roster form asks for, and checks the form by `parse`
/// against the pilot's rules as stored now.
async fn begin<T>(
    pool: &PgPool,
    pilot: &RosterPilot,
    parse: impl FnOnce(&RosterRules) -> Result<T, FieldErrors>,
) -> Result<(Transaction<'static, Postgres>, T), WriteError> {
    let mut tx = pool.begin().await?;
    let rules = rules(&mut tx, pilot).await?;
    let checked = parse(&rules).map_err(WriteError::Invalid)?;
    Ok((tx, checked))
}

/// Commits what was `written`; or, when it failed, rolls back and names the clash if the
/// overlap constraint refused it.
async fn finish(
    tx: Transaction<'_, Postgres>,
    pool: &PgPool,
    draft: &ShiftDraft,
    except: Option<ShiftId>,
    written: Result<ShiftRecord, WriteError>,
) -> Result<ShiftRecord, WriteError> {
    match written {
        Ok(after) => {
            tx.commit().await?;
            Ok(after)
        }
        Err(error) => {
            drop(tx);
            Err(name_clash(pool, draft, except, error).await)
        }
    }
}

/// Locks the shift's row and checks nobody changed it since `version` was read.
async fn lock_at(
    conn: &mut PgConnection,
    id: ShiftId,
    version: i32,
) -> Result<ShiftRecord, WriteError> {
    let current = shifts::lock_version(&mut *conn, id).await?;
    let record = shifts::get(&mut *conn, id)
        .await?
        .ok_or(WriteError::NotFound)?;
    match current {
        Some(v) if v == version => Ok(record),
        Some(_) => Err(WriteError::Stale(Box::new(record))),
        None => Err(WriteError::NotFound),
    }
}

/// Stores `draft` with `status` inside the caller's transaction, without refreshing coverage:
/// the caller refreshes once for all its writes. A refusal by the overlap constraint is returned
/// as it is (the transaction is then unusable).
pub(super) async fn create_shift_in(
    conn: &mut PgConnection,
    pilot: &RosterPilot,
    draft: &ShiftDraft,
    status: ShiftStatus,
    editor: Editor<'_>,
) -> Result<ShiftRecord, WriteError> {
    lock_officers(conn, &draft.officer_ids).await?;
    if status.counts() {
        check(conn, draft, None, pilot.zone, editor).await?;
    }
    let after = insert(conn, pilot, draft, status, editor.user_id).await?;
    record(conn, editor, AuditAction::Create, None, &after).await?;
    Ok(after)
}

/// Inserts `draft` and reads the stored shift back.
pub(super) async fn insert(
    conn: &mut PgConnection,
    pilot: &RosterPilot,
    draft: &ShiftDraft,
    status: ShiftStatus,
    user_id: Option<UserId>,
) -> Result<ShiftRecord, WriteError> {
    let id = shifts::insert(&mut *conn, pilot.id, draft, status, user_id).await?;
    shifts::get(&mut *conn, id)
        .await?
        .ok_or(WriteError::NotFound)
}

/// Rewrites a shift the caller has locked and read as `before` to `draft` with `status`, inside
/// the caller's transaction, without refreshing coverage. The audit entry says `cancel` when
/// this cancels the shift, `edit` otherwise.
pub(super) async fn update_shift_in(
    conn: &mut PgConnection,
    pilot: &RosterPilot,
    before: &ShiftRecord,
    draft: &ShiftDraft,
    status: ShiftStatus,
    editor: Editor<'_>,
) -> Result<ShiftRecord, WriteError> {
    let id = before.id;
    // The officers leaving the shift too: their removed memberships are still in the overlap
    // constraint's view until this transaction ends.
    let officers = [before.officer_ids.as_slice(), &draft.officer_ids].concat();
    lock_officers(conn, &officers).await?;
    if status.counts() {
        check(conn, draft, Some(id), pilot.zone, editor).await?;
    }
    shifts::update(&mut *conn, id, draft, status, editor.user_id).await?;
    let after = shifts::get(&mut *conn, id)
        .await?
        .ok_or(WriteError::NotFound)?;
    let action = if !status.counts() && before.status.counts() {
        AuditAction::Cancel
    } else {
        AuditAction::Edit
    };
    record(conn, editor, action, Some(before), &after).await?;
    Ok(after)
}

/// Cancels a shift the caller has locked and read as `before`, inside the caller's transaction,
/// without refreshing coverage.
pub(super) async fn cancel_shift_in(
    conn: &mut PgConnection,
    before: &ShiftRecord,
    editor: Editor<'_>,
    reason: &str,
) -> Result<ShiftRecord, WriteError> {
    lock_officers(conn, &before.officer_ids).await?;
    shifts::cancel(&mut *conn, before.id, reason, editor.user_id).await?;
    let after = shifts::get(&mut *conn, before.id)
        .await?
        .ok_or(WriteError::NotFound)?;
    record(conn, editor, AuditAction::Cancel, Some(before), &after).await?;
    Ok(after)
}
