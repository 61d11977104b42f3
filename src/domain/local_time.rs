//! Local date-times as people type them (`<input type=datetime-local>`), read strictly in a zone.
//! The one parser behind every form that takes a wall-clock time: the roster's shift form and the
//! shift log's visit and activity forms.

use std::fmt;

use chrono::{DateTime, LocalResult, NaiveDateTime, TimeDelta, TimeZone, Timelike, Utc};
use chrono_tz::Tz;

/// Why a local time typed into a form was refused; its `Display` is a sentence for the person who
/// typed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LocalTimeError {
    /// Not written `YYYY-MM-DDTHH:MM` (the text as typed, trimmed).
    Unparsable(String),
    /// Skipped when the clocks go forward in `zone`, from `gap_start` to `gap_end` (local).
    Skipped {
        local: NaiveDateTime,
        gap_start: NaiveDateTime,
        gap_end: NaiveDateTime,
        zone: Tz,
    },
    /// Happens twice when the clocks go back in `zone`; the times `repeat_start..repeat_end` repeat.
    Ambiguous {
        local: NaiveDateTime,
        repeat_start: NaiveDateTime,
        repeat_end: NaiveDateTime,
        zone: Tz,
    },
}

impl fmt::Display for LocalTimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hm = |t: &NaiveDateTime| t.format("%H:%M").to_string();
        match self {
            // An empty field has nothing worth quoting back.
            LocalTimeError::Unparsable(text) if text.is_empty() => {
                write!(f, "Enter a date and time.")
            }
            // The form's date and time picker sends what it shows; text typed where there is no
            // picker is quoted back with an example of the day and time it should name.
            LocalTimeError::Unparsable(text) => write!(
                f,
                "{text:?} is not a date and time: choose a day and a time, such as Sat 11 Mar 2023 at 22:15."
            ),
            LocalTimeError::Skipped {
                local,
                gap_start,
                gap_end,
                zone,
            } => write!(
                f,
                "{} does not exist in {zone}: that night the clocks go forward from {} straight to {}. Enter a time before {} or from {} on.",
                local.format("%Y-%m-%d %H:%M"),
                hm(gap_start),
                hm(gap_end),
                hm(gap_start),
                hm(gap_end),
            ),
            LocalTimeError::Ambiguous {
                local,
                repeat_start,
                repeat_end,
                zone,
            } => write!(
                f,
                "{} happens twice in {zone}: that night the clocks go back from {} to {}, so times from {} to just before {} are ambiguous. Enter a time outside them.",
                local.format("%Y-%m-%d %H:%M"),
                hm(repeat_end),
                hm(repeat_start),
                hm(repeat_start),
                hm(repeat_end),
            ),
        }
    }
}

impl std::error::Error for LocalTimeError {}

/// The longest run of local minutes a transition can skip or repeat: Samoa skipped a whole day.
const LONGEST_TRANSITION_MINUTES: i64 = 48 * 60;

/// Reads a local date and time as `<input type=datetime-local>` sends it (`YYYY-MM-DDTHH:MM`,
/// optionally with seconds) in `zone`. Unlike the coverage rules, which must give every local time
/// an instant, a form refuses a time that does not exist or happens twice rather than guess: a
/// person can fix it, and a roster or a log must say exactly when.
pub fn parse(text: &str, zone: Tz) -> Result<DateTime<Utc>, LocalTimeError> {
    let text = text.trim();
    let local = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
        .ok_or_else(|| LocalTimeError::Unparsable(text.to_string()))?;
    match zone.from_local_datetime(&local) {
        LocalResult::Single(at) => Ok(at.with_timezone(&Utc)),
        LocalResult::None => {
            let is_gap =
                |t: NaiveDateTime| matches!(zone.from_local_datetime(&t), LocalResult::None);
            let (gap_start, gap_end) = run_around(local, is_gap);
            Err(LocalTimeError::Skipped {
                local,
                gap_start,
                gap_end,
                zone,
            })
        }
        LocalResult::Ambiguous(..) => {
            let twice = |t: NaiveDateTime| {
                matches!(zone.from_local_datetime(&t), LocalResult::Ambiguous(..))
            };
            let (repeat_start, repeat_end) = run_around(local, twice);
            Err(LocalTimeError::Ambiguous {
                local,
                repeat_start,
                repeat_end,
                zone,
            })
        }
    }
}

