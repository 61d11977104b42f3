//! The roll-ups of migration 0010 (`hotspot_months`, `district_days`, `officer_days`,
//! `activity_days`) and the readers built on them, checked against recomputations from the raw
//! rows after every kind of change, and under concurrent saves.

pub(crate) mod checks;
pub(crate) mod recount;

use axum::http::StatusCode;
use patrolboard::domain::Role;
use sqlx::PgPool;

use crate::common::app::TestApp;
use crate::common::scalar;
use checks::{assert_days_match_a_fresh_computation, assert_readers_match, assert_rollups_match};

/// Two officers of the demo with no shift between `from` and `to` (local wall clock).
async fn free_officers(db: &PgPool, from: &str, to: &str) -> Vec<i64> {
    sqlx::query_scalar(
        r#"select o.id from officers o
            where not exists (
                select 1 from shift_members m join shifts s on s.id = m.shift_id
                 where m.officer_id = o.id and s.status <> 'cancelled'
                   and tstzrange(s.starts_at, s.ends_at) &&
                       tstzrange(($1::timestamp - interval '12 hours') at time zone 'America/Edmonton',
                                 ($2::timestamp + interval '12 hours') at time zone 'America/Edmonton'))
            order by o.id limit 2"#,
    )
    .bind(format!("{from}:00").parse::<chrono::NaiveDateTime>().unwrap())
    .bind(format!("{to}:00").parse::<chrono::NaiveDateTime>().unwrap())
    .fetch_all(db)
    .await
    .unwrap()
}

fn shift_form(
    team: i64,
    from: &str,
    to: &str,
    officers: &[i64],
    hotspots: &[i64],
) -> Vec<(String, String)> {
    let mut fields = vec![
        ("team_id".to_string(), team.to_string()),
        ("starts_at".into(), from.into()),
        ("ends_at".into(), to.into()),
        ("mode".into(), "foot".into()),
        ("notes".into(), "roll-up test".into()),
        ("rest_reason".into(), "test".into()),
    ];
    fields.extend(
        officers
            .iter()
            .map(|o| ("officer_ids".to_string(), o.to_string())),
    );
    fields.extend(
        hotspots
            .iter()
            .map(|h| ("hotspot_ids".to_string(), h.to_string())),
    );
    fields
}

async fn post(app: &TestApp, path: &str, fields: &[(String, String)], cookie: &str) -> StatusCode {
    let response = crate::common::app::post(app, path, fields, cookie).await;
    assert_eq!(
        response.status,
        StatusCode::SEE_OTHER,
        "{path}: {}",
        response.body
    );
    response.status
}

#[tokio::test]
async fn the_roll_ups_equal_a_recomputation_from_raw_rows_after_every_kind_of_change() {
    let app = TestApp::seeded().await;
    let db = &app.db;
    assert_rollups_match(db).await;
    assert_readers_match(db).await;

    let cookie = app.sign_in_as(Role::Supervisor).await;
    let team = scalar(db, "select min(id) from teams").await;
    let plaza = scalar(db, "select id from hotspots where name like 'City Hall%'").await;
    let park = scalar(
        db,
        "select id from hotspots where name = 'Central Memorial Park'",
    )
    .await;
    let (from, to) = ("2023-04-30T20:00", "2023-04-30T23:00");
    let officers = free_officers(db, from, to).await;
    // A shift directed to hotspots of two districts, at the end of a month.
    post(
        &app,
        "/pilots/calgary-2023/shifts",
        &shift_form(team, from, to, &officers, &[plaza, park]),
        &cookie,
    )
    .await;
    let shift = scalar(db, "select max(id) from shifts").await;
    let version = scalar(
        db,
        &format!("select version::int8 from shifts where id = {shift}"),
    )
    .await;
    let log = format!("/shifts/{shift}/visits");
    let visit = [
        ("hotspot_id".to_string(), plaza.to_string()),
        ("arrived_at".into(), "2023-04-30T20:10".into()),
        ("departed_at".into(), "2023-04-30T20:40".into()),
    ];
    post(&app, &log, &visit, &cookie).await;
    let activity = |hotspot: String, at: &str| {
        vec![
            ("kind".to_string(), "mental_health_referral".to_string()),
            ("count".into(), "2".into()),
            ("hotspot_id".into(), hotspot),
            ("occurred_at".into(), at.into()),
            ("note".into(), String::new()),
        ]
    };
    post(
        &app,
        &format!("/shifts/{shift}/activities"),
        &activity(park.to_string(), "2023-04-30T21:00"),
        &cookie,
    )
    .await;
    let logged = scalar(db, "select max(id) from activities").await;
    post(
        &app,
        &format!("/shifts/{shift}/activities"),
        &activity(String::new(), "2023-04-30T22:00"),
        &cookie,
    )
    .await;
    let away = scalar(db, "select max(id) from activities").await;
    assert_rollups_match(db).await;

    // Moved into the next month and to one district; an activity moved, another deleted.
    post(
        &app,
        &format!("/activities/{logged}"),
        &activity(plaza.to_string(), "2023-04-30T22:30"),
        &cookie,
    )
    .await;
    post(&app, &format!("/activities/{away}/delete"), &[], &cookie).await;
    let (from, to) = ("2023-05-01T19:00", "2023-05-01T22:30");
    let officers = free_officers(db, from, to).await;
    let mut moved = shift_form(team, from, to, &officers, &[plaza]);
    moved.push(("version".into(), version.to_string()));
    post(&app, &format!("/shifts/{shift}"), &moved, &cookie).await;
    // A demo shift cancelled.
    let (demo_shift, demo_version): (i64, i32) = sqlx::query_as(
        "select id, version from shifts where status <> 'cancelled' and notes <> 'roll-up test' order by starts_at limit 1",
    )
    .fetch_one(db)
    .await
    .unwrap();
    post(
        &app,
        &format!("/shifts/{demo_shift}/cancel"),
        &[
            ("version".into(), demo_version.to_string()),
            ("reason".into(), "Court attendance".into()),
        ],
        &cookie,
    )
    .await;

    assert_rollups_match(db).await;
    assert_readers_match(db).await;
    assert_days_match_a_fresh_computation(db).await;
}

