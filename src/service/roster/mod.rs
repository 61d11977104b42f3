//! The changes a user makes to the roster, one function each: creating, changing and cancelling
//! a shift ([`create_shift`], [`update_shift`], [`cancel_shift`]), copying a week
//! ([`copy_week`]), importing a roster file ([`import_in`]) and making or revoking a calendar
//! link ([`create_calendar_link`], [`revoke_calendar_link`]).
//!
//! Locks are taken in one order (docs/architecture.md): the shift rows being changed, in id
//! order; then every officer whose memberships the change adds or removes, in one call to
//! [`db::shift_checks::lock_officers`]; then the pilot's coverage lock inside the refresh.

mod calendar;
mod copy;
mod import;
mod shifts;

use chrono::{Days, NaiveDate};
use chrono_tz::Tz;
use sqlx::{PgConnection, PgPool};

use crate::db::audit::{self, AuditEntry};
use crate::db::retry::{Transient, is_transient};
use crate::db::rollups::Changed;
use crate::db::shift_checks::{find_clash, shifts_within_rest};
use crate::db::shifts::ShiftRecord;
use crate::db::{self, coverage};
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::{HotspotId, PilotId, ShiftId, UserId};
use crate::domain::roster_checks::{Clash, ShortRest};
use crate::domain::roster_rules::RosterRules;
use crate::domain::shift_draft::ShiftDraft;

pub use calendar::{create_calendar_link, revoke_calendar_link};
pub use copy::{CopiedShift, CopyReport, SkippedShift, copy_week};
pub use import::{ImportRow, Refusal, RowChange, RowOutcome, import_in};
pub use shifts::{cancel_shift, create_shift, update_shift};

/// The pilot whose roster changes.
#[derive(Debug, Clone, Copy)]
pub struct RosterPilot {
    pub id: PilotId,
    /// The pilot's time zone: the roster's days and wall-clock times are in it.
    pub zone: Tz,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

/// Who changes the roster: a user, or no one (an import from the shell); and, if they accept
/// short rest, why.
#[derive(Debug, Clone, Copy)]
struct Editor<'a> {
    user_id: Option<UserId>,
    rest_reason: &'a str,
}

/// Why a change to the roster did not happen.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("the shift's fields do not pass the roster's rules")]
    Invalid(FieldErrors),
    #[error("an officer is already on an overlapping shift")]
    Clash(Clash),
    #[error("the shift was changed by someone else")]
    Stale(Box<ShiftRecord>),
    #[error("less rest than the minimum between shifts")]
    NeedsRestReason(Vec<ShortRest>),
    #[error("This shift is cancelled, so it can no longer be changed.")]
    Cancelled,
    #[error("no such shift or link")]
    NotFound,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl WriteError {
    /// Whether the database refused the write by the overlap constraint: another writer won a
    /// race the officers' locks did not see (the transaction is then unusable).
    pub fn is_overlap(&self) -> bool {
        matches!(self, WriteError::Db(sqlx::Error::Database(e))
            if e.constraint() == Some("shift_members_no_overlap"))
    }

    /// The error as `anyhow` with `what` was being done, keeping a database error findable in
    /// its chain so [`Transient`] still sees a deadlock.
    pub fn into_anyhow(
        self,
        what: impl std::fmt::Display + Send + Sync + 'static,
    ) -> anyhow::Error {
        match self {
            WriteError::Db(e) => anyhow::Error::new(e).context(what),
            WriteError::Internal(e) => e.context(what),
            other => anyhow::Error::new(other).context(what),
        }
    }
}

impl Transient for WriteError {
    fn is_transient(&self) -> bool {
        match self {
            WriteError::Db(e) => is_transient(e),
            WriteError::Internal(e) => e.is_transient(),
            _ => false,
        }
    }
}

/// What the pilot's roster may hold, as stored now.
async fn rules(conn: &mut PgConnection, pilot: &RosterPilot) -> Result<RosterRules, sqlx::Error> {
    db::roster::rules(conn, pilot.id, pilot.zone, pilot.starts_on, pilot.ends_on).await
}

