//! Analysts editing a hotspot in the browser: its attributes, retiring it, a new outline, and
//! who may; each change stored with its audit entry and the hotspot's stored coverage equal to a
//! recomputation from the raw rows, and a refused change storing nothing. Also renaming a
//! district.

mod access;
mod attributes;
mod districts;
mod outline;
mod retire;
mod visits;

use axum::body::Body;
use axum::http::{Method, Request, header};
use chrono::NaiveDate;
use patrolboard::domain::Role;
use serde_json::Value;
use sqlx::PgPool;

use crate::common::app::{TestApp, TestResponse, attr, shown_value};
use crate::common::recompute::recompute;
use crate::common::{date, scalar};
use crate::coverage::rollups::checks::{
    assert_days_match_a_fresh_computation, assert_rollups_match,
};

/// The demo's Central Memorial Park: watched every day of the pilot, with shifts and visits.
async fn park(db: &PgPool) -> i64 {
    scalar(
        db,
        "select id from hotspots where name = 'Central Memorial Park'",
    )
    .await
}

/// The demo with an analyst signed in: the app, the analyst's cookie and the park's id.
async fn setup() -> (TestApp, String, i64) {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Analyst).await;
    let id = park(&app.db).await;
    (app, cookie, id)
}

/// The fields of the attributes form as the edit page fills them.
const FIELDS: [&str; 9] = [
    "name",
    "priority",
    "active_from",
    "active_to",
    "window_start",
    "window_end",
    "target_minutes_per_day",
    "max_gap_minutes",
    "reason",
];

/// The attributes form as the edit page of hotspot `id` shows it, hidden version included.
async fn form_of(app: &TestApp, cookie: &str, id: i64) -> Vec<(String, String)> {
    let page = app.get(&format!("/hotspots/{id}/edit"), Some(cookie)).await;
    assert_eq!(page.status, axum::http::StatusCode::OK, "{}", page.body);
    let mut fields: Vec<(String, String)> = FIELDS
        .iter()
        .map(|f| (f.to_string(), shown_value(&page, f)))
        .collect();
    let version = attr(&page, "input[name=version]", "value").expect("a version field");
    fields.push(("version".into(), version));
    fields
}

/// `fields` with `name` set to `value`.
fn with(mut fields: Vec<(String, String)>, name: &str, value: &str) -> Vec<(String, String)> {
    for (k, v) in &mut fields {
        if k == name {
            *v = value.to_string();
        }
    }
    fields
}

/// Hotspot `id` as stored: its attributes as text, its outline and its version.
async fn stored(db: &PgPool, id: i64) -> (String, Value, i32) {
    sqlx::query_as(
        r#"select concat_ws('|', name, priority, active_from, active_to, window_start, window_end,
                             target_minutes_per_day, max_gap_minutes, reason),
                  boundary, version
             from hotspots where id = $1"#,
    )
    .bind(id)
    .fetch_one(db)
    .await
    .unwrap()
}

/// Hotspot `id`'s stored days: day, blocks, planned and delivered blocks, patrol seconds.
async fn days_of(db: &PgPool, id: i64) -> Vec<(NaiveDate, i64, i64, i64, i64)> {
    sqlx::query_as(
        r#"select day, blocks::int8, planned_blocks::int8, delivered_blocks::int8, patrol_seconds
             from hotspot_days where hotspot_id = $1 order by day"#,
    )
    .bind(id)
    .fetch_all(db)
    .await
    .unwrap()
}

/// Everything a refused change must leave as it was: the hotspots, the audit log and the stored
/// coverage.
async fn snapshot(db: &PgPool) -> (Vec<(String, Value, i32)>, i64, i64) {
    let ids: Vec<i64> = sqlx::query_scalar("select id from hotspots order by id")
        .fetch_all(db)
        .await
        .unwrap();
    let mut hotspots = Vec::new();
    for id in ids {
        hotspots.push(stored(db, id).await);
    }
    let audit = scalar(db, "select count(*) from audit_log").await;
    let coverage = scalar(
        db,
        "select coalesce(sum(hashtext(concat_ws('|', hotspot_id, day, blocks, planned_blocks, delivered_blocks, patrol_seconds))::int8), 0)::int8 from hotspot_days",
    )
    .await;
    (hotspots, audit, coverage)
}

/// The stored coverage of the whole pilot equals the independent SQL recomputation, a fresh run
/// of the engine, and its roll-ups what the days add up to.
async fn assert_coverage_follows_the_rows(db: &PgPool) {
    let (first, last) = (date(2023, 2, 27), date(2023, 5, 31));
    let (blocks, planned, delivered, visits, koper, _, patrol_minutes) =
        recompute(db, first, last).await;
    let (s_blocks, s_planned, s_delivered, s_visits, s_koper, s_patrol): (
        i64,
        i64,
        i64,
        i64,
        i64,
        f64,
    ) = sqlx::query_as(
        r#"select sum(blocks)::int8, sum(planned_blocks)::int8, sum(delivered_blocks)::int8,
                  sum(visits)::int8, sum(koper_visits)::int8, sum(patrol_seconds)::float8 / 60
             from hotspot_days"#,
    )
    .fetch_one(db)
    .await
    .unwrap();
    assert_eq!(
        (s_blocks, s_planned, s_delivered, s_visits, s_koper),
        (blocks, planned, delivered, visits, koper),
        "stored days against the recomputation"
    );
    assert!((s_patrol - patrol_minutes).abs() < 0.01, "patrol minutes");
    assert_days_match_a_fresh_computation(db).await;
    assert_rollups_match(db).await;
}

/// The audit entries of hotspot `id`: action, before and after.
async fn audit_of(db: &PgPool, id: i64) -> Vec<(String, Option<Value>, Option<Value>)> {
    sqlx::query_as(
        r#"select action, before, after from audit_log
            where entity = 'hotspot' and entity_id = $1 and user_id is not null order by id"#,
    )
    .bind(id)
    .fetch_all(db)
    .await
    .unwrap()
}

/// A same-origin multipart post of `file` to hotspot `id`'s outline form.
async fn upload_outline(app: &TestApp, cookie: &str, id: i64, file: &[u8]) -> TestResponse {
    let request = Request::builder()
        .method(Method::POST)
        .uri(format!("/hotspots/{id}/outline"))
        .header(header::HOST, "localhost")
        .header(header::ORIGIN, "http://localhost")
        .header("sec-fetch-site", "same-origin")
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, crate::common::app::multipart_type())
        .body(Body::from(crate::common::app::multipart(
            &[],
            "outline.geojson",
            file,
        )))
        .unwrap();
    app.send(request).await
}
