//! An officer's own page, `/me`: a pilot running today rosters the officer's team now, and the
//! officer taps Arrived then Left; the visit is in the shift log and
//! the coverage figures on the next request, and a double tap records one. Officers see nothing
//! else of the roster.

use axum::http::StatusCode;
use chrono::{Days, TimeDelta, Utc};
use patrolboard::domain::Role;

use crate::common::app::{TestApp, TestResponse};
use crate::common::fixture::Fixture;

const ZONE: chrono_tz::Tz = chrono_tz::America::Edmonton;

/// A local time as the forms write it, `minutes` from now.
fn local_in(minutes: i64) -> String {
    (Utc::now() + TimeDelta::minutes(minutes))
        .with_timezone(&ZONE)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// The value of `name` in the form posting to `action` for hotspot `hotspot` (or the only one).
fn form_value(
    page: &TestResponse,
    action: &str,
    hotspot: Option<i64>,
    name: &str,
) -> Option<String> {
    let html = page.html();
    let forms = scraper::Selector::parse(&format!(r#"form[action="{action}"]"#)).unwrap();
    let input = |n: &str| scraper::Selector::parse(&format!(r#"input[name="{n}"]"#)).unwrap();
    html.select(&forms)
        .find(|form| match hotspot {
            Some(id) => form
                .select(&input("hotspot_id"))
                .any(|i| i.value().attr("value") == Some(id.to_string().as_str())),
            None => true,
        })
        .and_then(|form| form.select(&input(name)).next())
        .and_then(|i| i.value().attr("value").map(str::to_string))
}

/// A pilot running from yesterday to tomorrow with one hotspot watched all day, and two officers
/// each with a shift of their own from an hour ago to three hours on, entered on the roster. The
/// first officer's cookie, their shift, the hotspot and the other officer's shift.
async fn on_duty_now(app: &TestApp) -> (String, i64, i64, i64) {
    let today = Utc::now().with_timezone(&ZONE).date_naive();
    let (first, last) = (today - Days::new(1), today + Days::new(1));
    let local = |minutes: i64| local_in(minutes).replace('T', " ");
    let f = Fixture::pilot("live")
        .days(&first.to_string(), &last.to_string())
        // No shapes, which no import takes: the officer's page draws no map.
        .places_stored_as_is()
        .district("D1", |d| d.name("Downtown"))
        .hotspot("Plaza", |h| h.window("00:00", "00:00"))
        .officer("Ada", "cps", "C1")
        .assignment("Ada", "pilot", &first.to_string(), &last.to_string())
        .officer("Bo", "sheriffs", "S1")
        .assignment("Bo", "pilot", &first.to_string(), &last.to_string())
        .team("Pair A", "foot", &["Ada"])
        .team("Pair B", "bike", &["Bo"])
        .shift("Pair A", &local(-60), &local(180), |s| {
            s.hotspots(&["Plaza"])
        })
        .shift("Pair B", &local(-60), &local(180), |s| {
            s.hotspots(&["Plaza"])
        })
        .build(&app.db)
        .await;
    // The officer with the most shifts and no account, the lowest id first: Ada.
    let officer = app.sign_in_as(Role::Officer).await;
    (officer, f.shift(0).0, f.hotspot("Plaza").0, f.shift(1).0)
}

async fn count(app: &TestApp, sql: &str, shift: i64) -> i64 {
    sqlx::query_scalar(sql)
        .bind(shift)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn arrived_then_left_records_one_visit_even_tapped_twice_and_the_figures_count_it() {
    let app = TestApp::empty().await;
    let (officer, shift, hotspot, _) = on_duty_now(&app).await;

    let page = app.get("/me", Some(&officer)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.texts("#my-shift strong"), ["Pair A"]);
    assert!(page.texts("#my-shift")[0].contains("On duty"));
    let token =
        form_value(&page, "/me/arrived", Some(hotspot), "token").expect("an Arrived button");
    let arrived = [
        ("token", token.as_str()),
        ("shift_id", &shift.to_string()),
        ("hotspot_id", &hotspot.to_string()),
    ];
    let first = app.post_form("/me/arrived", &arrived, Some(&officer)).await;
    assert_eq!(first.location(), Some("/me?done=arrived"), "{}", first.body);
    let again = app.post_form("/me/arrived", &arrived, Some(&officer)).await;
    assert_eq!(again.location(), Some("/me?done=already"));
    assert_eq!(
        count(
            &app,
            "select count(*) from arrivals where shift_id = $1",
            shift
        )
        .await,
        1
    );

    let page = app.get("/me", Some(&officer)).await;
    let token = form_value(&page, "/me/left", Some(hotspot), "token").expect("a Left button");
    let left = [
        ("token", token.as_str()),
        ("shift_id", &shift.to_string()),
        ("hotspot_id", &hotspot.to_string()),
    ];
    let first = app.post_form("/me/left", &left, Some(&officer)).await;
    assert_eq!(first.location(), Some("/me?done=left"), "{}", first.body);
    let again = app.post_form("/me/left", &left, Some(&officer)).await;
    assert_eq!(again.location(), Some("/me?done=already"));
    let visits = "select count(*) from visits where shift_id = $1 and source = 'report'";
    assert_eq!(count(&app, visits, shift).await, 1);
    assert_eq!(
        count(
            &app,
            "select count(*) from arrivals where shift_id = $1",
            shift
        )
        .await,
        0
    );
    // Every change is in the audit log: the arrival made and gone, the visit made.
    let audited: Vec<(String, String)> = sqlx::query_as(
        "select entity, action from audit_log where entity in ('arrival', 'visit') order by id",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    let audited: Vec<(&str, &str)> = audited
        .iter()
        .map(|(e, a)| (e.as_str(), a.as_str()))
        .collect();
    assert_eq!(
        audited,
        [
            ("arrival", "create"),
            ("visit", "create"),
            ("arrival", "delete")
        ]
    );

    // On the next request: the officer's page, the shift log, the coverage figures of today.
    let page = app.get("/me?done=left", Some(&officer)).await;
    assert_eq!(page.texts("#my-visits li").len(), 1);
    assert_eq!(page.texts("#page-notice"), ["Your visit is recorded."]);
    let supervisor = app.sign_in_as(Role::Supervisor).await;
    let log = app
        .get(&format!("/shifts/{shift}/log"), Some(&supervisor))
        .await;
    let name: String = sqlx::query_scalar("select name from hotspots where id = $1")
        .bind(hotspot)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(log.body.contains(&name), "the shift log lists the visit");
    let arrived_on: chrono::NaiveDate = sqlx::query_scalar(
        "select (arrived_at at time zone 'America/Edmonton')::date from visits where shift_id = $1",
    )
    .bind(shift)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let figures = app
        .get(
            &format!("/api/v1/pilots/live/coverage?from={arrived_on}&to={arrived_on}"),
            Some(&supervisor),
        )
        .await;
    let json: serde_json::Value = serde_json::from_str(&figures.body).unwrap();
    let at_hotspot = json["hotspots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == hotspot)
        .unwrap();
    assert_eq!(at_hotspot["visits"], 1, "{at_hotspot}");
}

#[tokio::test]
async fn an_activity_is_logged_in_two_taps_and_once_however_often_it_is_sent() {
    let app = TestApp::empty().await;
    let (officer, shift, _, _) = on_duty_now(&app).await;
    let page = app.get("/me", Some(&officer)).await;
    let token = form_value(&page, "/me/activities", None, "token").unwrap();
    let fields = [
        ("token", token.as_str()),
        ("shift_id", &shift.to_string()),
        ("kind", "community_referral"),
        ("count", "2"),
        ("hotspot_id", ""),
        ("note", ""),
    ];
    let first = app
        .post_form("/me/activities", &fields, Some(&officer))
        .await;
    assert_eq!(
        first.location(),
        Some("/me?done=activity"),
        "{}",
        first.body
    );
    let again = app
        .post_form("/me/activities", &fields, Some(&officer))
        .await;
    assert_eq!(again.location(), Some("/me?done=already"));
    let stored: (i64, i32) = sqlx::query_as(
        "select count(*), coalesce(sum(count), 0)::int4 from activities where shift_id = $1 and kind = 'community_referral'",
    )
    .bind(shift)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(stored, (1, 2));
}

#[tokio::test]
async fn an_officer_sees_no_roster_no_other_shift_and_no_export_and_cannot_log_for_another_shift() {
    let app = TestApp::empty().await;
    let (officer, _, hotspot, other) = on_duty_now(&app).await;
    for path in [
        "/pilots/live".to_string(),
        "/pilots/live/roster?week=2023-W11".to_string(),
        "/pilots/live/officers".to_string(),
        format!("/shifts/{other}/log"),
        "/exports?pilot=live".to_string(),
        "/exports/shifts.csv?pilot=live".to_string(),
        "/api/v1/pilots/live/coverage".to_string(),
        "/calendar".to_string(),
    ] {
        let response = app.get(&path, Some(&officer)).await;
        assert_eq!(response.status, StatusCode::FORBIDDEN, "{path}");
    }
    let edit = crate::common::app::post(
        &app,
        &format!("/shifts/{other}/cancel"),
        &[
            ("version".to_string(), "1".to_string()),
            ("reason".to_string(), "no".to_string()),
        ],
        &officer,
    )
    .await;
    assert_eq!(edit.status, StatusCode::FORBIDDEN);
    let foreign = app
        .post_form(
            "/me/arrived",
            &[
                ("token", "a-token-of-my-own"),
                ("shift_id", &other.to_string()),
                ("hotspot_id", &hotspot.to_string()),
            ],
            Some(&officer),
        )
        .await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get("/", Some(&officer)).await.location(), Some("/me"));

    // Staff have no page of their own here.
    let viewer = app.sign_in_as(Role::Viewer).await;
    assert_eq!(
        app.get("/me", Some(&viewer)).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn an_officer_corrects_the_times_of_a_visit_of_their_shift_and_a_bad_time_changes_nothing() {
    let app = TestApp::empty().await;
    let (officer, shift, hotspot, other) = on_duty_now(&app).await;
    let supervisor = app.sign_in_as(Role::Supervisor).await;
    for on in [shift, other] {
        let logged = app
            .post_form(
                &format!("/shifts/{on}/visits"),
                &[
                    ("hotspot_id", &hotspot.to_string()),
                    ("arrived_at", &local_in(-30)),
                    ("departed_at", &local_in(-20)),
                    ("source", "report"),
                ],
                Some(&supervisor),
            )
            .await;
        assert_eq!(logged.status, StatusCode::SEE_OTHER, "{}", logged.body);
    }
    let visit = |on: i64| {
        sqlx::query_scalar::<_, i64>("select id from visits where shift_id = $1")
            .bind(on)
            .fetch_one(&app.db)
    };
    let (mine, theirs) = (visit(shift).await.unwrap(), visit(other).await.unwrap());

    let page = app.get("/me", Some(&officer)).await;
    assert!(
        page.body.len() < 50_000,
        "/me weighs {} bytes",
        page.body.len()
    );
    assert_eq!(page.texts("#my-visits > li").len(), 1);
    let changed = app
        .post_form(
            &format!("/me/visits/{mine}"),
            &[
                ("arrived_at", &local_in(-40)),
                ("departed_at", &local_in(-25)),
            ],
            Some(&officer),
        )
        .await;
    assert_eq!(
        changed.location(),
        Some("/me?done=changed"),
        "{}",
        changed.body
    );
    let minutes: f64 = sqlx::query_scalar(
        "select extract(epoch from departed_at - arrived_at)::float8 / 60 from visits where id = $1",
    )
    .bind(mine)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(minutes, 15.0);

    let refused = app
        .post_form(
            &format!("/me/visits/{mine}"),
            &[
                ("arrived_at", &local_in(-20)),
                ("departed_at", &local_in(-25)),
            ],
            Some(&officer),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.texts("#problem")[0].starts_with("Nothing was changed"));
    let unchanged: f64 = sqlx::query_scalar(
        "select extract(epoch from departed_at - arrived_at)::float8 / 60 from visits where id = $1",
    )
    .bind(mine)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(unchanged, 15.0);

    let foreign = app
        .post_form(
            &format!("/me/visits/{theirs}"),
            &[
                ("arrived_at", &local_in(-40)),
                ("departed_at", &local_in(-25)),
            ],
            Some(&officer),
        )
        .await;
    assert_eq!(
        foreign.status,
        StatusCode::FORBIDDEN,
        "another officer's visit"
    );
}
