//! The pilot forms as typed, checked field by field: a new pilot (its slug and settings) and the
//! settings of one that exists (its slug stays). Each becomes a value that cannot hold a bad pilot,
//! or every field's problem. The same rules as the `pilots_*` constraints of migration 0001, so
//! the database refuses nothing a form accepted.

use std::fmt;

use chrono::NaiveDate;
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::field_errors::FieldErrors;
use super::time_zones::parse_time_zone;

/// The longest name or city, in characters.
pub const MAX_NAME_CHARS: usize = 120;

/// The shortest and longest coverage block, in minutes (`pilots_block_minutes_range`).
pub const BLOCK_MINUTES: std::ops::RangeInclusive<i32> = 5..=240;

/// The block length a pilot gets when none is typed.
pub const DEFAULT_BLOCK_MINUTES: i32 = 60;

/// The longest pilot, in days: coverage is stored per hotspot per day, and a pilot of decades is
/// a typing mistake.
pub const MAX_DAYS: i64 = 3 * 366;

/// A pilot's slug: 1 to 63 lower-case letters, digits or '-', starting with a letter or digit
/// (`pilots_slug_format`). It names the pilot in every URL and never changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct PilotSlug(String);

impl PilotSlug {
    /// Accepts the slug as typed, trimmed and lower-cased.
    pub fn parse(raw: &str) -> Result<PilotSlug, String> {
        let slug = raw.trim().to_lowercase();
        let first_ok = slug
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        let rest_ok = slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if first_ok && rest_ok && slug.len() <= 63 {
            Ok(PilotSlug(slug))
        } else {
            Err(
                "A slug is 1 to 63 lower-case letters, digits or '-', starting with a letter or \
                 digit, such as calgary-2024."
                    .to_string(),
            )
        }
    }

    /// The slug as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PilotSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

/// A pilot's form as typed: the new-pilot form has every field; the edit form has no slug.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PilotForm {
    pub slug: String,
    pub name: String,
    pub city: String,
    pub time_zone: String,
    pub starts_on: String,
    pub ends_on: String,
    pub block_minutes: String,
}

/// What may change about a pilot: everything but its slug.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PilotSettings {
    pub name: String,
    pub city: String,
    /// The zone its dates, watch windows and blocks are read in.
    pub time_zone: Tz,
    /// The first and last day, local, both inclusive.
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// The length of a coverage block (docs/coverage.md).
    pub block_minutes: i32,
}

/// A pilot that may be created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPilot {
    pub slug: PilotSlug,
    pub settings: PilotSettings,
}

impl NewPilot {
    /// Checks every field of `form`; each problem is reported beside its field.
    pub fn parse(form: &PilotForm) -> Result<NewPilot, FieldErrors> {
        let mut errors = FieldErrors::new();
        let slug = PilotSlug::parse(&form.slug)
            .map_err(|e| errors.add("slug", e))
            .ok();
        let settings = settings(&mut errors, form);
        errors.into_result(|| {
            Some(NewPilot {
                slug: slug?,
                settings: settings?,
            })
        })
    }
}

impl PilotSettings {
    /// Checks every field of `form` but its slug.
    pub fn parse(form: &PilotForm) -> Result<PilotSettings, FieldErrors> {
        let mut errors = FieldErrors::new();
        let settings = settings(&mut errors, form);
        errors.into_result(|| settings)
    }

    /// Whether changing from `self` to `other` changes what stored coverage is computed from:
    /// the zone, the block length or the dates.
    pub fn changes_coverage(&self, other: &PilotSettings) -> bool {
        self.time_zone != other.time_zone
            || self.block_minutes != other.block_minutes
            || self.starts_on != other.starts_on
            || self.ends_on != other.ends_on
    }
}

fn settings(errors: &mut FieldErrors, form: &PilotForm) -> Option<PilotSettings> {
    let name = text(errors, "name", "name", &form.name);
    let city = text(errors, "city", "city", &form.city);
    let time_zone = parse_time_zone(&form.time_zone)
        .map_err(|e| errors.add("time_zone", e))
        .ok();
    let starts_on = date(errors, "starts_on", "first day", &form.starts_on);
    let ends_on = date(errors, "ends_on", "last day", &form.ends_on);
    if let (Some(first), Some(last)) = (starts_on, ends_on) {
        if last < first {
            errors.add(
                "ends_on",
                format!("The last day ({last}) must be on or after the first day ({first})."),
            );
        } else if (last - first).num_days() + 1 > MAX_DAYS {
            errors.add(
                "ends_on",
                format!("A pilot may last at most {MAX_DAYS} days. Check the year."),
            );
        }
    }
    let block_minutes = block_minutes(errors, &form.block_minutes);
    Some(PilotSettings {
        name: name?,
        city: city?,
        time_zone: time_zone?,
        starts_on: starts_on?,
        ends_on: ends_on?,
        block_minutes: block_minutes?,
    })
}

