//! Roster editing through the router over a real PostgreSQL: the form contract of docs/interface.md,
//! validation, clashes under concurrency, optimistic locking, short rest and the audit trail.

use crate::common;

use axum::http::StatusCode;
use common::app::{TestApp, TestResponse};
use patrolboard::domain::Role;
use sqlx::PgPool;

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

#[tokio::test]
async fn a_supervisor_creates_a_shift_and_sees_it_on_the_roster_week() {
    let (app, f, cookie) = setup().await;

    let created = post(&app, "/pilots/test/shifts", &fields(&f), &cookie).await;

    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let location = created.location().unwrap().to_string();
    assert!(
        location.starts_with("/pilots/test/roster?week=2023-W10&notice=created"),
        "{location}"
    );
    let (starts, ends, status): (
        chrono::DateTime<chrono::Utc>,
        chrono::DateTime<chrono::Utc>,
        String,
    ) = sqlx::query_as("select starts_at, ends_at, status from shifts")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(
        (ends - starts).num_hours(),
        7,
        "the spring-forward night shift lasts 7 hours"
    );
    assert_eq!(status, "planned");
    let week = app.get(&location, Some(&cookie)).await;
    assert_eq!(week.status, StatusCode::OK);
    assert_eq!(
        week.texts("[role=status]"),
        [format!(
            "Shift created (shift #{}).",
            count(&app.db, "select id from shifts").await
        )]
    );
    let card = week.texts("article.shift")[0].clone();
    assert!(
        card.contains("22:00–06:00 (+1 day)")
            && card.contains("Sheriff Avery")
            && card.contains("Olympic Plaza"),
        "{card}"
    );
    assert_eq!(week.texts("article.shift abbr.agency"), ["S", "C"]);
    let audits = count(
        &app.db,
        "select count(*) from audit_log where entity = 'shift' and action = 'create'",
    )
    .await;
    assert_eq!(audits, 1);
    let planned = count(
        &app.db,
        "select coalesce(sum(planned_blocks), 0)::int8 from hotspot_days",
    )
    .await;
    assert!(
        planned > 0,
        "the stored coverage is refreshed with the new shift"
    );
}

