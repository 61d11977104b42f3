//! The months an evaluation compares (docs/evaluation.md, "Months"): the City counts by calendar
//! month, so a pilot is measured by the months it mostly covers.

use std::fmt;

use chrono::{Datelike, NaiveDate};

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    /// The year, e.g. 2023.
    pub year: i32,
    /// 1–12.
    pub month: u32,
}

impl Month {
    /// The month of `year` and `month` (1–12).
    pub fn new(year: i32, month: u32) -> Month {
        debug_assert!((1..=12).contains(&month));
        Month { year, month }
    }

    /// The month `date` falls in.
    pub fn of(date: NaiveDate) -> Month {
        Month::new(date.year(), date.month())
    }

    /// Months since year 0, so that months compare and shift as integers.
    pub fn index(self) -> i32 {
        self.year * 12 + self.month as i32 - 1
    }

    /// The month at [`Month::index`] `index`.
    pub fn from_index(index: i32) -> Month {
        Month::new(index.div_euclid(12), index.rem_euclid(12) as u32 + 1)
    }

    /// The month `by` months later (earlier when negative).
    pub fn plus(self, by: i32) -> Month {
        Month::from_index(self.index() + by)
    }

    /// Its first day.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("a month's first day exists")
    }

    /// Its last day.
    pub fn last_day(self) -> NaiveDate {
        self.plus(1)
            .first_day()
            .pred_opt()
            .expect("a month has a day before the next")
    }

    /// How many days it has.
    pub fn days(self) -> i64 {
        (self.last_day() - self.first_day()).num_days() + 1
    }
}

/// `YYYY-MM`, as the API and the CSV write a month.
impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// The four sets of months an evaluation counts over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    /// The calendar months with at least half their days inside the pilot.
    Pilot,
    /// As many months just before the pilot months.
    Before,
    /// As many months just after them.
    After,
    /// The pilot months one year earlier.
    YearBefore,
}

impl Period {
    /// Every period, in the order pages and the API list them.
    pub const ALL: [Period; 4] = [
        Period::Pilot,
        Period::Before,
        Period::After,
        Period::YearBefore,
    ];
}

/// The months of each [`Period`] of a pilot, each list in calendar order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Periods {
    /// The pilot months; empty when the pilot covers no month by half (a pilot of a few days).
    pub pilot: Vec<Month>,
    /// The months just before.
    pub before: Vec<Month>,
    /// The months just after.
    pub after: Vec<Month>,
    /// The pilot months a year earlier.
    pub year_before: Vec<Month>,
}

impl Periods {
    /// The months of `period`.
    pub fn of(&self, period: Period) -> &[Month] {
        match period {
            Period::Pilot => &self.pilot,
            Period::Before => &self.before,
            Period::After => &self.after,
            Period::YearBefore => &self.year_before,
        }
    }

    /// Every month of any period, once each, in calendar order.
    pub fn all_months(&self) -> Vec<Month> {
        let mut all: Vec<Month> = Period::ALL
            .iter()
            .flat_map(|p| self.of(*p).iter().copied())
            .collect();
        all.sort();
        all.dedup();
        all
    }
}

/// The periods of a pilot running from `starts_on` to `ends_on`, both local dates inclusive.
pub fn periods(starts_on: NaiveDate, ends_on: NaiveDate) -> Periods {
    let pilot: Vec<Month> = if ends_on < starts_on {
        Vec::new()
    } else {
        (Month::of(starts_on).index()..=Month::of(ends_on).index())
            .map(Month::from_index)
            .filter(|m| 2 * days_inside(*m, starts_on, ends_on) >= m.days())
            .collect()
    };
    let n = pilot.len() as i32;
    let shifted = |by: i32| pilot.iter().map(|m| m.plus(by)).collect::<Vec<_>>();
    Periods {
        before: shifted(-n),
        after: shifted(n),
        year_before: shifted(-12),
        pilot,
    }
}

/// The days of `month` from `starts_on` to `ends_on`.
fn days_inside(month: Month, starts_on: NaiveDate, ends_on: NaiveDate) -> i64 {
    let first = month.first_day().max(starts_on);
    let last = month.last_day().min(ends_on);
    ((last - first).num_days() + 1).max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn months(list: &[(i32, u32)]) -> Vec<Month> {
        list.iter().map(|&(y, m)| Month::new(y, m)).collect()
    }

    #[test]
    fn the_calgary_pilot_is_measured_over_march_to_may_2023() {
        // 27 Feb–31 May 2023: February has 2 of 28 days inside, March–May all of theirs.
        let p = periods(date(2023, 2, 27), date(2023, 5, 31));
        assert_eq!(p.pilot, months(&[(2023, 3), (2023, 4), (2023, 5)]));
        assert_eq!(p.before, months(&[(2022, 12), (2023, 1), (2023, 2)]));
        assert_eq!(p.after, months(&[(2023, 6), (2023, 7), (2023, 8)]));
        assert_eq!(p.year_before, months(&[(2022, 3), (2022, 4), (2022, 5)]));
    }

    #[test]
    fn a_month_with_exactly_half_its_days_inside_is_a_pilot_month() {
        // 16–30 April: 15 of April's 30 days.
        let p = periods(date(2023, 4, 16), date(2023, 5, 20));
        // May: 20 of 31 days, more than half.
        assert_eq!(p.pilot, months(&[(2023, 4), (2023, 5)]));
        let p = periods(date(2023, 4, 17), date(2023, 5, 15));
        // April 14 of 30, May 15 of 31: neither reaches half.
        assert_eq!(p.pilot, Vec::<Month>::new());
    }

    #[test]
    fn a_pilot_shorter_than_half_a_month_has_no_months_to_compare() {
        let p = periods(date(2023, 3, 1), date(2023, 3, 10));
        assert!(p.pilot.is_empty());
        assert!(p.before.is_empty() && p.after.is_empty() && p.year_before.is_empty());
        assert!(p.all_months().is_empty());
    }

    #[test]
    fn a_pilot_shorter_than_a_month_that_covers_half_of_one_is_measured_by_it() {
        // 1–20 February 2023: 20 of 28 days.
        let p = periods(date(2023, 2, 1), date(2023, 2, 20));
        assert_eq!(p.pilot, months(&[(2023, 2)]));
        assert_eq!(p.before, months(&[(2023, 1)]));
        assert_eq!(p.after, months(&[(2023, 3)]));
        assert_eq!(p.year_before, months(&[(2022, 2)]));
    }

    #[test]
    fn a_pilot_across_a_year_end_counts_months_of_both_years() {
        // 20 Nov 2022–10 Feb 2023: November 11 of 30 days, February 10 of 28: neither counts.
        let p = periods(date(2022, 11, 20), date(2023, 2, 10));
        assert_eq!(p.pilot, months(&[(2022, 12), (2023, 1)]));
        assert_eq!(p.before, months(&[(2022, 10), (2022, 11)]));
        assert_eq!(p.after, months(&[(2023, 2), (2023, 3)]));
        assert_eq!(p.year_before, months(&[(2021, 12), (2022, 1)]));
    }

    #[test]
    fn months_shift_across_year_ends_and_print_as_year_dash_month() {
        assert_eq!(Month::new(2023, 1).plus(-1), Month::new(2022, 12));
        assert_eq!(Month::new(2022, 12).plus(13), Month::new(2024, 1));
        assert_eq!(Month::new(2024, 2).days(), 29);
        assert_eq!(Month::new(2023, 3).to_string(), "2023-03");
    }
}
