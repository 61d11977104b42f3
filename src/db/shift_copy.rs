//! Copying a week of the roster to a later week.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use sqlx::PgPool;

use super::audit::AuditEntry;
use super::retry::retrying;
use super::shift_checks::{check, lock_officers};
use super::shifts::{Editor, ShiftRecord, WriteError, get, insert, refresh};
use crate::domain::ShiftStatus;
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::shift_draft::{RosterRules, ShiftDraft};

/// What copying a week did: the shifts created (source id, new id) and those skipped, with why.
#[derive(Debug, Default)]
pub struct CopyReport {
    pub copied: Vec<(i64, i64)>,
    pub skipped: Vec<(i64, String)>,
}

/// Copies every non-cancelled shift starting in `source` (local dates) to the same wall-clock times
/// `weeks` weeks later, in one transaction; a shift that would clash, leave too little rest, fall
/// outside the pilot or name an officer or hotspot not available then is skipped and reported.
pub async fn copy_week(
    pool: &PgPool,
    pilot_id: i64,
    rules: &RosterRules,
    source: (NaiveDate, NaiveDate),
    weeks: i64,
    user_id: i64,
) -> Result<CopyReport, WriteError> {
    retrying(move || copy_once(pool, pilot_id, rules, source, weeks, user_id)).await
}

async fn copy_once(
    pool: &PgPool,
    pilot_id: i64,
    rules: &RosterRules,
    source: (NaiveDate, NaiveDate),
    weeks: i64,
    user_id: i64,
) -> Result<CopyReport, WriteError> {
    use crate::domain::shift_draft::ShiftForm;
    let zone = rules.zone;
    let mut tx = pool.begin().await?;
    let ids: Vec<i64> = sqlx::query_scalar(
        r#"select id from shifts where pilot_id = $1 and status <> 'cancelled'
              and (starts_at at time zone $2)::date between $3 and $4 order by starts_at, id"#,
    )
    .bind(pilot_id)
    .bind(zone.name())
    .bind(source.0)
    .bind(source.1)
    .fetch_all(&mut *tx)
    .await?;
    let author = Editor {
        user_id: Some(user_id),
        rest_reason: "",
    };
    let mut report = CopyReport::default();
    let mut originals: Vec<ShiftRecord> = Vec::with_capacity(ids.len());
    for id in ids {
        originals.push(get(&mut *tx, id).await?.ok_or(WriteError::NotFound)?);
    }
    // Every officer of the week at once, before any check: see `lock_officers`.
    let officers: Vec<i64> = originals
        .iter()
        .flat_map(|s| s.officer_ids.clone())
        .collect();
    lock_officers(&mut tx, &officers).await?;
    let mut created = Vec::new();
    for original in originals {
        let id = original.id;
        let moved = |at: DateTime<Utc>| {
            (at.with_timezone(&zone).naive_local() + TimeDelta::weeks(weeks))
                .format("%Y-%m-%dT%H:%M")
                .to_string()
        };
        let form = ShiftForm {
            team_id: original.team_id.to_string(),
            starts_at: moved(original.starts_at),
            ends_at: moved(original.ends_at),
            mode: original.mode.to_string(),
            officer_ids: original.officer_ids.iter().map(i64::to_string).collect(),
            hotspot_ids: original.hotspot_ids.iter().map(i64::to_string).collect(),
            notes: original.notes.clone(),
            ..ShiftForm::default()
        };
        let draft = match ShiftDraft::parse(&form, rules) {
            Ok(draft) => draft,
            Err(errors) => {
                let reasons: Vec<String> = errors.into_messages().collect();
                report.skipped.push((id, reasons.join(" ")));
                continue;
            }
        };
        match check(&mut tx, &draft, None, zone, author).await {
            Ok(()) => {}
            Err(WriteError::Clash(clash)) => {
                let other = format!("shift #{}", clash.shift_id);
                report.skipped.push((id, clash.describe(zone, &other)));
                continue;
            }
            Err(WriteError::NeedsRestReason(warnings)) => {
                report.skipped.push((id, warnings.join(" ")));
                continue;
            }
            Err(other) => return Err(other),
        }
        let after = insert(
            &mut tx,
            pilot_id,
            &draft,
            ShiftStatus::Planned,
            Some(user_id),
        )
        .await?;
        let mut entry = AuditEntry::new(
            Some(user_id),
            AuditAction::Copy,
            AuditEntity::Shift,
            Some(after.id),
        )
        .after(&after)
        .map_err(anyhow::Error::from)?;
        if let Some(after_json) = &mut entry.after {
            after_json["copied_from"] = id.into();
        }
        super::audit::record(&mut *tx, &entry).await?;
        report.copied.push((id, after.id));
        created.push(after);
    }
    refresh(&mut tx, pilot_id, zone, &created).await?;
    tx.commit().await?;
    Ok(report)
}
