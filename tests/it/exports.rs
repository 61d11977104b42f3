//! CSV exports and the exports page, through the real router over a real PostgreSQL: every
//! dataset against the database, `coverage_daily` against the JSON API, and the safety rules.

use crate::common;

use std::collections::HashMap;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{DateTime, NaiveDate, Utc};
use common::app::{TestApp, TestResponse};
use futures_util::StreamExt;
use patrolboard::domain::Role;
use patrolboard::export::DATASETS;
use serde_json::Value;
use sqlx::PgPool;
use tower::ServiceExt;

const PILOT: &str = "calgary-2023";
const ZONE: &str = "America/Edmonton";

/// A downloaded CSV: the header and the records, as text.
struct Csv {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Csv {
    fn parse(body: &str) -> Csv {
        let body = body.strip_prefix('\u{feff}').unwrap_or(body);
        let mut reader = csv::ReaderBuilder::new().from_reader(body.as_bytes());
        let header = reader
            .headers()
            .expect("a header row")
            .iter()
            .map(str::to_string)
            .collect();
        let rows = reader
            .records()
            .map(|r| {
                r.expect("a well-formed record")
                    .iter()
                    .map(str::to_string)
                    .collect()
            })
            .collect();
        Csv { header, rows }
    }

    fn column(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {:?}", self.header))
    }

    /// The values of one column.
    fn values(&self, name: &str) -> Vec<&str> {
        let i = self.column(name);
        self.rows.iter().map(|r| r[i].as_str()).collect()
    }

    /// The row whose `column` is `value`.
    fn row_where(&self, column: &str, value: &str) -> HashMap<&str, &str> {
        let i = self.column(column);
        let row = self
            .rows
            .iter()
            .find(|r| r[i] == value)
            .unwrap_or_else(|| panic!("no row with {column} = {value}"));
        self.header
            .iter()
            .map(String::as_str)
            .zip(row.iter().map(String::as_str))
            .collect()
    }

    fn sum(&self, name: &str) -> i64 {
        self.values(name)
            .iter()
            .map(|v| v.parse::<i64>().expect("an integer"))
            .sum()
    }

    /// Σ of a minutes column, as whole seconds: the cells hold 4 decimals of minutes, which is
    /// finer than a second, so each cell gives back its exact whole seconds.
    fn sum_seconds(&self, name: &str) -> i64 {
        self.values(name)
            .iter()
            .map(|v| (v.parse::<f64>().expect("a number") * 60.0).round() as i64)
            .sum()
    }
}

/// A visit as stored: id, arrived, departed, hotspot, source.
type StoredVisit = (i64, DateTime<Utc>, DateTime<Utc>, i64, String);

async fn download(app: &TestApp, cookie: &str, path: &str) -> (TestResponse, Csv) {
    let response = app.get(path, Some(cookie)).await;
    assert_eq!(response.status, StatusCode::OK, "{path}: {}", response.body);
    let csv = Csv::parse(&response.body);
    (response, csv)
}

fn url(dataset: &str, query: &str) -> String {
    format!("/exports/{dataset}.csv?pilot={PILOT}{query}")
}

async fn scalar(db: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db).await.unwrap()
}

