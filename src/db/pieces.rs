//! A range of local dates cut into the periods the roll-ups store: whole calendar months, then
//! whole ISO weeks (Monday to Sunday), then single days, each date in exactly one piece.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

use super::rollups::month_of;

/// The months, weeks and days (by their first day) that make up a range.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Pieces {
    pub months: Vec<NaiveDate>,
    pub weeks: Vec<NaiveDate>,
    pub days: Vec<NaiveDate>,
}

impl Pieces {
    /// `from..=to` as the whole months inside it, then the whole weeks inside what is left on
    /// either side, then the days left over.
    pub fn of(from: NaiveDate, to: NaiveDate) -> Pieces {
        let mut pieces = Pieces::default();
        let Some(after) = to.checked_add_days(Days::new(1)) else {
            return pieces;
        };
        let first = if from.day() == 1 {
            from
        } else {
            month_of(from)
                .checked_add_months(Months::new(1))
                .unwrap_or(after)
        };
        let mut month = first;
        while let Some(next) = month
            .checked_add_months(Months::new(1))
            .filter(|n| *n <= after)
        {
            pieces.months.push(month);
            month = next;
        }
        if pieces.months.is_empty() {
            pieces.fill(from, after);
        } else {
            pieces.fill(from, first);
            pieces.fill(month, after);
        }
        pieces
    }

    /// Whole weeks and single days of `from..until`.
    fn fill(&mut self, from: NaiveDate, until: NaiveDate) {
        let mut day = from;
        while day < until {
            match day.checked_add_days(Days::new(7)) {
                Some(next) if day.weekday() == Weekday::Mon && next <= until => {
                    self.weeks.push(day);
                    day = next;
                }
                _ => {
                    self.days.push(day);
                    day = day.succ_opt().unwrap_or(until);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn days(from: NaiveDate, count: u64) -> Vec<NaiveDate> {
        (0..count).map(|i| from + Days::new(i)).collect()
    }

    #[test]
    fn the_demo_pilot_is_two_days_and_three_months() {
        assert_eq!(
            Pieces::of(date(2023, 2, 27), date(2023, 5, 31)),
            Pieces {
                months: vec![date(2023, 3, 1), date(2023, 4, 1), date(2023, 5, 1)],
                weeks: vec![],
                days: days(date(2023, 2, 27), 2),
            }
        );
    }

    #[test]
    fn a_year_is_twelve_months() {
        let pieces = Pieces::of(date(2023, 1, 1), date(2023, 12, 31));
        assert_eq!(pieces.months.len(), 12);
        assert!(pieces.weeks.is_empty() && pieces.days.is_empty());
    }

    #[test]
    fn a_monday_to_sunday_is_one_week() {
        assert_eq!(
            Pieces::of(date(2023, 3, 13), date(2023, 3, 19)),
            Pieces {
                months: vec![],
                weeks: vec![date(2023, 3, 13)],
                days: vec![],
            }
        );
    }

    #[test]
    fn edges_beside_whole_months_become_weeks_then_days() {
        // 6 March (a Monday) to 30 April: April is whole; 6–26 March are three weeks; 27–31
        // March are days (their week runs into April).
        assert_eq!(
            Pieces::of(date(2023, 3, 6), date(2023, 4, 30)),
            Pieces {
                months: vec![date(2023, 4, 1)],
                weeks: vec![date(2023, 3, 6), date(2023, 3, 13), date(2023, 3, 20)],
                days: days(date(2023, 3, 27), 5),
            }
        );
        // 2 March to 30 May: April is whole; the rest has weeks from each Monday.
        let pieces = Pieces::of(date(2023, 3, 2), date(2023, 5, 30));
        assert_eq!(pieces.months, vec![date(2023, 4, 1)]);
        assert_eq!(pieces.weeks.len(), 3 + 4);
    }

    #[test]
    fn every_date_is_in_exactly_one_piece() {
        let (from, to) = (date(2023, 1, 19), date(2023, 7, 4));
        let mut covered = Vec::new();
        let pieces = Pieces::of(from, to);
        for month in &pieces.months {
            let next = month.checked_add_months(Months::new(1)).unwrap();
            covered.extend(month.iter_days().take_while(|d| *d < next));
        }
        for week in &pieces.weeks {
            covered.extend(days(*week, 7));
        }
        covered.extend(&pieces.days);
        covered.sort();
        assert_eq!(covered, days(from, (to - from).num_days() as u64 + 1));
    }

    #[test]
    fn a_single_day_is_a_day() {
        let day = date(2023, 3, 12);
        assert_eq!(Pieces::of(day, day).days, vec![day]);
    }
}
