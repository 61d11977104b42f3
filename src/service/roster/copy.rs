//! Copying a week of the roster to a later (or earlier) week, in one transaction.

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::Value;
use sqlx::PgPool;

use super::shifts::insert;
use super::{Editor, RosterPilot, WriteError, check, refresh, rules};
use crate::db::audit::{self, AuditEntry};
use crate::db::retry::retrying;
use crate::db::shift_checks::lock_officers;
use crate::db::shifts::{self, ShiftRecord};
use crate::domain::ShiftStatus;
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::ids::{HotspotId, OfficerId, ShiftId, UserId};
use crate::domain::shift_draft::{ShiftDraft, ShiftForm};
use crate::domain::week::Week;

/// A shift copied: the original and the new shift.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CopiedShift {
    pub from: ShiftId,
    pub to: ShiftId,
}

/// A shift not copied, and why, in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedShift {
    pub id: ShiftId,
    pub reason: String,
}

/// What copying a week did.
#[derive(Debug, Default)]
pub struct CopyReport {
    pub copied: Vec<CopiedShift>,
    pub skipped: Vec<SkippedShift>,
}

/// Copies every non-cancelled shift starting in week `from` to the same wall-clock times in week
/// `to`, by `user_id`, in one transaction; a shift that would clash, leave too little rest, fall
/// outside the pilot or name an officer or hotspot not available then is skipped and reported.
pub async fn copy_week(
    pool: &PgPool,
    pilot: &RosterPilot,
    from: Week,
    to: Week,
    user_id: UserId,
) -> Result<CopyReport, WriteError> {
    retrying(move || async move {
        let zone = pilot.zone;
        let weeks = from.weeks_until(to);
        let mut tx = pool.begin().await?;
        let rules = rules(&mut tx, pilot).await?;
        let ids =
            shifts::ids_starting_between(&mut *tx, pilot.id, zone, from.monday(), from.sunday())
                .await?;
        let mut originals: Vec<ShiftRecord> = Vec::with_capacity(ids.len());
        for id in ids {
            originals.push(
                shifts::get(&mut *tx, id)
                    .await?
                    .ok_or(WriteError::NotFound)?,
            );
        }
        // Every officer of the week at once, before any check: see `lock_officers`.
        let officers: Vec<OfficerId> = originals
            .iter()
            .flat_map(|s| s.officer_ids.clone())
            .collect();
        lock_officers(&mut tx, &officers).await?;
        let editor = Editor {
            user_id: Some(user_id),
            rest_reason: "",
        };
        let mut report = CopyReport::default();
        let mut created = Vec::new();
        for original in originals {
            let id = original.id;
            let skip = |reason: String| SkippedShift { id, reason };
            let draft = match ShiftDraft::parse(&moved(&original, pilot, weeks), &rules) {
                Ok(draft) => draft,
                Err(errors) => {
                    let reasons: Vec<String> = errors.into_messages().collect();
                    report.skipped.push(skip(reasons.join(" ")));
                    continue;
                }
            };
            match check(&mut tx, &draft, None, zone, editor).await {
                Ok(()) => {}
                Err(WriteError::Clash(clash)) => {
                    let other = format!("shift #{}", clash.shift_id);
                    report.skipped.push(skip(clash.describe(zone, &other)));
                    continue;
                }
                Err(WriteError::NeedsRestReason(short)) => {
                    let warnings: Vec<String> = short.iter().map(ToString::to_string).collect();
                    report.skipped.push(skip(warnings.join(" ")));
                    continue;
                }
                Err(other) => return Err(other),
            }
            let after = insert(&mut tx, pilot, &draft, ShiftStatus::Planned, Some(user_id)).await?;
            let mut entry = AuditEntry::new(
                Some(user_id),
                AuditAction::Copy,
                AuditEntity::Shift,
                Some(after.id.0),
            )
            .of_pilot(after.pilot_id)
            .after(&after)
            .map_err(anyhow::Error::from)?;
            if let Some(after_json) = &mut entry.after {
                after_json["copied_from"] = Value::from(id.0);
            }
            audit::record(&mut *tx, &entry).await?;
            report.copied.push(CopiedShift {
                from: id,
                to: after.id,
            });
            created.push(after);
        }
        refresh(&mut tx, pilot, &created).await?;
        tx.commit().await?;
        Ok(report)
    })
    .await
}

/// The roster form of `original` moved `weeks` weeks on, at the same wall-clock times.
fn moved(original: &ShiftRecord, pilot: &RosterPilot, weeks: i64) -> ShiftForm {
    let moved = |at: DateTime<Utc>| {
        (at.with_timezone(&pilot.zone).naive_local() + TimeDelta::weeks(weeks))
            .format("%Y-%m-%dT%H:%M")
            .to_string()
    };
    ShiftForm {
        team_id: original.team_id.to_string(),
        starts_at: moved(original.starts_at),
        ends_at: moved(original.ends_at),
        mode: original.mode.to_string(),
        officer_ids: original
            .officer_ids
            .iter()
            .map(OfficerId::to_string)
            .collect(),
        hotspot_ids: original
            .hotspot_ids
            .iter()
            .map(HotspotId::to_string)
            .collect(),
        notes: original.notes.clone(),
        ..ShiftForm::default()
    }
}
