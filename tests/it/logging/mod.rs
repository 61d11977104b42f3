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
use serde_json::Value;

use crate::common::app::{TestApp, TestResponse};

/// The worked example's pilot, plus what the validation cases need.
pub(crate) struct Fixture {
    pub(crate) app: TestApp,
    pub(crate) pilot_id: i64,
    /// Shift A: 22:00 on 11 March to 06:00 on 12 March 2023 local, two members, directed to the
    /// library. Across the spring-forward night: 7 real hours.
    pub(crate) shift: i64,
    /// Shift B, 22:00 on 12 March to 06:00 on 13 March, cancelled.
    pub(crate) cancelled: i64,
    /// A shift across the fall-back night, 22:00 on 4 November to 06:00 on 5 November 2023.
    pub(crate) fall_back: i64,
    /// The hotspot, watched 22:00–06:00, active from 11 March.
    pub(crate) library: i64,
    /// A hotspot of the same pilot that was only watched 1–5 March.
    pub(crate) old_plaza: i64,
    /// A hotspot of another pilot.
    pub(crate) elsewhere: i64,
}

pub(crate) async fn fixture() -> Fixture {
    let app = TestApp::empty().await;
    let db = &app.db;
    let id = |sql: &'static str| sqlx::query_scalar::<_, i64>(sql);
    let pilot_id = id(
        r#"insert into pilots (slug, name, city, time_zone, starts_on, ends_on)
                         values ('worked-example', 'Worked example', 'Calgary', 'America/Edmonton',
                                 '2023-03-11', '2023-03-12') returning id"#,
    )
    .fetch_one(db)
    .await
    .unwrap();
    let other_pilot = id(
        r#"insert into pilots (slug, name, city, time_zone, starts_on, ends_on)
                            values ('other', 'Other pilot', 'Edmonton', 'America/Edmonton',
                                    '2023-03-01', '2023-05-31') returning id"#,
    )
    .fetch_one(db)
    .await
    .unwrap();
    let district = |pilot: i64| {
        sqlx::query_scalar::<_, i64>(
            r#"insert into districts (pilot_id, code, name, boundary)
               values ($1, 'D1', 'District one', '{"type": "MultiPolygon", "coordinates": []}')
               returning id"#,
        )
        .bind(pilot)
        .fetch_one(db)
    };
    let (district_id, other_district) = (
        district(pilot_id).await.unwrap(),
        district(other_pilot).await.unwrap(),
    );
    let hotspot = |pilot: i64,
                   district: i64,
                   name: &'static str,
                   from: &'static str,
                   to: Option<&'static str>| {
        sqlx::query_scalar::<_, i64>(
            r#"insert into hotspots (pilot_id, district_id, name, priority, active_from, active_to,
                                     window_start, window_end, target_minutes_per_day, boundary)
               values ($1, $2, $3, 1, $4::date, $5::date, '22:00', '06:00', 60,
                       '{"type": "Polygon", "coordinates": []}')
               returning id"#,
        )
        .bind(pilot)
        .bind(district)
        .bind(name)
        .bind(from)
        .bind(to)
        .fetch_one(db)
    };
    let library = hotspot(pilot_id, district_id, "Central Library", "2023-03-11", None)
        .await
        .unwrap();
    let old_plaza = hotspot(
        pilot_id,
        district_id,
        "Old Plaza",
        "2023-03-01",
        Some("2023-03-05"),
    )
    .await
    .unwrap();
    let elsewhere = hotspot(other_pilot, other_district, "Elsewhere", "2023-03-01", None)
        .await
        .unwrap();
    let team: i64 = sqlx::query_scalar(
        "insert into teams (pilot_id, name, agency, mode) values ($1, 'Pair 1', 'joint', 'foot') returning id",
    )
    .bind(pilot_id)
    .fetch_one(db)
    .await
    .unwrap();
    let shift = |starts: &'static str, ends: &'static str, status: &'static str| {
        sqlx::query_scalar::<_, i64>(
            r#"insert into shifts (pilot_id, team_id, starts_at, ends_at, mode, status)
               values ($1, $2, $3::timestamptz, $4::timestamptz, 'foot', $5) returning id"#,
        )
        .bind(pilot_id)
        .bind(team)
        .bind(starts)
        .bind(ends)
        .bind(status)
        .fetch_one(db)
    };
    let shift_a = shift("2023-03-12T05:00:00Z", "2023-03-12T12:00:00Z", "completed")
        .await
        .unwrap();
    let cancelled = shift("2023-03-13T04:00:00Z", "2023-03-13T12:00:00Z", "cancelled")
        .await
        .unwrap();
    let fall_back = shift("2023-11-05T04:00:00Z", "2023-11-05T13:00:00Z", "completed")
        .await
        .unwrap();
    sqlx::query(
        r#"insert into officers (agency, badge_number, name)
           values ('alberta_sheriffs', 'S1', 'Sheriff One'), ('cps', 'C1', 'Constable One')"#,
    )
    .execute(db)
    .await
    .unwrap();
    sqlx::query("insert into shift_members (shift_id, officer_id) select $1, id from officers")
        .bind(shift_a)
        .execute(db)
        .await
        .unwrap();
    sqlx::query(
        "insert into shift_hotspots (shift_id, hotspot_id) values ($1, $3), ($2, $3), ($4, $3)",
    )
    .bind(shift_a)
    .bind(cancelled)
    .bind(library)
    .bind(fall_back)
    .execute(db)
    .await
    .unwrap();
    let mut conn = db.acquire().await.unwrap();
    patrolboard::db::coverage::refresh(&mut conn, pilot_id, date(2023, 3, 11), date(2023, 3, 12))
        .await
        .unwrap();
    Fixture {
        app,
        pilot_id,
        shift: shift_a,
        cancelled,
        fall_back,
        library,
        old_plaza,
        elsewhere,
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
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
async fn stored_day(app: &TestApp, hotspot: i64, day: NaiveDate) -> (i32, i32, i32) {
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

/// The `value` a form control shows: an input's value, a select's selected option, a textarea's
/// text.
pub(crate) fn shown_value(response: &TestResponse, id: &str) -> String {
    let html = response.html();
    let selector = scraper::Selector::parse(&format!("#{id}")).unwrap();
    let element = html
        .select(&selector)
        .next()
        .unwrap_or_else(|| panic!("#{id} is on the page"));
    match element.value().name() {
        "select" => {
            let selected = scraper::Selector::parse("option[selected]").unwrap();
            element
                .select(&selected)
                .next()
                .and_then(|o| o.value().attr("value"))
                .unwrap_or("")
                .to_string()
        }
        "textarea" => element.text().collect(),
        _ => element.value().attr("value").unwrap_or("").to_string(),
    }
}

pub(crate) fn attr(response: &TestResponse, selector: &str, name: &str) -> Option<String> {
    let html = response.html();
    let selector = scraper::Selector::parse(selector).unwrap();
    html.select(&selector)
        .next()
        .and_then(|e| e.value().attr(name))
        .map(str::to_string)
}

/// Posts a visit to shift `shift` and returns the new visit's id.
pub(crate) async fn log_visit(f: &Fixture, cookie: &str, arrived: &str, departed: &str) -> i64 {
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

async fn log_activity(f: &Fixture, cookie: &str, fields: &[(&str, &str)]) -> i64 {
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