/// Rows each dataset must have for local dates `from..=to` (and a district), counted by SQL
/// written independently of the exports'.
async fn expected_rows(
    db: &PgPool,
    dataset: &str,
    from: &str,
    to: &str,
    district: Option<&str>,
) -> i64 {
    let local = |column: &str| {
        format!("({column} at time zone '{ZONE}')::date between '{from}' and '{to}'")
    };
    let in_district = |hotspot: &str| match district {
        None => "true".to_string(),
        Some(code) => format!(
            "{hotspot} in (select h.id from hotspots h join districts d on d.id = h.district_id where d.code = '{code}')"
        ),
    };
    let shift_in_district = match district {
        None => "true".to_string(),
        Some(_) => format!(
            "exists (select 1 from shift_hotspots sh where sh.shift_id = s.id and {})",
            in_district("sh.hotspot_id")
        ),
    };
    let sql = match dataset {
        "officers" => "select count(distinct officer_id) from assignments".to_string(),
        "assignments" => {
            format!(
                "select count(*) from assignments where starts_on <= '{to}' and ends_on >= '{from}'"
            )
        }
        "teams" => "select count(*) from teams".to_string(),
        "districts" => "select count(*) from districts".to_string(),
        "hotspots" => format!(
            "select count(*) from hotspots h where {}",
            in_district("h.id")
        ),
        "shifts" => format!(
            "select count(*) from shifts s where {} and {shift_in_district}",
            local("s.starts_at")
        ),
        "shift_members" => format!(
            "select count(*) from shift_members m join shifts s on s.id = m.shift_id where {} and {shift_in_district}",
            local("s.starts_at")
        ),
        "visits" => format!(
            "select count(*) from visits v where {} and {}",
            local("v.arrived_at"),
            in_district("v.hotspot_id")
        ),
        "activities" => format!(
            "select count(*) from activities a where {} and {}",
            local("a.occurred_at"),
            match district {
                None => "true".to_string(),
                Some(_) => in_district("a.hotspot_id"),
            }
        ),
        "coverage_daily" => format!(
            "select count(*) from hotspot_days hd where hd.day between '{from}' and '{to}' and {}",
            in_district("hd.hotspot_id")
        ),
        // The demo's only entry is the loading of the pilot, made today: after the pilot, so
        // only a range to the pilot's last day holds it.
        "audit" => format!(
            "select count(*) from audit_log l where entity = 'pilot'
               and ((l.at at time zone 'America/Edmonton')::date >= '{from}' or '{from}' = '2023-02-27')
               and ((l.at at time zone 'America/Edmonton')::date <= '{to}' or '{to}' = '2023-05-31')"
        ),
        other => panic!("no expectation for {other}"),
    };
    scalar(db, &sql).await
}

#[tokio::test]
async fn every_dataset_downloads_with_its_documented_header_and_the_rows_the_database_has() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Analyst).await;

    for (from, to) in [("2023-02-27", "2023-05-31"), ("2023-03-06", "2023-03-12")] {
        for dataset in DATASETS {
            let path = url(dataset.name, &format!("&from={from}&to={to}"));
            let (response, csv) = download(&app, &cookie, &path).await;

            assert_eq!(
                response.headers[header::CONTENT_TYPE],
                "text/csv; charset=utf-8"
            );
            let documented: Vec<&str> = dataset.header().collect();
            assert_eq!(csv.header, documented, "{path}");
            assert_eq!(
                csv.rows.len() as i64,
                expected_rows(&app.db, dataset.name, from, to, None).await,
                "{path}"
            );
            assert!(
                csv.rows.iter().all(|r| r.len() == documented.len()),
                "{path}: every record has every column"
            );
        }
    }
}

#[tokio::test]
async fn the_demo_datasets_are_not_empty_for_the_whole_pilot() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Supervisor).await;
    for dataset in DATASETS.iter().filter(|d| d.name != "audit") {
        let (_, csv) = download(&app, &cookie, &url(dataset.name, "")).await;
        assert!(!csv.rows.is_empty(), "{} has rows", dataset.name);
    }
}

#[tokio::test]
async fn a_district_limits_the_datasets_it_makes_sense_for() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Analyst).await;
    let (from, to) = ("2023-03-01", "2023-03-31");

    for dataset in DATASETS {
        let path = url(dataset.name, &format!("&from={from}&to={to}&district=BLN"));
        let (_, csv) = download(&app, &cookie, &path).await;
        let expected = if dataset.by_district.is_some() {
            expected_rows(&app.db, dataset.name, from, to, Some("BLN")).await
        } else {
            expected_rows(&app.db, dataset.name, from, to, None).await
        };
        assert_eq!(csv.rows.len() as i64, expected, "{path}");
        if csv.header.iter().any(|h| h == "district_code") {
            assert!(
                csv.values("district_code").iter().all(|c| *c == "BLN"),
                "{path}"
            );
        }
    }
}

