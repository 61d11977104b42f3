//! Private iCalendar feeds of shifts, through the real router over a real PostgreSQL: what the
//! feed says (parsed back with a small RFC 5545 reader), and who may make and revoke its links.

mod feeds;
mod ics;
mod tokens;

use axum::http::StatusCode;
use patrolboard::domain::Role;
use patrolboard::domain::ids::{OfficerId, ShiftId, TeamId};
use serde_json::json;
use sqlx::PgPool;

use crate::common::app::{TestApp, TestResponse};
use crate::common::fixture::Fixture;

const PILOT: &str = "test-2023";

/// The people and shifts of the feeds.
struct Feeds {
    avery: OfficerId,
    blake: OfficerId,
    pair: TeamId,
    /// 22:00 on Saturday 11 March to 06:00 on Sunday 12 March 2023, Calgary time: 7 real hours.
    dst_night: ShiftId,
    /// 22:00 on 12 March to 06:00 on 13 March, cancelled.
    cancelled: ShiftId,
    /// Blake's shift with another team.
    bike: ShiftId,
}

/// A pilot in Calgary's zone, a hotspot, two officers, two teams and three shifts.
async fn fixture(db: &PgPool) -> Feeds {
    const PLAZA: &str = "Olympic Plaza; City Hall, east side";
    let long_notes = format!(
        "Brief at District 1 office; bring naloxone, radios\\spare batteries.\nWatch the LRT platforms — {}",
        "café crowd after midnight, ".repeat(6)
    );
    let f = Fixture::pilot(PILOT)
        .days("2023-02-27", "2023-05-31")
        .district("DNC", |d| {
            d.name("Downtown Commercial Core").boundary(json!({"type": "MultiPolygon",
                "coordinates": [[[[-114.07, 51.04], [-114.05, 51.04], [-114.05, 51.05], [-114.07, 51.04]]]]}))
        })
        .hotspot(PLAZA, |h| {
            h.target(120).boundary(json!({"type": "Polygon",
                "coordinates": [[[-114.06, 51.045], [-114.059, 51.045], [-114.059, 51.046], [-114.06, 51.045]]]}))
        })
        .officer("Avery Quinn", "alberta_sheriffs", "S-101")
        .officer("Blake Chen", "cps", "C-202")
        .assignment("Avery Quinn", "patrol", "2023-02-27", "2023-05-31")
        .assignment("Blake Chen", "patrol", "2023-02-27", "2023-05-31")
        .team("Sheriff/CPS Pair 3", "foot", &["Avery Quinn", "Blake Chen"])
        .team("Bike Unit A", "bike", &["Blake Chen"])
        .shift("Sheriff/CPS Pair 3", "2023-03-11 22:00", "2023-03-12 06:00", |s| {
            s.version(2).notes(&long_notes).hotspots(&[PLAZA])
        })
        .shift("Sheriff/CPS Pair 3", "2023-03-12 22:00", "2023-03-13 06:00", |s| {
            s.status("cancelled").version(3).hotspots(&[PLAZA])
        })
        // Completed, which only the night's report makes a shift, never the roster.
        .shift("Bike Unit A", "2023-03-14 10:00", "2023-03-14 18:00", |s| {
            s.status("completed").hotspots(&[PLAZA]).stored_as_is()
        })
        .build(db)
        .await;
    Feeds {
        avery: f.officer("Avery Quinn"),
        blake: f.officer("Blake Chen"),
        pair: f.team("Sheriff/CPS Pair 3"),
        dst_night: f.shift(0),
        cancelled: f.shift(1),
        bike: f.shift(2),
    }
}

/// Makes a link as `cookie`'s user; the path of its URL (shown once, on the page).
async fn make_link(app: &TestApp, cookie: &str, field: &str, id: impl std::fmt::Display) -> String {
    let response = app
        .post_form(
            "/calendar/tokens",
            &[("pilot", PILOT), (field, &id.to_string())],
            Some(cookie),
        )
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.body);
    let url = response
        .texts("#new-link-url")
        .pop()
        .expect("the new URL is shown");
    assert!(url.starts_with("http://localhost/calendar/"), "{url}");
    url["http://localhost".len()..].to_string()
}

async fn supervisor(app: &TestApp) -> String {
    app.sign_in_as(Role::Supervisor).await
}

async fn fetch(app: &TestApp, path: &str) -> TestResponse {
    app.get(path, None).await
}
