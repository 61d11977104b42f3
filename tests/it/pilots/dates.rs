//! A pilot's dates and zone may not move so that its shifts or logged visits and activities fall
//! outside it.

use axum::http::StatusCode;
use patrolboard::domain::Role;
use sqlx::PgPool;

use super::{audited, marked, settings_of_test, stored};
use crate::common::app::{TestApp, shown_value};
use crate::common::fixture::Fixture;

/// Pilot `test` (March 2023, America/Edmonton) with a shift at 00:30 on 2 March, a cancelled
/// one on the evening of 5 March, and one from 22:00 on 20 March with a visit after midnight.
async fn pilot_with_shifts(db: &PgPool) {
    Fixture::pilot("test")
        .places_stored_as_is()
        .district("D1", |d| d.name("District one"))
        .hotspot("Plaza", |h| h)
        .officer("Sheriff One", "alberta_sheriffs", "S1")
        .officer("Constable One", "cps", "C1")
        .team("Pair 1", "foot", &["Sheriff One", "Constable One"])
        .shift("Pair 1", "2023-03-02 00:30", "2023-03-02 04:00", |s| {
            s.hotspots(&["Plaza"]).stored_as_is()
        })
        .shift("Pair 1", "2023-03-05 22:00", "2023-03-06 06:00", |s| {
            s.status("cancelled").hotspots(&["Plaza"]).stored_as_is()
        })
        .shift("Pair 1", "2023-03-20 22:00", "2023-03-21 06:00", |s| {
            s.status("completed").hotspots(&["Plaza"]).stored_as_is()
        })
        .visit(2, "Plaza", "2023-03-21 01:00", "2023-03-21 01:20")
        .build(db)
        .await;
}

#[tokio::test]
async fn dates_or_a_zone_that_would_leave_shifts_or_visits_outside_are_refused_and_change_nothing()
{
    let app = TestApp::empty().await;
    pilot_with_shifts(&app.db).await;
    let admin = app.sign_in_as(Role::Admin).await;
    let before = stored(&app.db, "test").await;
    let zone = "(in America/Edmonton)";
    let cases = [
        (
            settings_of_test(&[("starts_on", "2023-03-03")]),
            "starts_on",
            format!("1 shift starts outside these dates {zone}, on 2023-03-02."),
        ),
        (
            settings_of_test(&[("starts_on", "2023-03-10"), ("ends_on", "2023-03-25")]),
            "starts_on",
            format!(
                "2 shifts start outside these dates {zone}, the first on 2023-03-02 and the last \
                 on 2023-03-05."
            ),
        ),
        (
            settings_of_test(&[("ends_on", "2023-03-19")]),
            "ends_on",
            format!("1 shift starts outside these dates {zone}, on 2023-03-20."),
        ),
        (
            // 00:30 in Calgary is 23:30 the day before in Vancouver.
            settings_of_test(&[
                ("starts_on", "2023-03-02"),
                ("time_zone", "America/Vancouver"),
            ]),
            "starts_on",
            "1 shift starts outside these dates (in America/Vancouver), on 2023-03-01.".to_string(),
        ),
    ];
    for (fields, field, sentence) in cases {
        let response = app
            .post_form("/admin/pilots/test", &fields, Some(&admin))
            .await;

        assert_eq!(response.status, StatusCode::CONFLICT, "{sentence}");
        let shown = marked(&response, field).unwrap_or_else(|| panic!("{field} is marked"));
        assert!(shown.starts_with(&sentence), "{shown}");
        assert!(shown.ends_with("Choose dates that keep them inside the pilot."));
        for (name, typed) in &fields {
            assert_eq!(&shown_value(&response, name), typed, "{name} is kept");
        }
        assert_eq!(stored(&app.db, "test").await, before, "nothing changed");
    }
    assert!(
        audited(&app.db)
            .await
            .iter()
            .all(|entry| entry.1 != "update")
    );
}

#[tokio::test]
async fn dates_that_keep_every_shift_and_visit_inside_are_saved() {
    let app = TestApp::empty().await;
    pilot_with_shifts(&app.db).await;
    let admin = app.sign_in_as(Role::Admin).await;
    let fields = settings_of_test(&[
        ("starts_on", "2023-03-02"),
        // The visit after midnight, on 21 March, is the last night's.
        ("ends_on", "2023-03-20"),
        ("time_zone", "America/Regina"),
    ]);

    let response = app
        .post_form("/admin/pilots/test", &fields, Some(&admin))
        .await;

    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    let pilot = stored(&app.db, "test").await.unwrap();
    assert_eq!(
        (pilot.2.as_str(), pilot.3.as_str(), pilot.4.as_str()),
        ("America/Regina", "2023-03-02", "2023-03-20")
    );
    let actions: Vec<String> = audited(&app.db).await.into_iter().map(|e| e.1).collect();
    assert_eq!(actions, ["create", "update"]);
}

#[tokio::test]
async fn dates_that_leave_a_logged_entry_more_than_a_day_outside_are_refused() {
    let app = TestApp::empty().await;
    pilot_with_shifts(&app.db).await;
    let admin = app.sign_in_as(Role::Admin).await;
    // No form logs an activity two days after its shift; written straight to the database, as
    // data from before these rules could hold one.
    sqlx::query(
        "insert into activities (shift_id, occurred_at, kind)
         select id, '2023-03-23 12:00-06', 'other' from shifts where starts_at = '2023-03-20 22:00-06'",
    )
    .execute(&app.db)
    .await
    .unwrap();

    let response = app
        .post_form(
            "/admin/pilots/test",
            &settings_of_test(&[("ends_on", "2023-03-21")]),
            Some(&admin),
        )
        .await;

    assert_eq!(response.status, StatusCode::CONFLICT);
    assert_eq!(
        marked(&response, "ends_on").as_deref(),
        Some(
            "1 logged visit or activity falls more than a day outside these dates (in \
             America/Edmonton), on 2023-03-23. Choose dates that keep them inside the pilot."
        )
    );
    assert_eq!(stored(&app.db, "test").await.unwrap().4, "2023-03-31");
}
