//! Where today falls in a pilot.

use chrono::NaiveDate;

/// Where a day falls relative to a pilot's first and last day (both inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// The pilot starts in this many days.
    Upcoming { days_to_start: i64 },
    /// Day `day` of `days`, in week `week` of `weeks` (weeks counted from the first day).
    Running {
        day: i64,
        days: i64,
        week: i64,
        weeks: i64,
    },
    /// The pilot ended; it lasted `days` days.
    Finished { days: i64 },
}

impl Progress {
    /// Progress of a pilot running from `starts_on` to `ends_on` as seen on local date `today`.
    pub fn on(today: NaiveDate, starts_on: NaiveDate, ends_on: NaiveDate) -> Progress {
        let days = (ends_on - starts_on).num_days() + 1;
        if today < starts_on {
            Progress::Upcoming {
                days_to_start: (starts_on - today).num_days(),
            }
        } else if today > ends_on {
            Progress::Finished { days }
        } else {
            let day = (today - starts_on).num_days() + 1;
            Progress::Running {
                day,
                days,
                week: (day - 1) / 7 + 1,
                weeks: (days + 6) / 7,
            }
        }
    }

    /// The day and week of `today` clamped into the pilot (day 1 before it starts, the last day
    /// after it ends), for the dashboard's "day N of M, week N of W".
    pub fn clamped(today: NaiveDate, starts_on: NaiveDate, ends_on: NaiveDate) -> Progress {
        Progress::on(
            today.clamp(starts_on, ends_on.max(starts_on)),
            starts_on,
            ends_on,
        )
    }

    /// A short sentence for people.
    pub fn describe(self) -> String {
        match self {
            Progress::Upcoming { days_to_start: 1 } => "starts tomorrow".to_string(),
            Progress::Upcoming { days_to_start } => format!("starts in {days_to_start} days"),
            Progress::Running {
                day,
                days,
                week,
                weeks,
            } => format!("day {day} of {days}, week {week} of {weeks}"),
            Progress::Finished { days } => format!("finished ({days} days)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_calgary_pilot_lasts_94_days_in_14_weeks() {
        let (start, end) = (date(2023, 2, 27), date(2023, 5, 31));
        assert_eq!(
            Progress::on(start, start, end),
            Progress::Running {
                day: 1,
                days: 94,
                week: 1,
                weeks: 14
            }
        );
        assert_eq!(
            Progress::on(end, start, end),
            Progress::Running {
                day: 94,
                days: 94,
                week: 14,
                weeks: 14
            }
        );
        assert_eq!(
            Progress::on(date(2023, 3, 12), start, end).describe(),
            "day 14 of 94, week 2 of 14"
        );
    }

    #[test]
    fn clamped_progress_stays_inside_the_pilot() {
        let (start, end) = (date(2023, 2, 27), date(2023, 5, 31));
        assert_eq!(
            Progress::clamped(date(2026, 11, 27), start, end).describe(),
            "day 94 of 94, week 14 of 14"
        );
        assert_eq!(
            Progress::clamped(date(2023, 1, 1), start, end).describe(),
            "day 1 of 94, week 1 of 14"
        );
    }

    #[test]
    fn days_outside_the_pilot_are_upcoming_or_finished() {
        let (start, end) = (date(2023, 2, 27), date(2023, 5, 31));
        assert_eq!(
            Progress::on(date(2023, 2, 26), start, end).describe(),
            "starts tomorrow"
        );
        assert_eq!(
            Progress::on(date(2026, 11, 27), start, end),
            Progress::Finished { days: 94 }
        );
    }
}
