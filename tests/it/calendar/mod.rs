//! Private iCalendar feeds of shifts, through the real router over a real PostgreSQL: what the
//! feed says (parsed back with a small RFC 5545 reader), and who may make and revoke its links.

mod feeds;
mod ics;
mod tokens;

use axum::http::StatusCode;
use patrolboard::domain::Role;
use sqlx::PgPool;

use crate::common::app::{TestApp, TestResponse};

const PILOT: &str = "test-2023";

/// The people and shifts of the feeds.
struct Fixture {
    avery: i64,
    blake: i64,
    pair: i64,
    /// 22:00 on Saturday 11 March to 06:00 on Sunday 12 March 2023, Calgary time: 7 real hours.
    dst_night: i64,
    /// 22:00 on 12 March to 06:00 on 13 March, cancelled.
    cancelled: i64,
    /// Blake's shift with another team.
    bike: i64,
}

/// A pilot in Calgary's zone, a hotspot, two officers, two teams and three shifts.
async fn fixture(db: &PgPool) -> Fixture {
    let scalar = |sql: &'static str| sqlx::query_scalar::<_, i64>(sql);
    let pilot = scalar(
        r"insert into pilots (slug, name, city, time_zone, starts_on, ends_on)
          values ('test-2023', 'Test pilot', 'Calgary', 'America/Edmonton', '2023-02-27', '2023-05-31')
          returning id",
    )
    .fetch_one(db)
    .await
    .unwrap();
    let district = scalar(
        r#"insert into districts (pilot_id, code, name, boundary)
           values ($1, 'DNC', 'Downtown Commercial Core',
                   '{"type": "MultiPolygon", "coordinates": [[[[-114.07, 51.04], [-114.05, 51.04], [-114.05, 51.05], [-114.07, 51.04]]]]}')
           returning id"#,
    )
    .bind(pilot)
    .fetch_one(db)
    .await
    .unwrap();
    let hotspot = scalar(
        r#"insert into hotspots (pilot_id, district_id, name, priority, active_from, window_start,
                                 window_end, target_minutes_per_day, boundary)
           values ($1, $2, 'Olympic Plaza; City Hall, east side', 1, '2023-02-27', '22:00', '06:00', 120,
                   '{"type": "Polygon", "coordinates": [[[-114.06, 51.045], [-114.059, 51.045], [-114.059, 51.046], [-114.06, 51.045]]]}')
           returning id"#,
    )
    .bind(pilot)
    .bind(district)
    .fetch_one(db)
    .await
    .unwrap();
    let officer = |agency: &'static str, badge: &'static str, name: &'static str| async move {
        let id = sqlx::query_scalar::<_, i64>(
            "insert into officers (agency, badge_number, name) values ($1, $2, $3) returning id",
        )
        .bind(agency)
        .bind(badge)
        .bind(name)
        .fetch_one(db)
        .await
        .unwrap();
        sqlx::query(
            "insert into assignments (officer_id, pilot_id, starts_on, ends_on, role) values ($1, $2, '2023-02-27', '2023-05-31', 'patrol')",
        )
        .bind(id)
        .bind(pilot)
        .execute(db)
        .await
        .unwrap();
        id
    };
    let avery = officer("alberta_sheriffs", "S-101", "Avery Quinn").await;
    let blake = officer("cps", "C-202", "Blake Chen").await;
    let team = |name: &'static str, mode: &'static str| async move {
        sqlx::query_scalar::<_, i64>(
            "insert into teams (pilot_id, name, agency, mode) values ($1, $2, 'joint', $3) returning id",
        )
        .bind(pilot)
        .bind(name)
        .bind(mode)
        .fetch_one(db)
        .await
        .unwrap()
    };
    let pair = team("Sheriff/CPS Pair 3", "foot").await;
    let bike_unit = team("Bike Unit A", "bike").await;
    let shift = |team: i64,
                 starts: &'static str,
                 ends: &'static str,
                 status: &'static str,
                 version: i32,
                 notes: String,
                 members: Vec<i64>| async move {
        let id = sqlx::query_scalar::<_, i64>(
            r"insert into shifts (pilot_id, team_id, starts_at, ends_at, mode, status, notes, version)
              select $1, $2, $3::timestamptz, $4::timestamptz, t.mode, $5, $6, $7 from teams t where t.id = $2
              returning id",
        )
        .bind(pilot)
        .bind(team)
        .bind(starts)
        .bind(ends)
        .bind(status)
        .bind(notes)
        .bind(version)
        .fetch_one(db)
        .await
        .unwrap();
        for officer in members {
            sqlx::query("insert into shift_members (shift_id, officer_id) values ($1, $2)")
                .bind(id)
                .bind(officer)
                .execute(db)
                .await
                .unwrap();
        }
        sqlx::query("insert into shift_hotspots (shift_id, hotspot_id) values ($1, $2)")
            .bind(id)
            .bind(hotspot)
            .execute(db)
            .await
            .unwrap();
        id
    };
    let long_notes = format!(
        "Brief at District 1 office; bring naloxone, radios\\spare batteries.\nWatch the LRT platforms — {}",
        "café crowd after midnight, ".repeat(6)
    );
    let dst_night = shift(
        pair,
        "2023-03-11 22:00 America/Edmonton",
        "2023-03-12 06:00 America/Edmonton",
        "planned",
        2,
        long_notes,
        vec![avery, blake],
    )
    .await;
    let cancelled = shift(
        pair,
        "2023-03-12 22:00 America/Edmonton",
        "2023-03-13 06:00 America/Edmonton",
        "cancelled",
        3,
        String::new(),
        vec![avery, blake],
    )
    .await;
    let bike = shift(
        bike_unit,
        "2023-03-14 10:00 America/Edmonton",
        "2023-03-14 18:00 America/Edmonton",
        "completed",
        1,
        String::new(),
        vec![blake],
    )
    .await;
    Fixture {
        avery,
        blake,
        pair,
        dst_night,
        cancelled,
        bike,
    }
}

/// Makes a link as `cookie`'s user; the path of its URL (shown once, on the page).
async fn make_link(app: &TestApp, cookie: &str, field: &str, id: i64) -> String {
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