#[tokio::test]
async fn every_bad_field_gets_a_422_with_its_message_the_typed_values_kept_and_nothing_stored() {
    let (app, f, cookie) = setup().await;
    let cases: Vec<(&str, Fields, &str)> = vec![
        (
            "ends_at",
            with(fields(&f), "ends_at", "2023-03-11T21:00"),
            "end after it starts",
        ),
        (
            "ends_at",
            with(fields(&f), "ends_at", "2023-03-12T16:00"),
            "at most 16 hours",
        ),
        (
            "starts_at",
            with(
                with(fields(&f), "starts_at", "2023-04-02T07:00"),
                "ends_at",
                "2023-04-02T17:00",
            ),
            "pilot runs",
        ),
        (
            "starts_at",
            with(
                with(fields(&f), "starts_at", "2023-03-12T02:30"),
                "ends_at",
                "2023-03-12T09:00",
            ),
            "does not exist in America/Edmonton: that night the clocks go forward from 02:00 straight to 03:00",
        ),
        (
            "starts_at",
            with(fields(&f), "starts_at", "tomorrow"),
            "written YYYY-MM-DDTHH:MM",
        ),
        (
            "team_id",
            with(fields(&f), "team_id", "99999"),
            "Choose one of this pilot's teams",
        ),
        (
            "officer_ids",
            with(fields(&f), "officer_ids", "99999"),
            "not assigned to this pilot",
        ),
        (
            "officer_ids",
            with(fields(&f), "officer_ids", &f.late_constable.to_string()),
            "not assigned to the pilot on 2023-03-11",
        ),
        (
            "hotspot_ids",
            with(fields(&f), "hotspot_ids", &f.retired.to_string()),
            "not an active hotspot",
        ),
        (
            "hotspot_ids",
            with(fields(&f), "hotspot_ids", "99999"),
            "not one of this pilot's",
        ),
        (
            "mode",
            with(fields(&f), "mode", "horse"),
            "foot, bike or vehicle",
        ),
        (
            "notes",
            with(fields(&f), "notes", &"x".repeat(1001)),
            "at most 1000",
        ),
    ];
    for (field, form, message) in cases {
        let response = post(&app, "/pilots/test/shifts", &form, &cookie).await;
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {message}"
        );
        let shown = response.texts(&format!("#{field}-error"));
        assert!(
            shown.len() == 1 && shown[0].contains(message),
            "{field}: {shown:?}"
        );
        let typed = form
            .iter()
            .find(|(k, _)| k == "starts_at")
            .unwrap()
            .1
            .clone();
        assert_eq!(
            attr(&response, "#starts_at", "value"),
            Some(typed),
            "the form keeps what was typed"
        );
    }
    assert_eq!(count(&app.db, "select count(*) from shifts").await, 0);
    assert_eq!(
        count(
            &app.db,
            "select count(*) from audit_log where entity = 'shift'"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn a_clash_is_refused_with_409_naming_the_officer_and_the_other_shift() {
    let (app, f, cookie) = setup().await;
    post(&app, "/pilots/test/shifts", &fields(&f), &cookie).await;
    let first = count(&app.db, "select id from shifts").await;

    let overlapping = with(
        with(fields(&f), "starts_at", "2023-03-12T05:00"),
        "ends_at",
        "2023-03-12T12:00",
    );
    let response = post(&app, "/pilots/test/shifts", &overlapping, &cookie).await;

    assert_eq!(response.status, StatusCode::CONFLICT);
    let problem = response.texts("#problem")[0].clone();
    assert!(
        problem.contains("Constable Brook") || problem.contains("Sheriff Avery"),
        "{problem}"
    );
    assert!(problem.contains(&format!("shift #{first}")), "{problem}");
    assert_eq!(count(&app.db, "select count(*) from shifts").await, 1);
}

#[tokio::test]
async fn many_simultaneous_requests_for_the_same_officer_store_exactly_one_shift() {
    let (app, f, cookie) = setup().await;
    let app = std::sync::Arc::new(app);
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let (app, cookie) = (app.clone(), cookie.clone());
            let form = with(
                with(
                    fields(&f),
                    "starts_at",
                    &format!("2023-03-20T{:02}:00", 8 + i),
                ),
                "ends_at",
                &format!("2023-03-20T{:02}:30", 15 + i),
            );
            tokio::spawn(async move {
                post(&app, "/pilots/test/shifts", &form, &cookie)
                    .await
                    .status
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }

    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::SEE_OTHER)
            .count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::SEE_OTHER || *s == StatusCode::CONFLICT),
        "{statuses:?}"
    );
    assert_eq!(count(&app.db, "select count(*) from shifts").await, 1);
}

#[tokio::test]
async fn an_edit_from_a_stale_version_gets_409_with_the_current_state_and_overwrites_nothing() {
    let (app, f, cookie) = setup().await;
    post(&app, "/pilots/test/shifts", &fields(&f), &cookie).await;
    let id = count(&app.db, "select id from shifts").await;
    let path = format!("/shifts/{id}");

    let first = post(
        &app,
        &path,
        &with(with(fields(&f), "version", "1"), "notes", "first edit"),
        &cookie,
    )
    .await;
    let stale = post(
        &app,
        &path,
        &with(with(fields(&f), "version", "1"), "notes", "second edit"),
        &cookie,
    )
    .await;

    assert_eq!(first.status, StatusCode::SEE_OTHER);
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.texts("#current-state")[0].contains("first edit"));
    assert_eq!(
        attr(&stale, "input[name=version]", "value").as_deref(),
        Some("2")
    );
    let kept = stale
        .html()
        .select(&scraper::Selector::parse("#notes").unwrap())
        .next()
        .unwrap()
        .text()
        .collect::<String>();
    assert_eq!(kept, "second edit", "the supervisor's input is kept");
    let (notes, version): (String, i32) = sqlx::query_as("select notes, version from shifts")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!((notes.as_str(), version), ("first edit", 2));
    let edits = count(
        &app.db,
        "select count(*) from audit_log where entity = 'shift' and action = 'edit'",
    )
    .await;
    assert_eq!(edits, 1);
}