#[tokio::test]
async fn a_visit_round_trips_and_its_local_time_carries_the_offset_in_force() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Supervisor).await;
    let (_, csv) = download(
        &app,
        &cookie,
        &url("visits", "&from=2023-03-11&to=2023-03-13"),
    )
    .await;

    // Every visit of the database is there with the same instants.
    let stored: Vec<StoredVisit> =
        sqlx::query_as(
            r#"select v.id, v.arrived_at, v.departed_at, v.hotspot_id, v.source from visits v
                where (v.arrived_at at time zone 'America/Edmonton')::date between '2023-03-11' and '2023-03-13'
                order by v.arrived_at, v.id"#,
        )
        .fetch_all(&app.db)
        .await
        .unwrap();
    let ids: Vec<String> = stored.iter().map(|v| v.0.to_string()).collect();
    assert_eq!(csv.values("id"), ids, "same visits, in arrival order");
    for (id, arrived, departed, hotspot, source) in &stored {
        let row = csv.row_where("id", &id.to_string());
        assert_eq!(
            DateTime::parse_from_rfc3339(row["arrived_at"]).unwrap(),
            *arrived
        );
        assert_eq!(
            DateTime::parse_from_rfc3339(row["arrived_local"]).unwrap(),
            *arrived
        );
        assert_eq!(
            DateTime::parse_from_rfc3339(row["departed_at"]).unwrap(),
            *departed
        );
        assert!(
            row["arrived_at"].ends_with("+00:00"),
            "{}",
            row["arrived_at"]
        );
        assert_eq!(row["hotspot_id"], hotspot.to_string());
        assert_eq!(row["source"], source);
        let dwell = (*departed - *arrived).num_seconds() as f64 / 60.0;
        let written: f64 = row["dwell_minutes"].parse().unwrap();
        assert!((written - dwell).abs() < 0.0001, "{written} vs {dwell}");
    }

    // 12 March 2023: clocks jump from 02:00 MST (-07:00) to 03:00 MDT (-06:00).
    let (mut before, mut after) = (0, 0);
    for local in csv.values("arrived_local") {
        let Some(clock) = local.strip_prefix("2023-03-12T") else {
            continue;
        };
        let hour: u32 = clock[..2].parse().unwrap();
        if hour < 2 {
            assert!(local.ends_with("-07:00"), "{local}");
            before += 1;
        } else {
            assert!(hour >= 3, "{local} does not exist in Calgary");
            assert!(local.ends_with("-06:00"), "{local}");
            after += 1;
        }
    }
    assert!(before > 0 && after > 0, "the demo has visits on both sides");
}

#[tokio::test]
async fn shifts_show_their_real_length_across_the_spring_forward_night() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Supervisor).await;
    let (_, csv) = download(
        &app,
        &cookie,
        &url("shifts", "&from=2023-03-11&to=2023-03-11"),
    )
    .await;
    let stored: Vec<(i64, f64, i64)> = sqlx::query_as(
        r#"select s.id, extract(epoch from s.ends_at - s.starts_at)::float8 / 60,
                  (select count(*) from shift_members m where m.shift_id = s.id)
             from shifts s
            where (s.starts_at at time zone 'America/Edmonton')::date = '2023-03-11'"#,
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(csv.rows.len(), stored.len());
    for (id, minutes, members) in stored {
        let row = csv.row_where("id", &id.to_string());
        let written: f64 = row["duration_minutes"].parse().unwrap();
        assert!((written - minutes).abs() < 0.0001, "{written} vs {minutes}");
        assert_eq!(row["members"], members.to_string());
        let starts = DateTime::parse_from_rfc3339(row["starts_local"]).unwrap();
        let ends = DateTime::parse_from_rfc3339(row["ends_local"]).unwrap();
        assert!(((ends - starts).num_seconds() as f64 / 60.0 - minutes).abs() < 0.0001);
    }
}

/// The JSON API's figures for a range.
async fn api(app: &TestApp, cookie: &str, from: &str, to: &str) -> Value {
    let response = app
        .get(
            &format!("/api/v1/pilots/{PILOT}/coverage?from={from}&to={to}"),
            Some(cookie),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    serde_json::from_str(&response.body).unwrap()
}

fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

fn pct(part: i64, whole: i64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        round2(part as f64 * 100.0 / whole as f64)
    }
}

/// `coverage_daily` summed equals the API's figures `expected` (the whole pilot or a district).
fn assert_sums_match(csv: &Csv, expected: &Value, what: &str) {
    let blocks = csv.sum("hotspot_blocks");
    assert_eq!(blocks, expected["hotspot_blocks"], "{what}: blocks");
    for column in [
        "planned_blocks",
        "delivered_blocks",
        "visits",
        "koper_visits",
        "pass_throughs",
    ] {
        assert_eq!(csv.sum(column), expected[column], "{what}: {column}");
    }
    let planned = pct(csv.sum("planned_blocks"), blocks);
    assert_eq!(
        planned, expected["planned_coverage_pct"],
        "{what}: planned %"
    );
    let delivered = pct(csv.sum("delivered_blocks"), blocks);
    assert_eq!(
        delivered, expected["delivered_coverage_pct"],
        "{what}: delivered %"
    );
    for column in ["patrol_minutes", "officer_minutes"] {
        let minutes = round2(csv.sum_seconds(column) as f64 / 60.0);
        assert_eq!(minutes, expected[column], "{what}: {column}");
    }
    let dosage = pct(
        csv.sum_seconds("capped_patrol_minutes"),
        csv.sum_seconds("target_minutes"),
    );
    assert_eq!(dosage, expected["dosage_pct"], "{what}: dosage %");
    let longest = csv
        .values("longest_gap_minutes")
        .iter()
        .map(|v| v.parse::<f64>().unwrap())
        .fold(0.0, f64::max);
    assert_eq!(
        round2(longest),
        expected["longest_gap_minutes"],
        "{what}: longest gap"
    );
}

