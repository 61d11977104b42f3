//! `/exports/evaluation_monthly.csv`: the monthly series behind the evaluation, summing to the
//! API's counts, for those who may export.

use std::collections::{HashMap, HashSet};

use axum::http::StatusCode;
use patrolboard::domain::Role;

use super::{evaluation_json, strings};
use crate::common::app::TestApp;

const EXPORT: &str = "/exports/evaluation_monthly.csv?pilot=calgary-2023";

/// The export's records as (month, area, dataset, category) → count, after checking its header.
fn records(body: &str) -> HashMap<(String, String, String, String), i64> {
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, ["month", "area", "dataset", "category", "count"]);
    let mut out = HashMap::new();
    for record in reader.records() {
        let r = record.unwrap();
        let key = (r[0].into(), r[1].into(), r[2].into(), r[3].into());
        let count: i64 = r[4].parse().unwrap();
        assert!(out.insert(key, count).is_none(), "each key once: {r:?}");
    }
    out
}

#[tokio::test]
async fn the_monthly_series_adds_up_to_the_evaluation_counts_of_every_area_and_period() {
    let app = TestApp::seeded().await;
    let analyst = app.sign_in_as(Role::Analyst).await;
    let response = app.get(EXPORT, Some(&analyst)).await;
    assert_eq!(response.status, StatusCode::OK);
    assert!(
        response.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(response.body.contains("\r\n"), "CRLF line ends");
    let rows = records(&response.body);

    for dataset in ["crime", "disorder"] {
        let json = evaluation_json(&app, &analyst, &format!("dataset={dataset}")).await;
        for period in ["pilot", "before", "after", "year_before"] {
            let months = strings(&json["months"][period]);
            for area in ["treated", "buffer", "comparison"] {
                let total: i64 = months
                    .iter()
                    .map(|m| rows[&(m.clone(), area.into(), dataset.into(), "all".into())])
                    .sum();
                assert_eq!(
                    json["counts"][area][period].as_i64(),
                    Some(total),
                    "{dataset} {area} {period}"
                );
            }
        }
    }
    // Every category's rows add up to the rows for all categories.
    let categories: HashSet<&str> = rows
        .keys()
        .filter(|k| k.2 == "crime" && k.3 != "all")
        .map(|k| k.3.as_str())
        .collect();
    assert!(categories.len() > 1);
    for ((month, area, dataset, category), count) in &rows {
        if category != "all" {
            continue;
        }
        let parts: i64 = categories
            .iter()
            .filter_map(|c| {
                rows.get(&(month.clone(), area.clone(), dataset.clone(), c.to_string()))
            })
            .sum();
        if dataset == "crime" {
            assert_eq!(parts, *count, "{month} {area}");
        }
    }
}

#[tokio::test]
async fn a_category_a_spreadsheet_would_run_as_a_formula_is_neutralised() {
    let app = TestApp::seeded().await;
    // Written straight into the table: the City's file could hold such a category, and the
    // import keeps categories as written.
    sqlx::query(
        r#"insert into community_stats (city, dataset, community, category, year, month, count)
           values ('Calgary', 'crime', 'BELTLINE', '=HYPERLINK("http://x")', 2023, 3, 2)"#,
    )
    .execute(&app.db)
    .await
    .unwrap();
    let supervisor = app.sign_in_as(Role::Supervisor).await;
    let response = app.get(EXPORT, Some(&supervisor)).await;
    let rows = records(&response.body);
    assert!(
        rows.keys()
            .any(|k| k.3 == "'=HYPERLINK(\"http://x\")" && k.0 == "2023-03"),
        "the category is written with a leading quote"
    );
}

#[tokio::test]
async fn viewers_may_not_export_the_series_and_anonymous_users_sign_in_first() {
    let app = TestApp::seeded().await;
    let viewer = app.sign_in_as(Role::Viewer).await;
    assert_eq!(
        app.get(EXPORT, Some(&viewer)).await.status,
        StatusCode::FORBIDDEN
    );
    let anonymous = app.get(EXPORT, None).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert!(anonymous.location().unwrap().starts_with("/login"));
    let analyst = app.sign_in_as(Role::Analyst).await;
    let missing = app
        .get("/exports/evaluation_monthly.csv", Some(&analyst))
        .await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
}
