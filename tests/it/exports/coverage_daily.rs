//! `coverage_daily` summed equals the figures of the JSON API, for the pilot and for a district.

use axum::http::StatusCode;
use chrono::NaiveDate;
use patrolboard::domain::Role;
use serde_json::Value;

use super::{Csv, PILOT, download, url};
use crate::common::app::TestApp;

/// The JSON API's figures for a range.
async fn api(app: &TestApp, cookie: &str, from: &str, to: &str) -> Value {
    let response = app
        .get(
            &format!("/api/v1/pilots/{PILOT}/coverage?from={from}&to={to}"),
            Some(cookie),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    serde_json::from_str(&response.body).unwrap()
}

fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

fn pct(part: i64, whole: i64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        round2(part as f64 * 100.0 / whole as f64)
    }
}

/// `coverage_daily` summed equals the API's figures `expected` (the whole pilot or a district).
fn assert_sums_match(csv: &Csv, expected: &Value, what: &str) {
    let blocks = csv.sum("hotspot_blocks");
    assert_eq!(blocks, expected["hotspot_blocks"], "{what}: blocks");
    for column in [
        "planned_blocks",
        "delivered_blocks",
        "visits",
        "koper_visits",
        "pass_throughs",
    ] {
        assert_eq!(csv.sum(column), expected[column], "{what}: {column}");
    }
    let planned = pct(csv.sum("planned_blocks"), blocks);
    assert_eq!(
        planned, expected["planned_coverage_pct"],
        "{what}: planned %"
    );
    let delivered = pct(csv.sum("delivered_blocks"), blocks);
    assert_eq!(
        delivered, expected["delivered_coverage_pct"],
        "{what}: delivered %"
    );
    for column in ["patrol_minutes", "officer_minutes"] {
        let minutes = round2(csv.sum_seconds(column) as f64 / 60.0);
        assert_eq!(minutes, expected[column], "{what}: {column}");
    }
    let dosage = pct(
        csv.sum_seconds("capped_patrol_minutes"),
        csv.sum_seconds("target_minutes"),
    );
    assert_eq!(dosage, expected["dosage_pct"], "{what}: dosage %");
    let longest = csv
        .values("longest_gap_minutes")
        .iter()
        .map(|v| v.parse::<f64>().unwrap())
        .fold(0.0, f64::max);
    assert_eq!(
        round2(longest),
        expected["longest_gap_minutes"],
        "{what}: longest gap"
    );
}

#[tokio::test]
async fn coverage_daily_sums_to_the_figures_of_the_json_api_for_any_range() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Analyst).await;

    for (from, to) in [
        ("2023-02-27", "2023-05-31"),
        ("2023-03-06", "2023-03-12"),
        ("2023-03-11", "2023-03-12"),
        ("2023-04-15", "2023-04-15"),
    ] {
        let expected = api(&app, &cookie, from, to).await;
        let (_, csv) = download(
            &app,
            &cookie,
            &url("coverage_daily", &format!("&from={from}&to={to}")),
        )
        .await;
        assert!(csv.values("pilot").iter().all(|p| *p == PILOT));
        let (first, last): (NaiveDate, NaiveDate) = (from.parse().unwrap(), to.parse().unwrap());
        for day in csv.values("day") {
            let day: NaiveDate = day.parse().unwrap();
            assert!(first <= day && day <= last, "{day} in {from}..{to}");
        }
        assert_sums_match(&csv, &expected, &format!("{from}..{to}"));
    }
}

#[tokio::test]
async fn coverage_daily_of_a_district_sums_to_that_district_in_the_json_api() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Analyst).await;

    for (from, to) in [("2023-02-27", "2023-05-31"), ("2023-03-11", "2023-03-12")] {
        let all = api(&app, &cookie, from, to).await;
        for code in ["BLN", "DNC"] {
            let expected = all["districts"]
                .as_array()
                .unwrap()
                .iter()
                .find(|d| d["code"] == code)
                .unwrap()
                .clone();
            let (_, csv) = download(
                &app,
                &cookie,
                &url(
                    "coverage_daily",
                    &format!("&from={from}&to={to}&district={code}"),
                ),
            )
            .await;
            assert!(csv.values("district_code").iter().all(|c| *c == code));
            assert_sums_match(&csv, &expected, &format!("{code} {from}..{to}"));
        }
    }
}
