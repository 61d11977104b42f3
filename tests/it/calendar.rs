//! Private iCalendar feeds of shifts, through the real router over a real PostgreSQL: what the
//! feed says (parsed back with a small RFC 5545 reader), and who may make and revoke its links.

use crate::common;

use std::collections::BTreeMap;

use axum::http::{StatusCode, header};
use chrono::{DateTime, NaiveDateTime, Utc};
use common::app::{TestApp, TestResponse};
use patrolboard::domain::Role;
use sha2::{Digest, Sha256};
use sqlx::PgPool;

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

// ----- a small RFC 5545 reader ---------------------------------------------------------------

/// Content lines, unfolded: CRLF line ends, continuation lines start with a space or a tab.
fn unfold(body: &str) -> Vec<String> {
    assert!(body.ends_with("\r\n"), "the feed ends with CRLF");
    assert!(
        !body.replace("\r\n", "").contains(['\r', '\n']),
        "every line ends with CRLF, and no other line break appears"
    );
    let mut lines: Vec<String> = Vec::new();
    for physical in body.trim_end_matches("\r\n").split("\r\n") {
        match physical.strip_prefix([' ', '\t']) {
            Some(rest) => lines
                .last_mut()
                .expect("a continuation follows a line")
                .push_str(rest),
            None => lines.push(physical.to_string()),
        }
    }
    lines
}

/// A TEXT value with its escapes undone.
fn unescape(value: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => panic!("a lone backslash ends {value:?}"),
            }
        } else {
            assert!(!matches!(c, ';' | ','), "unescaped {c:?} in {value:?}");
            out.push(c);
        }
    }
    out
}

/// The calendar's own properties and its events, each a map of property name to raw value.
struct Calendar {
    properties: BTreeMap<String, String>,
    events: Vec<BTreeMap<String, String>>,
}

impl Calendar {
    fn parse(body: &str) -> Calendar {
        let lines = unfold(body);
        assert_eq!(lines.first().map(String::as_str), Some("BEGIN:VCALENDAR"));
        assert_eq!(lines.last().map(String::as_str), Some("END:VCALENDAR"));
        let mut calendar = Calendar {
            properties: BTreeMap::new(),
            events: Vec::new(),
        };
        let mut event: Option<BTreeMap<String, String>> = None;
        for line in &lines[1..lines.len() - 1] {
            let (name_and_params, value) = line.split_once(':').expect("NAME:value");
            let name = name_and_params.split(';').next().unwrap().to_string();
            match (name.as_str(), value) {
                ("BEGIN", "VEVENT") => event = Some(BTreeMap::new()),
                ("END", "VEVENT") => calendar.events.push(event.take().expect("an open event")),
                _ => {
                    let target = event.as_mut().unwrap_or(&mut calendar.properties);
                    assert!(
                        target.insert(name.clone(), value.to_string()).is_none(),
                        "{name} twice"
                    );
                }
            }
        }
        calendar
    }

    fn event(&self, uid: &str) -> &BTreeMap<String, String> {
        self.events
            .iter()
            .find(|e| e["UID"] == uid)
            .unwrap_or_else(|| panic!("no event {uid}"))
    }
}

fn instant(value: &str) -> DateTime<Utc> {
    NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%SZ")
        .unwrap_or_else(|e| panic!("{value:?} is not a UTC date-time: {e}"))
        .and_utc()
}

async fn fetch(app: &TestApp, path: &str) -> TestResponse {
    app.get(path, None).await
}

// ----- the feeds -----------------------------------------------------------------------------