/// Refuses a draft that clashes, or that leaves short rest without a reason.
async fn check(
    conn: &mut PgConnection,
    draft: &ShiftDraft,
    except: Option<ShiftId>,
    zone: Tz,
    editor: Editor<'_>,
) -> Result<(), WriteError> {
    let span = (draft.starts_at, draft.ends_at);
    let officers = &draft.officer_ids;
    if let Some(clash) = find_clash(&mut *conn, officers, span.0, span.1, except).await? {
        return Err(WriteError::Clash(clash));
    }
    let near = shifts_within_rest(&mut *conn, officers, span.0, span.1, except).await?;
    if !near.is_empty() && editor.rest_reason.trim().is_empty() {
        let short = near.into_iter().map(|other| {
            ShortRest::between(other.officer, span, (other.starts_at, other.ends_at), zone)
        });
        return Err(WriteError::NeedsRestReason(short.collect()));
    }
    Ok(())
}

/// `error`, or when it is the overlap constraint's refusal, the clash another writer made, found
/// afresh on the pool (the refused transaction is over).
async fn name_clash(
    pool: &PgPool,
    draft: &ShiftDraft,
    except: Option<ShiftId>,
    error: WriteError,
) -> WriteError {
    if !error.is_overlap() {
        return error;
    }
    let officers = &draft.officer_ids;
    match find_clash(pool, officers, draft.starts_at, draft.ends_at, except).await {
        Ok(Some(clash)) => WriteError::Clash(clash),
        Ok(None) => error,
        Err(e) => WriteError::Db(e),
    }
}

/// Records a change of a shift, with the editor's reason for short rest when they gave one.
async fn record(
    conn: &mut PgConnection,
    editor: Editor<'_>,
    action: AuditAction,
    before: Option<&ShiftRecord>,
    after: &ShiftRecord,
) -> Result<(), WriteError> {
    let mut entry = AuditEntry::new(editor.user_id, action, AuditEntity::Shift, Some(after.id.0))
        .of_pilot(after.pilot_id)
        .after(after)
        .map_err(anyhow::Error::from)?;
    if let Some(before) = before {
        entry = entry.before(before).map_err(anyhow::Error::from)?;
    }
    if let (Some(after_json), reason) = (&mut entry.after, editor.rest_reason.trim())
        && !reason.is_empty()
    {
        after_json["rest_override_reason"] = reason.into();
    }
    audit::record(&mut *conn, &entry).await?;
    Ok(())
}

/// Recomputes stored coverage for every local day a window touching these shifts may open on, at
/// the hotspots they are (or were) directed to.
async fn refresh<'a>(
    conn: &mut PgConnection,
    pilot: &RosterPilot,
    shifts: impl IntoIterator<Item = &'a ShiftRecord>,
) -> anyhow::Result<()> {
    let zone = pilot.zone;
    let mut span: Option<(NaiveDate, NaiveDate)> = None;
    let mut hotspots: Vec<HotspotId> = Vec::new();
    for shift in shifts {
        hotspots.extend(&shift.hotspot_ids);
        let from = shift
            .starts_at
            .with_timezone(&zone)
            .date_naive()
            .checked_sub_days(Days::new(1));
        let to = shift.ends_at.with_timezone(&zone).date_naive();
        if let Some(from) = from {
            span = Some(span.map_or((from, to), |(a, b)| (a.min(from), b.max(to))));
        }
    }
    hotspots.sort_unstable();
    hotspots.dedup();
    if let Some((from, to)) = span {
        coverage::refresh_hotspots(conn, pilot.id, (from, to), Some(&hotspots), Changed::Shifts)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_database_deadlock_inside_a_write_error_is_retried() {
        assert!(!WriteError::NotFound.is_transient());
        assert!(!WriteError::Db(sqlx::Error::PoolTimedOut).is_transient());
        let wrapped = WriteError::Db(sqlx::Error::RowNotFound).into_anyhow("writing");
        assert!(!wrapped.is_transient());
        assert!(wrapped.downcast_ref::<sqlx::Error>().is_some());
    }
}