#[tokio::test]
async fn coverage_daily_sums_to_the_figures_of_the_json_api_for_any_range() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Analyst).await;

    for (from, to) in [
        ("2023-02-27", "2023-05-31"),
        ("2023-03-06", "2023-03-12"),
        ("2023-03-11", "2023-03-12"),
        ("2023-04-15", "2023-04-15"),
    ] {
        let expected = api(&app, &cookie, from, to).await;
        let (_, csv) = download(
            &app,
            &cookie,
            &url("coverage_daily", &format!("&from={from}&to={to}")),
        )
        .await;
        assert!(csv.values("pilot").iter().all(|p| *p == PILOT));
        let (first, last): (NaiveDate, NaiveDate) = (from.parse().unwrap(), to.parse().unwrap());
        for day in csv.values("day") {
            let day: NaiveDate = day.parse().unwrap();
            assert!(first <= day && day <= last, "{day} in {from}..{to}");
        }
        assert_sums_match(&csv, &expected, &format!("{from}..{to}"));
    }
}

#[tokio::test]
async fn coverage_daily_of_a_district_sums_to_that_district_in_the_json_api() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Analyst).await;

    for (from, to) in [("2023-02-27", "2023-05-31"), ("2023-03-11", "2023-03-12")] {
        let all = api(&app, &cookie, from, to).await;
        for code in ["BLN", "DNC"] {
            let expected = all["districts"]
                .as_array()
                .unwrap()
                .iter()
                .find(|d| d["code"] == code)
                .unwrap()
                .clone();
            let (_, csv) = download(
                &app,
                &cookie,
                &url(
                    "coverage_daily",
                    &format!("&from={from}&to={to}&district={code}"),
                ),
            )
            .await;
            assert!(csv.values("district_code").iter().all(|c| *c == code));
            assert_sums_match(&csv, &expected, &format!("{code} {from}..{to}"));
        }
    }
}

#[tokio::test]
async fn text_a_spreadsheet_would_run_as_a_formula_is_neutralised_and_numbers_are_not() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Analyst).await;
    let officer: i64 = sqlx::query_scalar(
        r#"insert into officers (agency, badge_number, name, rank, home_unit)
           values ('cps', '+1', '=SUM(A1)', '@x', '-2') returning id"#,
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    sqlx::query(
        "insert into assignments (officer_id, pilot_id, starts_on, ends_on, role)
         values ($1, 1, '2023-03-01', '2023-03-31', 'cps_partner')",
    )
    .bind(officer)
    .execute(&app.db)
    .await
    .unwrap();
    let shift: i64 = sqlx::query_scalar(
        r#"update shifts set notes = E'\t=cmd|'' /C calc''!A0' where id = (
               select id from shifts
                where (starts_at at time zone 'America/Edmonton')::date = '2023-03-15'
                order by id limit 1)
           returning id"#,
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let activity: i64 = sqlx::query_scalar(
        r#"insert into activities (shift_id, occurred_at, kind, count, note)
           select id, starts_at + interval '1 minute', 'other', 2, '-5 people moved on'
             from shifts where id = $1
           returning id"#,
    )
    .bind(shift)
    .fetch_one(&app.db)
    .await
    .unwrap();

    let (_, officers) = download(&app, &cookie, &url("officers", "")).await;
    let row = officers.row_where("id", &officer.to_string());
    assert_eq!(row["name"], "'=SUM(A1)");
    assert_eq!(row["badge_number"], "'+1");
    assert_eq!(row["rank"], "'@x");
    assert_eq!(row["home_unit"], "'-2");
    let someone = officers.row_where("id", "1");
    assert!(
        !someone["name"].starts_with('\''),
        "ordinary names are left alone"
    );

    let (_, shifts) = download(
        &app,
        &cookie,
        &url("shifts", "&from=2023-03-15&to=2023-03-15"),
    )
    .await;
    let row = shifts.row_where("id", &shift.to_string());
    // The tab is a separator too: split on it, the cell would start with `=cmd`.
    assert_eq!(row["notes"], "'\t'=cmd|' /C calc'!A0");

    let (_, activities) = download(
        &app,
        &cookie,
        &url("activities", "&from=2023-03-15&to=2023-03-15"),
    )
    .await;
    let row = activities.row_where("id", &activity.to_string());
    assert_eq!(row["note"], "'-5 people moved on");
    assert_eq!(row["count"], "2", "numbers are written as numbers");
    assert_eq!(row["hotspot_id"], "", "no hotspot is an empty cell");
}

