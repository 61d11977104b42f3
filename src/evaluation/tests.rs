//! The evaluation end to end over a small hand-worked city.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use geo::{MultiPolygon, polygon};

use super::*;

fn place(code: &str, x: f64) -> Place {
    Place {
        code: code.into(),
        name: code.into(),
        boundary: MultiPolygon::new(vec![polygon![
            (x: x, y: 51.0), (x: x + 0.01, y: 51.0), (x: x + 0.01, y: 51.01), (x: x, y: 51.01), (x: x, y: 51.0)
        ]]),
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Treated `T`, buffer `B` (touching it), comparison `C`; a one-month pilot in March 2023.
fn city() -> (Periods, Areas) {
    let places = [place("T", -114.0), place("B", -113.99), place("C", -113.0)];
    let treated: BTreeSet<String> = ["T".to_string()].into();
    (
        periods(date(2023, 3, 1), date(2023, 3, 31)),
        areas(&places, &treated),
    )
}

fn count(community: &str, category: &str, (y, m): (i32, u32), count: i64) -> Count {
    Count {
        community: community.into(),
        category: category.into(),
        month: Month::new(y, m),
        count,
    }
}

fn every_month_covered(periods: &Periods) -> BTreeSet<Month> {
    periods.all_months().into_iter().collect()
}

#[test]
fn an_evaluation_gives_every_ratio_and_the_wdq_from_the_counts() {
    let (periods, areas) = city();
    // Year before (March 2022): T 100, B 50, C 1000. Before (Feb 2023): T 90, C 900.
    // Pilot (March 2023): T 80, B 45, C 1000.
    let counts = [
        count("T", "Theft", (2022, 3), 60),
        count("T", "Assault", (2022, 3), 40),
        count("B", "Theft", (2022, 3), 50),
        count("C", "Theft", (2022, 3), 1000),
        count("T", "Theft", (2023, 2), 90),
        count("C", "Theft", (2023, 2), 900),
        count("T", "Theft", (2023, 3), 50),
        count("T", "Assault", (2023, 3), 30),
        count("B", "Theft", (2023, 3), 45),
        count("C", "Theft", (2023, 3), 1000),
    ];
    let covered = every_month_covered(&periods);
    let inputs = Inputs {
        periods: &periods,
        areas: &areas,
        counts: &counts,
        covered: &covered,
        has_comparison: true,
    };
    let all = evaluate(&inputs, None);
    assert_eq!(all.counts.treated.pilot, 80);
    assert_eq!(all.counts.treated.year_before, 100);
    // (80/100) / (1000/1000) = 0.8.
    assert!((all.treated_vs_year_before.unwrap().value - 0.8).abs() < 1e-9);
    // (80/90) / (1000/900) = 0.8.
    assert!((all.treated_vs_before.unwrap().value - 0.8).abs() < 1e-9);
    // (45/50) / 1 = 0.9.
    assert!((all.buffer_vs_year_before.unwrap().value - 0.9).abs() < 1e-9);
    // (0.045 − 0.05) / (0.08 − 0.1) = 0.25.
    assert!((all.wdq.unwrap() - 0.25).abs() < 1e-9);

    // Assaults: only T has any, so the comparison counts are zero and no ratio is given.
    let assaults = evaluate(&inputs, Some("Assault"));
    assert_eq!(assaults.category.as_deref(), Some("Assault"));
    assert_eq!(
        assaults.treated_vs_year_before,
        Err(Unavailable::ZeroCount("comparison pilot-months"))
    );
    assert_eq!(
        assaults.treated_vs_before,
        Err(Unavailable::ZeroCount("treated before"))
    );
}

#[test]
fn a_month_the_data_does_not_cover_gives_no_ratio_and_names_the_month() {
    let (periods, areas) = city();
    let counts = [
        count("T", "Theft", (2022, 3), 10),
        count("C", "Theft", (2022, 3), 10),
        count("T", "Theft", (2023, 3), 10),
        count("C", "Theft", (2023, 3), 10),
    ];
    // February 2023 has no row at all: the data stops or starts around it.
    let covered: BTreeSet<Month> = [Month::new(2022, 3), Month::new(2023, 3)].into();
    let inputs = Inputs {
        periods: &periods,
        areas: &areas,
        counts: &counts,
        covered: &covered,
        has_comparison: true,
    };
    let e = evaluate(&inputs, None);
    assert!(e.treated_vs_year_before.is_ok());
    assert_eq!(
        e.treated_vs_before,
        Err(Unavailable::NotCovered(vec!["2023-02".into()]))
    );
}

#[test]
fn a_pilot_covering_no_month_by_half_has_no_figures_and_says_why() {
    let (_, areas) = city();
    let periods = periods(date(2023, 3, 1), date(2023, 3, 7));
    let covered = BTreeSet::new();
    let inputs = Inputs {
        periods: &periods,
        areas: &areas,
        counts: &[],
        covered: &covered,
        has_comparison: true,
    };
    let e = evaluate(&inputs, None);
    assert_eq!(e.treated_vs_year_before, Err(Unavailable::NoPilotMonths));
    assert_eq!(e.wdq, Err(Unavailable::NoPilotMonths));
    assert_eq!(e.counts, AreaCounts::default());
}

#[test]
fn without_buffer_communities_the_buffer_ratio_and_wdq_say_so() {
    let places = [place("T", -114.0), place("C", -113.0)];
    let treated: BTreeSet<String> = ["T".to_string()].into();
    let areas = areas(&places, &treated);
    let periods = periods(date(2023, 3, 1), date(2023, 3, 31));
    let covered = every_month_covered(&periods);
    let counts = [
        count("T", "Theft", (2022, 3), 10),
        count("C", "Theft", (2022, 3), 10),
        count("T", "Theft", (2023, 3), 5),
        count("C", "Theft", (2023, 3), 10),
    ];
    let inputs = Inputs {
        periods: &periods,
        areas: &areas,
        counts: &counts,
        covered: &covered,
        has_comparison: true,
    };
    let e = evaluate(&inputs, None);
    assert_eq!(e.buffer_vs_year_before, Err(Unavailable::NoBuffer));
    assert_eq!(e.wdq, Err(Unavailable::NoBuffer));
}

#[test]
fn a_dataset_counting_only_the_treated_and_buffer_communities_has_no_comparison() {
    let (periods, areas) = city();
    let covered = every_month_covered(&periods);
    let counts = [
        count("T", "Disorder", (2022, 3), 10),
        count("T", "Disorder", (2023, 3), 5),
        count("B", "Disorder", (2022, 3), 10),
        count("B", "Disorder", (2023, 3), 5),
    ];
    let inputs = Inputs {
        periods: &periods,
        areas: &areas,
        counts: &counts,
        covered: &covered,
        has_comparison: false,
    };
    let e = evaluate(&inputs, None);
    assert_eq!(e.counts.treated.pilot, 5);
    assert_eq!(e.treated_vs_year_before, Err(Unavailable::NoComparison));
    assert_eq!(e.wdq, Err(Unavailable::NoComparison));
}

#[test]
fn a_pilot_whose_districts_match_no_community_has_no_figures_and_says_why() {
    let places = [place("T", -114.0), place("C", -113.0)];
    let areas = areas(&places, &BTreeSet::new());
    let periods = periods(date(2023, 3, 1), date(2023, 3, 31));
    let covered = every_month_covered(&periods);
    let counts = [
        count("C", "Theft", (2022, 3), 10),
        count("C", "Theft", (2023, 3), 10),
    ];
    let inputs = Inputs {
        periods: &periods,
        areas: &areas,
        counts: &counts,
        covered: &covered,
        has_comparison: true,
    };
    let e = evaluate(&inputs, None);
    assert_eq!(e.treated_vs_year_before, Err(Unavailable::NoTreated));
    assert_eq!(e.wdq, Err(Unavailable::NoTreated));
    assert_eq!(e.counts.comparison.pilot, 10);
}
