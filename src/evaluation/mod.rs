//! The evaluation of docs/evaluation.md as pure functions, no I/O: did crime and disorder in the
//! patrolled communities change relative to the rest of the city, and was it pushed next door?
//!
//! Callers load the pilot's dates, the city's communities with their boundaries, which of them
//! the pilot patrolled, and the City's monthly counts; [`periods`] gives the months, [`areas`]
//! the treated, buffer and comparison communities, and [`evaluate`] the counts, rate ratios and
//! weighted displacement quotient for all categories together or one.

mod areas;
mod counts;
mod months;
mod ratio;
mod sentence;

use std::collections::BTreeSet;

pub use areas::{Area, Areas, BUFFER_METRES, Place, areas};
pub use counts::{AreaCounts, Count, PeriodCounts, area_counts, monthly};
pub use months::{Month, Period, Periods, periods};
pub use ratio::{RateRatio, Unavailable, rate_ratio, wdq};
pub use sentence::{change, change_with_interval, headline, same_months_of};

/// What an evaluation is computed from.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    /// The months compared.
    pub periods: &'a Periods,
    /// Which communities are treated and buffer.
    pub areas: &'a Areas,
    /// The dataset's counts in (at least) the months compared.
    pub counts: &'a [Count],
    /// The months in which the dataset has any row in the city: a month it does not cover is not
    /// a month of zero crime.
    pub covered: &'a BTreeSet<Month>,
    /// Whether the dataset counts any community beyond the treated and buffer ones.
    pub has_comparison: bool,
}

/// Everything an evaluation of one dataset is computed from, owned: what the database gives.
#[derive(Debug, Clone)]
pub struct Study {
    /// The months compared.
    pub periods: Periods,
    /// The treated and buffer communities.
    pub areas: Areas,
    /// The dataset's counts in the months compared.
    pub counts: Vec<Count>,
    /// The months in which the dataset has any row in the city.
    pub covered: BTreeSet<Month>,
    /// Every category of the dataset in the city, sorted.
    pub categories: Vec<String>,
    /// How many communities of the dataset's statistics are neither treated nor buffer.
    pub comparison_count: usize,
}

impl Study {
    /// The inputs of [`evaluate`].
    pub fn inputs(&self) -> Inputs<'_> {
        Inputs {
            periods: &self.periods,
            areas: &self.areas,
            counts: &self.counts,
            covered: &self.covered,
            has_comparison: self.comparison_count > 0,
        }
    }

    /// The dataset's category named `name` in any case, as stored.
    pub fn category(&self, name: &str) -> Option<&str> {
        let name = name.trim();
        self.categories
            .iter()
            .find(|c| c.eq_ignore_ascii_case(name))
            .map(String::as_str)
    }

    /// The evaluation of `category` (all categories when `None`).
    pub fn evaluate(&self, category: Option<&str>) -> Evaluation {
        evaluate(&self.inputs(), category)
    }
}

/// The figures of an evaluation for all categories together or one.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The category, or `None` for all of them.
    pub category: Option<String>,
    /// Each area's counts over each period.
    pub counts: AreaCounts,
    /// Treated against the pilot months a year earlier, relative to the comparison.
    pub treated_vs_year_before: Result<RateRatio, Unavailable>,
    /// Treated against the months just before, relative to the comparison.
    pub treated_vs_before: Result<RateRatio, Unavailable>,
    /// Buffer against the pilot months a year earlier, relative to the comparison.
    pub buffer_vs_year_before: Result<RateRatio, Unavailable>,
    /// The weighted displacement quotient against a year earlier.
    pub wdq: Result<f64, Unavailable>,
}

/// The evaluation of `category` (all categories when `None`) from `inputs`.
pub fn evaluate(inputs: &Inputs<'_>, category: Option<&str>) -> Evaluation {
    let counts = area_counts(inputs.counts, inputs.areas, inputs.periods, category);
    let ratio = |area: Area, base: Period| {
        measurable(inputs, base)?;
        if area == Area::Buffer && inputs.areas.buffer.is_empty() {
            return Err(Unavailable::NoBuffer);
        }
        let (a, c) = (counts.of(area), &counts.comparison);
        let (label, base_label) = (area.as_str(), base_label(base));
        rate_ratio(
            [a.pilot, a.of(base), c.pilot, c.of(base)],
            names(label, base_label),
        )
    };
    let displacement = || {
        measurable(inputs, Period::YearBefore)?;
        if inputs.areas.buffer.is_empty() {
            return Err(Unavailable::NoBuffer);
        }
        let (t, b, c) = (&counts.treated, &counts.buffer, &counts.comparison);
        wdq(
            [t.pilot, t.year_before],
            [b.pilot, b.year_before],
            [c.pilot, c.year_before],
        )
    };
    Evaluation {
        category: category.map(str::to_string),
        treated_vs_year_before: ratio(Area::Treated, Period::YearBefore),
        treated_vs_before: ratio(Area::Treated, Period::Before),
        buffer_vs_year_before: ratio(Area::Buffer, Period::YearBefore),
        wdq: displacement(),
        counts,
    }
}

/// Whether the pilot months and `base` can be compared: there are pilot months, and the data
/// covers every one of them and of `base`.
fn measurable(inputs: &Inputs<'_>, base: Period) -> Result<(), Unavailable> {
    let periods = inputs.periods;
    if periods.pilot.is_empty() {
        return Err(Unavailable::NoPilotMonths);
    }
    if inputs.areas.treated.is_empty() {
        return Err(Unavailable::NoTreated);
    }
    if !inputs.has_comparison {
        return Err(Unavailable::NoComparison);
    }
    let missing: Vec<String> = periods
        .pilot
        .iter()
        .chain(periods.of(base))
        .filter(|m| !inputs.covered.contains(m))
        .map(Month::to_string)
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Unavailable::NotCovered(missing))
    }
}

fn base_label(base: Period) -> &'static str {
    match base {
        Period::Before => "before",
        _ => "year-before",
    }
}

/// The names of the four counts of a ratio of `area` against `base`, for a zero count's reason.
fn names(area: &'static str, base: &'static str) -> [&'static str; 4] {
    match (area, base) {
        ("treated", "before") => [
            "treated pilot-months",
            "treated before",
            "comparison pilot-months",
            "comparison before",
        ],
        ("buffer", _) => [
            "buffer pilot-months",
            "buffer year-before",
            "comparison pilot-months",
            "comparison year-before",
        ],
        _ => [
            "treated pilot-months",
            "treated year-before",
            "comparison pilot-months",
            "comparison year-before",
        ],
    }
}

#[cfg(test)]
mod tests;
