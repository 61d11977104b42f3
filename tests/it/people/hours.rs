//! An officer's new agency moves their hours in the stored officer-hours by agency.

use axum::http::StatusCode;
use chrono::NaiveDate;
use patrolboard::domain::Role;

use super::officer_by_badge;
use crate::common::app::TestApp;
use crate::coverage::rollups::recount::officer_seconds;

/// The demo's stored seconds of `agency` in `officer_days`.
async fn stored_seconds(db: &sqlx::PgPool, agency: &str) -> f64 {
    sqlx::query_scalar(
        "select coalesce(sum(seconds), 0) from officer_days d join pilots p on p.id = d.pilot_id
          where p.slug = 'calgary-2023' and d.agency = $1",
    )
    .bind(agency)
    .fetch_one(db)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_sheriff_moved_to_cps_takes_their_hours_with_them_in_the_stored_officer_hours() {
    let app = TestApp::seeded().await;
    let admin = app.sign_in_as(Role::Admin).await;
    let (id, officer) = officer_by_badge(&app.db, "alberta_sheriffs", "S-1041")
        .await
        .unwrap();
    let worked: f64 = sqlx::query_scalar(
        "select sum(extract(epoch from s.ends_at - s.starts_at))::float8
           from shifts s join shift_members m on m.shift_id = s.id
          where m.officer_id = $1 and s.status <> 'cancelled'",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert!(worked > 0.0, "the demo's sergeant works shifts");
    let (sheriffs, cps) = (
        stored_seconds(&app.db, "alberta_sheriffs").await,
        stored_seconds(&app.db, "cps").await,
    );

    let response = app
        .post_form(
            &format!("/pilots/calgary-2023/officers/{id}"),
            &[
                ("agency", "cps"),
                ("badge_number", &officer.1),
                ("name", &officer.2),
                ("rank", &officer.3),
                ("home_unit", &officer.4),
            ],
            Some(&admin),
        )
        .await;

    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    let moved = stored_seconds(&app.db, "alberta_sheriffs").await;
    assert!(
        (sheriffs - moved - worked).abs() < 1e-3,
        "{sheriffs} - {moved} is {worked}"
    );
    assert!((stored_seconds(&app.db, "cps").await - cps - worked).abs() < 1e-3);
    // Every stored row equals what the raw rows add up to now.
    let rows: Vec<(NaiveDate, String, Option<i64>, f64)> = sqlx::query_as(
        "select day, agency, district_id, seconds from officer_days d
           join pilots p on p.id = d.pilot_id where p.slug = 'calgary-2023'",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    let expected = officer_seconds(&app.db).await;
    assert_eq!(rows.len(), expected.len());
    for (day, agency, district, seconds) in rows {
        let want = expected[&(day, agency.clone(), district)];
        assert!(
            (seconds - want).abs() < 1e-6,
            "{day} {agency} {district:?}: {seconds} against {want}"
        );
    }
}
