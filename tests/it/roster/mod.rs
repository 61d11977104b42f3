//! Roster editing through the router over a real PostgreSQL: the form contract of docs/interface.md,
//! validation, clashes under concurrency, optimistic locking, short rest and the audit trail.

mod access;
mod conflicts;
mod form;
mod weeks;

use patrolboard::domain::Role;
use sqlx::PgPool;

use crate::common::app::{TestApp, TestResponse};

/// A small pilot: one team, a sheriff and two CPS members (one assigned only from 15 March), a
/// hotspot for the whole pilot and one retired on 10 March.
struct Fixture {
    team: i64,
    sheriff: i64,
    constable: i64,
    late_constable: i64,
    plaza: i64,
    retired: i64,
}

async fn fixture(db: &PgPool) -> Fixture {
    let id = |sql: &'static str| async move {
        sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(db)
            .await
            .unwrap()
    };
    let pilot = id("insert into pilots (slug, name, city, time_zone, starts_on, ends_on) values ('test', 'Test pilot', 'Calgary', 'America/Edmonton', '2023-03-01', '2023-03-31') returning id").await;
    let district = sqlx::query_scalar::<_, i64>(
        r#"insert into districts (pilot_id, code, name, boundary) values ($1, 'DNC', 'Downtown Commercial Core', '{"type":"MultiPolygon","coordinates":[]}') returning id"#,
    )
    .bind(pilot)
    .fetch_one(db)
    .await
    .unwrap();
    let hotspot = |name: &'static str, active_to: Option<&'static str>| async move {
        sqlx::query_scalar::<_, i64>(
            r#"insert into hotspots (pilot_id, district_id, name, priority, active_from, active_to, window_start, window_end, target_minutes_per_day, boundary)
               values ($1, $2, $3, 1, '2023-03-01', $4::date, '10:00', '02:00', 60, '{"type":"Polygon","coordinates":[]}') returning id"#,
        )
        .bind(pilot)
        .bind(district)
        .bind(name)
        .bind(active_to)
        .fetch_one(db)
        .await
        .unwrap()
    };
    let plaza = hotspot("Olympic Plaza", None).await;
    let retired = hotspot("Kerby Station", Some("2023-03-10")).await;
    let team = sqlx::query_scalar::<_, i64>("insert into teams (pilot_id, name, agency, mode) values ($1, 'Pair 1', 'joint', 'foot') returning id")
        .bind(pilot)
        .fetch_one(db)
        .await
        .unwrap();
    let officer = |agency: &'static str,
                   badge: &'static str,
                   name: &'static str,
                   from: &'static str| async move {
        let officer = sqlx::query_scalar::<_, i64>(
            "insert into officers (agency, badge_number, name) values ($1, $2, $3) returning id",
        )
        .bind(agency)
        .bind(badge)
        .bind(name)
        .fetch_one(db)
        .await
        .unwrap();
        sqlx::query("insert into assignments (officer_id, pilot_id, starts_on, ends_on, role) values ($1, $2, $3::date, '2023-03-31', 'pilot')")
            .bind(officer)
            .bind(pilot)
            .bind(from)
            .execute(db)
            .await
            .unwrap();
        officer
    };
    Fixture {
        team,
        sheriff: officer("alberta_sheriffs", "S-1", "Sheriff Avery", "2023-03-01").await,
        constable: officer("cps", "4001", "Constable Brook", "2023-03-01").await,
        late_constable: officer("cps", "4002", "Constable Cole", "2023-03-15").await,
        plaza,
        retired,
    }
}

/// Form fields in order, repeated keys allowed.
type Fields = Vec<(String, String)>;

/// The form fields of a good shift: 22:00 on 11 March to 06:00 on 12 March (the spring-forward night).
fn fields(f: &Fixture) -> Vec<(String, String)> {
    vec![
        ("team_id".into(), f.team.to_string()),
        ("starts_at".into(), "2023-03-11T22:00".into()),
        ("ends_at".into(), "2023-03-12T06:00".into()),
        ("mode".into(), "foot".into()),
        ("officer_ids".into(), f.sheriff.to_string()),
        ("officer_ids".into(), f.constable.to_string()),
        ("hotspot_ids".into(), f.plaza.to_string()),
        ("notes".into(), "Focus on the plaza after close".into()),
    ]
}

fn with(mut fields: Vec<(String, String)>, key: &str, value: &str) -> Vec<(String, String)> {
    fields.retain(|(k, _)| k != key);
    fields.push((key.into(), value.into()));
    fields
}

async fn post(
    app: &TestApp,
    path: &str,
    fields: &[(String, String)],
    cookie: &str,
) -> TestResponse {
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    app.post_form(path, &pairs, Some(cookie)).await
}

async fn count(db: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db).await.unwrap()
}

async fn setup() -> (TestApp, Fixture, String) {
    let app = TestApp::empty().await;
    let f = fixture(&app.db).await;
    let cookie = app.sign_in_as(Role::Supervisor).await;
    (app, f, cookie)
}

fn attr(response: &TestResponse, selector: &str, attr: &str) -> Option<String> {
    let selector = scraper::Selector::parse(selector).unwrap();
    response
        .html()
        .select(&selector)
        .next()
        .and_then(|e| e.value().attr(attr).map(str::to_string))
}