#[tokio::test]
async fn the_spring_forward_night_shift_comes_out_as_seven_hours() {
    let app = TestApp::empty().await;
    let f = fixture(&app.db).await;
    let cookie = supervisor(&app).await;
    let path = make_link(&app, &cookie, "officer_id", f.avery).await;

    let response = fetch(&app, &path).await;

    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(
        response.headers.get(header::CONTENT_TYPE).unwrap(),
        "text/calendar; charset=utf-8"
    );
    let calendar = Calendar::parse(&response.body);
    assert_eq!(calendar.properties["VERSION"], "2.0");
    assert!(calendar.properties.contains_key("PRODID"));
    assert_eq!(
        calendar.events.len(),
        2,
        "Avery's two shifts, not Blake's bike shift"
    );
    let night = calendar.event(&format!("shift-{}@patrolboard", f.dst_night));
    let (start, end) = (instant(&night["DTSTART"]), instant(&night["DTEND"]));
    assert_eq!(night["DTSTART"], "20230312T050000Z", "22:00 MST");
    assert_eq!(night["DTEND"], "20230312T120000Z", "06:00 MDT");
    assert_eq!((end - start).num_hours(), 7);
    assert_eq!(night["STATUS"], "CONFIRMED");
    assert_eq!(night["SEQUENCE"], "2");
    assert!(night.contains_key("DTSTAMP"));
    assert_eq!(
        unescape(&night["SUMMARY"]),
        "Sheriff/CPS Pair 3 (foot patrol)"
    );
    let description = unescape(&night["DESCRIPTION"]);
    assert!(
        description.contains("Hotspots: Olympic Plaza; City Hall, east side"),
        "{description}"
    );
    assert!(
        description.contains("Partners: Blake Chen"),
        "{description}"
    );
    assert!(
        !description.contains("Avery Quinn"),
        "the officer is not their own partner"
    );
    assert!(
        description.contains("radios\\spare batteries.\nWatch"),
        "{description}"
    );
}

#[tokio::test]
async fn cancelled_shifts_are_cancelled_in_the_feed() {
    let app = TestApp::empty().await;
    let f = fixture(&app.db).await;
    let cookie = supervisor(&app).await;
    let path = make_link(&app, &cookie, "officer_id", f.blake).await;

    let calendar = Calendar::parse(&fetch(&app, &path).await.body);

    assert_eq!(calendar.events.len(), 3);
    let cancelled = calendar.event(&format!("shift-{}@patrolboard", f.cancelled));
    assert_eq!(cancelled["STATUS"], "CANCELLED");
    assert_eq!(cancelled["SEQUENCE"], "3");
    assert_eq!(
        (instant(&cancelled["DTEND"]) - instant(&cancelled["DTSTART"])).num_hours(),
        8
    );
    let bike = calendar.event(&format!("shift-{}@patrolboard", f.bike));
    assert_eq!(bike["STATUS"], "CONFIRMED");
    assert!(unescape(&bike["DESCRIPTION"]).contains("Partners: none"));
}

#[tokio::test]
async fn uids_are_stable_across_two_fetches() {
    let app = TestApp::empty().await;
    let f = fixture(&app.db).await;
    let cookie = supervisor(&app).await;
    let path = make_link(&app, &cookie, "team_id", f.pair).await;

    let first = fetch(&app, &path).await;
    let second = fetch(&app, &path).await;

    let uids = |r: &TestResponse| -> Vec<String> {
        Calendar::parse(&r.body)
            .events
            .iter()
            .map(|e| e["UID"].clone())
            .collect()
    };
    assert_eq!(
        uids(&first),
        [
            format!("shift-{}@patrolboard", f.dst_night),
            format!("shift-{}@patrolboard", f.cancelled)
        ]
    );
    assert_eq!(uids(&first), uids(&second));
    assert_eq!(
        first.body, second.body,
        "nothing changed, so the feed is the same"
    );
}