#[tokio::test]
async fn the_file_uses_crlf_line_ends_and_a_byte_order_mark_only_when_asked() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Supervisor).await;

    let plain = app.get(&url("teams", ""), Some(&cookie)).await;
    assert!(
        plain.body.starts_with("id,name,agency,mode\r\n"),
        "{:?}",
        &plain.body[..40]
    );
    assert!(
        !plain.body.replace("\r\n", "").contains('\n'),
        "no bare line feeds"
    );

    let excel = app.get(&url("teams", "&bom=1"), Some(&cookie)).await;
    assert_eq!(excel.status, StatusCode::OK);
    assert!(excel.body.starts_with("\u{feff}id,name,agency,mode\r\n"));
    assert_eq!(Csv::parse(&excel.body).rows, Csv::parse(&plain.body).rows);

    let zero = app.get(&url("teams", "&bom=0"), Some(&cookie)).await;
    assert_eq!(zero.body, plain.body);
}

#[tokio::test]
async fn the_file_is_named_for_what_it_holds_and_when() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Supervisor).await;
    let disposition = |response: &TestResponse| {
        response.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .to_string()
    };

    let visits = app
        .get(
            &url("visits", "&from=2023-03-01&to=2023-03-31"),
            Some(&cookie),
        )
        .await;
    assert_eq!(
        disposition(&visits),
        r#"attachment; filename="patrolboard-calgary-2023-visits-2023-03-01-to-2023-03-31.csv""#
    );
    let whole = app
        .get(&url("coverage_daily", "&district=BLN"), Some(&cookie))
        .await;
    assert_eq!(
        disposition(&whole),
        r#"attachment; filename="patrolboard-calgary-2023-coverage_daily-BLN-2023-02-27-to-2023-05-31.csv""#
    );
    let officers = app
        .get(
            &url("officers", "&from=2023-03-01&district=BLN"),
            Some(&cookie),
        )
        .await;
    assert_eq!(
        disposition(&officers),
        r#"attachment; filename="patrolboard-calgary-2023-officers.csv""#,
        "dates and district are named only when they limit the file"
    );
}

#[tokio::test]
async fn audit_entries_of_the_pilot_in_the_range_are_exported_with_who_made_them() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Admin).await;
    let user: i64 = scalar(
        &app.db,
        "select id from users where username = 'test-admin'",
    )
    .await;
    sqlx::query(
        r#"insert into audit_log (at, user_id, action, entity, entity_id, before, after) values
             ('2023-03-12T08:50:00Z', $1, 'update', 'shift', 1, '{"notes": ""}', '{"notes": "=1+1"}'),
             ('2023-03-12T09:10:00Z', null, 'create', 'visit', 1, null, '{"id": 1}'),
             ('2023-03-13T05:30:00Z', $1, 'cancel', 'shift', 2, null, null),
             ('2023-03-12T10:00:00Z', $1, 'create', 'user', $1, null, '{"username": "x"}'),
             ('2023-03-12T11:00:00Z', $1, 'update', 'shift', 999999, null, '{"pilot_id": 999}'),
             ('2023-03-12T12:00:00Z', $1, 'create', 'calendar_token', 7, null, '{"pilot": "calgary-2023"}'),
             ('2023-03-12T13:00:00Z', $1, 'delete', 'hotspot', 999998, '{"pilot_id": 1}', null)"#,
    )
    .bind(user)
    .execute(&app.db)
    .await
    .unwrap();

    let (_, csv) = download(
        &app,
        &cookie,
        &url("audit", "&from=2023-03-12&to=2023-03-12"),
    )
    .await;

    // The account entry belongs to no pilot, the unknown shift to another; the calendar link and
    // the deleted hotspot name the pilot in their JSON; 13 March 05:30 UTC is still 12 March in
    // Calgary (23:30 MDT).
    assert_eq!(
        csv.values("entity"),
        ["shift", "visit", "calendar_token", "hotspot", "shift"]
    );
    let first = &csv.rows[0];
    let row: HashMap<_, _> = csv
        .header
        .iter()
        .map(String::as_str)
        .zip(first.iter().map(String::as_str))
        .collect();
    assert_eq!(row["at"], "2023-03-12T08:50:00+00:00");
    assert_eq!(row["at_local"], "2023-03-12T01:50:00-07:00");
    assert_eq!(row["username"], "test-admin");
    assert_eq!(row["entity"], "shift");
    assert_eq!(row["entity_id"], "1");
    let after: Value = serde_json::from_str(row["after"]).unwrap();
    assert_eq!(after["notes"], "=1+1", "JSON is written as stored");
    assert_eq!(csv.values("username")[1], "", "the system has no username");
    assert_eq!(csv.values("before")[1], "");
}

