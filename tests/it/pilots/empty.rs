//! A pilot just added, with no districts, hotspots, officers or shifts, shows every one of its
//! pages.

use axum::http::StatusCode;
use patrolboard::domain::Role;
use patrolboard::export::DATASETS;
use serde_json::Value;

use super::new_pilot;
use crate::common::app::TestApp;

#[tokio::test]
async fn every_page_of_a_pilot_with_nothing_in_it_yet_answers() {
    let app = TestApp::empty().await;
    let admin = app.sign_in_as(Role::Admin).await;
    let added = app
        .post_form(
            "/admin/pilots",
            &new_pilot("edmonton-2024", &[]),
            Some(&admin),
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let mut pages = vec![
        "/".to_string(),
        "/pilots/edmonton-2024".into(),
        "/pilots/edmonton-2024?from=2024-03-04&to=2024-03-10".into(),
        "/pilots/edmonton-2024/officers".into(),
        "/pilots/edmonton-2024/roster".into(),
        "/pilots/edmonton-2024/roster?week=2024-W10".into(),
        "/pilots/edmonton-2024/roster/copy?week=2024-W10".into(),
        "/pilots/edmonton-2024/shifts/new?week=2024-W10".into(),
        "/exports?pilot=edmonton-2024".into(),
        "/calendar?pilot=edmonton-2024".into(),
        "/imports".into(),
        "/audit".into(),
        "/audit?entity=pilot".into(),
        "/admin/pilots".into(),
        "/admin/pilots/edmonton-2024".into(),
    ];
    pages.extend(
        DATASETS
            .iter()
            .map(|d| format!("/exports/{}.csv?pilot=edmonton-2024", d.name)),
    );

    for path in &pages {
        let response = app.get(path, Some(&admin)).await;
        assert_eq!(response.status, StatusCode::OK, "{path}: {}", response.body);
    }

    let api = app
        .get("/api/v1/pilots/edmonton-2024/coverage", Some(&admin))
        .await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.body);
    let json: Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(json["pilot"], "edmonton-2024");
    for figure in [
        "planned_coverage_pct",
        "delivered_coverage_pct",
        "patrol_minutes",
        "officer_minutes",
        "visits",
        "koper_visits",
    ] {
        assert_eq!(json[figure].as_f64(), Some(0.0), "{figure}: {json}");
    }
    assert_eq!(json["districts"], Value::Array(vec![]));
    assert_eq!(json["hotspots"], Value::Array(vec![]));
}
