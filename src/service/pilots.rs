//! Changes to pilots, one function each: adding one ([`create`]) and changing its settings
//! ([`update`]), from the administrators' pages and from `patrolboard pilot add`. Each is one
//! transaction, run again when the database breaks a lock conflict: lock the pilot, check that
//! its shifts and logged visits and activities stay inside its dates, write, record the audit
//! entry, and refresh the stored coverage the change alters (docs/architecture.md).

use chrono::{Days, NaiveDate};
use sqlx::PgPool;

use crate::db::audit::{self, AuditEntry};
use crate::db::coverage;
use crate::db::pilots::{self, Pilot, PilotRow};
use crate::db::retry::{Transient, retrying};
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::UserId;
use crate::domain::pilot_form::{NewPilot, PilotSettings, PilotSlug};
use crate::domain::time_zones::parse_time_zone;

/// Why a pilot was not added or changed.
#[derive(Debug, thiserror::Error)]
pub enum PilotError {
    #[error("the slug {0} is already used by another pilot")]
    SlugTaken(PilotSlug),
    #[error("there is no such pilot")]
    NotFound,
    /// The new dates (or zone) would leave shifts or logged entries outside the pilot: the
    /// sentences, beside the date each concerns.
    #[error("the pilot's shifts or logged visits and activities would fall outside its dates")]
    Stranding(FieldErrors),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<serde_json::Error> for PilotError {
    fn from(error: serde_json::Error) -> PilotError {
        PilotError::Internal(error.into())
    }
}

impl Transient for PilotError {
    fn is_transient(&self) -> bool {
        match self {
            PilotError::Db(e) => e.is_transient(),
            PilotError::Internal(e) => e.is_transient(),
            _ => false,
        }
    }
}

/// The row written for `settings`, with `slug`.
fn row<'a>(slug: &'a str, settings: &'a PilotSettings) -> PilotRow<'a> {
    PilotRow {
        slug,
        name: &settings.name,
        city: &settings.city,
        time_zone: settings.time_zone.name(),
        starts_on: settings.starts_on,
        ends_on: settings.ends_on,
        block_minutes: settings.block_minutes,
    }
}

/// Adds `new` on behalf of `author` (`None`: the command line). A new pilot has no hotspots, so
/// it has no stored coverage to refresh.
pub async fn create(
    pool: &PgPool,
    author: Option<UserId>,
    new: &NewPilot,
) -> Result<Pilot, PilotError> {
    retrying(move || async move {
        let mut tx = pool.begin().await?;
        let pilot = pilots::insert(&mut *tx, &row(new.slug.as_str(), &new.settings))
            .await
            .map_err(|e| match pilots::is_slug_taken(&e) {
                true => PilotError::SlugTaken(new.slug.clone()),
                false => PilotError::Db(e),
            })?;
        let entry = AuditEntry::new(
            author,
            AuditAction::Create,
            AuditEntity::Pilot,
            Some(pilot.id.0),
        )
        .of_pilot(pilot.id)
        .after(&pilot)?;
        audit::record(&mut *tx, &entry).await?;
        tx.commit().await?;
        Ok(pilot)
    })
    .await
}

/// Gives pilot `slug` the `settings`, on behalf of `author`. Refused when a shift would start on
/// a local day outside the new dates in the new zone, or a visit or activity fall more than a day
/// outside them (`PilotSettings::log_entry_days`).
/// A new zone, block length or dates rewrite the stored coverage of the pilot's hotspots in the
/// same transaction. Nothing to change is no change: no write, no audit entry.
pub async fn update(
    pool: &PgPool,
    author: Option<UserId>,
    slug: &str,
    settings: &PilotSettings,
) -> Result<Pilot, PilotError> {
    retrying(move || async move {
        let mut tx = pool.begin().await?;
        let before = pilots::lock(&mut *tx, slug)
            .await?
            .ok_or(PilotError::NotFound)?;
        let id = before.id;
        let stored = stored_settings(&before);
        if stored.as_ref() == Some(settings) {
            return Ok(before);
        }
        let (zone, from, to) = (
            settings.time_zone.name(),
            settings.starts_on,
            settings.ends_on,
        );
        let shifts = pilots::shifts_outside(&mut *tx, id, zone, from, to).await?;
        let (first_entry_day, last_entry_day) = settings.log_entry_days();
        let entries =
            pilots::log_entries_outside(&mut *tx, id, zone, first_entry_day, last_entry_day)
                .await?;
        let stranding = settings.stranding(shifts, entries);
        if !stranding.is_empty() {
            return Err(PilotError::Stranding(stranding));
        }
        let after = pilots::update(&mut *tx, &row(&before.slug, settings)).await?;
        let entry = AuditEntry::new(
            author,
            AuditAction::Update,
            AuditEntity::Pilot,
            Some(after.id.0),
        )
        .of_pilot(after.id)
        .before(&before)?
        .after(&after)?;
        audit::record(&mut *tx, &entry).await?;
        let spans = match &stored {
            Some(old) if !old.changes_coverage(settings) => Vec::new(),
            Some(old)
                if old.time_zone == settings.time_zone
                    && old.block_minutes == settings.block_minutes =>
            {
                days_to_refresh((old.starts_on, old.ends_on), (from, to))
            }
            _ => vec![(from, to)],
        };
        if !spans.is_empty() {
            coverage::forget_outside(&mut tx, after.id, from, to).await?;
        }
        for (first, last) in spans {
            coverage::refresh(&mut tx, after.id, first, last).await?;
        }
        tx.commit().await?;
        Ok(after)
    })
    .await
}

/// The settings a stored pilot has; `None` when its stored zone is not one chrono-tz knows (it
/// is then treated as changed).
fn stored_settings(pilot: &Pilot) -> Option<PilotSettings> {
    Some(PilotSettings {
        name: pilot.name.clone(),
        city: pilot.city.clone(),
        time_zone: parse_time_zone(&pilot.time_zone).ok()?,
        starts_on: pilot.starts_on,
        ends_on: pilot.ends_on,
        block_minutes: pilot.block_minutes,
    })
}

/// The spans of local days whose stored coverage changes when a pilot's dates move from `old`
/// to `new` (first and last day) with its zone and blocks kept: the days added, and the new
/// first or last day when that moved inward, since the week and month around it lose the days
/// cut off. What lies outside `new` is deleted separately.
fn days_to_refresh(
    (old_first, old_last): (NaiveDate, NaiveDate),
    (first, last): (NaiveDate, NaiveDate),
) -> Vec<(NaiveDate, NaiveDate)> {
    let day_before = |d: NaiveDate| d.checked_sub_days(Days::new(1)).unwrap_or(d);
    let day_after = |d: NaiveDate| d.checked_add_days(Days::new(1)).unwrap_or(d);
    let mut spans = Vec::new();
    if first < old_first {
        spans.push((first, day_before(old_first).min(last)));
    } else if first > old_first {
        spans.push((first, first));
    }
    if last > old_last {
        spans.push((day_after(old_last).max(first), last));
    } else if last < old_last {
        spans.push((last, last));
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn dates_moved_outward_refresh_the_days_added() {
        assert_eq!(
            days_to_refresh(
                (d("2023-03-01"), d("2023-03-31")),
                (d("2023-02-25"), d("2023-04-02"))
            ),
            [
                (d("2023-02-25"), d("2023-02-28")),
                (d("2023-04-01"), d("2023-04-02"))
            ]
        );
    }

    #[test]
    fn dates_moved_inward_refresh_the_new_first_and_last_day() {
        assert_eq!(
            days_to_refresh(
                (d("2023-03-01"), d("2023-03-31")),
                (d("2023-03-05"), d("2023-03-20"))
            ),
            [
                (d("2023-03-05"), d("2023-03-05")),
                (d("2023-03-20"), d("2023-03-20"))
            ]
        );
        assert!(
            days_to_refresh(
                (d("2023-03-01"), d("2023-03-31")),
                (d("2023-03-01"), d("2023-03-31"))
            )
            .is_empty()
        );
    }

    #[test]
    fn dates_moved_past_the_old_ones_refresh_every_new_day() {
        let later = days_to_refresh(
            (d("2023-03-01"), d("2023-03-10")),
            (d("2023-03-20"), d("2023-03-30")),
        );
        assert_eq!(
            later,
            [
                (d("2023-03-20"), d("2023-03-20")),
                (d("2023-03-20"), d("2023-03-30"))
            ]
        );
        let earlier = days_to_refresh(
            (d("2023-03-20"), d("2023-03-30")),
            (d("2023-03-01"), d("2023-03-10")),
        );
        assert_eq!(
            earlier,
            [
                (d("2023-03-01"), d("2023-03-10")),
                (d("2023-03-10"), d("2023-03-10"))
            ]
        );
    }
}