#[tokio::test]
async fn changes_made_before_or_after_the_pilot_are_exported_with_its_first_or_last_day() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Analyst).await;
    sqlx::query(
        r#"insert into audit_log (at, user_id, action, entity, entity_id, before, after) values
             ('2023-01-15T17:00:00Z', null, 'create', 'calendar_token', 1, null, '{"pilot": "calgary-2023"}'),
             ('2023-04-10T17:00:00Z', null, 'create', 'calendar_token', 2, null, '{"pilot": "calgary-2023"}'),
             ('2024-02-01T17:00:00Z', null, 'create', 'calendar_token', 3, null, '{"pilot": "calgary-2023"}')"#,
    )
    .execute(&app.db)
    .await
    .unwrap();
    let ids = |csv: &Csv| -> Vec<String> {
        csv.values("entity_id")
            .into_iter()
            .zip(csv.values("entity"))
            .filter(|(_, entity)| *entity == "calendar_token")
            .map(|(id, _)| id.to_string())
            .collect()
    };

    let (_, whole) = download(&app, &cookie, &url("audit", "")).await;
    let (_, early) = download(&app, &cookie, &url("audit", "&to=2023-04-30")).await;
    let (_, late) = download(&app, &cookie, &url("audit", "&from=2023-04-01")).await;
    let (_, inside) = download(
        &app,
        &cookie,
        &url("audit", "&from=2023-03-01&to=2023-04-30"),
    )
    .await;

    assert_eq!(ids(&whole), ["1", "2", "3"]);
    assert_eq!(ids(&early), ["1", "2"]);
    assert_eq!(ids(&late), ["2", "3"]);
    assert_eq!(ids(&inside), ["2"]);
    assert!(
        whole.values("entity").contains(&"pilot"),
        "the demo's loading, made today, is in the whole pilot's export"
    );
}

#[tokio::test]
async fn picking_another_pilot_on_the_exports_page_shows_its_own_dates() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Analyst).await;
    sqlx::query(
        r#"insert into pilots (slug, name, city, time_zone, starts_on, ends_on, block_minutes)
           values ('winter-2024', 'Winter 2024', 'Calgary', 'America/Edmonton',
                   '2024-01-08', '2024-03-31', 30)"#,
    )
    .execute(&app.db)
    .await
    .unwrap();
    let page = app.get("/exports", Some(&cookie)).await;
    assert_eq!(
        page.texts("#datasets caption")[0],
        "Winter 2024, 2024-01-08 to 2024-03-31: what each download holds",
        "the most recent pilot comes first"
    );

    // The form as sent after choosing the demo pilot: the dates and district of Winter 2024.
    let switched = app
        .get(
            "/exports?shown=winter-2024&pilot=calgary-2023&from=2024-01-08&to=2024-03-31&district=",
            Some(&cookie),
        )
        .await;
    let typed = app
        .get(
            "/exports?pilot=calgary-2023&from=2024-01-08&to=2024-03-31",
            Some(&cookie),
        )
        .await;

    assert_eq!(switched.status, StatusCode::OK, "{}", switched.body);
    assert_eq!(
        switched.texts("#datasets caption")[0],
        "Calgary Downtown Sheriffs Pilot 2023, 2023-02-27 to 2023-05-31: what each download holds"
    );
    assert_eq!(
        typed.status,
        StatusCode::BAD_REQUEST,
        "dates typed into the address for a pilot are still checked"
    );
}

