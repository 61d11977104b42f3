//! The coverage figures of docs/coverage.md through the database, the JSON API and the dashboard,
//! checked against hand-worked numbers and against an independent recomputation in SQL.

mod gaps;
mod officers;
pub(crate) mod rollups;

use axum::http::StatusCode;
use chrono::NaiveDate;
use patrolboard::domain::Role;
use patrolboard::domain::ids::PilotId;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::common;
use crate::common::app::TestApp;
use crate::common::fixture::Fixture;
use crate::common::recompute::recompute;
use crate::common::{date, scalar};

/// The worked example of docs/coverage.md, stored as rows.
async fn worked_example(db: &PgPool) {
    const PLAZA: &str = "Olympic Plaza";
    Fixture::pilot("example")
        .name("Worked example")
        .days("2023-03-11", "2023-03-12")
        // The plaza is watched from 1 March, before this two-day pilot: no import takes that.
        .places_stored_as_is()
        .district("DNC", |d| {
            d.name("Downtown Commercial Core").boundary(json!({"type": "MultiPolygon",
                "coordinates": [[[[-114.07, 51.04], [-114.06, 51.04], [-114.06, 51.05], [-114.07, 51.04]]]]}))
        })
        .hotspot(PLAZA, |h| {
            h.active_from("2023-03-01").boundary(json!({"type": "Polygon",
                "coordinates": [[[-114.065, 51.045], [-114.064, 51.045], [-114.064, 51.046], [-114.065, 51.045]]]}))
        })
        .officer("S-1", "alberta_sheriffs", "S-1")
        .officer("4001", "cps", "4001")
        .team("Pair 1", "foot", &["S-1", "4001"])
        // Shift A completed and shift B cancelled at version 1, as the worked example has them;
        // the officers have no assignment. The roster stores none of that.
        .shift("Pair 1", "2023-03-11 22:00", "2023-03-12 06:00", |s| {
            s.status("completed").hotspots(&[PLAZA]).stored_as_is()
        })
        .shift("Pair 1", "2023-03-12 22:00", "2023-03-13 06:00", |s| {
            s.status("cancelled").hotspots(&[PLAZA]).stored_as_is()
        })
        // 01:50 MST to 03:05 MDT is 15 minutes; 23:00 to 23:05 is 5.
        .visit(0, PLAZA, "2023-03-12 01:50", "2023-03-12 03:05")
        .visit(0, PLAZA, "2023-03-11 23:00", "2023-03-11 23:05")
        .refresh_coverage()
        .build(db)
        .await;
}

async fn coverage_json(
    app: &TestApp,
    cookie: &str,
    slug: &str,
    from: &str,
    to: &str,
) -> (StatusCode, Value) {
    let response = app
        .get(
            &format!("/api/v1/pilots/{slug}/coverage?from={from}&to={to}"),
            Some(cookie),
        )
        .await;
    let json = serde_json::from_str(&response.body).unwrap_or(Value::Null);
    (response.status, json)
}

#[tokio::test]
async fn the_worked_example_of_design_section_3_comes_out_of_the_api_exactly() {
    let app = TestApp::empty().await;
    worked_example(&app.db).await;
    let cookie = app.sign_in_as(Role::Viewer).await;

    let (status, json) = coverage_json(&app, &cookie, "example", "2023-03-11", "2023-03-12").await;

    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(json["hotspot_blocks"], 15);
    assert_eq!(json["planned_blocks"], 7);
    assert_eq!(json["planned_coverage_pct"], 46.67);
    assert_eq!(json["delivered_blocks"], 1);
    assert_eq!(json["delivered_coverage_pct"], 6.67);
    assert_eq!(json["patrol_minutes"], 20.0);
    assert_eq!(json["visits"], 2);
    assert_eq!(json["koper_visits"], 1);
    assert_eq!(json["pass_throughs"], 0);
    assert_eq!(json["officer_minutes"], 40.0);
    assert_eq!(json["districts"][0]["code"], "DNC");
    assert_eq!(json["districts"][0]["planned_coverage_pct"], 46.67);
    assert_eq!(json["hotspots"][0]["name"], "Olympic Plaza");
    assert_eq!(json["hotspots"][0]["district_code"], "DNC");
    assert_eq!(json["hotspots"][0]["officer_minutes"], 40.0);
}

