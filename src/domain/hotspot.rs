//! What an analyst decides about a hotspot besides where it is: when it is watched and what is
//! aimed for there; and the rules each of those values follows, written once for the hotspot
//! import (`import::hotspots`) and the edit form (`domain::hotspot_form`).

use chrono::{NaiveDate, NaiveTime};
use serde::Serialize;

use super::plain_text::{normalise, quoted};

/// The priorities, 1 (highest) to 3.
pub const PRIORITIES: (i64, i64) = (1, 3);

/// The range of a target (patrol minutes a day, longest gap): at least a minute, at most a day.
pub const TARGET_MINUTES: (i64, i64) = (1, 1440);

/// The longest gap aimed for when none is given.
pub const DEFAULT_MAX_GAP_MINUTES: i32 = 120;

/// A hotspot's watch: its priority, the dates it is watched, its daily window and targets. The
/// same values are stored in `hotspots`, read from an import file, planned by the seeds and read
/// by the coverage engine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Watch {
    /// 1 (highest) to 3.
    pub priority: i16,
    /// First local day the hotspot is watched (inclusive).
    pub active_from: NaiveDate,
    /// Last local day the hotspot is watched (inclusive); `None` while open-ended.
    pub active_to: Option<NaiveDate>,
    /// Local time the daily watch window opens.
    pub window_start: NaiveTime,
    /// Local time it closes; at or before `window_start` means the window crosses midnight.
    pub window_end: NaiveTime,
    /// Patrol minutes aimed for on each active day.
    pub target_minutes_per_day: i32,
    /// Longest gap between visits aimed for.
    pub max_gap_minutes: i32,
}

impl Watch {
    /// Whether local date `date` lies within the hotspot's own dates.
    pub fn is_active_on(&self, date: NaiveDate) -> bool {
        self.active_from <= date && self.active_to.is_none_or(|to| date <= to)
    }
}

/// Why a value of a hotspot is refused, as words that follow the field's name
/// (`priority 4 is not in 1–3`); [`Refusal::sentence`] says it to someone filling in a form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("is missing")]
    Missing,
    #[error("{} is not a whole number", quoted(.0))]
    NotWholeNumber(String),
    #[error("{value} is not in {}–{}", .range.0, .range.1)]
    OutOfRange { value: i64, range: (i64, i64) },
    #[error("{} is not a date YYYY-MM-DD", quoted(.0))]
    NotDate(String),
    #[error("{} is not a time HH:MM", quoted(.0))]
    NotTime(String),
    #[error("{date} is outside the pilot ({} to {})", .pilot.first, .pilot.last)]
    OutsidePilot { date: NaiveDate, pilot: PilotDays },
    #[error("{last} is before active_from {first}")]
    BeforeFirstDay { last: NaiveDate, first: NaiveDate },
}

impl Refusal {
    /// The refusal as a sentence shown beside a form's field.
    pub fn sentence(&self) -> String {
        match self {
            Refusal::Missing => "Fill this in.".into(),
            Refusal::NotWholeNumber(_) => "Enter a whole number.".into(),
            Refusal::OutOfRange { range, .. } => {
                format!("Enter a whole number from {} to {}.", range.0, range.1)
            }
            Refusal::NotDate(_) => "Enter a date as YYYY-MM-DD.".into(),
            Refusal::NotTime(_) => "Enter a time as HH:MM.".into(),
            Refusal::OutsidePilot { pilot, .. } => format!(
                "Choose a day inside the pilot, {} to {}.",
                pilot.first, pilot.last
            ),
            Refusal::BeforeFirstDay { first, .. } => {
                format!("Choose a day on or after the first day watched, {first}.")
            }
        }
    }
}

/// A hotspot's name: trimmed, its runs of spaces made one, not empty.
pub fn name(raw: &str) -> Result<String, Refusal> {
    match normalise(raw) {
        name if name.is_empty() => Err(Refusal::Missing),
        name => Ok(name),
    }
}

/// Why the area was identified: trimmed, its runs of spaces made one; it may be empty.
pub fn reason(raw: &str) -> String {
    normalise(raw)
}

/// A priority, 1 to 3.
pub fn priority(raw: &str) -> Result<i16, Refusal> {
    whole_number(raw, PRIORITIES).map(|n| n as i16)
}

/// A target in minutes: patrol minutes a day, or the longest gap aimed for.
pub fn target_minutes(raw: &str) -> Result<i32, Refusal> {
    whole_number(raw, TARGET_MINUTES).map(|n| n as i32)
}

