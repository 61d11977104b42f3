//! What the shift log's entries (visits and activities) are checked against, and the checks the
//! visit and activity forms share: a time read in the pilot's zone and within the shift, and the
//! hotspot rule.

use chrono::{DateTime, Days, NaiveDate, TimeDelta, Utc};
use chrono_tz::Tz;

use super::field_errors::FieldErrors;
use super::ids::HotspotId;
use super::local_time;

/// How far before its shift's start or after its end a visit or activity may be logged: crews
/// report a few minutes either side of the rostered times.
pub const SHIFT_TOLERANCE: TimeDelta = TimeDelta::minutes(30);

/// What a shift log entry is checked against: the shift and the hotspots of its pilot.
#[derive(Debug, Clone)]
pub struct ShiftToLog {
    /// Start instant of the shift.
    pub starts_at: DateTime<Utc>,
    /// End instant of the shift.
    pub ends_at: DateTime<Utc>,
    /// A cancelled shift did not happen: nothing can be logged against it.
    pub cancelled: bool,
    /// Every hotspot of the shift's pilot.
    pub hotspots: Vec<HotspotDates>,
}

/// A hotspot of the pilot and the local dates it is watched.
#[derive(Debug, Clone)]
pub struct HotspotDates {
    /// Database id.
    pub id: HotspotId,
    /// Its name, for messages.
    pub name: String,
    /// First local date watched.
    pub active_from: NaiveDate,
    /// Last local date watched; `None` while open-ended.
    pub active_to: Option<NaiveDate>,
}

impl HotspotDates {
    /// Whether the hotspot is watched on local date `date`.
    pub fn is_active_on(&self, date: NaiveDate) -> bool {
        self.active_from <= date && self.active_to.is_none_or(|to| date <= to)
    }
}

/// Reads a required time field, noting why it could not be read.
pub(crate) fn required_time(
    errors: &mut FieldErrors,
    field: &'static str,
    what: &str,
    text: &str,
    zone: Tz,
) -> Option<DateTime<Utc>> {
    if text.trim().is_empty() {
        errors.add(field, format!("Enter the date and time of {what}."));
        return None;
    }
    local_time::parse(text, zone)
        .map_err(|e| errors.add(field, e.to_string()))
        .ok()
}

/// Notes when `at` lies outside the shift, give or take [`SHIFT_TOLERANCE`].
pub(crate) fn check_within_shift(
    errors: &mut FieldErrors,
    field: &'static str,
    what: &str,
    at: DateTime<Utc>,
    shift: &ShiftToLog,
    zone: Tz,
) {
    let local = |t: DateTime<Utc>| {
        t.with_timezone(&zone)
            .format("%a %-d %b %Y %H:%M")
            .to_string()
    };
    let minutes = SHIFT_TOLERANCE.num_minutes();
    if at < shift.starts_at - SHIFT_TOLERANCE {
        errors.add(
            field,
            format!(
                "{what} is before the shift, which starts {}; up to {minutes} minutes early is accepted.",
                local(shift.starts_at)
            ),
        );
    } else if at > shift.ends_at + SHIFT_TOLERANCE {
        errors.add(
            field,
            format!(
                "{what} is after the shift, which ends {}; up to {minutes} minutes late is accepted.",
                local(shift.ends_at)
            ),
        );
    }
}

/// The hotspot id typed, when it names a hotspot of the shift's pilot. `Some(None)` is an empty
/// optional field; `None` a problem (noted).
pub(crate) fn checked_hotspot_id(
    errors: &mut FieldErrors,
    text: &str,
    shift: &ShiftToLog,
    required: bool,
) -> Option<Option<HotspotId>> {
    let text = text.trim();
    if text.is_empty() {
        if required {
            errors.add("hotspot_id", "Choose the hotspot.");
            return None;
        }
        return Some(None);
    }
    match text.parse::<HotspotId>() {
        Ok(id) if shift.hotspots.iter().any(|h| h.id == id) => Some(Some(id)),
        _ => {
            errors.add("hotspot_id", "Choose one of this pilot's hotspots.");
            None
        }
    }
}

/// Like [`checked_hotspot_id`], and the hotspot must be watched on the local date of `at` or the
/// day before (a watch window that crosses midnight belongs to the day it opens).
pub(crate) fn checked_hotspot(
    errors: &mut FieldErrors,
    text: &str,
    shift: &ShiftToLog,
    at: DateTime<Utc>,
    zone: Tz,
    required: bool,
) -> Option<Option<HotspotId>> {
    let id = checked_hotspot_id(errors, text, shift, required)?;
    let Some(hotspot) = id.and_then(|id| shift.hotspots.iter().find(|h| h.id == id)) else {
        return Some(id);
    };
    let date = at.with_timezone(&zone).date_naive();
    let day_before = date.checked_sub_days(Days::new(1)).unwrap_or(date);
    if hotspot.is_active_on(date) || hotspot.is_active_on(day_before) {
        return Some(id);
    }
    let dates = match hotspot.active_to {
        Some(to) => format!("from {} to {}", hotspot.active_from, to),
        None => format!("from {} on", hotspot.active_from),
    };
    errors.add(
        "hotspot_id",
        format!(
            "{} was not a hotspot on {} (it is watched {dates}).",
            hotspot.name, date
        ),
    );
    None
}
