//! After the shift: logging visits and activities, and the audit log, through the real router over
//! a real PostgreSQL.
//!
//! Most tests use a small pilot of their own (the worked example of docs/coverage.md: America/Edmonton,
//! 11–12 March 2023, one hotspot watched 22:00–06:00), so that every time, block and figure is known.

use crate::common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use chrono::{DateTime, NaiveDate, Utc};
use common::app::{TestApp, TestResponse, encode_form};
use patrolboard::domain::Role;
use serde_json::Value;

/// The worked example's pilot, plus what the validation cases need.
struct Fixture {
    app: TestApp,
    pilot_id: i64,
    /// Shift A: 22:00 on 11 March to 06:00 on 12 March 2023 local, two members, directed to the
    /// library. Across the spring-forward night: 7 real hours.
    shift: i64,
    /// Shift B, 22:00 on 12 March to 06:00 on 13 March, cancelled.
    cancelled: i64,
    /// A shift across the fall-back night, 22:00 on 4 November to 06:00 on 5 November 2023.
    fall_back: i64,
    /// The hotspot, watched 22:00–06:00, active from 11 March.
    library: i64,
    /// A hotspot of the same pilot that was only watched 1–5 March.
    old_plaza: i64,
    /// A hotspot of another pilot.
    elsewhere: i64,
}

