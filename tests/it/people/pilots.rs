//! An officer on several pilots over time: assigned to each through the same form, once per
//! pilot at a time; and an agency that is not on file.

use axum::http::StatusCode;
use patrolboard::domain::Role;

use super::*;
use crate::common::app::{TestApp, shown_value};

/// The "add officer" form's fields for Kevin Ashdown of `agency`, assigned from `first` to `last`.
fn kevin<'a>(agency: &'a str, first: &'a str, last: &'a str) -> [(&'a str, &'a str); 9] {
    [
        ("agency", agency),
        ("badge_number", "4127"),
        ("name", "Kevin Ashdown"),
        ("rank", "Constable"),
        ("home_unit", ""),
        ("starts_on", first),
        ("ends_on", last),
        ("role", "cps_partner"),
        ("team_id", ""),
    ]
}

#[tokio::test]
async fn an_officer_on_one_pilot_is_assigned_to_another_on_the_same_days_but_once_per_pilot() {
    let app = TestApp::empty().await;
    let f = pilot()
        .officer("Kevin Ashdown", "cps", "4127")
        .assignment("Kevin Ashdown", "cps_partner", "2023-03-01", "2023-03-31")
        .build(&app.db)
        .await;
    Fixture::pilot("other-2023").build(&app.db).await;
    let id = f.officer("Kevin Ashdown");
    let analyst = app.sign_in_as(Role::Analyst).await;

    let added = app
        .post_form(
            "/pilots/other-2023/officers",
            &kevin("cps", "2023-03-01", "2023-03-31"),
            Some(&analyst),
        )
        .await;

    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    assert_eq!(
        added.location(),
        Some(format!("/pilots/other-2023/officers/{id}").as_str())
    );
    assert_eq!(count(&app.db, "officers").await, 1);
    assert_eq!(count(&app.db, "assignments").await, 2);

    let again = app
        .post_form(
            "/pilots/other-2023/officers",
            &kevin("cps", "2023-03-20", "2023-03-31"),
            Some(&analyst),
        )
        .await;

    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        problem(&again, "starts_on")
            .unwrap()
            .contains("already assigned to this pilot from 2023-03-01 to 2023-03-31")
    );
    assert_eq!(shown_value(&again, "starts_on"), "2023-03-20");
    assert_eq!(count(&app.db, "assignments").await, 2);
    assert_eq!(audited(&app.db, "assignment").await.len(), 1);
}

#[tokio::test]
async fn an_officer_of_an_agency_not_on_file_is_refused_beside_the_agency() {
    let app = TestApp::empty().await;
    pilot().build(&app.db).await;
    let admin = app.sign_in_as(Role::Admin).await;

    let response = app
        .post_form(
            "/pilots/people-2023/officers",
            &kevin("eps", "2023-03-01", "2023-03-31"),
            Some(&admin),
        )
        .await;

    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        problem(&response, "agency").as_deref(),
        Some("There is no agency with this code on file; an administrator adds agencies.")
    );
    assert_eq!(shown_value(&response, "name"), "Kevin Ashdown");
    assert_eq!(count(&app.db, "officers").await, 0);
    assert_eq!(count(&app.db, "assignments").await, 0);
    assert!(audited(&app.db, "officer").await.is_empty());
}