/// A required line of text of at most [`MAX_NAME_CHARS`] characters, trimmed.
fn text(errors: &mut FieldErrors, field: &'static str, what: &str, raw: &str) -> Option<String> {
    let value = raw.trim();
    if value.is_empty() {
        errors.add(field, format!("Enter the pilot's {what}."));
        None
    } else if value.chars().count() > MAX_NAME_CHARS {
        errors.add(
            field,
            format!("A {what} may be at most {MAX_NAME_CHARS} characters long."),
        );
        None
    } else {
        Some(value.to_string())
    }
}

fn date(errors: &mut FieldErrors, field: &'static str, what: &str, raw: &str) -> Option<NaiveDate> {
    let text = raw.trim();
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| {
            let message = match text {
                "" => format!("Enter the {what}, written YYYY-MM-DD."),
                _ => format!(
                    "Enter the {what} written YYYY-MM-DD, such as 2024-03-01, not {text:?}."
                ),
            };
            errors.add(field, message)
        })
        .ok()
}

fn block_minutes(errors: &mut FieldErrors, raw: &str) -> Option<i32> {
    let text = raw.trim();
    if text.is_empty() {
        return Some(DEFAULT_BLOCK_MINUTES);
    }
    match text.parse::<i32>() {
        Ok(minutes) if BLOCK_MINUTES.contains(&minutes) => Some(minutes),
        _ => {
            errors.add(
                "block_minutes",
                format!(
                    "A block is a whole number of minutes from {} to {}, not {text:?}.",
                    BLOCK_MINUTES.start(),
                    BLOCK_MINUTES.end()
                ),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> PilotForm {
        PilotForm {
            slug: " Edmonton-2024 ".into(),
            name: "Downtown Edmonton 2024".into(),
            city: "Edmonton".into(),
            time_zone: "America/Edmonton".into(),
            starts_on: "2024-03-01".into(),
            ends_on: "2024-05-31".into(),
            block_minutes: String::new(),
        }
    }

    #[test]
    fn a_good_form_becomes_a_pilot_with_sixty_minute_blocks_by_default() {
        let pilot = NewPilot::parse(&form()).unwrap();
        assert_eq!(pilot.slug.as_str(), "edmonton-2024");
        assert_eq!(pilot.settings.time_zone, chrono_tz::America::Edmonton);
        assert_eq!(pilot.settings.block_minutes, 60);
        assert_eq!(
            pilot.settings.ends_on,
            NaiveDate::from_ymd_opt(2024, 5, 31).unwrap()
        );
    }

    #[test]
    fn every_bad_field_is_reported_beside_it() {
        let bad = PilotForm {
            slug: "no spaces!".into(),
            name: "  ".into(),
            city: String::new(),
            time_zone: "Mars/Olympus_Mons".into(),
            starts_on: "1 March".into(),
            ends_on: "2024-02-30".into(),
            block_minutes: "3".into(),
        };
        let errors = NewPilot::parse(&bad).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|(field, _)| field).collect();
        assert_eq!(
            fields,
            [
                "block_minutes",
                "city",
                "ends_on",
                "name",
                "slug",
                "starts_on",
                "time_zone"
            ]
        );
        assert!(errors.get("time_zone").unwrap().contains("not an IANA"));
    }

    #[test]
    fn the_last_day_may_not_come_before_the_first() {
        let backwards = PilotForm {
            ends_on: "2024-02-29".into(),
            ..form()
        };
        let errors = PilotSettings::parse(&backwards).unwrap_err();
        assert_eq!(
            errors.get("ends_on"),
            Some("The last day (2024-02-29) must be on or after the first day (2024-03-01).")
        );
        let one_day = PilotForm {
            ends_on: "2024-03-01".into(),
            ..form()
        };
        assert!(PilotSettings::parse(&one_day).is_ok());
        let decades = PilotForm {
            ends_on: "2084-03-01".into(),
            ..form()
        };
        assert!(
            PilotSettings::parse(&decades)
                .unwrap_err()
                .contains("ends_on")
        );
    }

    #[test]
    fn blocks_run_from_5_to_240_minutes() {
        for (typed, ok) in [
            ("5", true),
            ("240", true),
            ("4", false),
            ("241", false),
            ("1.5", false),
        ] {
            let form = PilotForm {
                block_minutes: typed.into(),
                ..form()
            };
            assert_eq!(PilotSettings::parse(&form).is_ok(), ok, "{typed}");
        }
    }

    #[test]
    fn slugs_follow_the_rule_of_the_pilots_slug_format_constraint() {
        assert!(PilotSlug::parse("calgary-2023").is_ok());
        assert!(PilotSlug::parse(&"a".repeat(63)).is_ok());
        for bad in [
            "",
            "-calgary",
            "calgary_2023",
            "calgary 2023",
            "é",
            &"a".repeat(64),
        ] {
            assert!(PilotSlug::parse(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