#[tokio::test]
async fn a_team_feed_lists_every_shift_of_the_team_with_its_officers() {
    let app = TestApp::empty().await;
    let f = fixture(&app.db).await;
    let cookie = supervisor(&app).await;
    let path = make_link(&app, &cookie, "team_id", f.pair).await;
    assert!(
        path.starts_with("/calendar/teams/") && path.ends_with(".ics"),
        "{path}"
    );

    let calendar = Calendar::parse(&fetch(&app, &path).await.body);

    let night = calendar.event(&format!("shift-{}@patrolboard", f.dst_night));
    assert!(unescape(&night["DESCRIPTION"]).contains("Officers: Avery Quinn, Blake Chen"));
    assert!(calendar.properties["X-WR-CALNAME"].contains("Sheriff/CPS Pair 3"));
}

#[tokio::test]
async fn every_line_is_folded_to_at_most_75_octets() {
    let app = TestApp::empty().await;
    let f = fixture(&app.db).await;
    let cookie = supervisor(&app).await;
    let path = make_link(&app, &cookie, "officer_id", f.avery).await;

    let body = fetch(&app, &path).await.body;

    let physical: Vec<&str> = body.trim_end_matches("\r\n").split("\r\n").collect();
    for line in &physical {
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
    }
    assert!(
        physical.iter().any(|l| l.starts_with(' ')),
        "the long description is folded"
    );
    let description = unescape(
        &Calendar::parse(&body).event(&format!("shift-{}@patrolboard", f.dst_night))["DESCRIPTION"],
    );
    assert!(
        description.contains(
            &"café crowd after midnight, "
                .repeat(6)
                .trim_end()
                .to_string()
        )
    );
}

// ----- tokens --------------------------------------------------------------------------------

