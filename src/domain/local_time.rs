//! Local date-times as people type them (`<input type=datetime-local>`), read strictly in a zone.

use chrono::{DateTime, LocalResult, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// Why a typed local time was refused; the message is for people.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LocalTimeError {
    #[error("enter a date and time such as 2023-03-11T22:00")]
    Unreadable,
    #[error(
        "{0} does not exist in {1}: the clocks jump forward an hour that night; choose a time before or after the jump"
    )]
    DoesNotExist(String, String),
    #[error(
        "{0} happens twice in {1}: the clocks go back an hour that night; choose a time outside that hour"
    )]
    Ambiguous(String, String),
}

/// Reads `YYYY-MM-DDTHH:MM` (seconds optional) as a local time in `zone`. A time skipped by a
/// spring-forward jump or repeated by a fall-back is refused rather than guessed: a roster must say
/// exactly when a shift starts.
pub fn parse(text: &str, zone: Tz) -> Result<DateTime<Utc>, LocalTimeError> {
    let text = text.trim();
    let naive = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
        .ok_or(LocalTimeError::Unreadable)?;
    match zone.from_local_datetime(&naive) {
        LocalResult::Single(at) => Ok(at.with_timezone(&Utc)),
        LocalResult::None => Err(LocalTimeError::DoesNotExist(
            naive.format("%-d %b %Y %H:%M").to_string(),
            zone.name().to_string(),
        )),
        LocalResult::Ambiguous(_, _) => Err(LocalTimeError::Ambiguous(
            naive.format("%-d %b %Y %H:%M").to_string(),
            zone.name().to_string(),
        )),
    }
}

/// The value for a `datetime-local` input showing `at` in `zone`.
pub fn input_value(at: DateTime<Utc>, zone: Tz) -> String {
    at.with_timezone(&zone).format("%Y-%m-%dT%H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::America::Edmonton;

    #[test]
    fn an_ordinary_local_time_is_read_in_the_zone() {
        let at = parse("2023-03-11T22:00", Edmonton).unwrap();
        assert_eq!(at.to_rfc3339(), "2023-03-12T05:00:00+00:00");
        assert_eq!(input_value(at, Edmonton), "2023-03-11T22:00");
    }

    #[test]
    fn a_time_in_the_spring_forward_gap_is_refused() {
        assert!(matches!(
            parse("2023-03-12T02:30", Edmonton),
            Err(LocalTimeError::DoesNotExist(..))
        ));
    }

    #[test]
    fn a_time_repeated_at_fall_back_is_refused() {
        assert!(matches!(
            parse("2023-11-05T01:30", Edmonton),
            Err(LocalTimeError::Ambiguous(..))
        ));
    }

    #[test]
    fn garbage_is_unreadable() {
        for bad in ["", "yesterday", "2023-02-30T10:00", "2023-03-11T25:00"] {
            assert_eq!(
                parse(bad, Edmonton),
                Err(LocalTimeError::Unreadable),
                "{bad}"
            );
        }
    }
}
