//! The roster's day: one day's shifts by team, with members, hotspots and actions, reached from
//! the day's heading on the week.

use axum::http::StatusCode;
use patrolboard::domain::Role;

use super::{fields, setup, with};
use crate::common::app::{attr, post};
use crate::common::scalar;

const DAY: &str = "/pilots/test/roster/day?date=2023-03-11";

#[tokio::test]
async fn the_day_lists_its_shifts_by_team_with_members_hotspots_and_actions() {
    let (app, f, cookie) = setup().await;
    // A morning shift, cancelled, and the night shift of the same day.
    let morning = with(
        with(fields(&f), "starts_at", "2023-03-11T08:00"),
        "ends_at",
        "2023-03-11T12:00",
    );
    post(&app, "/pilots/test/shifts", &morning, &cookie).await;
    let cancelled = scalar(&app.db, "select max(id) from shifts").await;
    let reason = [
        ("version".into(), "1".into()),
        ("reason".into(), "Court duty".into()),
    ];
    post(
        &app,
        &format!("/shifts/{cancelled}/cancel"),
        &reason,
        &cookie,
    )
    .await;
    post(&app, "/pilots/test/shifts", &fields(&f), &cookie).await;
    let night = scalar(&app.db, "select max(id) from shifts").await;

    let week = app
        .get("/pilots/test/roster?week=2023-W10", Some(&cookie))
        .await;
    let saturday = week.texts("table.roster thead th a[href$='date=2023-03-11']");
    assert_eq!(saturday, ["Sat 11 Mar"], "the day's heading links its day");

    let day = app.get(DAY, Some(&cookie)).await;

    assert_eq!(day.status, StatusCode::OK);
    assert_eq!(day.texts("h1"), ["Roster, Sat 11 Mar 2023"]);
    assert_eq!(day.texts("section.team-day h2"), ["Pair 1 Joint · foot"]);
    let card = format!("section.team-day article#shift-{night}");
    let members = day.texts(&format!("{card} .members li"));
    assert_eq!(members, ["Sheriffs Sheriff Avery", "CPS Constable Brook"]);
    assert_eq!(day.texts(&format!("{card} .hotspots")), ["Olympic Plaza"]);
    let actions = day.texts(&format!("{card} .no-print a"));
    assert_eq!(actions, ["Log", "Edit", "Cancel…"]);
    assert_eq!(
        attr(&day, &format!("{card} a.danger"), "href"),
        Some(format!("/shifts/{night}/cancel"))
    );
    let gone = format!("section.team-day article.cancelled#shift-{cancelled}");
    assert_eq!(
        day.texts(&format!("{gone} summary")),
        ["08:00–12:00 cancelled"]
    );
    assert_eq!(
        day.texts(&format!("{gone} .cancel-reason")),
        ["Why: Court duty"]
    );
    assert_eq!(
        attr(&day, "a[rel=prev]", "href").as_deref(),
        Some("/pilots/test/roster/day?date=2023-03-10")
    );
    assert_eq!(
        attr(&day, "input#date", "min").as_deref(),
        Some("2023-03-01")
    );

    let viewer = app.sign_in_as(Role::Viewer).await;
    let read = app.get(DAY, Some(&viewer)).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.texts(&format!("{card} .no-print a")), ["Log"]);
}

#[tokio::test]
async fn an_empty_day_says_so_a_day_outside_the_pilot_is_moved_into_it_and_a_non_day_is_refused() {
    let (app, _, cookie) = setup().await;

    let empty = app.get(DAY, Some(&cookie)).await;
    assert_eq!(empty.status, StatusCode::OK);
    assert_eq!(empty.texts("#no-shifts"), ["No shift starts on this day."]);
    // The pilot's first day has no day before it.
    let first = app
        .get("/pilots/test/roster/day?date=2023-03-01", Some(&cookie))
        .await;
    assert!(first.texts("a[rel=prev]").is_empty());

    let after = app
        .get("/pilots/test/roster/day?date=2023-04-01", Some(&cookie))
        .await;
    assert_eq!(after.status, StatusCode::OK);
    assert_eq!(after.texts("h1"), ["Roster, Fri 31 Mar 2023"]);
    let notice = after.texts("#page-notice").join("");
    assert!(
        notice.contains("(Sat 1 Apr 2023)") && notice.contains("shows Fri 31 Mar 2023"),
        "{notice}"
    );
    let unread = app
        .get("/pilots/test/roster/day?date=11+March", Some(&cookie))
        .await;
    assert_eq!(unread.status, StatusCode::BAD_REQUEST);
}
