//! Creating a shift through the form, and every field the form refuses.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use super::{Fields, fields, setup, with, without_fragment};
use crate::common::app::{attr, post};
use crate::common::scalar;

#[tokio::test]
async fn a_supervisor_creates_a_shift_and_sees_it_on_the_roster_week() {
    let (app, f, cookie) = setup().await;

    let created = post(&app, "/pilots/test/shifts", &fields(&f), &cookie).await;

    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let location = created.location().unwrap().to_string();
    assert!(
        location.starts_with("/pilots/test/roster?week=2023-W10&notice=created"),
        "{location}"
    );
    let (starts, ends, status): (
        chrono::DateTime<chrono::Utc>,
        chrono::DateTime<chrono::Utc>,
        String,
    ) = sqlx::query_as("select starts_at, ends_at, status from shifts")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(
        (ends - starts).num_hours(),
        7,
        "the spring-forward night shift lasts 7 hours"
    );
    assert_eq!(status, "planned");
    let week = app.get(&location, Some(&cookie)).await;
    assert_eq!(week.status, StatusCode::OK);
    assert_eq!(
        week.texts("[role=status]"),
        [format!(
            "Shift created (shift #{}).",
            scalar(&app.db, "select id from shifts").await
        )]
    );
    let card = week.texts("article.shift")[0].clone();
    assert!(
        card.contains("22:00–06:00 (+1 day)")
            && card.contains("Sheriff Avery")
            && card.contains("Olympic Plaza"),
        "{card}"
    );
    assert_eq!(week.texts("article.shift .agency"), ["Sheriffs", "CPS"]);
    let audits = scalar(
        &app.db,
        "select count(*) from audit_log where entity = 'shift' and action = 'create'",
    )
    .await;
    assert_eq!(audits, 1);
    let planned = scalar(
        &app.db,
        "select coalesce(sum(planned_blocks), 0)::int8 from hotspot_days",
    )
    .await;
    assert!(
        planned > 0,
        "the stored coverage is refreshed with the new shift"
    );
}

#[tokio::test]
async fn every_bad_field_gets_a_422_with_its_message_the_typed_values_kept_and_nothing_stored() {
    let (app, f, cookie) = setup().await;
    let cases: Vec<(&str, Fields, &str)> = vec![
        (
            "ends_at",
            with(fields(&f), "ends_at", "2023-03-11T21:00"),
            "end after it starts",
        ),
        (
            "ends_at",
            with(fields(&f), "ends_at", "2023-03-12T16:00"),
            "at most 16 hours",
        ),
        (
            "starts_at",
            with(
                with(fields(&f), "starts_at", "2023-04-02T07:00"),
                "ends_at",
                "2023-04-02T17:00",
            ),
            "pilot runs",
        ),
        (
            "starts_at",
            with(
                with(fields(&f), "starts_at", "2023-03-12T02:30"),
                "ends_at",
                "2023-03-12T09:00",
            ),
            "does not exist in America/Edmonton: that night the clocks go forward from 02:00 straight to 03:00",
        ),
        (
            "starts_at",
            with(fields(&f), "starts_at", "tomorrow"),
            "is not a date and time: choose a day and a time",
        ),
        (
            "team_id",
            with(fields(&f), "team_id", "99999"),
            "Choose one of this pilot's teams",
        ),
        (
            "officer_ids",
            with(fields(&f), "officer_ids", "99999"),
            "not assigned to this pilot",
        ),
        (
            "officer_ids",
            with(fields(&f), "officer_ids", &f.late_constable.to_string()),
            "not assigned to the pilot on 2023-03-11",
        ),
        (
            "hotspot_ids",
            with(fields(&f), "hotspot_ids", &f.retired.to_string()),
            "not an active hotspot",
        ),
        (
            "hotspot_ids",
            with(fields(&f), "hotspot_ids", "99999"),
            "not one of this pilot's",
        ),
        (
            "mode",
            with(fields(&f), "mode", "horse"),
            "foot, bike or vehicle",
        ),
        (
            "notes",
            with(fields(&f), "notes", &"x".repeat(1001)),
            "at most 1000",
        ),
    ];
    for (field, form, message) in cases {
        let response = post(&app, "/pilots/test/shifts", &form, &cookie).await;
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {message}"
        );
        let shown = response.texts(&format!("#{field}-error"));
        assert!(
            shown.len() == 1 && shown[0].contains(message),
            "{field}: {shown:?}"
        );
        let typed = form
            .iter()
            .find(|(k, _)| k == "starts_at")
            .unwrap()
            .1
            .clone();
        assert_eq!(
            attr(&response, "#starts_at", "value"),
            Some(typed),
            "the form keeps what was typed"
        );
    }
    assert_eq!(scalar(&app.db, "select count(*) from shifts").await, 0);
    assert_eq!(
        scalar(
            &app.db,
            "select count(*) from audit_log where entity = 'shift'"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn a_saved_shift_leads_to_its_card_by_a_fragment_for_a_browser_and_for_htmx() {
    let (app, f, cookie) = setup().await;

    let created = post(&app, "/pilots/test/shifts", &fields(&f), &cookie).await;
    let id = scalar(&app.db, "select id from shifts").await;
    let edited = post(
        &app,
        &format!("/shifts/{id}"),
        &with(with(fields(&f), "notes", "Moved"), "version", "1"),
        &cookie,
    )
    .await;

    for saved in [created, edited] {
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let location = saved.location().unwrap();
        assert!(location.ends_with(&format!("#shift-{id}")), "{location}");
        // A browser keeps the fragment and scrolls to the card it names.
        let week = app.get(without_fragment(location), Some(&cookie)).await;
        assert_eq!(
            week.texts(&format!("article.shift.highlighted#shift-{id} .times")),
            ["22:00–06:00 (+1 day) foot"]
        );
        assert!(week.headers.get("hx-push-url").is_none());
        // htmx follows the 303 itself and loses the fragment: the week names it back.
        let request = Request::get(without_fragment(location))
            .header(header::COOKIE, &cookie)
            .header("hx-request", "true")
            .body(Body::empty())
            .unwrap();
        let swapped = app.send(request).await;
        let told = |name: &str| swapped.headers.get(name).map(|v| v.to_str().unwrap());
        assert_eq!(told("hx-push-url"), Some(location));
        assert_eq!(
            told("hx-reswap"),
            Some(format!("innerHTML show:#shift-{id}:top").as_str())
        );
    }
}
