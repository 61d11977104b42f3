//! After the shift: logging visits and activities, through the real router over a real
//! PostgreSQL. The audit log they write is read in `crate::audit`.
//!
//! Most tests use a small pilot of their own (the worked example of docs/coverage.md: America/Edmonton,
//! 11–12 March 2023, one hotspot watched 22:00–06:00), so that every time, block and figure is known.

mod access;
mod activities;
mod refusals;
mod visits;

use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use patrolboard::domain::Role;
use patrolboard::domain::ids::{HotspotId, PilotId, ShiftId};
use serde_json::Value;

use crate::common::app::TestApp;
use crate::common::fixture::Fixture;

/// The worked example's pilot, plus what the validation cases need.
pub(crate) struct WorkedExample {
    pub(crate) app: TestApp,
    pub(crate) pilot_id: PilotId,
    /// Shift A: 22:00 on 11 March to 06:00 on 12 March 2023 local, two members, directed to the
    /// library. Across the spring-forward night: 7 real hours.
    pub(crate) shift: ShiftId,
    /// Shift B, 22:00 on 12 March to 06:00 on 13 March, cancelled.
    pub(crate) cancelled: ShiftId,
    /// A shift across the fall-back night, 22:00 on 4 November to 06:00 on 5 November 2023.
    pub(crate) fall_back: ShiftId,
    /// The hotspot, watched 22:00–06:00, active from 11 March.
    pub(crate) library: HotspotId,
    /// A hotspot of the same pilot that was only watched 1–5 March.
    pub(crate) old_plaza: HotspotId,
    /// A hotspot of another pilot.
    pub(crate) elsewhere: HotspotId,
}

pub(crate) async fn fixture() -> WorkedExample {
    let app = TestApp::empty().await;
    let f = Fixture::pilot("worked-example")
        .name("Worked example")
        .days("2023-03-11", "2023-03-12")
        // Old Plaza was watched only before the pilot began, so that a visit to it is refused;
        // no import takes that, nor places with no shape.
        .places_stored_as_is()
        .district("D1", |d| d.name("District one"))
        .hotspot("Central Library", |h| h)
        .hotspot("Old Plaza", |h| {
            h.active_from("2023-03-01").active_to("2023-03-05")
        })
        .officer("Sheriff One", "alberta_sheriffs", "S1")
        .officer("Constable One", "cps", "C1")
        .team("Pair 1", "foot", &["Sheriff One", "Constable One"])
        // The shifts as the log sees them after the night, which the roster never stores: the
        // officers have no assignment, one shift was completed, one cancelled with no officers
        // left, one is of no officers and outside the pilot's days, across the fall-back night.
        .shift("Pair 1", "2023-03-11 22:00", "2023-03-12 06:00", |s| {
            s.status("completed")
                .hotspots(&["Central Library"])
                .stored_as_is()
        })
        .shift("Pair 1", "2023-03-12 22:00", "2023-03-13 06:00", |s| {
            s.status("cancelled")
                .members(&[])
                .hotspots(&["Central Library"])
                .stored_as_is()
        })
        .shift("Pair 1", "2023-11-04 22:00", "2023-11-05 06:00", |s| {
            s.status("completed")
                .members(&[])
                .hotspots(&["Central Library"])
                .stored_as_is()
        })
        .refresh_coverage()
        .build(&app.db)
        .await;
    let other = Fixture::pilot("other")
        .name("Other pilot")
        .city("Edmonton")
        .days("2023-03-01", "2023-05-31")
        // No shapes, which no import takes: only the hotspot's pilot matters.
        .places_stored_as_is()
        .district("D1", |d| d.name("District one"))
        .hotspot("Elsewhere", |h| h)
        .build(&app.db)
        .await;
    WorkedExample {
        app,
        pilot_id: f.pilot_id,
        shift: f.shift(0),
        cancelled: f.shift(1),
        fall_back: f.shift(2),
        library: f.hotspot("Central Library"),
        old_plaza: f.hotspot("Old Plaza"),
        elsewhere: other.hotspot("Elsewhere"),
    }
}

async fn count(app: &TestApp, table: &str) -> i64 {
    // The table name is one of ours, never input.
    sqlx::query_scalar(&format!("select count(*) from {table}"))
        .fetch_one(&app.db)
        .await
        .unwrap()
}

/// `(visits, activities, audit_log)` row counts.
async fn counts(app: &TestApp) -> (i64, i64, i64) {
    (
        count(app, "visits").await,
        count(app, "activities").await,
        count(app, "audit_log").await,
    )
}

/// The stored figures `(delivered_blocks, visits, koper_visits)` of a hotspot-day.
async fn stored_day(app: &TestApp, hotspot: HotspotId, day: NaiveDate) -> (i32, i32, i32) {
    sqlx::query_as(
        "select delivered_blocks, visits, koper_visits from hotspot_days where hotspot_id = $1 and day = $2",
    )
    .bind(hotspot)
    .bind(day)
    .fetch_one(&app.db)
    .await
    .unwrap()
}

/// The newest audit entry: `(user_id, action, entity, entity_id, before, after)`.
type AuditRow = (
    Option<i64>,
    String,
    String,
    Option<i64>,
    Option<Value>,
    Option<Value>,
);

async fn last_audit(app: &TestApp) -> AuditRow {
    sqlx::query_as(
        "select user_id, action, entity, entity_id, before, after from audit_log order by id desc limit 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap()
}

pub(crate) async fn user_id(app: &TestApp, role: Role) -> i64 {
    sqlx::query_scalar("select id from users where username = $1")
        .bind(format!("test-{role}"))
        .fetch_one(&app.db)
        .await
        .unwrap()
}

/// Posts a visit to shift `shift` and returns the new visit's id.
pub(crate) async fn log_visit(
    f: &WorkedExample,
    cookie: &str,
    arrived: &str,
    departed: &str,
) -> i64 {
    let library = f.library.to_string();
    let response = f
        .app
        .post_form(
            &format!("/shifts/{}/visits", f.shift),
            &[
                ("hotspot_id", &library),
                ("arrived_at", arrived),
                ("departed_at", departed),
            ],
            Some(cookie),
        )
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    sqlx::query_scalar("select max(id) from visits")
        .fetch_one(&f.app.db)
        .await
        .unwrap()
}

async fn log_activity(f: &WorkedExample, cookie: &str, fields: &[(&str, &str)]) -> i64 {
    let response = f
        .app
        .post_form(
            &format!("/shifts/{}/activities", f.shift),
            fields,
            Some(cookie),
        )
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    sqlx::query_scalar("select max(id) from activities")
        .fetch_one(&f.app.db)
        .await
        .unwrap()
}

fn instant(value: &Value, field: &str) -> DateTime<Utc> {
    value[field].as_str().unwrap().parse().unwrap()
}
