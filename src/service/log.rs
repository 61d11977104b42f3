//! The shift log's changes: logging, changing and deleting a visit or an activity. One function
//! for each change, [`add`], [`change`] and [`delete`], serves both kinds of entry through
//! [`LogEntry`]: `add::<Visit>` logs a visit, `delete::<Activity>` deletes an activity.
//!
//! Each is one transaction, run again when the database breaks a lock conflict: it locks the
//! shift (for share, so it cannot be cancelled or moved meanwhile) and then the entry, checks the
//! form against the shift as it is now, writes, records the audit entry and refreshes the stored
//! coverage and activity counts of the days the entry touched, before and after.

use chrono::{DateTime, Days, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use sqlx::{PgConnection, PgPool, Postgres, Transaction};

use crate::coverage::local_date;
use crate::db::activity_log::Activity;
use crate::db::audit::{self, AuditEntry};
use crate::db::retry::{Transient, retrying};
use crate::db::rollups::Changed;
use crate::db::visit_log::{self, HotspotChoice, LogRow, LoggedShift, Visit};
use crate::domain::activity_draft::{ActivityDraft, ActivityForm};
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::{HotspotId, ShiftId, UserId};
use crate::domain::shift_log::{HotspotDates, ShiftToLog};
use crate::domain::visit_draft::{VisitDraft, VisitForm};

/// Why a change to the shift log was not made.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    /// The form does not fit the shift `shift_id`: each field's problem, to show beside it.
    #[error("the entry does not fit its shift")]
    Invalid {
        shift_id: ShiftId,
        errors: FieldErrors,
    },
    /// No such shift, or no such entry.
    #[error("no such shift or entry")]
    NotFound,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<serde_json::Error> for LogError {
    fn from(error: serde_json::Error) -> LogError {
        LogError::Internal(error.into())
    }
}

impl Transient for LogError {
    fn is_transient(&self) -> bool {
        match self {
            LogError::Db(e) => e.is_transient(),
            LogError::Internal(e) => e.is_transient(),
            LogError::Invalid { .. } | LogError::NotFound => false,
        }
    }
}

/// A kind of entry in the shift log: what the write path needs to know of visits and of
/// activities beyond how they are stored.
pub trait LogEntry: LogRow<Draft: Sync> + Serialize + Sync {
    /// The form as typed.
    type Form: Sync;
    /// What the audit log calls the entry.
    const ENTITY: AuditEntity;
    /// The rows a change of the entry writes, for the roll-ups built on them.
    const CHANGED: Changed;

    /// Reads `form` in the pilot's zone and checks it against `shift`.
    fn parse(form: &Self::Form, shift: &ShiftToLog, zone: Tz) -> Result<Self::Draft, FieldErrors>;

    /// The instants the entry spans: arrival and departure, or an activity's time twice.
    fn span(&self) -> (DateTime<Utc>, DateTime<Utc>);

    /// The hotspot whose stored coverage the entry counts in. An activity counts in none, only
    /// in its day's activity counts.
    fn covered_hotspot(&self) -> Option<HotspotId>;
}

impl LogEntry for Visit {
    type Form = VisitForm;
    const ENTITY: AuditEntity = AuditEntity::Visit;
    const CHANGED: Changed = Changed::Visits;

    fn parse(form: &VisitForm, shift: &ShiftToLog, zone: Tz) -> Result<VisitDraft, FieldErrors> {
        VisitDraft::parse(form, shift, zone)
    }

    fn span(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        (self.arrived_at, self.departed_at)
    }

    fn covered_hotspot(&self) -> Option<HotspotId> {
        Some(self.hotspot_id)
    }
}

impl LogEntry for Activity {
    type Form = ActivityForm;
    const ENTITY: AuditEntity = AuditEntity::Activity;
    const CHANGED: Changed = Changed::Activities;

    fn parse(
        form: &ActivityForm,
        shift: &ShiftToLog,
        zone: Tz,
    ) -> Result<ActivityDraft, FieldErrors> {
        ActivityDraft::parse(form, shift, zone)
    }

    fn span(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        (self.occurred_at, self.occurred_at)
    }

    fn covered_hotspot(&self) -> Option<HotspotId> {
        None
    }
}

/// Logs an entry of shift `shift_id` from `form`, by user `user_id`.
pub async fn add<E: LogEntry>(
    pool: &PgPool,
    user_id: UserId,
    shift_id: ShiftId,
    form: &E::Form,
) -> Result<E, LogError> {
    retrying(move || async move {
        let mut tx = pool.begin().await?;
        let shift = lock_shift(&mut tx, shift_id).await?;
        let draft = shift.check::<E>(form)?;
        let after: E = visit_log::insert(&mut *tx, shift_id, &draft).await?;
        let entry = AuditEntry::new(
            Some(user_id),
            AuditAction::Create,
            E::ENTITY,
            Some(after.id().into()),
        )
        .after(&after)?;
        finish(tx, &shift, entry, &[&after]).await?;
        Ok(after)
    })
    .await
}

/// Replaces what entry `id` says with `form`, by user `user_id`.
pub async fn change<E: LogEntry>(
    pool: &PgPool,
    user_id: UserId,
    id: E::Id,
    form: &E::Form,
) -> Result<E, LogError> {
    retrying(move || async move {
        let mut tx = pool.begin().await?;
        let (shift, before) = lock_entry::<E>(&mut tx, id).await?;
        let draft = shift.check::<E>(form)?;
        let after: E = visit_log::update(&mut *tx, id, &draft).await?;
        let entry = AuditEntry::new(
            Some(user_id),
            AuditAction::Update,
            E::ENTITY,
            Some(id.into()),
        )
        .before(&before)?
        .after(&after)?;
        finish(tx, &shift, entry, &[&before, &after]).await?;
        Ok(after)
    })
    .await
}

/// Removes entry `id`, even from a cancelled shift, by user `user_id`; the entry as it was.
pub async fn delete<E: LogEntry>(pool: &PgPool, user_id: UserId, id: E::Id) -> Result<E, LogError> {
    retrying(move || async move {
        let mut tx = pool.begin().await?;
        let (shift, before) = lock_entry::<E>(&mut tx, id).await?;
        visit_log::delete::<E>(&mut *tx, id).await?;
        let entry = AuditEntry::new(
            Some(user_id),
            AuditAction::Delete,
            E::ENTITY,
            Some(id.into()),
        )
        .before(&before)?;
        finish(tx, &shift, entry, &[&before]).await?;
        Ok(before)
    })
    .await
}

/// A shift with its pilot's zone and hotspots: what entries are checked against, and what the log
/// page shows.
pub struct ShiftLog {
    pub shift: LoggedShift,
    pub zone: Tz,
    /// Every hotspot of the pilot, by name.
    pub hotspots: Vec<HotspotChoice>,
}

impl ShiftLog {
    /// The shift `id` as it is now.
    pub async fn load(conn: &mut PgConnection, id: ShiftId) -> Result<ShiftLog, LogError> {
        let shift = visit_log::shift(&mut *conn, id)
            .await?
            .ok_or(LogError::NotFound)?;
        let zone: Tz = shift
            .time_zone
            .parse()
            .map_err(|_| anyhow::anyhow!("pilot {} has an unknown time zone", shift.pilot_slug))?;
        let hotspots = visit_log::hotspots(&mut *conn, shift.pilot_id).await?;
        Ok(ShiftLog {
            shift,
            zone,
            hotspots,
        })
    }

    /// Whether the shift was cancelled: nothing more can be logged against it.
    pub fn cancelled(&self) -> bool {
        !self.shift.status.counts()
    }

    /// The shift as the drafts check entries against it.
    pub fn rules(&self) -> ShiftToLog {
        ShiftToLog {
            starts_at: self.shift.starts_at,
            ends_at: self.shift.ends_at,
            cancelled: self.cancelled(),
            hotspots: self
                .hotspots
                .iter()
                .map(|h| HotspotDates {
                    id: h.id,
                    name: h.name.clone(),
                    active_from: h.active_from,
                    active_to: h.active_to,
                })
                .collect(),
        }
    }

    /// `form` checked against the shift: the draft to write, or why not.
    fn check<E: LogEntry>(&self, form: &E::Form) -> Result<E::Draft, LogError> {
        E::parse(form, &self.rules(), self.zone).map_err(|errors| LogError::Invalid {
            shift_id: self.shift.id,
            errors,
        })
    }

    /// Recomputes the stored coverage of the hotspots `entries` count in, and the officer and
    /// activity counts of their days: from the day before the earliest start, whose watch window
    /// may reach past midnight, to the latest end.
    async fn refresh<E: LogEntry>(
        &self,
        conn: &mut PgConnection,
        entries: &[&E],
    ) -> anyhow::Result<()> {
        let spans = entries.iter().map(|e| e.span());
        let (Some(first), Some(last)) = (
            spans
                .clone()
                .map(|(start, _)| local_date(self.zone, start))
                .min(),
            spans.map(|(_, end)| local_date(self.zone, end)).max(),
        ) else {
            return Ok(());
        };
        let from = first.checked_sub_days(Days::new(1)).unwrap_or(first);
        let hotspots: Vec<HotspotId> = entries.iter().filter_map(|e| e.covered_hotspot()).collect();
        crate::db::coverage::refresh_hotspots(
            conn,
            self.shift.pilot_id,
            (from, last),
            Some(&hotspots),
            E::CHANGED,
        )
        .await?;
        Ok(())
    }
}

/// Locks shift `shift_id` for share and reads it.
async fn lock_shift(conn: &mut PgConnection, shift_id: ShiftId) -> Result<ShiftLog, LogError> {
    if !visit_log::lock_shift(&mut *conn, shift_id).await? {
        return Err(LogError::NotFound);
    }
    ShiftLog::load(conn, shift_id).await
}

/// Locks entry `id` after its shift, the order every writer locks in, and reads both.
async fn lock_entry<E: LogEntry>(
    conn: &mut PgConnection,
    id: E::Id,
) -> Result<(ShiftLog, E), LogError> {
    let shift_id = visit_log::shift_of::<E>(&mut *conn, id)
        .await?
        .ok_or(LogError::NotFound)?;
    let shift = lock_shift(conn, shift_id).await?;
    let entry = visit_log::lock(&mut *conn, id)
        .await?
        .ok_or(LogError::NotFound)?;
    Ok((shift, entry))
}

/// Records `entry`, refreshes what `entries` (the entry before and after) touched, and commits.
async fn finish<E: LogEntry>(
    mut tx: Transaction<'_, Postgres>,
    shift: &ShiftLog,
    entry: AuditEntry,
    entries: &[&E],
) -> Result<(), LogError> {
    audit::record(&mut *tx, &entry.of_pilot(shift.shift.pilot_id)).await?;
    shift.refresh(&mut tx, entries).await?;
    tx.commit().await?;
    Ok(())
}