#[tokio::test]
async fn viewers_are_refused_and_anonymous_requests_are_sent_to_sign_in() {
    let app = TestApp::seeded().await;
    let viewer = app.sign_in_as(Role::Viewer).await;
    for path in ["/exports", "/exports/visits.csv?pilot=calgary-2023"] {
        let anonymous = app.get(path, None).await;
        assert_eq!(anonymous.status, StatusCode::SEE_OTHER, "{path}");
        assert!(
            anonymous
                .location()
                .unwrap()
                .starts_with("/login?next=/exports")
        );
        assert_eq!(
            app.get(path, Some(&viewer)).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    for role in [Role::Supervisor, Role::Analyst, Role::Admin] {
        let cookie = app.sign_in_as(role).await;
        for path in ["/exports", "/exports/visits.csv?pilot=calgary-2023"] {
            assert_eq!(
                app.get(path, Some(&cookie)).await.status,
                StatusCode::OK,
                "{role} {path}"
            );
        }
    }
}

#[tokio::test]
async fn bad_parameters_get_a_clear_400_or_404_and_never_a_500() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Analyst).await;
    let cases = [
        (
            "/exports/nope.csv?pilot=calgary-2023",
            StatusCode::NOT_FOUND,
            "",
        ),
        (
            "/exports/visits?pilot=calgary-2023",
            StatusCode::NOT_FOUND,
            "",
        ),
        (
            "/exports/visits.json?pilot=calgary-2023",
            StatusCode::NOT_FOUND,
            "",
        ),
        (
            "/exports/visits.csv?pilot=nowhere-2023",
            StatusCode::NOT_FOUND,
            "",
        ),
        ("/exports?pilot=nowhere-2023", StatusCode::NOT_FOUND, ""),
        ("/exports/visits.csv", StatusCode::BAD_REQUEST, "pilot"),
        (
            "/exports/visits.csv?pilot=calgary-2023&from=2023-13-01",
            StatusCode::BAD_REQUEST,
            "YYYY-MM-DD",
        ),
        (
            "/exports/visits.csv?pilot=calgary-2023&from=yesterday",
            StatusCode::BAD_REQUEST,
            "YYYY-MM-DD",
        ),
        (
            "/exports/visits.csv?pilot=calgary-2023&from=2023-03-10&to=2023-03-09",
            StatusCode::BAD_REQUEST,
            "before it starts",
        ),
        (
            "/exports/visits.csv?pilot=calgary-2023&from=2023-01-01",
            StatusCode::BAD_REQUEST,
            "not inside the pilot",
        ),
        (
            "/exports/visits.csv?pilot=calgary-2023&to=2023-06-01",
            StatusCode::BAD_REQUEST,
            "not inside the pilot",
        ),
        (
            "/exports/visits.csv?pilot=calgary-2023&district=XYZ",
            StatusCode::BAD_REQUEST,
            "no district",
        ),
        (
            "/exports/visits.csv?pilot=calgary-2023&bom=yes",
            StatusCode::BAD_REQUEST,
            "bom",
        ),
        (
            "/exports?pilot=calgary-2023&to=2023-02-01",
            StatusCode::BAD_REQUEST,
            "before it starts",
        ),
        (
            "/exports?pilot=calgary-2023&district=%27%3B--",
            StatusCode::BAD_REQUEST,
            "no district",
        ),
        (
            "/exports/visits.csv?pilot=%27%3B%20drop%20table%20visits",
            StatusCode::NOT_FOUND,
            "",
        ),
    ];
    for (path, status, sentence) in cases {
        let response = app.get(path, Some(&cookie)).await;
        assert_eq!(response.status, status, "{path}: {}", response.body);
        let message = response.texts(".message").join(" ");
        assert!(message.contains(sentence), "{path}: {message}");
    }
    assert_eq!(scalar(&app.db, "select count(*) from visits").await, 4307);
}

