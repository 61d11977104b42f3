//! The forms of a hotspot's edit page as typed, checked field by field by the rules of
//! [`super::hotspot`] (the same the hotspot import applies): its attributes, and the day it is
//! retired on.

use chrono::NaiveDate;
use serde::Deserialize;

use super::field_errors::FieldErrors;
use super::hotspot::{self as rule, PilotDays, Refusal, Watch};

/// The attributes form as typed: every value as text, `active_to` empty while open-ended, and the
/// `version` of the hotspot the form was filled from.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct HotspotForm {
    pub name: String,
    pub priority: String,
    pub active_from: String,
    pub active_to: String,
    pub window_start: String,
    pub window_end: String,
    pub target_minutes_per_day: String,
    pub max_gap_minutes: String,
    pub reason: String,
    pub version: String,
}

impl HotspotForm {
    /// The form filled with a hotspot's stored attributes.
    pub fn of(name: &str, watch: &Watch, reason: &str, version: i32) -> HotspotForm {
        HotspotForm {
            name: name.to_string(),
            priority: watch.priority.to_string(),
            active_from: watch.active_from.to_string(),
            active_to: watch.active_to.map_or(String::new(), |d| d.to_string()),
            window_start: watch.window_start.format("%H:%M").to_string(),
            window_end: watch.window_end.format("%H:%M").to_string(),
            target_minutes_per_day: watch.target_minutes_per_day.to_string(),
            max_gap_minutes: watch.max_gap_minutes.to_string(),
            reason: reason.to_string(),
            version: version.to_string(),
        }
    }
}

/// A hotspot's attributes that may be stored, and the version they were edited from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HotspotEdit {
    pub name: String,
    pub watch: Watch,
    pub reason: String,
    pub version: i32,
}

impl HotspotEdit {
    /// Checks every field of `form`, its active dates against the `pilot`'s; each problem is
    /// reported beside its field.
    pub fn parse(form: &HotspotForm, pilot: PilotDays) -> Result<HotspotEdit, FieldErrors> {
        let mut errors = FieldErrors::new();
        let e = &mut errors;
        let name = field(e, "name", rule::name(&form.name));
        let priority = field(e, "priority", rule::priority(&form.priority));
        let active_from = field(
            e,
            "active_from",
            rule::date(&form.active_from).and_then(|d| pilot.check(d)),
        );
        let active_to = match form.active_to.trim() {
            "" => Some(None),
            typed => field(
                e,
                "active_to",
                rule::date(typed).and_then(|d| pilot.check(d)),
            )
            .map(Some),
        };
        let window_start = field(e, "window_start", rule::time(&form.window_start));
        let window_end = field(e, "window_end", rule::time(&form.window_end));
        let target = field(
            e,
            "target_minutes_per_day",
            rule::target_minutes(&form.target_minutes_per_day),
        );
        let max_gap = field(
            e,
            "max_gap_minutes",
            rule::target_minutes(&form.max_gap_minutes),
        );
        if let (Some(first), Some(Some(last))) = (active_from, active_to) {
            field(e, "active_to", rule::in_order(first, last));
        }
        let version = form.version.trim().parse::<i32>().ok();
        if version.is_none() {
            errors.add(
                "version",
                "The form lost track of the hotspot's version; open the hotspot again.",
            );
        }
        errors.into_result(|| {
            Some(HotspotEdit {
                name: name?,
                watch: Watch {
                    priority: priority?,
                    active_from: active_from?,
                    active_to: active_to?,
                    window_start: window_start?,
                    window_end: window_end?,
                    target_minutes_per_day: target?,
                    max_gap_minutes: max_gap?,
                },
                reason: rule::reason(&form.reason),
                version: version?,
            })
        })
    }
}

/// The value `checked`, or `None` with its refusal noted beside field `name`.
fn field<T>(
    errors: &mut FieldErrors,
    name: &'static str,
    checked: Result<T, Refusal>,
) -> Option<T> {
    checked.map_err(|r| errors.add(name, r.sentence())).ok()
}

/// The retire form as typed: the last day the hotspot is watched.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RetireForm {
    pub active_to: String,
}