#[tokio::test]
async fn shifts_saved_at_the_same_time_for_the_same_day_all_count() {
    let app = std::sync::Arc::new(TestApp::seeded().await);
    let db = &app.db;
    let cookie = app.sign_in_as(Role::Supervisor).await;
    let plaza = scalar(db, "select id from hotspots where name like 'City Hall%'").await;
    let teams: Vec<i64> = sqlx::query_scalar("select id from teams order by id limit 4")
        .fetch_all(db)
        .await
        .unwrap();
    let free: Vec<i64> = sqlx::query_scalar(
        r#"select o.id from officers o
            where not exists (select 1 from shift_members m join shifts s on s.id = m.shift_id
                               where m.officer_id = o.id and s.status <> 'cancelled'
                                 and s.starts_at < '2023-04-20 12:00-06' and s.ends_at > '2023-04-19 00:00-06')
            order by o.id limit 4"#,
    )
    .fetch_all(db)
    .await
    .unwrap();
    assert_eq!(free.len(), 4, "four officers free on 19 April");
    let planned_before = scalar(
        db,
        &format!("select planned_blocks::int8 from hotspot_days where hotspot_id = {plaza} and day = '2023-04-19'"),
    )
    .await;

    // Four shifts of the same day, each covering different hours of the same hotspot.
    let tasks: Vec<_> = (0..4)
        .map(|i| {
            let (app, cookie) = (app.clone(), cookie.clone());
            let hour = 10 + 3 * i;
            let form = shift_form(
                teams[i],
                &format!("2023-04-19T{hour:02}:00"),
                &format!("2023-04-19T{:02}:00", hour + 3),
                &[free[i]],
                &[plaza],
            );
            tokio::spawn(async move {
                let pairs: Vec<(&str, &str)> =
                    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                app.post_form("/pilots/calgary-2023/shifts", &pairs, Some(&cookie))
                    .await
            })
        })
        .collect();
    for task in tasks {
        let response = task.await.unwrap();
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    }

    assert_days_match_a_fresh_computation(db).await;
    assert_rollups_match(db).await;
    let planned_after = scalar(
        db,
        &format!("select planned_blocks::int8 from hotspot_days where hotspot_id = {plaza} and day = '2023-04-19'"),
    )
    .await;
    assert!(
        planned_after > planned_before,
        "{planned_before} → {planned_after}"
    );
}

#[tokio::test]
async fn a_database_from_before_the_roll_ups_gets_them_filled_in_by_migrate() {
    let db = crate::common::seeded_db().await;
    for table in [
        "hotspot_months",
        "hotspot_weeks",
        "district_weeks",
        "district_days",
        "district_months",
        "officer_days",
        "activity_days",
    ] {
        sqlx::query(&format!("delete from {table}"))
            .execute(&db)
            .await
            .unwrap();
    }

    patrolboard::db::migrate(&db).await.unwrap();

    assert!(scalar(&db, "select count(*) from hotspot_months").await > 0);
    assert!(scalar(&db, "select count(*) from officer_days").await > 0);
    assert_rollups_match(&db).await;
    assert_readers_match(&db).await;
}