#[tokio::test]
async fn the_worked_example_dashboard_shows_the_same_figures_and_7_officer_hours_each() {
    let app = TestApp::empty().await;
    worked_example(&app.db).await;
    let cookie = app.sign_in_as(Role::Viewer).await;

    let page = app
        .get(
            "/pilots/example?from=2023-03-11&to=2023-03-12",
            Some(&cookie),
        )
        .await;

    assert_eq!(page.status, StatusCode::OK);
    let values = page.texts(".stat .value");
    assert_eq!(values[0], "46.67%");
    assert_eq!(values[1], "6.67%");
    // Shift A lasted 7 real hours with two members; the cancelled shift B counts nothing.
    assert_eq!(values[2], "14 h");
    let details = page.texts(".stat .detail");
    assert!(
        details[2].contains("Sheriffs 7 h, CPS 7 h"),
        "{}",
        details[2]
    );
    assert_eq!(page.texts("td.planned"), ["46.67%"]);
    assert_eq!(page.texts("td.delivered"), ["6.67%"]);
    let district = page.texts("table.figures tbody th")[0].clone();
    assert!(
        district.contains("1 hotspot; 14.0 officer-hours"),
        "{district}"
    );
}

#[tokio::test]
async fn bad_api_parameters_get_a_json_message_not_a_500() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Viewer).await;
    let cases = [
        (
            "no-such-pilot",
            "2023-03-01",
            "2023-03-07",
            StatusCode::NOT_FOUND,
        ),
        (
            "calgary-2023",
            "2023-3-1x",
            "2023-03-07",
            StatusCode::BAD_REQUEST,
        ),
        (
            "calgary-2023",
            "2023-03-07",
            "2023-03-01",
            StatusCode::BAD_REQUEST,
        ),
        (
            "calgary-2023",
            "2023-01-01",
            "2023-03-07",
            StatusCode::BAD_REQUEST,
        ),
        (
            "calgary-2023",
            "2023-05-01",
            "2023-06-30",
            StatusCode::BAD_REQUEST,
        ),
    ];
    for (slug, from, to, expected) in cases {
        let (status, json) = coverage_json(&app, &cookie, slug, from, to).await;
        assert_eq!(status, expected, "{slug} {from} {to}");
        assert!(
            json["error"].as_str().is_some_and(|m| !m.is_empty()),
            "{json}"
        );
    }
    let anonymous = app.get("/api/v1/pilots/calgary-2023/coverage", None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_bad_dashboard_filter_gets_a_400_page_that_says_why() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Viewer).await;
    let backwards = app
        .get(
            "/pilots/calgary-2023?from=2023-03-07&to=2023-03-01",
            Some(&cookie),
        )
        .await;
    let district = app
        .get("/pilots/calgary-2023?district=XYZ", Some(&cookie))
        .await;
    let missing = app.get("/pilots/no-such-pilot", Some(&cookie)).await;
    assert_eq!(backwards.status, StatusCode::BAD_REQUEST);
    assert!(backwards.texts(".message")[0].contains("before it starts"));
    assert_eq!(district.status, StatusCode::BAD_REQUEST);
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_api_agrees_with_an_independent_recomputation_from_the_raw_tables() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Viewer).await;
    let ranges = [
        (date(2023, 2, 27), date(2023, 5, 31)),
        (date(2023, 3, 11), date(2023, 3, 12)),
        (date(2023, 3, 13), date(2023, 3, 19)),
        (date(2023, 4, 3), date(2023, 4, 3)),
        (date(2023, 4, 15), date(2023, 4, 16)),
        (date(2023, 5, 31), date(2023, 5, 31)),
    ];
    for (from, to) in ranges {
        let (status, json) = coverage_json(
            &app,
            &cookie,
            "calgary-2023",
            &from.to_string(),
            &to.to_string(),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let (blocks, planned, delivered, visits, koper, officer_minutes, patrol_minutes) =
            recompute(&app.db, from, to).await;
        let label = format!("{from}..{to}");
        assert_eq!(json["hotspot_blocks"], blocks, "{label}");
        assert_eq!(json["planned_blocks"], planned, "{label}");
        assert_eq!(json["delivered_blocks"], delivered, "{label}");
        assert_eq!(json["visits"], visits, "{label}");
        assert_eq!(json["koper_visits"], koper, "{label}");
        assert!(
            (json["officer_minutes"].as_f64().unwrap() - officer_minutes).abs() < 0.01,
            "{label}"
        );
        assert!(
            (json["patrol_minutes"].as_f64().unwrap() - patrol_minutes).abs() < 0.01,
            "{label}"
        );
        let planned_pct = 100.0 * planned as f64 / blocks as f64;
        assert!(
            (json["planned_coverage_pct"].as_f64().unwrap() - planned_pct).abs() <= 0.01,
            "{label}"
        );
    }
    assert!(scalar(&app.db, "select count(*) from hotspot_days").await > 0);
}