impl RetireForm {
    /// `watch` ending on the form's day, which must lie in the `pilot` and not before the first
    /// day watched.
    pub fn retire(&self, watch: &Watch, pilot: PilotDays) -> Result<Watch, FieldErrors> {
        let last = rule::date(&self.active_to)
            .and_then(|d| pilot.check(d))
            .and_then(|d| rule::in_order(watch.active_from, d).map(|()| d));
        match last {
            Ok(last) => Ok(Watch {
                active_to: Some(last),
                ..watch.clone()
            }),
            Err(refusal) => {
                let mut errors = FieldErrors::new();
                errors.add("active_to", refusal.sentence());
                Err(errors)
            }
        }
    }
}

/// The day a retire form offers: `today` (the pilot's local date), moved into the days the
/// hotspot may end on, from its first day watched to the pilot's last.
pub fn default_retire_day(watch: &Watch, pilot: PilotDays, today: NaiveDate) -> NaiveDate {
    today.clamp(watch.active_from.max(pilot.first), pilot.last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveTime;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2023, 3, d).unwrap()
    }

    const MARCH: PilotDays = PilotDays {
        first: NaiveDate::from_ymd_opt(2023, 3, 1).unwrap(),
        last: NaiveDate::from_ymd_opt(2023, 3, 31).unwrap(),
    };

    fn watch() -> Watch {
        Watch {
            priority: 2,
            active_from: day(5),
            active_to: None,
            window_start: NaiveTime::from_hms_opt(22, 0, 0).unwrap(),
            window_end: NaiveTime::from_hms_opt(2, 0, 0).unwrap(),
            target_minutes_per_day: 90,
            max_gap_minutes: 120,
        }
    }

    #[test]
    fn a_form_filled_from_a_hotspot_reads_back_as_the_same_hotspot() {
        let form = HotspotForm::of("Olympic Plaza", &watch(), "Night disorder", 3);
        assert_eq!(form.window_end, "02:00");
        assert_eq!(form.active_to, "");
        let edit = HotspotEdit::parse(&form, MARCH).unwrap();
        assert_eq!(edit.watch, watch());
        assert_eq!((edit.name.as_str(), edit.version), ("Olympic Plaza", 3));
    }

    #[test]
    fn every_bad_field_is_reported_beside_it() {
        let form = HotspotForm {
            name: "  ".into(),
            priority: "4".into(),
            active_from: "2023-02-30".into(),
            active_to: "2023-04-01".into(),
            window_start: "25:00".into(),
            window_end: "".into(),
            target_minutes_per_day: "lots".into(),
            max_gap_minutes: "0".into(),
            reason: String::new(),
            version: "x".into(),
        };
        let errors = HotspotEdit::parse(&form, MARCH).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|(field, _)| field).collect();
        assert_eq!(
            fields,
            [
                "active_from",
                "active_to",
                "max_gap_minutes",
                "name",
                "priority",
                "target_minutes_per_day",
                "version",
                "window_end",
                "window_start",
            ]
        );
        assert_eq!(
            errors.get("active_to"),
            Some("Choose a day inside the pilot, 2023-03-01 to 2023-03-31.")
        );
    }

    #[test]
    fn the_last_day_may_not_come_before_the_first() {
        let mut form = HotspotForm::of("A", &watch(), "", 1);
        form.active_to = "2023-03-04".into();
        let errors = HotspotEdit::parse(&form, MARCH).unwrap_err();
        assert_eq!(
            errors.get("active_to"),
            Some("Choose a day on or after the first day watched, 2023-03-05.")
        );
    }

    #[test]
    fn retiring_sets_the_last_day_inside_the_pilot_and_after_the_first() {
        let retire = |typed: &str| {
            RetireForm {
                active_to: typed.into(),
            }
            .retire(&watch(), MARCH)
        };
        assert_eq!(retire("2023-03-20").unwrap().active_to, Some(day(20)));
        assert!(retire("2023-03-04").unwrap_err().contains("active_to"));
        assert!(retire("2023-04-01").unwrap_err().contains("active_to"));
        assert!(retire("soon").unwrap_err().contains("active_to"));
    }

    #[test]
    fn the_retire_day_offered_is_today_moved_into_the_days_it_may_end_on() {
        let april = NaiveDate::from_ymd_opt(2024, 4, 1).unwrap();
        assert_eq!(default_retire_day(&watch(), MARCH, april), day(31));
        assert_eq!(default_retire_day(&watch(), MARCH, day(2)), day(5));
        assert_eq!(default_retire_day(&watch(), MARCH, day(9)), day(9));
    }
}