fn whole_number(raw: &str, range: (i64, i64)) -> Result<i64, Refusal> {
    let raw = raw.trim();
    match raw.parse::<i64>() {
        Ok(value) if (range.0..=range.1).contains(&value) => Ok(value),
        Ok(value) => Err(Refusal::OutOfRange { value, range }),
        Err(_) => Err(Refusal::NotWholeNumber(raw.to_string())),
    }
}

/// A date written `YYYY-MM-DD`.
pub fn date(raw: &str) -> Result<NaiveDate, Refusal> {
    let raw = raw.trim();
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| Refusal::NotDate(raw.to_string()))
}

/// A local time of day written `HH:MM` (or `HH:MM:SS`); `24:00` is midnight, the end of a window
/// that closes at the end of the day.
pub fn time(raw: &str) -> Result<NaiveTime, Refusal> {
    let raw = raw.trim();
    match raw {
        "24:00" | "24:00:00" => Ok(NaiveTime::MIN),
        _ => NaiveTime::parse_from_str(raw, "%H:%M")
            .or_else(|_| NaiveTime::parse_from_str(raw, "%H:%M:%S"))
            .map_err(|_| Refusal::NotTime(raw.to_string())),
    }
}

/// The first and last day of a pilot: a hotspot's active dates lie between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PilotDays {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl PilotDays {
    /// `date`, if it is a day of the pilot.
    pub fn check(&self, date: NaiveDate) -> Result<NaiveDate, Refusal> {
        if (self.first..=self.last).contains(&date) {
            Ok(date)
        } else {
            Err(Refusal::OutsidePilot { date, pilot: *self })
        }
    }

    /// `date` moved into the pilot: its first day if before, its last if after.
    pub fn clamp(&self, date: NaiveDate) -> NaiveDate {
        date.clamp(self.first, self.last)
    }
}

/// Refuses a last day watched before the first.
pub fn in_order(first: NaiveDate, last: NaiveDate) -> Result<(), Refusal> {
    if last < first {
        return Err(Refusal::BeforeFirstDay { last, first });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rule_says_why_after_the_fields_name_and_as_a_sentence() {
        assert_eq!(priority(" 2 "), Ok(2));
        let four = priority("4").unwrap_err();
        assert_eq!(format!("priority {four}"), "priority 4 is not in 1–3");
        assert_eq!(four.sentence(), "Enter a whole number from 1 to 3.");
        let lots = target_minutes("lots").unwrap_err();
        assert_eq!(lots.to_string(), "\"lots\" is not a whole number");
        assert_eq!(
            target_minutes("1441").unwrap_err().to_string(),
            "1441 is not in 1–1440"
        );
        assert_eq!(
            date("2023-02-30").unwrap_err().sentence(),
            "Enter a date as YYYY-MM-DD."
        );
        assert_eq!(time("24:00"), Ok(NaiveTime::MIN));
        assert_eq!(
            time("22:30:00"),
            NaiveTime::from_hms_opt(22, 30, 0).ok_or(Refusal::Missing)
        );
        assert!(time("25:00").is_err());
        assert_eq!(
            name("  Olympic \u{a0} Plaza "),
            Ok("Olympic Plaza".to_string())
        );
        assert_eq!(name(" "), Err(Refusal::Missing));
    }

    #[test]
    fn active_dates_stay_inside_the_pilot_and_in_order() {
        let day = |d| NaiveDate::from_ymd_opt(2023, 3, d).unwrap();
        let pilot = PilotDays {
            first: day(1),
            last: day(31),
        };
        assert_eq!(pilot.check(day(31)), Ok(day(31)));
        let outside = NaiveDate::from_ymd_opt(2023, 4, 1).unwrap();
        assert_eq!(
            pilot.check(outside).unwrap_err().to_string(),
            "2023-04-01 is outside the pilot (2023-03-01 to 2023-03-31)"
        );
        assert_eq!(pilot.clamp(outside), day(31));
        assert!(in_order(day(2), day(2)).is_ok());
        assert_eq!(
            in_order(day(3), day(2)).unwrap_err().to_string(),
            "2023-03-02 is before active_from 2023-03-03"
        );
    }

    #[test]
    fn an_open_ended_watch_runs_from_its_first_day_on() {
        let day = |d| NaiveDate::from_ymd_opt(2023, 3, d).unwrap();
        let mut watch = Watch {
            priority: 1,
            active_from: day(2),
            active_to: None,
            window_start: NaiveTime::MIN,
            window_end: NaiveTime::MIN,
            target_minutes_per_day: 60,
            max_gap_minutes: 120,
        };
        assert!(!watch.is_active_on(day(1)));
        assert!(watch.is_active_on(day(2)) && watch.is_active_on(day(31)));
        watch.active_to = Some(day(3));
        assert!(watch.is_active_on(day(3)) && !watch.is_active_on(day(4)));
    }
}
