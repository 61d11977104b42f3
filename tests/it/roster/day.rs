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

#[tokio::test]
async fn a_day_of_more_than_fifty_teams_is_shown_fifty_at_a_time() {
    let app = crate::common::app::TestApp::empty().await;
    let mut f = crate::common::fixture::Fixture::pilot("many")
        // No shapes, which no import takes: the day's page draws no map.
        .places_stored_as_is()
        .district("D1", |d| d.name("Downtown"))
        .hotspot("Plaza", |h| h.window("08:00", "20:00"));
    let names: Vec<String> = (1..=51).map(|i| format!("Team {i:02}")).collect();
    for (i, name) in names.iter().enumerate() {
        let officer = format!("Officer {i:02}");
        f = f
            .officer(&officer, "cps", &format!("C{i}"))
            .assignment(&officer, "pilot", "2023-03-01", "2023-03-31")
            .team(name, "foot", &[officer.as_str()])
            .shift(name, "2023-03-11 09:00", "2023-03-11 17:00", |s| {
                s.hotspots(&["Plaza"])
            });
    }
    f.build(&app.db).await;
    let cookie = app.sign_in_as(Role::Viewer).await;

    let first = app
        .get("/pilots/many/roster/day?date=2023-03-11", Some(&cookie))
        .await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.texts("section.team-day").len(), 50);
    assert_eq!(first.texts("#teams-shown"), ["Teams 1 to 50 of 51"]);
    let next = attr(&first, "nav.pager a[rel=next]", "href").expect("a link to the next teams");
    let second = app.get(&next, Some(&cookie)).await;
    assert_eq!(second.texts("section.team-day h2").len(), 1);
    assert!(second.texts("section.team-day h2")[0].starts_with("Team 51"));
    assert!(attr(&second, "nav.pager a[rel=next]", "href").is_none());
    let bad = app
        .get(
            "/pilots/many/roster/day?date=2023-03-11&page=zero",
            Some(&cookie),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}
