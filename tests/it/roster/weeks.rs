//! The roster week of the demo, and copying a week.

use axum::http::StatusCode;
use patrolboard::domain::Role;

use super::{fields, setup, with};
use crate::common::app::TestApp;
use crate::common::app::post;
use crate::common::scalar;

#[tokio::test]
async fn the_demo_roster_week_shows_teams_days_hours_and_blocks_to_fill() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Viewer).await;
    let week = app
        .get("/pilots/calgary-2023/roster?week=2023-W11", Some(&cookie))
        .await;
    assert_eq!(week.status, StatusCode::OK);
    assert_eq!(week.texts("table.roster thead th").len(), 8);
    assert_eq!(
        week.texts("table.roster tbody tr").len(),
        9,
        "one row per team"
    );
    assert!(!week.texts("article.shift").is_empty());
    assert!(
        week.texts("ul.totals li")[2].contains("hotspot-blocks this week have no planned coverage")
    );
    assert_eq!(week.texts("a[rel=prev]"), ["← Week 2023-W10"]);
    let bad = app
        .get("/pilots/calgary-2023/roster?week=someday", Some(&cookie))
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn copying_a_week_copies_what_fits_and_lists_what_would_clash() {
    let (app, f, cookie) = setup().await;
    let tuesday = with(
        with(fields(&f), "starts_at", "2023-03-07T07:00"),
        "ends_at",
        "2023-03-07T17:00",
    );
    post(&app, "/pilots/test/shifts", &tuesday, &cookie).await;
    post(
        &app,
        "/pilots/test/shifts",
        &with(fields(&f), "officer_ids", &f.sheriff.to_string()),
        &cookie,
    )
    .await;
    let blocker = with(
        with(
            with(fields(&f), "starts_at", "2023-03-14T08:00"),
            "ends_at",
            "2023-03-14T12:00",
        ),
        "officer_ids",
        &f.constable.to_string(),
    );
    assert_eq!(
        post(&app, "/pilots/test/shifts", &blocker, &cookie)
            .await
            .status,
        StatusCode::SEE_OTHER
    );

    let copy = [
        ("from_week".to_string(), "2023-W10".to_string()),
        ("to_week".to_string(), "2023-W11".to_string()),
    ];
    let response = post(&app, "/pilots/test/roster/copy", &copy, &cookie).await;

    assert_eq!(response.status, StatusCode::OK);
    assert!(
        response.texts("#copy-result")[0].contains("Copied 1 shifts"),
        "{:?}",
        response.texts("#copy-result")
    );
    let skipped = response.texts("table.data tbody td");
    assert_eq!(skipped.len(), 1);
    assert!(
        skipped[0].contains("Constable Brook is already on shift"),
        "{skipped:?}"
    );
    let hours: f64 = sqlx::query_scalar(
        r#"select extract(epoch from ends_at - starts_at)::float8 / 3600 from shifts
            where (starts_at at time zone 'America/Edmonton')::date = '2023-03-18'"#,
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(
        hours, 8.0,
        "22:00 to 06:00 copied off the spring-forward night lasts 8 hours again"
    );
    assert_eq!(
        scalar(
            &app.db,
            "select count(*) from audit_log where action = 'copy'"
        )
        .await,
        1
    );

    let outside = [
        ("from_week".to_string(), "2023-W13".to_string()),
        ("to_week".to_string(), "2023-W14".to_string()),
    ];
    post(
        &app,
        "/pilots/test/shifts",
        &with(
            with(fields(&f), "starts_at", "2023-03-30T07:00"),
            "ends_at",
            "2023-03-30T17:00",
        ),
        &cookie,
    )
    .await;
    let response = post(&app, "/pilots/test/roster/copy", &outside, &cookie).await;
    assert!(response.texts("table.data tbody td")[0].contains("pilot runs"));
}