#[tokio::test]
async fn short_rest_is_a_warning_the_supervisor_accepts_with_a_recorded_reason() {
    let (app, f, cookie) = setup().await;
    let day = with(
        with(fields(&f), "starts_at", "2023-03-14T07:00"),
        "ends_at",
        "2023-03-14T17:00",
    );
    post(&app, "/pilots/test/shifts", &day, &cookie).await;
    let night = with(
        with(fields(&f), "starts_at", "2023-03-14T22:00"),
        "ends_at",
        "2023-03-15T06:00",
    );

    let warned = post(&app, "/pilots/test/shifts", &night, &cookie).await;
    let accepted = post(
        &app,
        "/pilots/test/shifts",
        &with(night, "rest_reason", "Covering a sick call"),
        &cookie,
    )
    .await;

    assert_eq!(warned.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        warned.texts(".warning p")[0].contains("5.0 hours of rest"),
        "{:?}",
        warned.texts(".warning p")
    );
    assert_eq!(accepted.status, StatusCode::SEE_OTHER);
    let reason: String = sqlx::query_scalar(
        "select after ->> 'rest_override_reason' from audit_log where entity = 'shift' order by id desc limit 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(reason, "Covering a sick call");
}

#[tokio::test]
async fn cancelling_needs_the_current_version_and_frees_the_officers() {
    let (app, f, cookie) = setup().await;
    post(&app, "/pilots/test/shifts", &fields(&f), &cookie).await;
    let id = count(&app.db, "select id from shifts").await;
    let cancel = format!("/shifts/{id}/cancel");

    let stale = post(&app, &cancel, &[("version".into(), "7".into())], &cookie).await;
    let done = post(&app, &cancel, &[("version".into(), "1".into())], &cookie).await;
    let again = post(&app, "/pilots/test/shifts", &fields(&f), &cookie).await;

    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert!(done.location().unwrap().contains("notice=cancelled"));
    assert_eq!(
        again.status,
        StatusCode::SEE_OTHER,
        "a cancelled shift no longer holds its officers"
    );
    let audit: (Option<String>, Option<String>) = sqlx::query_as(
        "select before ->> 'status', after ->> 'status' from audit_log where action = 'cancel'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(audit, (Some("planned".into()), Some("cancelled".into())));
}

#[tokio::test]
async fn viewers_analysts_and_strangers_cannot_change_the_roster() {
    let (app, f, supervisor) = setup().await;
    post(&app, "/pilots/test/shifts", &fields(&f), &supervisor).await;
    let id = count(&app.db, "select id from shifts").await;
    let routes = [
        "/pilots/test/shifts".to_string(),
        format!("/shifts/{id}"),
        format!("/shifts/{id}/cancel"),
    ];
    for role in [Role::Viewer, Role::Analyst] {
        let cookie = app.sign_in_as(role).await;
        for route in &routes {
            let response = post(&app, route, &with(fields(&f), "version", "1"), &cookie).await;
            assert_eq!(response.status, StatusCode::FORBIDDEN, "{role} {route}");
        }
        assert_eq!(
            app.get(&format!("/shifts/{id}/edit"), Some(&cookie))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let week = app
            .get("/pilots/test/roster?week=2023-W10", Some(&cookie))
            .await;
        assert_eq!(week.status, StatusCode::OK, "{role} reads the roster");
        assert!(
            week.texts("a[href$='/edit']").is_empty(),
            "{role} sees no edit links"
        );
    }
    for route in &routes {
        let pairs: Vec<(&str, &str)> = vec![("version", "1")];
        let anonymous = app.post_form(route, &pairs, None).await;
        assert_eq!(anonymous.status, StatusCode::SEE_OTHER, "{route}");
        assert!(anonymous.location().unwrap().starts_with("/login"));
    }
    let (notes, version): (String, i32) = sqlx::query_as("select notes, version from shifts")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(
        (notes.as_str(), version),
        ("Focus on the plaza after close", 1)
    );
}

#[tokio::test]
async fn a_cross_site_form_post_to_the_roster_is_refused() {
    let (app, f, cookie) = setup().await;
    let body = common::app::encode_form(
        &fields(&f)
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect::<Vec<_>>(),
    );
    let request = axum::http::Request::builder()
        .method("POST")
        .uri("/pilots/test/shifts")
        .header("host", "localhost")
        .header("origin", "https://evil.example")
        .header("sec-fetch-site", "cross-site")
        .header("cookie", &cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(body))
        .unwrap();
    let response = app.send(request).await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert_eq!(count(&app.db, "select count(*) from shifts").await, 0);
}

#[tokio::test]
async fn the_demo_roster_week_shows_teams_days_hours_and_blocks_to_fill() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Viewer).await;
    let week = app
        .get("/pilots/calgary-2023/roster?week=2023-W11", Some(&cookie))
        .await;
    assert_eq!(week.status, StatusCode::OK);
    assert_eq!(week.texts("table.roster thead th").len(), 8);
    assert_eq!(
        week.texts("table.roster tbody tr").len(),
        9,
        "one row per team"
    );
    assert!(!week.texts("article.shift").is_empty());
    assert!(
        week.texts("ul.totals li")[2].contains("hotspot-blocks this week have no planned coverage")
    );
    assert_eq!(week.texts("a[rel=prev]"), ["← Week 2023-W10"]);
    let bad = app
        .get("/pilots/calgary-2023/roster?week=someday", Some(&cookie))
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn copying_a_week_copies_what_fits_and_lists_what_would_clash() {
    let (app, f, cookie) = setup().await;
    let tuesday = with(
        with(fields(&f), "starts_at", "2023-03-07T07:00"),
        "ends_at",
        "2023-03-07T17:00",
    );
    post(&app, "/pilots/test/shifts", &tuesday, &cookie).await;
    post(
        &app,
        "/pilots/test/shifts",
        &with(fields(&f), "officer_ids", &f.sheriff.to_string()),
        &cookie,
    )
    .await;
    let blocker = with(
        with(
            with(fields(&f), "starts_at", "2023-03-14T08:00"),
            "ends_at",
            "2023-03-14T12:00",
        ),
        "officer_ids",
        &f.constable.to_string(),
    );
    assert_eq!(
        post(&app, "/pilots/test/shifts", &blocker, &cookie)
            .await
            .status,
        StatusCode::SEE_OTHER
    );

    let copy = [
        ("from_week".to_string(), "2023-W10".to_string()),
        ("to_week".to_string(), "2023-W11".to_string()),
    ];
    let response = post(&app, "/pilots/test/roster/copy", &copy, &cookie).await;

    assert_eq!(response.status, StatusCode::OK);
    assert!(
        response.texts("#copy-result")[0].contains("Copied 1 shifts"),
        "{:?}",
        response.texts("#copy-result")
    );
    let skipped = response.texts("table.data tbody td");
    assert_eq!(skipped.len(), 1);
    assert!(
        skipped[0].contains("Constable Brook is already on shift"),
        "{skipped:?}"
    );
    let hours: f64 = sqlx::query_scalar(
        r#"select extract(epoch from ends_at - starts_at)::float8 / 3600 from shifts
            where (starts_at at time zone 'America/Edmonton')::date = '2023-03-18'"#,
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(
        hours, 8.0,
        "22:00 to 06:00 copied off the spring-forward night lasts 8 hours again"
    );
    assert_eq!(
        count(
            &app.db,
            "select count(*) from audit_log where action = 'copy'"
        )
        .await,
        1
    );

    let outside = [
        ("from_week".to_string(), "2023-W13".to_string()),
        ("to_week".to_string(), "2023-W14".to_string()),
    ];
    post(
        &app,
        "/pilots/test/shifts",
        &with(
            with(fields(&f), "starts_at", "2023-03-30T07:00"),
            "ends_at",
            "2023-03-30T17:00",
        ),
        &cookie,
    )
    .await;
    let response = post(&app, "/pilots/test/roster/copy", &outside, &cookie).await;
    assert!(response.texts("table.data tbody td")[0].contains("pilot runs"));
}
