//! Retiring a hotspot on a day, and watching it again.

use axum::http::StatusCode;

use super::{
    assert_coverage_follows_the_rows, audit_of, days_of, form_of, setup, snapshot, stored, with,
};
use crate::common::app::{post, shown_value};
use crate::common::date;

/// A stored day: day, blocks, planned and delivered blocks, patrol seconds.
type Day = (chrono::NaiveDate, i64, i64, i64, i64);

fn retire_on(day: &str) -> Vec<(String, String)> {
    vec![("active_to".to_string(), day.to_string())]
}

#[tokio::test]
async fn a_retired_hotspot_is_not_watched_after_its_day_and_its_earlier_days_keep_their_figures() {
    let (app, cookie, id) = setup().await;
    let before = days_of(&app.db, id).await;
    let last = date(2023, 4, 15);

    let response = post(
        &app,
        &format!("/hotspots/{id}/retire"),
        &retire_on("2023-04-15"),
        &cookie,
    )
    .await;

    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    let (attributes, _, version) = stored(&app.db, id).await;
    assert!(
        attributes.contains("|2023-02-27|2023-04-15|"),
        "{attributes}"
    );
    assert_eq!(version, 2);
    let after = days_of(&app.db, id).await;
    assert_eq!(
        after.len(),
        before.len(),
        "a row for every day of the pilot"
    );
    let (kept, later): (Vec<&Day>, Vec<&Day>) = after.iter().partition(|d| d.0 <= last);
    let earlier: Vec<_> = before.iter().filter(|d| d.0 <= last).collect();
    assert_eq!(kept, earlier, "the days up to the last are unchanged");
    assert!(
        later.iter().all(|d| (d.1, d.2, d.3) == (0, 0, 0)),
        "no blocks after the last day"
    );
    assert!(before.iter().any(|d| d.0 > last && d.1 > 0));
    let audit = audit_of(&app.db, id).await;
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].0, "retire");
    assert_eq!(
        audit[0].1.as_ref().unwrap()["active_to"],
        serde_json::Value::Null
    );
    assert_eq!(audit[0].2.as_ref().unwrap()["active_to"], "2023-04-15");
    assert_coverage_follows_the_rows(&app.db).await;

    // Watched again: its active_to emptied on the attributes form.
    let form = with(form_of(&app, &cookie, id).await, "active_to", "");
    let again = post(&app, &format!("/hotspots/{id}"), &form, &cookie).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(days_of(&app.db, id).await, before);
    assert_coverage_follows_the_rows(&app.db).await;
}

#[tokio::test]
async fn the_retire_form_offers_today_clamped_into_the_pilot() {
    let (app, cookie, id) = setup().await;

    let page = app
        .get(&format!("/hotspots/{id}/edit"), Some(&cookie))
        .await;

    // The 2023 pilot is over: its last day.
    assert_eq!(shown_value(&page, "retire_active_to"), "2023-05-31");
}

#[tokio::test]
async fn a_retire_day_outside_the_pilot_or_before_the_first_day_is_refused_with_422() {
    let (app, cookie, id) = setup().await;
    let form = with(
        form_of(&app, &cookie, id).await,
        "active_from",
        "2023-03-10",
    );
    let moved = post(&app, &format!("/hotspots/{id}"), &form, &cookie).await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER);
    let before = snapshot(&app.db).await;

    for (day, expected) in [
        (
            "2023-06-01",
            "Choose a day inside the pilot, 2023-02-27 to 2023-05-31.",
        ),
        (
            "2023-03-09",
            "Choose a day on or after the first day watched, 2023-03-10.",
        ),
        ("someday", "Enter a date as YYYY-MM-DD."),
    ] {
        let response = post(
            &app,
            &format!("/hotspots/{id}/retire"),
            &retire_on(day),
            &cookie,
        )
        .await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{day}");
        assert_eq!(response.texts("#retire_active_to-error"), [expected]);
        assert_eq!(shown_value(&response, "retire_active_to"), day);
        assert_eq!(snapshot(&app.db).await, before, "{day}: nothing stored");
    }
}