async fn fixture() -> Fixture {
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

async fn user_id(app: &TestApp, role: Role) -> i64 {
    sqlx::query_scalar("select id from users where username = $1")
        .bind(format!("test-{role}"))
        .fetch_one(&app.db)
        .await
        .unwrap()
}

/// The `value` a form control shows: an input's value, a select's selected option, a textarea's
/// text.
fn shown_value(response: &TestResponse, id: &str) -> String {
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

fn attr(response: &TestResponse, selector: &str, name: &str) -> Option<String> {
    let html = response.html();
    let selector = scraper::Selector::parse(selector).unwrap();
    html.select(&selector)
        .next()
        .and_then(|e| e.value().attr(name))
        .map(str::to_string)
}

/// Posts a visit to shift `shift` and returns the new visit's id.
async fn log_visit(f: &Fixture, cookie: &str, arrived: &str, departed: &str) -> i64 {
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

#[tokio::test]
async fn logging_a_visit_stores_it_audits_it_and_counts_it_in_the_stored_coverage() {
    let f = fixture().await;
    let cookie = f.app.sign_in_as(Role::Supervisor).await;
    let before = counts(&f.app).await;
    assert_eq!(
        stored_day(&f.app, f.library, date(2023, 3, 11)).await,
        (0, 0, 0)
    );

    // 12 minutes in the 23:00–00:00 block, which nothing covered yet.
    let library = f.library.to_string();
    let response = f
        .app
        .post_form(
            &format!("/shifts/{}/visits", f.shift),
            &[
                ("hotspot_id", library.as_str()),
                ("arrived_at", "2023-03-11T23:05"),
                ("departed_at", "2023-03-11T23:17"),
                ("source", "report"),
            ],
            Some(&cookie),
        )
        .await;

    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(
        response.location(),
        Some(format!("/shifts/{}/log?notice=visit-saved", f.shift).as_str())
    );
    let after = counts(&f.app).await;
    assert_eq!(after, (before.0 + 1, before.1, before.2 + 1));
    assert_eq!(
        stored_day(&f.app, f.library, date(2023, 3, 11)).await,
        (1, 1, 1)
    );
    let (user, action, entity, entity_id, old, new) = last_audit(&f.app).await;
    assert_eq!(user, Some(user_id(&f.app, Role::Supervisor).await));
    assert_eq!((action.as_str(), entity.as_str()), ("create", "visit"));
    let new = new.unwrap();
    assert_eq!(old, None);
    assert_eq!(entity_id, new["id"].as_i64());
    assert_eq!(new["shift_id"].as_i64(), Some(f.shift));
    assert_eq!(new["hotspot_id"].as_i64(), Some(f.library));
    assert_eq!(
        instant(&new, "arrived_at").to_rfc3339(),
        "2023-03-12T06:05:00+00:00"
    );
    assert_eq!(
        instant(&new, "departed_at").to_rfc3339(),
        "2023-03-12T06:17:00+00:00"
    );
    assert_eq!(new["source"], "report");

    let page = f.app.get(response.location().unwrap(), Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.texts("[role=status]"), ["The visit was saved."]);
    let row = page.texts("#visits tbody tr").join(" ");
    assert!(
        row.contains("Central Library") && row.contains("23:05"),
        "{row}"
    );
    assert!(row.contains("Koper") && row.contains("report"), "{row}");
}

#[tokio::test]
async fn a_visit_after_midnight_delivers_the_block_of_the_window_that_opened_the_evening_before() {
    let f = fixture().await;
    let cookie = f.app.sign_in_as(Role::Admin).await;

    // 01:50 MST to 03:05 MDT on 12 March: 15 real minutes across the jump.
    log_visit(&f, &cookie, "2023-03-12T01:50", "2023-03-12T03:05").await;

    assert_eq!(
        stored_day(&f.app, f.library, date(2023, 3, 11)).await,
        (1, 0, 0)
    );
    assert_eq!(
        stored_day(&f.app, f.library, date(2023, 3, 12)).await,
        (0, 1, 1),
        "visits count on the day of arrival"
    );
    let page = f
        .app
        .get(&format!("/shifts/{}/log", f.shift), Some(&cookie))
        .await;
    let cells = page.texts("#visits tbody tr > *");
    assert_eq!(
        cells[..6],
        [
            "Central Library",
            "Sun 12 Mar 2023 01:50 MST",
            "03:05 MDT",
            "15",
            "Koper",
            "report"
        ]
    );
}

#[tokio::test]
async fn editing_a_visit_audits_before_and_after_and_updates_the_stored_coverage() {
    let f = fixture().await;
    let cookie = f.app.sign_in_as(Role::Supervisor).await;
    let visit = log_visit(&f, &cookie, "2023-03-11T23:05", "2023-03-11T23:17").await;
    let before = counts(&f.app).await;

    let library = f.library.to_string();
    let response = f
        .app
        .post_form(
            &format!("/visits/{visit}"),
            &[
                ("hotspot_id", library.as_str()),
                ("arrived_at", "2023-03-11T23:05"),
                ("departed_at", "2023-03-11T23:10"),
                ("source", "avl"),
            ],
            Some(&cookie),
        )
        .await;

    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(counts(&f.app).await, (before.0, before.1, before.2 + 1));
    assert_eq!(
        stored_day(&f.app, f.library, date(2023, 3, 11)).await,
        (0, 1, 0),
        "five minutes deliver nothing"
    );
    let (_, action, entity, entity_id, old, new) = last_audit(&f.app).await;
    assert_eq!(
        (action.as_str(), entity.as_str(), entity_id),
        ("update", "visit", Some(visit))
    );
    let (old, new) = (old.unwrap(), new.unwrap());
    assert_eq!(
        instant(&old, "departed_at").to_rfc3339(),
        "2023-03-12T06:17:00+00:00"
    );
    assert_eq!(
        instant(&new, "departed_at").to_rfc3339(),
        "2023-03-12T06:10:00+00:00"
    );
    assert_eq!(
        (old["source"].as_str(), new["source"].as_str()),
        (Some("report"), Some("avl"))
    );
    assert_eq!(old["arrived_at"], new["arrived_at"]);
}

#[tokio::test]
async fn deleting_a_visit_audits_what_it_was_and_takes_it_out_of_the_stored_coverage() {
    let f = fixture().await;
    let cookie = f.app.sign_in_as(Role::Admin).await;
    let visit = log_visit(&f, &cookie, "2023-03-11T23:05", "2023-03-11T23:17").await;
    let before = counts(&f.app).await;

    let response = f
        .app
        .post_form(&format!("/visits/{visit}/delete"), &[], Some(&cookie))
        .await;

    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(
        response.location(),
        Some(format!("/shifts/{}/log?notice=visit-deleted", f.shift).as_str())
    );
    assert_eq!(counts(&f.app).await, (before.0 - 1, before.1, before.2 + 1));
    assert_eq!(
        stored_day(&f.app, f.library, date(2023, 3, 11)).await,
        (0, 0, 0)
    );
    let (_, action, entity, entity_id, old, new) = last_audit(&f.app).await;
    assert_eq!(
        (action.as_str(), entity.as_str(), entity_id),
        ("delete", "visit", Some(visit))
    );
    assert_eq!(old.unwrap()["id"].as_i64(), Some(visit));
    assert_eq!(new, None);
    let again = f
        .app
        .post_form(&format!("/visits/{visit}/delete"), &[], Some(&cookie))
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn creating_editing_and_deleting_an_activity_each_write_one_audit_entry() {
    let f = fixture().await;
    let cookie = f.app.sign_in_as(Role::Supervisor).await;
    let library = f.library.to_string();
    let audits = count(&f.app, "audit_log").await;

    let activity = log_activity(
        &f,
        &cookie,
        &[
            ("kind", "mental_health_referral"),
            ("count", "2"),
            ("hotspot_id", &library),
            ("occurred_at", "2023-03-11T23:40"),
            ("note", "Referred to the PACT team"),
        ],
    )
    .await;
    assert_eq!(count(&f.app, "audit_log").await, audits + 1);
    let (_, action, entity, entity_id, old, new) = last_audit(&f.app).await;
    assert_eq!(
        (action.as_str(), entity.as_str(), entity_id),
        ("create", "activity", Some(activity))
    );
    assert_eq!(old, None);
    let new = new.unwrap();
    assert_eq!(new["kind"], "mental_health_referral");
    assert_eq!(new["count"], 2);
    assert_eq!(new["hotspot_id"].as_i64(), Some(f.library));
    assert_eq!(new["note"], "Referred to the PACT team");

    let response = f
        .app
        .post_form(
            &format!("/activities/{activity}"),
            &[
                ("kind", "addiction_referral"),
                ("count", "3"),
                ("hotspot_id", ""),
                ("occurred_at", "2023-03-11T23:45"),
                ("note", ""),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(
        response.location(),
        Some(format!("/shifts/{}/log?notice=activity-saved", f.shift).as_str())
    );
    assert_eq!(count(&f.app, "audit_log").await, audits + 2);
    let (_, action, _, _, old, new) = last_audit(&f.app).await;
    assert_eq!(action, "update");
    let (old, new) = (old.unwrap(), new.unwrap());
    assert_eq!(
        (old["count"].as_i64(), new["count"].as_i64()),
        (Some(2), Some(3))
    );
    assert_eq!(new["hotspot_id"], Value::Null);
    assert_eq!(new["kind"], "addiction_referral");

    let page = f.app.get(response.location().unwrap(), Some(&cookie)).await;
    assert_eq!(page.texts("[role=status]"), ["The activity was saved."]);
    let row = page.texts("#activities tbody tr").join(" ");
    assert!(
        row.contains("Addiction referral") && row.contains("23:45"),
        "{row}"
    );

    let response = f
        .app
        .post_form(
            &format!("/activities/{activity}/delete"),
            &[],
            Some(&cookie),
        )
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(count(&f.app, "activities").await, 0);
    assert_eq!(count(&f.app, "audit_log").await, audits + 3);
    let (_, action, _, _, old, new) = last_audit(&f.app).await;
    assert_eq!(action, "delete");
    assert_eq!(old.unwrap()["count"], 3);
    assert_eq!(new, None);
}

/// A bad visit: the fields to post (beyond a good default), the field the message belongs beside
/// and words it must contain.
struct BadVisit {
    shift: fn(&Fixture) -> i64,
    hotspot: fn(&Fixture) -> String,
    arrived: &'static str,
    departed: &'static str,
    source: &'static str,
    field: &'static str,
    says: &'static str,
}

#[tokio::test]
async fn every_bad_visit_is_refused_beside_its_field_with_what_was_typed_kept() {
    let f = fixture().await;
    let cookie = f.app.sign_in_as(Role::Supervisor).await;
    let shift_a: fn(&Fixture) -> i64 = |f| f.shift;
    let library: fn(&Fixture) -> String = |f| f.library.to_string();
    let good = BadVisit {
        shift: shift_a,
        hotspot: library,
        arrived: "2023-03-11T23:05",
        departed: "2023-03-11T23:17",
        source: "report",
        field: "",
        says: "",
    };
    let cases = [
        BadVisit {
            arrived: "11/03/2023 23:05",
            field: "arrived_at",
            says: "YYYY-MM-DDTHH:MM",
            ..good
        },
        BadVisit {
            departed: "",
            field: "departed_at",
            says: "Enter the date and time of departure",
            ..good
        },
        BadVisit {
            arrived: "2023-03-12T02:30",
            departed: "2023-03-12T03:10",
            field: "arrived_at",
            says: "does not exist in America/Edmonton",
            ..good
        },
        BadVisit {
            shift: |f| f.fall_back,
            arrived: "2023-11-05T01:30",
            departed: "2023-11-05T02:10",
            field: "arrived_at",
            says: "happens twice",
            ..good
        },
        BadVisit {
            departed: "2023-03-11T23:05",
            field: "departed_at",
            says: "after arrival",
            ..good
        },
        BadVisit {
            departed: "2023-03-11T22:55",
            field: "departed_at",
            says: "after arrival",
            ..good
        },
        BadVisit {
            arrived: "2023-03-11T21:15",
            departed: "2023-03-11T21:40",
            field: "arrived_at",
            says: "before the shift",
            ..good
        },
        BadVisit {
            arrived: "2023-03-12T06:20",
            departed: "2023-03-12T06:45",
            field: "departed_at",
            says: "after the shift",
            ..good
        },
        BadVisit {
            hotspot: |f| f.elsewhere.to_string(),
            field: "hotspot_id",
            says: "this pilot's hotspots",
            ..good
        },
        BadVisit {
            hotspot: |_| String::new(),
            field: "hotspot_id",
            says: "Choose the hotspot",
            ..good
        },
        BadVisit {
            hotspot: |f| f.old_plaza.to_string(),
            field: "hotspot_id",
            says: "was not a hotspot on 2023-03-11",
            ..good
        },
        BadVisit {
            source: "radio",
            field: "source",
            says: "crew report, AVL or import",
            ..good
        },
        BadVisit {
            shift: |f| f.cancelled,
            arrived: "2023-03-12T23:05",
            departed: "2023-03-12T23:17",
            field: "form",
            says: "cancelled",
            ..good
        },
    ];
    let before = counts(&f.app).await;
    let days_before: Vec<(i32, i32, i32)> = sqlx::query_as(
        "select delivered_blocks, visits, koper_visits from hotspot_days order by hotspot_id, day",
    )
    .fetch_all(&f.app.db)
    .await
    .unwrap();

    for case in &cases {
        let hotspot = (case.hotspot)(&f);
        let shift = (case.shift)(&f);
        let response = f
            .app
            .post_form(
                &format!("/shifts/{shift}/visits"),
                &[
                    ("hotspot_id", &hotspot),
                    ("arrived_at", case.arrived),
                    ("departed_at", case.departed),
                    ("source", case.source),
                ],
                Some(&cookie),
            )
            .await;

        let what = format!("{} {} {}", case.field, case.arrived, case.departed);
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{what}");
        let message = response.texts(&format!("#new-visit-{}-error", case.field));
        assert_eq!(message.len(), 1, "{what}: {}", response.body);
        assert!(message[0].contains(case.says), "{what}: {}", message[0]);
        assert_eq!(response.texts("#problem").len(), 1, "{what}");
        if case.field != "form" {
            assert_eq!(
                attr(
                    &response,
                    &format!("#new-visit-{}", case.field),
                    "aria-describedby"
                ),
                Some(format!("new-visit-{}-error", case.field)),
                "{what}"
            );
        }
        assert_eq!(
            shown_value(&response, "new-visit-arrived_at"),
            case.arrived,
            "{what}"
        );
        assert_eq!(
            shown_value(&response, "new-visit-departed_at"),
            case.departed,
            "{what}"
        );
        if case.field != "hotspot_id" {
            assert_eq!(
                shown_value(&response, "new-visit-hotspot_id"),
                hotspot,
                "{what}"
            );
        }
        if case.field != "source" {
            assert_eq!(
                shown_value(&response, "new-visit-source"),
                case.source,
                "{what}"
            );
        }
    }
    assert_eq!(counts(&f.app).await, before, "nothing was stored");
    let days_after: Vec<(i32, i32, i32)> = sqlx::query_as(
        "select delivered_blocks, visits, koper_visits from hotspot_days order by hotspot_id, day",
    )
    .fetch_all(&f.app.db)
    .await
    .unwrap();
    assert_eq!(days_before, days_after);
}

#[tokio::test]
async fn every_bad_activity_is_refused_beside_its_field_with_what_was_typed_kept() {
    let f = fixture().await;
    let cookie = f.app.sign_in_as(Role::Supervisor).await;
    let long_note = "n".repeat(501);
    let other = f.elsewhere.to_string();
    let good = [
        ("kind", "ticket"),
        ("count", "1"),
        ("hotspot_id", ""),
        ("occurred_at", "2023-03-11T23:40"),
        ("note", "typed note"),
    ];
    let cases: Vec<(&str, &str, &str, &str)> = vec![
        // (field, typed, where the message goes, what it says)
        ("count", "0", "count", "from 1 to 1000"),
        ("count", "1001", "count", "from 1 to 1000"),
        ("count", "lots", "count", "whole number"),
        ("count", "", "count", "Enter how many"),
        ("kind", "arrest", "kind", "kinds listed"),
        ("kind", "", "kind", "Choose what happened"),
        ("note", &long_note, "note", "501 characters"),
        (
            "occurred_at",
            "2023-03-12T02:15",
            "occurred_at",
            "does not exist",
        ),
        (
            "occurred_at",
            "2023-03-12T09:00",
            "occurred_at",
            "after the shift",
        ),
        ("occurred_at", "soon", "occurred_at", "YYYY-MM-DDTHH:MM"),
        ("hotspot_id", &other, "hotspot_id", "this pilot's hotspots"),
    ];
    let before = counts(&f.app).await;

    for (field, typed, beside, says) in &cases {
        let fields: Vec<(&str, &str)> = good
            .iter()
            .map(|(name, value)| (*name, if name == field { *typed } else { *value }))
            .collect();
        let response = f
            .app
            .post_form(
                &format!("/shifts/{}/activities", f.shift),
                &fields,
                Some(&cookie),
            )
            .await;

        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}={typed}"
        );
        let message = response.texts(&format!("#new-activity-{beside}-error"));
        assert_eq!(message.len(), 1, "{field}={typed}");
        assert!(message[0].contains(says), "{field}={typed}: {}", message[0]);
        for (name, value) in &fields {
            if name != field || !["kind", "hotspot_id"].contains(name) {
                assert_eq!(
                    shown_value(&response, &format!("new-activity-{name}")),
                    *value,
                    "{field}={typed}: {name} kept"
                );
            }
        }
    }

    let cancelled = f
        .app
        .post_form(
            &format!("/shifts/{}/activities", f.cancelled),
            &good,
            Some(&cookie),
        )
        .await;
    assert_eq!(cancelled.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(cancelled.texts("#new-activity-form-error")[0].contains("cancelled"));
    assert_eq!(counts(&f.app).await, before, "nothing was stored");
}

#[tokio::test]
async fn a_bad_edit_is_shown_again_in_its_own_open_form_and_changes_nothing() {
    let f = fixture().await;
    let cookie = f.app.sign_in_as(Role::Supervisor).await;
    let visit = log_visit(&f, &cookie, "2023-03-11T23:05", "2023-03-11T23:17").await;
    let stored: (DateTime<Utc>,) = sqlx::query_as("select departed_at from visits where id = $1")
        .bind(visit)
        .fetch_one(&f.app.db)
        .await
        .unwrap();
    let before = counts(&f.app).await;

    let library = f.library.to_string();
    let response = f
        .app
        .post_form(
            &format!("/visits/{visit}"),
            &[
                ("hotspot_id", library.as_str()),
                ("arrived_at", "2023-03-11T23:05"),
                ("departed_at", "2023-03-11T22:00"),
            ],
            Some(&cookie),
        )
        .await;

    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let prefix = format!("visit-{visit}");
    assert!(response.texts(&format!("#{prefix}-departed_at-error"))[0].contains("after arrival"));
    assert_eq!(
        shown_value(&response, &format!("{prefix}-departed_at")),
        "2023-03-11T22:00"
    );
    assert_eq!(
        response
            .texts(&format!("#visit-row-{visit} details[open]"))
            .len(),
        1
    );
    assert!(response.texts("#new-visit-departed_at-error").is_empty());
    assert_eq!(counts(&f.app).await, before);
    let now: (DateTime<Utc>,) = sqlx::query_as("select departed_at from visits where id = $1")
        .bind(visit)
        .fetch_one(&f.app.db)
        .await
        .unwrap();
    assert_eq!(now, stored);
}

#[tokio::test]
async fn viewers_read_the_log_without_forms_and_supervisors_get_them() {
    let f = fixture().await;
    let supervisor = f.app.sign_in_as(Role::Supervisor).await;
    log_visit(&f, &supervisor, "2023-03-11T23:05", "2023-03-11T23:17").await;
    let viewer = f.app.sign_in_as(Role::Viewer).await;
    let path = format!("/shifts/{}/log", f.shift);

    let seen = f.app.get(&path, Some(&viewer)).await;
    assert_eq!(seen.status, StatusCode::OK);
    let facts = seen.texts("dl.facts dd").join(" | ");
    assert!(facts.contains("Pair 1"), "{facts}");
    assert!(facts.contains("Sat 11 Mar 2023 22:00 MST"), "{facts}");
    assert!(facts.contains("Sun 12 Mar 2023 06:00 MDT"), "{facts}");
    assert!(facts.contains("7.0 hours"), "{facts}");
    assert!(facts.contains("Constable One (C1, CPS)"), "{facts}");
    assert!(facts.contains("Central Library"), "{facts}");
    assert_eq!(seen.texts("#visits tbody tr").len(), 1);
    assert!(
        seen.texts("form[method=post][action^='/']")
            .iter()
            .all(|t| t.contains("Sign out"))
    );

    let editable = f.app.get(&path, Some(&supervisor)).await;
    assert_eq!(editable.texts("#new-visit").len(), 1);
    assert_eq!(editable.texts("#new-activity").len(), 1);
    assert_eq!(editable.texts("#visits details form").len(), 1);

    let cancelled = f
        .app
        .get(&format!("/shifts/{}/log", f.cancelled), Some(&supervisor))
        .await;
    assert_eq!(cancelled.status, StatusCode::OK);
    assert!(
        cancelled.texts("#new-visit").is_empty(),
        "no forms on a cancelled shift"
    );
    assert_eq!(cancelled.texts("#cancelled-note").len(), 1);

    assert_eq!(
        f.app.get("/shifts/999999/log", Some(&viewer)).await.status,
        StatusCode::NOT_FOUND
    );
    let anonymous = f.app.get(&path, None).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert!(anonymous.location().unwrap().starts_with("/login?next="));
}

#[tokio::test]
async fn only_supervisors_and_admins_may_change_the_log() {
    let f = fixture().await;
    let supervisor = f.app.sign_in_as(Role::Supervisor).await;
    let visit = log_visit(&f, &supervisor, "2023-03-11T23:05", "2023-03-11T23:17").await;
    let activity = log_activity(
        &f,
        &supervisor,
        &[
            ("kind", "ticket"),
            ("count", "1"),
            ("occurred_at", "2023-03-11T23:40"),
        ],
    )
    .await;
    let viewer = f.app.sign_in_as(Role::Viewer).await;
    let library = f.library.to_string();
    let visit_fields = [
        ("hotspot_id", library.as_str()),
        ("arrived_at", "2023-03-11T23:30"),
        ("departed_at", "2023-03-11T23:45"),
    ];
    let activity_fields = [
        ("kind", "ticket"),
        ("count", "1"),
        ("occurred_at", "2023-03-11T23:50"),
    ];
    let routes: Vec<(String, &[(&str, &str)])> = vec![
        (format!("/shifts/{}/visits", f.shift), &visit_fields),
        (format!("/visits/{visit}"), &visit_fields),
        (format!("/visits/{visit}/delete"), &[]),
        (format!("/shifts/{}/activities", f.shift), &activity_fields),
        (format!("/activities/{activity}"), &activity_fields),
        (format!("/activities/{activity}/delete"), &[]),
    ];
    // Analysts maintain data but do not change what happened on a shift (issue 4).
    let analyst = f.app.sign_in_as(Role::Analyst).await;
    let before = counts(&f.app).await;

    for (path, fields) in &routes {
        let refused = f.app.post_form(path, fields, Some(&viewer)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "viewer {path}");
        let refused = f.app.post_form(path, fields, Some(&analyst)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "analyst {path}");
        let anonymous = f.app.post_form(path, fields, None).await;
        assert_eq!(anonymous.status, StatusCode::SEE_OTHER, "anonymous {path}");
        assert!(
            anonymous.location().unwrap().starts_with("/login"),
            "anonymous {path}"
        );
    }
    assert_eq!(counts(&f.app).await, before, "refused posts store nothing");

    let mut cookies = vec![supervisor.clone()];
    cookies.push(f.app.sign_in_as(Role::Admin).await);
    for cookie in &cookies {
        for (path, fields) in routes.iter().filter(|(p, _)| !p.ends_with("/delete")) {
            let allowed = f.app.post_form(path, fields, Some(cookie)).await;
            assert_eq!(
                allowed.status,
                StatusCode::SEE_OTHER,
                "{path}: {}",
                allowed.body
            );
        }
    }
    // The supervisor deletes the visit and the admin the activity.
    let deleted = f.app.post_form(&routes[2].0, &[], Some(&cookies[0])).await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    let deleted = f.app.post_form(&routes[5].0, &[], Some(&cookies[1])).await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    // 8 changes and 2 deletions, and the admin's account made on the way.
    assert_eq!(
        counts(&f.app).await,
        (before.0 + 1, before.1 + 1, before.2 + 11)
    );
}

#[tokio::test]
async fn a_visit_posted_from_another_site_is_refused() {
    let f = fixture().await;
    let cookie = f.app.sign_in_as(Role::Supervisor).await;
    let before = counts(&f.app).await;
    let body = encode_form(&[
        ("hotspot_id", &f.library.to_string()),
        ("arrived_at", "2023-03-11T23:05"),
        ("departed_at", "2023-03-11T23:17"),
    ]);

    let request = Request::builder()
        .method(Method::POST)
        .uri(format!("/shifts/{}/visits", f.shift))
        .header(header::HOST, "localhost")
        .header("sec-fetch-site", "cross-site")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, &cookie)
        .body(Body::from(body))
        .unwrap();
    let response = f.app.send(request).await;

    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert_eq!(counts(&f.app).await, before);
}

#[tokio::test]
async fn the_audit_log_is_for_supervisors_and_up_and_linked_from_their_navigation() {
    let f = fixture().await;
    let viewer = f.app.sign_in_as(Role::Viewer).await;
    let supervisor = f.app.sign_in_as(Role::Supervisor).await;

    assert_eq!(
        f.app.get("/audit", Some(&viewer)).await.status,
        StatusCode::FORBIDDEN
    );
    let anonymous = f.app.get("/audit", None).await;
    assert_eq!(anonymous.location(), Some("/login?next=/audit"));
    let home = f.app.get("/", Some(&viewer)).await;
    assert!(
        !home
            .texts("nav[aria-label=Main] a")
            .contains(&"Audit log".to_string())
    );
    let home = f.app.get("/", Some(&supervisor)).await;
    assert!(
        home.texts("nav[aria-label=Main] a")
            .contains(&"Audit log".to_string())
    );
    for role in [Role::Analyst, Role::Admin] {
        let cookie = f.app.sign_in_as(role).await;
        assert_eq!(
            f.app.get("/audit", Some(&cookie)).await.status,
            StatusCode::OK,
            "{role}"
        );
    }
    let page = f.app.get("/audit", Some(&supervisor)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.texts("table.audit caption")[0].contains("UTC"));
}

#[tokio::test]
async fn the_audit_log_shows_a_readable_difference_and_links_to_the_shift() {
    let f = fixture().await;
    let cookie = f.app.sign_in_as(Role::Supervisor).await;
    let visit = log_visit(&f, &cookie, "2023-03-11T23:05", "2023-03-11T23:17").await;
    let library = f.library.to_string();
    f.app
        .post_form(
            &format!("/visits/{visit}"),
            &[
                ("hotspot_id", library.as_str()),
                ("arrived_at", "2023-03-11T23:05"),
                ("departed_at", "2023-03-11T23:10"),
                ("source", "avl"),
            ],
            Some(&cookie),
        )
        .await;

    let page = f.app.get("/audit?entity=visit", Some(&cookie)).await;

    assert_eq!(page.status, StatusCode::OK);
    let rows = page.texts("table.audit tbody tr");
    assert_eq!(rows.len(), 2, "{rows:?}");
    let newest = page.html();
    let first_row = scraper::Selector::parse("table.audit tbody tr").unwrap();
    let row = newest.select(&first_row).next().unwrap();
    let items: Vec<String> = row
        .select(&scraper::Selector::parse("ul.changes li").unwrap())
        .map(|li| li.text().collect())
        .collect();
    assert_eq!(
        items,
        [
            "departed_at: 2023-03-12T06:17:00Z → 2023-03-12T06:10:00Z",
            "source: report → avl"
        ]
    );
    let text = |selector: &str| {
        row.select(&scraper::Selector::parse(selector).unwrap())
            .next()
            .map(|e| e.text().collect::<String>())
            .unwrap_or_default()
    };
    assert_eq!(text("td.who"), "test-supervisor");
    assert_eq!(text("td.action"), "update");
    assert_eq!(text("td.entity"), format!("visit #{visit}"));
    assert_eq!(
        attr(&page, "table.audit tbody tr td.entity a", "href"),
        Some(format!("/shifts/{}/log", f.shift))
    );
    assert!(text("details pre").contains("\"source\": \"report\""));
    let created = page.texts("table.audit tbody tr:nth-child(2) ul.changes li");
    assert!(
        created.contains(&"source added: report".to_string()),
        "{created:?}"
    );
}

#[tokio::test]
async fn the_audit_log_filters_by_user_entity_and_dates_and_pages_fifty_at_a_time() {
    let f = fixture().await;
    let cookie = f.app.sign_in_as(Role::Supervisor).await;
    let supervisor = user_id(&f.app, Role::Supervisor).await;
    // 60 entries on 1 March 2023 by the supervisor, one on 5 March by the system.
    sqlx::query(
        r#"insert into audit_log (at, user_id, action, entity, entity_id, after)
           select timestamptz '2023-03-01T10:00:00Z' + n * interval '1 minute', $1, 'update',
                  'widget', n, jsonb_build_object('n', n)
             from generate_series(1, 60) as n"#,
    )
    .bind(supervisor)
    .execute(&f.app.db)
    .await
    .unwrap();
    sqlx::query(
        r#"insert into audit_log (at, user_id, action, entity, entity_id)
           values ('2023-03-05T10:00:00Z', null, 'update', 'widget', 61)"#,
    )
    .execute(&f.app.db)
    .await
    .unwrap();
    let ids = |page: &TestResponse| page.texts("table.audit tbody td.entity");

    let first = f
        .app
        .get(
            "/audit?user=test-supervisor&entity=widget&from=2023-03-01&to=2023-03-01",
            Some(&cookie),
        )
        .await;
    assert_eq!(first.status, StatusCode::OK);
    let shown = ids(&first);
    assert_eq!(shown.len(), 50);
    assert_eq!(shown[0], "widget #60", "newest first");
    assert_eq!(
        first.texts("table.audit tbody td.when")[0],
        "2023-03-01 11:00:00"
    );
    assert_eq!(shown_value(&first, "user"), "test-supervisor");
    assert_eq!(shown_value(&first, "entity"), "widget");
    assert_eq!(shown_value(&first, "from"), "2023-03-01");
    let older = attr(&first, "a[rel=next]", "href").unwrap();
    assert_eq!(
        older,
        "/audit?user=test-supervisor&entity=widget&from=2023-03-01&to=2023-03-01&page=2"
    );
    assert!(attr(&first, "a[rel=prev]", "href").is_none());

    let second = f.app.get(&older, Some(&cookie)).await;
    let shown = ids(&second);
    assert_eq!(shown.len(), 10);
    assert_eq!(shown.last().unwrap(), "widget #1");
    assert!(attr(&second, "a[rel=next]", "href").is_none());
    assert_eq!(
        attr(&second, "a[rel=prev]", "href").unwrap(),
        "/audit?user=test-supervisor&entity=widget&from=2023-03-01&to=2023-03-01"
    );

    let system = f
        .app
        .get("/audit?user=system&entity=widget", Some(&cookie))
        .await;
    assert_eq!(ids(&system), ["widget #61"]);
    assert_eq!(system.texts("table.audit tbody td.who"), ["system"]);
    let later = f
        .app
        .get("/audit?entity=widget&from=2023-03-02", Some(&cookie))
        .await;
    assert_eq!(ids(&later), ["widget #61"]);
    let users = f.app.get("/audit?entity=user", Some(&cookie)).await;
    assert!(ids(&users).iter().all(|e| e.starts_with("user #")));
    assert!(!ids(&users).is_empty(), "signing up accounts is audited");
    let entities = first.texts("#entity option");
    assert!(entities.contains(&"widget".to_string()) && entities.contains(&"user".to_string()));

    let bad = f.app.get("/audit?from=2023-02-30", Some(&cookie)).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.texts("p.message")[0].contains("From must be a date written YYYY-MM-DD"));
    let backwards = f
        .app
        .get("/audit?from=2023-03-02&to=2023-03-01", Some(&cookie))
        .await;
    assert_eq!(backwards.status, StatusCode::BAD_REQUEST);
    let _ = f.pilot_id;
}
