//! The City's monthly counts summed by area and period (docs/evaluation.md, "Counts").

use std::collections::BTreeMap;

use serde::Serialize;

use super::areas::{Area, Areas};
use super::months::{Month, Period, Periods};

/// One stored count: a community's count of a category in a month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count {
    /// The community as the statistics name it.
    pub community: String,
    /// The category as stored.
    pub category: String,
    /// The month counted.
    pub month: Month,
    /// How many.
    pub count: i64,
}

/// An area's counts summed over each period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PeriodCounts {
    /// Over the pilot months.
    pub pilot: i64,
    /// Over the months before.
    pub before: i64,
    /// Over the months after.
    pub after: i64,
    /// Over the pilot months a year earlier.
    pub year_before: i64,
}

impl PeriodCounts {
    /// The count over `period`.
    pub fn of(&self, period: Period) -> i64 {
        match period {
            Period::Pilot => self.pilot,
            Period::Before => self.before,
            Period::After => self.after,
            Period::YearBefore => self.year_before,
        }
    }

    fn slot(&mut self, period: Period) -> &mut i64 {
        match period {
            Period::Pilot => &mut self.pilot,
            Period::Before => &mut self.before,
            Period::After => &mut self.after,
            Period::YearBefore => &mut self.year_before,
        }
    }
}

/// The counts of each area.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct AreaCounts {
    /// The patrolled communities.
    pub treated: PeriodCounts,
    /// The communities around them.
    pub buffer: PeriodCounts,
    /// The rest of the city.
    pub comparison: PeriodCounts,
}

impl AreaCounts {
    /// The counts of `area`.
    pub fn of(&self, area: Area) -> &PeriodCounts {
        match area {
            Area::Treated => &self.treated,
            Area::Buffer => &self.buffer,
            Area::Comparison => &self.comparison,
        }
    }
}

/// Whether `count` is of `category` (all categories when `None`).
fn is_of(count: &Count, category: Option<&str>) -> bool {
    category.is_none_or(|c| count.category == c)
}

/// Each area's total of `category` (all when `None`) in each month of `months`; a month with no
/// row is zero, so every area has every month.
pub fn monthly(
    counts: &[Count],
    areas: &Areas,
    months: &[Month],
    category: Option<&str>,
) -> BTreeMap<(Month, Area), i64> {
    let mut totals: BTreeMap<(Month, Area), i64> = months
        .iter()
        .flat_map(|m| Area::ALL.iter().map(move |a| ((*m, *a), 0)))
        .collect();
    for count in counts.iter().filter(|c| is_of(c, category)) {
        if let Some(total) = totals.get_mut(&(count.month, areas.of(&count.community))) {
            *total += count.count;
        }
    }
    totals
}

/// Each area's total of `category` (all when `None`) over each period of `periods`.
pub fn area_counts(
    counts: &[Count],
    areas: &Areas,
    periods: &Periods,
    category: Option<&str>,
) -> AreaCounts {
    let by_month = monthly(counts, areas, &periods.all_months(), category);
    let mut totals = AreaCounts::default();
    for period in Period::ALL {
        for month in periods.of(period) {
            for area in Area::ALL {
                let sums = match area {
                    Area::Treated => &mut totals.treated,
                    Area::Buffer => &mut totals.buffer,
                    Area::Comparison => &mut totals.comparison,
                };
                *sums.slot(period) += by_month.get(&(*month, area)).copied().unwrap_or(0);
            }
        }
    }
    totals
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use chrono::NaiveDate;
    use geo::{MultiPolygon, polygon};

    use super::*;
    use crate::evaluation::areas::{Place, areas};
    use crate::evaluation::months::periods;

    fn place(code: &str, name: &str, x: f64) -> Place {
        Place {
            code: code.into(),
            name: name.into(),
            boundary: MultiPolygon::new(vec![polygon![
                (x: x, y: 51.0), (x: x + 0.01, y: 51.0), (x: x + 0.01, y: 51.01), (x: x, y: 51.01), (x: x, y: 51.0)
            ]]),
        }
    }

    fn count(community: &str, category: &str, (y, m): (i32, u32), count: i64) -> Count {
        Count {
            community: community.into(),
            category: category.into(),
            month: Month::new(y, m),
            count,
        }
    }

    #[test]
    fn counts_are_summed_by_area_and_period_and_a_missing_month_is_zero() {
        // T is treated, B touches it, C is far away; the pilot is March–April 2023.
        let places = [
            place("T", "TREATED", -114.0),
            place("B", "BUFFER", -113.99),
            place("C", "FAR", -113.5),
        ];
        let treated: BTreeSet<String> = ["T".to_string()].into();
        let areas = areas(&places, &treated);
        let p = periods(
            NaiveDate::from_ymd_opt(2023, 3, 1).unwrap(),
            NaiveDate::from_ymd_opt(2023, 4, 30).unwrap(),
        );
        let counts = [
            count("TREATED", "Theft", (2023, 3), 4),
            // April has no row for TREATED: it counts zero.
            count("TREATED", "Assault", (2023, 3), 1),
            count("TREATED", "Theft", (2022, 4), 7),
            count("BUFFER", "Theft", (2023, 1), 2),
            count("BUFFER", "Theft", (2023, 5), 3),
            count("FAR", "Theft", (2023, 4), 10),
            // Not in the statistics' communities with a boundary: comparison too.
            count("ELSEWHERE", "Theft", (2022, 3), 5),
            // Outside every period: not counted.
            count("TREATED", "Theft", (2021, 1), 100),
        ];
        let all = area_counts(&counts, &areas, &p, None);
        assert_eq!(
            all.treated,
            PeriodCounts {
                pilot: 5,
                before: 0,
                after: 0,
                year_before: 7
            }
        );
        assert_eq!(
            all.buffer,
            PeriodCounts {
                pilot: 0,
                before: 2,
                after: 3,
                year_before: 0
            }
        );
        assert_eq!(
            all.comparison,
            PeriodCounts {
                pilot: 10,
                before: 0,
                after: 0,
                year_before: 5
            }
        );
        let assaults = area_counts(&counts, &areas, &p, Some("Assault"));
        assert_eq!(assaults.treated.pilot, 1);
        assert_eq!(assaults.comparison, PeriodCounts::default());

        let by_month = monthly(&counts, &areas, &p.pilot, None);
        assert_eq!(by_month.len(), 2 * 3);
        assert_eq!(by_month[&(Month::new(2023, 4), Area::Treated)], 0);
        assert_eq!(by_month[&(Month::new(2023, 3), Area::Treated)], 5);
    }
}