#[tokio::test]
async fn a_revoked_token_gets_the_same_404_as_an_unknown_one() {
    let app = TestApp::empty().await;
    let f = fixture(&app.db).await;
    let cookie = supervisor(&app).await;
    let path = make_link(&app, &cookie, "officer_id", f.avery).await;
    assert_eq!(fetch(&app, &path).await.status, StatusCode::OK);
    let id: i64 = sqlx::query_scalar("select id from calendar_tokens")
        .fetch_one(&app.db)
        .await
        .unwrap();

    let revoked = app
        .post_form(
            &format!("/calendar/tokens/{id}/revoke"),
            &[("pilot", PILOT)],
            Some(&cookie),
        )
        .await;

    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    let after = fetch(&app, &path).await;
    let unknown = fetch(&app, &format!("/calendar/officers/{}.ics", "0f".repeat(32))).await;
    assert_eq!(after.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(after.body, unknown.body);
    assert_eq!(
        fetch(&app, "/calendar/officers/not-a-token.ics")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // An officer's token does not open a team feed.
    let team_path = path.replace("/officers/", "/teams/");
    let other = make_link(&app, &cookie, "officer_id", f.avery).await;
    assert_eq!(
        fetch(&app, &other.replace("/officers/", "/teams/"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(fetch(&app, &team_path).await.status, StatusCode::NOT_FOUND);
    // Revoking twice finds nothing to revoke.
    let again = app
        .post_form(
            &format!("/calendar/tokens/{id}/revoke"),
            &[("pilot", PILOT)],
            Some(&cookie),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn only_the_hash_of_a_token_is_stored() {
    let app = TestApp::empty().await;
    let f = fixture(&app.db).await;
    let cookie = supervisor(&app).await;
    let path = make_link(&app, &cookie, "officer_id", f.avery).await;
    let token = path
        .trim_start_matches("/calendar/officers/")
        .trim_end_matches(".ics");
    assert_eq!(token.len(), 64, "256 random bits, in hex");

    let stored: Vec<u8> = sqlx::query_scalar("select token_hash from calendar_tokens")
        .fetch_one(&app.db)
        .await
        .unwrap();

    assert_eq!(stored, Sha256::digest(token.as_bytes()).to_vec());
    let page = app
        .get(&format!("/calendar?pilot={PILOT}"), Some(&cookie))
        .await;
    assert!(!page.body.contains(token), "the URL is shown once only");
}

#[tokio::test]
async fn viewers_cannot_see_create_or_revoke_links() {
    let app = TestApp::empty().await;
    let f = fixture(&app.db).await;
    let boss = supervisor(&app).await;
    make_link(&app, &boss, "officer_id", f.avery).await;
    let viewer = app.sign_in_as(Role::Viewer).await;

    let page = app.get("/calendar", Some(&viewer)).await;
    let create = app
        .post_form(
            "/calendar/tokens",
            &[("pilot", PILOT), ("officer_id", &f.blake.to_string())],
            Some(&viewer),
        )
        .await;
    let revoke = app
        .post_form(
            "/calendar/tokens/1/revoke",
            &[("pilot", PILOT)],
            Some(&viewer),
        )
        .await;

    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert_eq!(create.status, StatusCode::FORBIDDEN);
    assert_eq!(revoke.status, StatusCode::FORBIDDEN);
    assert_eq!(
        sqlx::query_scalar::<_, i64>(
            "select count(*) from calendar_tokens where revoked_at is null"
        )
        .fetch_one(&app.db)
        .await
        .unwrap(),
        1
    );
}

#[tokio::test]
async fn the_links_page_lists_the_pilots_officers_and_teams() {
    let app = TestApp::empty().await;
    let f = fixture(&app.db).await;
    let cookie = supervisor(&app).await;
    make_link(&app, &cookie, "team_id", f.pair).await;

    let page = app
        .get(&format!("/calendar?pilot={PILOT}"), Some(&cookie))
        .await;

    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.texts("#officers tbody th"),
        ["Avery Quinn", "Blake Chen"]
    );
    assert_eq!(
        page.texts("#teams tbody th"),
        ["Bike Unit A", "Sheriff/CPS Pair 3"]
    );
    assert_eq!(page.texts("#teams form[action$='/revoke'] button").len(), 1);
    assert_eq!(
        app.get("/calendar?pilot=nope", Some(&cookie)).await.status,
        StatusCode::NOT_FOUND
    );
}

/// action, entity_id, user_id, before, after.
type AuditEntry = (
    String,
    Option<i64>,
    Option<i64>,
    Option<serde_json::Value>,
    Option<serde_json::Value>,
);

#[tokio::test]
async fn creating_and_revoking_a_link_write_audit_entries() {
    let app = TestApp::empty().await;
    let f = fixture(&app.db).await;
    let cookie = supervisor(&app).await;
    make_link(&app, &cookie, "officer_id", f.avery).await;
    let id: i64 = sqlx::query_scalar("select id from calendar_tokens")
        .fetch_one(&app.db)
        .await
        .unwrap();
    app.post_form(
        &format!("/calendar/tokens/{id}/revoke"),
        &[("pilot", PILOT)],
        Some(&cookie),
    )
    .await;

    let entries: Vec<AuditEntry> =
        sqlx::query_as(
            "select action, entity_id, user_id, before, after from audit_log where entity = 'calendar_token' order by id",
        )
        .fetch_all(&app.db)
        .await
        .unwrap();

    assert_eq!(entries.len(), 2);
    let supervisor_id: i64 =
        sqlx::query_scalar("select id from users where username = 'test-supervisor'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let (action, entity, user, before, after) = &entries[0];
    assert_eq!(
        (action.as_str(), *entity, *user),
        ("create", Some(id), Some(supervisor_id))
    );
    assert!(before.is_none());
    assert_eq!(after.as_ref().unwrap()["officer_id"], f.avery);
    let (action, entity, _, before, after) = &entries[1];
    assert_eq!((action.as_str(), *entity), ("revoke", Some(id)));
    assert!(before.as_ref().unwrap()["revoked_at"].is_null());
    assert!(after.as_ref().unwrap()["revoked_at"].is_string());
    let all_text =
        serde_json::to_string(&entries.iter().map(|e| (&e.3, &e.4)).collect::<Vec<_>>()).unwrap();
    assert!(
        !all_text.contains("token_hash"),
        "no secret in the audit log"
    );
}
