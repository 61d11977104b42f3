//! The City's crime and disorder counts of a community before, during and after a pilot, against
//! the same months a year earlier.

use chrono::{Datelike, NaiveDate};
use sqlx::PgConnection;

use super::format;
use crate::db::stats::{self, Around, CategoryCount, DatasetCoverage, Month, index};
use crate::domain::City;
use crate::domain::community_stats::Dataset;

/// What a cell shows where the City's data has nothing to count: not a zero, which would claim
/// that nothing happened.
pub const NO_DATA: &str = "no data";

/// One line of the comparison: a category (or a total) and its counts per period.
pub struct CommunityRow {
    pub label: String,
    pub is_total: bool,
    pub before: String,
    pub during: String,
    pub after: String,
    pub year_earlier: String,
    pub change: String,
}

/// The comparison table for one community.
pub struct Community {
    pub name: String,
    pub periods: [String; 4],
    pub rows: Vec<CommunityRow>,
}

fn shift(month: Month, by: i32) -> Month {
    let index = month.0 * 12 + month.1 as i32 - 1 + by;
    (index.div_euclid(12), index.rem_euclid(12) as u32 + 1)
}

fn label(first: Month, last: Month) -> String {
    let name = |m: Month| {
        NaiveDate::from_ymd_opt(m.0, m.1, 1)
            .map_or_else(String::new, |d| d.format("%b %Y").to_string())
    };
    format!("{}–{}", name(first), name(last))
}

/// Counts in `city` for the community named `names` (the City's name, a district name or code)
/// around a pilot running `starts_on..=ends_on`: the pilot's months, as many months before and
/// after, and the pilot's months a year earlier.
pub async fn comparison(
    conn: &mut PgConnection,
    city: &City,
    display_name: &str,
    names: &[String],
    starts_on: NaiveDate,
    ends_on: NaiveDate,
) -> Result<Option<Community>, sqlx::Error> {
    let periods = periods(starts_on, ends_on);
    let counts = stats::around(conn, city, names, &periods).await?;
    Ok(table(display_name, periods, &counts))
}

/// The periods compared around a pilot running `starts_on..=ends_on`, as first and last month.
fn periods(starts_on: NaiveDate, ends_on: NaiveDate) -> [(Month, Month); 4] {
    let first: Month = (starts_on.year(), starts_on.month());
    let last: Month = (ends_on.year(), ends_on.month());
    let months = index(last) - index(first) + 1;
    [
        (shift(first, -months), shift(first, -1)),
        (first, last),
        (shift(last, 1), shift(last, months)),
        (shift(first, -12), shift(last, -12)),
    ]
}

/// The table for the community `display_name` from the counts of its `periods`; `None` when
/// there is not a single count.
fn table(display_name: &str, periods: [(Month, Month); 4], stats: &Around) -> Option<Community> {
    let Around { counts, coverage } = stats;
    if counts.len() != periods.len() || counts.iter().all(Vec::is_empty) {
        return None;
    }
    // Whether `dataset` has data for period `p`: rows for this community at all, and rows for
    // any community in one of the period's months (else the months are not published yet, or
    // were not imported). Then a month without a row for the community counts as zero.
    let has_data = |dataset: Dataset, p: usize| {
        let (from, to) = periods[p];
        let months = index(from)..=index(to);
        coverage.iter().any(|c: &DatasetCoverage| {
            c.dataset == dataset && c.has_community && c.months.iter().any(|m| months.contains(m))
        })
    };
    let mut keys: Vec<(Dataset, String)> = counts
        .iter()
        .flatten()
        .map(|c| (c.dataset, c.category.clone()))
        .collect();
    keys.sort();
    keys.dedup();
    let sum = |period: usize, pick: &dyn Fn(&CategoryCount) -> bool| -> i64 {
        counts[period]
            .iter()
            .filter(|c| pick(c))
            .map(|c| c.count)
            .sum()
    };
    let row =
        |label: String, is_total: bool, dataset: Dataset, pick: &dyn Fn(&CategoryCount) -> bool| {
            let values: Vec<Option<i64>> = (0..4)
                .map(|p| has_data(dataset, p).then(|| sum(p, pick)))
                .collect();
            let shown = |v: Option<i64>| v.map_or_else(|| NO_DATA.to_string(), format::count);
            CommunityRow {
                label,
                is_total,
                before: shown(values[0]),
                during: shown(values[1]),
                after: shown(values[2]),
                year_earlier: shown(values[3]),
                change: match (values[3], values[1]) {
                    (Some(earlier), Some(now)) => change(earlier, now),
                    _ => "n/a".into(),
                },
            }
        };
    let mut rows = vec![row("All crime".into(), true, Dataset::Crime, &|c| {
        c.dataset == Dataset::Crime
    })];
    for (dataset, category) in &keys {
        if *dataset == Dataset::Crime {
            rows.push(row(category.clone(), false, Dataset::Crime, &|c| {
                c.dataset == Dataset::Crime && &c.category == category
            }));
        }
    }
    rows.push(row("Disorder".into(), true, Dataset::Disorder, &|c| {
        c.dataset == Dataset::Disorder
    }));
    Some(Community {
        name: display_name.to_string(),
        periods: periods.map(|(from, to)| label(from, to)),
        rows,
    })
}

/// The change from `earlier` to `now` as a signed percentage, or "n/a" from zero.
fn change(earlier: i64, now: i64) -> String {
    if earlier == 0 {
        return "n/a".into();
    }
    let pct = 100.0 * (now - earlier) as f64 / earlier as f64;
    format!("{pct:+.1}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_shift_across_years() {
        assert_eq!(shift((2023, 2), -4), (2022, 10));
        assert_eq!(shift((2023, 5), 4), (2023, 9));
        assert_eq!(shift((2023, 1), -12), (2022, 1));
    }

    #[test]
    fn change_is_signed_and_safe_from_zero() {
        assert_eq!(change(200, 150), "-25.0%");
        assert_eq!(change(100, 110), "+10.0%");
        assert_eq!(change(0, 5), "n/a");
    }
}