#[tokio::test]
async fn stored_hotspot_days_equal_a_fresh_computation_from_raw_rows() {
    let db = common::seeded_db().await;
    let pilot = PilotId(scalar(&db, "select id from pilots where slug = 'calgary-2023'").await);
    let before: Vec<(i64, NaiveDate, i64, i64, i64, i64)> = sqlx::query_as(
        "select hotspot_id, day, blocks::int8, planned_blocks::int8, delivered_blocks::int8, patrol_seconds from hotspot_days order by 1, 2",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    sqlx::query("delete from hotspot_days")
        .execute(&db)
        .await
        .unwrap();
    let mut conn = db.acquire().await.unwrap();
    patrolboard::db::coverage::refresh(&mut conn, pilot, date(2023, 2, 27), date(2023, 5, 31))
        .await
        .unwrap();
    let after: Vec<(i64, NaiveDate, i64, i64, i64, i64)> = sqlx::query_as(
        "select hotspot_id, day, blocks::int8, planned_blocks::int8, delivered_blocks::int8, patrol_seconds from hotspot_days order by 1, 2",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    assert_eq!(before.len(), 13 * 94);
    assert_eq!(before, after);
}

#[tokio::test]
async fn the_pages_show_the_figures_of_the_api() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Viewer).await;
    let (_, json) = coverage_json(&app, &cookie, "calgary-2023", "2023-03-06", "2023-03-19").await;

    let dashboard = app
        .get(
            "/pilots/calgary-2023?from=2023-03-06&to=2023-03-19",
            Some(&cookie),
        )
        .await;
    let district = app
        .get(
            "/pilots/calgary-2023/districts/BLN?from=2023-03-06&to=2023-03-19",
            Some(&cookie),
        )
        .await;

    let pct = |value: &Value| format!("{:.2}%", value.as_f64().unwrap());
    assert_eq!(
        dashboard.texts(".stat .value")[0],
        pct(&json["planned_coverage_pct"])
    );
    assert_eq!(
        dashboard.texts(".stat .value")[1],
        pct(&json["delivered_coverage_pct"])
    );
    let districts = json["districts"].as_array().unwrap();
    let planned: Vec<String> = districts
        .iter()
        .map(|d| pct(&d["planned_coverage_pct"]))
        .collect();
    assert_eq!(dashboard.texts("table.figures td.planned"), planned);
    let beltline = districts.iter().find(|d| d["code"] == "BLN").unwrap();
    assert_eq!(
        district.texts(".stat .value")[0],
        pct(&beltline["planned_coverage_pct"])
    );
    let hotspots: Vec<String> = json["hotspots"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["district_code"] == "BLN")
        .map(|h| pct(&h["delivered_coverage_pct"]))
        .collect();
    assert_eq!(district.texts("table.figures td.delivered"), hotspots);
    assert_eq!(
        district.texts("table.community tr.total th"),
        ["All crime", "Disorder"]
    );
}
