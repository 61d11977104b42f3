//! ISO weeks as the roster's URL names them: `2023-W11`.

use chrono::{Datelike, NaiveDate, Weekday};

/// An ISO week, from its Monday.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Week {
    monday: NaiveDate,
}

impl Week {
    /// The week containing `day`.
    pub fn containing(day: NaiveDate) -> Week {
        let monday = day - chrono::Days::new(u64::from(day.weekday().num_days_from_monday()));
        Week { monday }
    }

    /// Reads `YYYY-Www`.
    pub fn parse(text: &str) -> Option<Week> {
        let (year, week) = text.trim().split_once("-W")?;
        let monday =
            NaiveDate::from_isoywd_opt(year.parse().ok()?, week.parse().ok()?, Weekday::Mon)?;
        Some(Week { monday })
    }

    /// Monday.
    pub fn monday(self) -> NaiveDate {
        self.monday
    }

    /// Sunday.
    pub fn sunday(self) -> NaiveDate {
        self.monday + chrono::Days::new(6)
    }

    /// The seven days, Monday first.
    pub fn days(self) -> [NaiveDate; 7] {
        std::array::from_fn(|i| self.monday + chrono::Days::new(i as u64))
    }

    /// The week `n` weeks later (earlier when negative).
    pub fn plus(self, n: i64) -> Week {
        Week {
            monday: self.monday + chrono::Duration::weeks(n),
        }
    }

    /// Weeks from `self` to `other`.
    pub fn weeks_until(self, other: Week) -> i64 {
        (other.monday - self.monday).num_weeks()
    }
}

impl std::fmt::Display for Week {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let iso = self.monday.iso_week();
        write!(f, "{}-W{:02}", iso.year(), iso.week())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_round_trip_through_their_names() {
        let week = Week::parse("2023-W11").unwrap();
        assert_eq!(week.monday(), NaiveDate::from_ymd_opt(2023, 3, 13).unwrap());
        assert_eq!(week.to_string(), "2023-W11");
        assert_eq!(
            Week::containing(NaiveDate::from_ymd_opt(2023, 3, 12).unwrap()).to_string(),
            "2023-W10"
        );
        assert_eq!(week.plus(-1).to_string(), "2023-W10");
        assert_eq!(Week::parse("2023-W10").unwrap().weeks_until(week), 1);
        assert!(Week::parse("2023-11").is_none());
        assert!(Week::parse("2023-W60").is_none());
    }
}