#[tokio::test]
async fn the_exports_page_lists_every_dataset_with_the_rows_its_download_will_have() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Supervisor).await;
    let query = "from=2023-03-06&to=2023-03-19&district=DNC";
    let page = app
        .get(&format!("/exports?pilot={PILOT}&{query}"), Some(&cookie))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let html = page.html();
    let select = |css: &str| scraper::Selector::parse(css).unwrap();

    let listed: Vec<_> = html.select(&select("#datasets tbody tr")).collect();
    assert_eq!(listed.len(), DATASETS.len());
    for (row, dataset) in listed.into_iter().zip(DATASETS) {
        assert_eq!(row.value().attr("data-dataset"), Some(dataset.name));
        let rows: i64 = row
            .select(&select("[data-rows]"))
            .next()
            .unwrap()
            .value()
            .attr("data-rows")
            .unwrap()
            .parse()
            .unwrap();
        let href = row
            .select(&select("a.download"))
            .next()
            .unwrap()
            .value()
            .attr("href")
            .unwrap();
        assert_eq!(
            href,
            format!("/exports/{}.csv?pilot={PILOT}&{query}", dataset.name)
        );
        let excel = row
            .select(&select("a.download-excel"))
            .next()
            .unwrap()
            .value()
            .attr("href")
            .unwrap();
        assert_eq!(excel, format!("{href}&bom=1"));
        let (_, csv) = download(&app, &cookie, href).await;
        assert_eq!(csv.rows.len() as i64, rows, "{}", dataset.name);
    }
}

#[tokio::test]
async fn the_data_dictionary_documents_every_column_of_every_download() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Analyst).await;
    let page = app.get("/exports", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.html();
    let select = |css: &str| scraper::Selector::parse(css).unwrap();

    for dataset in DATASETS {
        let table = html
            .select(&select(&format!(
                "table.dictionary[data-dataset={}]",
                dataset.name
            )))
            .next()
            .unwrap_or_else(|| panic!("a dictionary for {}", dataset.name));
        let documented: Vec<String> = table
            .select(&select("tbody tr"))
            .map(|tr| {
                let cells: Vec<String> = tr
                    .select(&select("th, td"))
                    .map(|c| c.text().collect::<String>().trim().to_string())
                    .collect();
                assert!(
                    !cells[1].is_empty() && !cells[3].is_empty(),
                    "{cells:?} has a type and a meaning"
                );
                cells[0].clone()
            })
            .collect();
        let (_, csv) = download(&app, &cookie, &url(dataset.name, "")).await;
        assert_eq!(documented, csv.header, "{}", dataset.name);
    }
}

#[tokio::test]
async fn the_exports_page_has_a_labelled_filter_that_keeps_the_choice() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Supervisor).await;
    let page = app
        .get(
            "/exports?pilot=calgary-2023&from=2023-03-06&to=2023-03-12&district=BLN",
            Some(&cookie),
        )
        .await;
    let html = page.html();
    let select = |css: &str| scraper::Selector::parse(css).unwrap();
    for field in html.select(&select(
        "form.filter input:not([type=hidden]), form.filter select",
    )) {
        let id = field.value().attr("id").expect("every field has an id");
        assert!(
            html.select(&select(&format!("label[for={id}]")))
                .next()
                .is_some(),
            "{id} has a label"
        );
    }
    let value = |css: &str| {
        html.select(&select(css))
            .next()
            .and_then(|e| e.value().attr("value").map(str::to_string))
    };
    assert_eq!(value("#from").as_deref(), Some("2023-03-06"));
    assert_eq!(value("#to").as_deref(), Some("2023-03-12"));
    assert_eq!(value("#pilot option[selected]").as_deref(), Some(PILOT));
    assert_eq!(value("#district option[selected]").as_deref(), Some("BLN"));
}

#[tokio::test]
async fn a_large_export_is_streamed_in_chunks_not_built_in_memory() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Analyst).await;
    let router = patrolboard::web::router(patrolboard::state::AppState::new(
        app.db.clone(),
        patrolboard::config::Config::default(),
    ));
    let request = Request::get(url("visits", ""))
        .header(header::COOKIE, &cookie)
        .body(Body::empty())
        .unwrap();
    let response = router.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().get(header::CONTENT_LENGTH).is_none());

    let mut chunks = response.into_body().into_data_stream();
    let (mut count, mut biggest, mut bytes) = (0, 0, Vec::new());
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.unwrap();
        count += 1;
        biggest = biggest.max(chunk.len());
        bytes.extend_from_slice(&chunk);
    }
    let csv = Csv::parse(std::str::from_utf8(&bytes).unwrap());
    let expected = expected_rows(&app.db, "visits", "2023-02-27", "2023-05-31", None).await;
    assert_eq!(csv.rows.len() as i64, expected);
    assert!(count > 5, "{count} chunks");
    assert!(
        biggest < 2 * patrolboard::export::stream::CHUNK_BYTES,
        "the biggest chunk is {biggest} bytes"
    );
}