/// The run of whole minutes around `local` for which `inside` holds, as `[start, end)`.
fn run_around(
    local: NaiveDateTime,
    inside: impl Fn(NaiveDateTime) -> bool,
) -> (NaiveDateTime, NaiveDateTime) {
    let minute = local
        .with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(local);
    let mut start = minute;
    for _ in 0..LONGEST_TRANSITION_MINUTES {
        let earlier = start - TimeDelta::minutes(1);
        if !inside(earlier) {
            break;
        }
        start = earlier;
    }
    let mut end = minute + TimeDelta::minutes(1);
    for _ in 0..LONGEST_TRANSITION_MINUTES {
        if !inside(end) {
            break;
        }
        end += TimeDelta::minutes(1);
    }
    (start, end)
}

/// The value for a `datetime-local` input showing `at` in `zone`.
pub fn input_value(at: DateTime<Utc>, zone: Tz) -> String {
    at.with_timezone(&zone).format("%Y-%m-%dT%H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    const EDMONTON: Tz = chrono_tz::America::Edmonton;

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    #[test]
    fn an_ordinary_local_time_is_read_in_the_zone() {
        let at = parse("2023-03-11T22:00", EDMONTON).unwrap();
        assert_eq!(at, utc("2023-03-12T05:00:00Z"));
        assert_eq!(input_value(at, EDMONTON), "2023-03-11T22:00");
        assert_eq!(
            input_value(utc("2023-03-12T09:05:00Z"), EDMONTON),
            "2023-03-12T03:05",
            "after the jump the input shows summer time"
        );
    }

    #[test]
    fn a_time_skipped_by_spring_forward_is_refused_and_the_gap_named() {
        let error = parse("2023-03-12T02:30", EDMONTON).unwrap_err();
        assert_eq!(
            error,
            LocalTimeError::Skipped {
                local: local(2023, 3, 12, 2, 30),
                gap_start: local(2023, 3, 12, 2, 0),
                gap_end: local(2023, 3, 12, 3, 0),
                zone: EDMONTON,
            }
        );
        assert_eq!(
            error.to_string(),
            "2023-03-12 02:30 does not exist in America/Edmonton: that night the clocks go forward \
             from 02:00 straight to 03:00. Enter a time before 02:00 or from 03:00 on."
        );
    }

    #[test]
    fn a_time_repeated_by_fall_back_is_refused_as_ambiguous() {
        let error = parse("2023-11-05T01:30", EDMONTON).unwrap_err();
        assert_eq!(
            error,
            LocalTimeError::Ambiguous {
                local: local(2023, 11, 5, 1, 30),
                repeat_start: local(2023, 11, 5, 1, 0),
                repeat_end: local(2023, 11, 5, 2, 0),
                zone: EDMONTON,
            }
        );
        assert!(error.to_string().contains("happens twice"));
        assert_eq!(
            parse("2023-11-05T02:00", EDMONTON).unwrap(),
            utc("2023-11-05T09:00:00Z")
        );
    }

    #[test]
    fn times_with_seconds_are_read_and_nonsense_is_refused() {
        assert_eq!(
            parse(" 2023-03-11T22:15:30 ", EDMONTON).unwrap(),
            utc("2023-03-12T05:15:30Z")
        );
        for bad in [
            "",
            "yesterday",
            "2023-02-30T10:00",
            "2023-03-11T25:00",
            "11/03/2023 23:05",
        ] {
            assert_eq!(
                parse(bad, EDMONTON),
                Err(LocalTimeError::Unparsable(bad.to_string())),
                "{bad}"
            );
        }
    }

    #[test]
    fn an_unreadable_time_is_quoted_back_unless_nothing_was_typed() {
        assert_eq!(
            parse("yesterday", EDMONTON).unwrap_err().to_string(),
            "\"yesterday\" is not a date and time: choose a day and a time, such as Sat 11 Mar 2023 at 22:15."
        );
        assert_eq!(
            parse("  ", EDMONTON).unwrap_err().to_string(),
            "Enter a date and time."
        );
    }
}
