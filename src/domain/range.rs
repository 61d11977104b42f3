//! A range of local dates inside a pilot, as asked for in a URL.

use chrono::NaiveDate;

/// Local dates `from..=to`, both inside the pilot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// Why a range was refused; the message is for people.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RangeError {
    #[error("{field} must be a date written YYYY-MM-DD, not {value:?}")]
    NotADate { field: &'static str, value: String },
    #[error("the range ends ({to}) before it starts ({from})")]
    Backwards { from: NaiveDate, to: NaiveDate },
    #[error("the range {from} to {to} is not inside the pilot, which runs from {starts} to {ends}")]
    OutsidePilot {
        from: NaiveDate,
        to: NaiveDate,
        starts: NaiveDate,
        ends: NaiveDate,
    },
}

impl DateRange {
    /// The range asked for; a missing or empty end defaults to the pilot's own first or last day.
    pub fn parse(
        from: Option<&str>,
        to: Option<&str>,
        starts_on: NaiveDate,
        ends_on: NaiveDate,
    ) -> Result<DateRange, RangeError> {
        let from = parse_date("from", from)?.unwrap_or(starts_on);
        let to = parse_date("to", to)?.unwrap_or(ends_on);
        if to < from {
            return Err(RangeError::Backwards { from, to });
        }
        if from < starts_on || to > ends_on {
            return Err(RangeError::OutsidePilot {
                from,
                to,
                starts: starts_on,
                ends: ends_on,
            });
        }
        Ok(DateRange { from, to })
    }

    /// The range asked for, as [`DateRange::parse`] reads it, but with an end outside the pilot
    /// moved to the pilot's nearest day instead of refused; with the range as asked when it was
    /// moved, so a page can say so. A date that cannot be read, or a backwards range, is still
    /// refused: there is no range to move.
    pub fn clamped(
        from: Option<&str>,
        to: Option<&str>,
        starts_on: NaiveDate,
        ends_on: NaiveDate,
    ) -> Result<(DateRange, Option<DateRange>), RangeError> {
        let asked_from = parse_date("from", from)?.unwrap_or(starts_on);
        let asked_to = parse_date("to", to)?.unwrap_or(ends_on);
        if asked_to < asked_from {
            return Err(RangeError::Backwards {
                from: asked_from,
                to: asked_to,
            });
        }
        let range = DateRange {
            from: asked_from.clamp(starts_on, ends_on),
            to: asked_to.clamp(starts_on, ends_on),
        };
        let asked = DateRange {
            from: asked_from,
            to: asked_to,
        };
        Ok((range, (range != asked).then_some(asked)))
    }

    /// Number of days in the range.
    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }
}

fn parse_date(field: &'static str, value: Option<&str>) -> Result<Option<NaiveDate>, RangeError> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| RangeError::NotADate {
                field,
                value: text.to_string(),
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    const START: (i32, u32, u32) = (2023, 2, 27);

    fn parse(from: Option<&str>, to: Option<&str>) -> Result<DateRange, RangeError> {
        DateRange::parse(from, to, date(START.0, START.1, START.2), date(2023, 5, 31))
    }

    #[test]
    fn a_missing_range_is_the_whole_pilot() {
        let range = parse(None, Some("")).unwrap();
        assert_eq!(
            (range.from, range.to, range.days()),
            (date(2023, 2, 27), date(2023, 5, 31), 94)
        );
    }

    #[test]
    fn a_range_outside_the_pilot_is_moved_into_it_and_says_what_was_asked() {
        let start = date(START.0, START.1, START.2);
        let end = date(2023, 5, 31);
        let clamp = |from, to| DateRange::clamped(Some(from), Some(to), start, end).unwrap();
        assert_eq!(
            clamp("2023-01-01", "2023-03-07"),
            (
                DateRange {
                    from: start,
                    to: date(2023, 3, 7)
                },
                Some(DateRange {
                    from: date(2023, 1, 1),
                    to: date(2023, 3, 7)
                })
            )
        );
        // Wholly after the pilot: its last day.
        assert_eq!(
            clamp("2023-06-10", "2023-06-20").0,
            DateRange { from: end, to: end }
        );
        assert_eq!(clamp("2023-03-01", "2023-03-07").1, None);
        assert!(DateRange::clamped(Some("2023-03-07"), Some("2023-03-01"), start, end).is_err());
        assert!(DateRange::clamped(Some("March"), None, start, end).is_err());
    }

    #[test]
    fn bad_dates_backwards_ranges_and_ranges_outside_the_pilot_are_refused() {
        assert!(matches!(
            parse(Some("2023-13-01"), None),
            Err(RangeError::NotADate { field: "from", .. })
        ));
        assert!(matches!(
            parse(Some("2023-03-10"), Some("2023-03-09")),
            Err(RangeError::Backwards { .. })
        ));
        assert!(matches!(
            parse(Some("2023-02-01"), None),
            Err(RangeError::OutsidePilot { .. })
        ));
        assert!(matches!(
            parse(None, Some("2023-06-01")),
            Err(RangeError::OutsidePilot { .. })
        ));
    }
}
