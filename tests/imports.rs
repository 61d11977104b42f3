//! Imports of district boundaries, hotspots and the City's community statistics: the real files
//! as published, all-or-nothing on a bad row, dry runs, idempotence, the audit trail, the
//! `patrolboard import` command and the upload page, over a real PostgreSQL. Rosters are in
//! `imports/roster/`.

mod common;
#[path = "imports/roster/mod.rs"]
mod roster;
#[path = "imports/shapes.rs"]
mod shapes;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::app::{TestApp, TestResponse};
use patrolboard::domain::Role;
use patrolboard::import::{self, Kind, Report};
use serde_json::{Value, json};
use sqlx::PgPool;

const BOUNDARIES_CSV: &str = "Community_District_Boundaries_downtown.csv";
const COMMUNITIES_GEOJSON: &str = "downtown_communities.geojson";
const CRIME_CSV: &str = "Community_Crime_Statistics_downtown.csv";
const DISORDER_CSV: &str = "Community_Disorder_Statistics_20240907_downtown_extract.csv";
const PILOT: &str = "test-2023";

/// A file of the City's open data, as published.
fn data(name: &str) -> Vec<u8> {
    let path = format!("{}/data/calgary/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("reading {path}: {e}"))
}

/// A new, empty pilot `test-2023` in Calgary's zone, 27 February to 31 May 2023.
async fn fresh_pilot(db: &PgPool) -> i64 {
    sqlx::query_scalar(
        r"insert into pilots (slug, name, city, time_zone, starts_on, ends_on)
          values ($1, 'Test pilot', 'Calgary', 'America/Edmonton', '2023-02-27', '2023-05-31')
          returning id",
    )
    .bind(PILOT)
    .fetch_one(db)
    .await
    .expect("the pilot is created")
}

/// A fresh pilot with the downtown districts imported, for hotspots to be imported into.
async fn pilot_with_districts(db: &PgPool) {
    fresh_pilot(db).await;
    run(
        db,
        Kind::Districts,
        Some(PILOT),
        &data(BOUNDARIES_CSV),
        false,
    )
    .await;
}

async fn run(db: &PgPool, kind: Kind, pilot: Option<&str>, bytes: &[u8], dry_run: bool) -> Report {
    patrolboard::service::imports::run(
        db,
        import::Request {
            kind,
            pilot,
            bytes,
            dry_run,
            user_id: None,
        },
    )
    .await
    .expect("the import runs")
}

async fn count(db: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db).await.expect(sql)
}

/// Counts of every table an import may write, to prove that nothing was written.
async fn snapshot(db: &PgPool) -> [i64; 5] {
    [
        count(db, "select count(*) from districts").await,
        count(db, "select count(*) from hotspots").await,
        count(db, "select count(*) from community_stats").await,
        count(db, "select count(*) from audit_log").await,
        count(db, "select count(*) from hotspot_days").await,
    ]
}

/// Lines of a text with their line ends (CRLF or LF) kept apart, to edit one and join again.
fn replace_line(text: &str, line: usize, edit: impl FnOnce(&str) -> String) -> String {
    let end = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut lines: Vec<String> = text.split(end).map(str::to_string).collect();
    lines[line - 1] = edit(&lines[line - 1]);
    lines.join(end)
}

/// A small square hotspot around a point, as a GeoJSON Feature.
fn hotspot(name: &str, district: &str, (lon, lat): (f64, f64), priority: i64) -> Value {
    let d = 0.0008;
    json!({
        "type": "Feature",
        "properties": {
            "name": name, "district": district, "priority": priority,
            "active_from": "2023-02-27", "active_to": null,
            "window_start": "22:00", "window_end": "06:00",
            "target_minutes_per_day": 120, "max_gap_minutes": 90,
            "reason": "Night-time disorder reports"
        },
        "geometry": {"type": "Polygon", "coordinates": [[
            [lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]
        ]]}
    })
}

fn collection(features: Vec<Value>) -> Vec<u8> {
    serde_json::to_vec_pretty(&json!({"type": "FeatureCollection", "features": features})).unwrap()
}

/// Calgary Tower (in the Downtown Commercial Core) and Victoria Park station (in the Beltline).
const CALGARY_TOWER: (f64, f64) = (-114.0631, 51.0443);
const VICTORIA_PARK: (f64, f64) = (-114.0583, 51.0386);

#[tokio::test]
async fn the_citys_boundary_csv_imports_as_published_into_a_fresh_pilot() {
    let app = TestApp::empty().await;
    let pilot_id = fresh_pilot(&app.db).await;
    let bytes = data(BOUNDARIES_CSV);
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "the file has its byte-order mark"
    );

    let report = run(&app.db, Kind::Districts, Some(PILOT), &bytes, false).await;

    assert_eq!(report.errors, []);
    assert!(report.applied);
    assert_eq!(
        (
            report.counts.new,
            report.counts.updated,
            report.counts.unchanged
        ),
        (13, 0, 0)
    );
    let names: Vec<(String, String)> =
        sqlx::query_as("select code, name from districts where pilot_id = $1 order by code")
            .bind(pilot_id)
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(names.len(), 13);
    assert!(names.contains(&("DNC".into(), "Downtown Commercial Core".into())));
    assert!(names.contains(&("BRD".into(), "Bridgeland/Riverside".into())));
    let boundary: Value = sqlx::query_scalar("select boundary from districts where code = 'ING'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(boundary["type"], "MultiPolygon");
    let ring = boundary["coordinates"][0][0].as_array().unwrap();
    assert!(
        ring.len() > 1000,
        "the big boundary came through whole: {}",
        ring.len()
    );
    assert_eq!(ring.first(), ring.last());
}

#[tokio::test]
async fn the_geojson_communities_import_and_equal_the_csv_ones() {
    let app = TestApp::empty().await;
    fresh_pilot(&app.db).await;

    let first = run(
        &app.db,
        Kind::Districts,
        Some(PILOT),
        &data(COMMUNITIES_GEOJSON),
        false,
    )
    .await;
    let second = run(
        &app.db,
        Kind::Districts,
        Some(PILOT),
        &data(BOUNDARIES_CSV),
        false,
    )
    .await;

    assert_eq!(first.errors, []);
    assert_eq!(first.counts.new, 13);
    assert!(first.format.contains("GeoJSON"), "{}", first.format);
    assert!(second.format.contains("CSV"), "{}", second.format);
    assert_eq!(
        (
            second.counts.new,
            second.counts.updated,
            second.counts.unchanged
        ),
        (0, 0, 13)
    );
}

#[tokio::test]
async fn the_demo_districts_are_unchanged_by_the_citys_file() {
    let app = TestApp::seeded().await;
    let audit_before = count(&app.db, "select count(*) from audit_log").await;

    let report = run(
        &app.db,
        Kind::Districts,
        Some("calgary-2023"),
        &data(BOUNDARIES_CSV),
        true,
    )
    .await;

    // The demo holds the six core communities exactly as the City publishes them.
    assert_eq!(
        (
            report.counts.new,
            report.counts.updated,
            report.counts.unchanged
        ),
        (7, 0, 6)
    );
    assert!(!report.applied);
    assert_eq!(
        count(&app.db, "select count(*) from audit_log").await,
        audit_before
    );
}

#[tokio::test]
async fn the_crime_and_disorder_csvs_import_as_published() {
    let app = TestApp::empty().await;

    let crime = run(&app.db, Kind::CommunityStats, None, &data(CRIME_CSV), false).await;
    let disorder = run(
        &app.db,
        Kind::CommunityStats,
        None,
        &data(DISORDER_CSV),
        false,
    )
    .await;

    assert_eq!(crime.errors, []);
    assert_eq!(crime.counts.new, 6038);
    assert_eq!(disorder.counts.new, 1001);
    assert!(crime.format.contains("crime") && disorder.format.contains("disorder"));
    let (crime_total, disorder_total): (i64, i64) = sqlx::query_as(
        "select sum(count) filter (where dataset = 'crime'), sum(count) filter (where dataset = 'disorder') from community_stats",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let file_total = |name: &str| -> i64 {
        let bytes = data(name);
        let mut reader = csv::Reader::from_reader(&bytes[..]);
        reader
            .records()
            .map(|r| r.unwrap()[2].parse::<i64>().unwrap())
            .sum()
    };
    assert_eq!(crime_total, file_total(CRIME_CSV));
    assert_eq!(disorder_total, file_total(DISORDER_CSV));
    assert!(
        count(&app.db, "select count(*) from community_stats where category = 'Violence ''Other'' (Non-domestic)'").await
            > 0,
        "the non-breaking space is normalised"
    );
    assert_eq!(
        count(
            &app.db,
            "select count(*) from community_stats where category like '%' || chr(160) || '%'"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn importing_the_same_files_twice_changes_nothing() {
    let app = TestApp::empty().await;
    fresh_pilot(&app.db).await;
    let hotspots = collection(vec![
        hotspot("Calgary Tower", "DNC", CALGARY_TOWER, 1),
        hotspot("Victoria Park", "Beltline", VICTORIA_PARK, 2),
    ]);
    let files = [
        (Kind::Districts, Some(PILOT), data(BOUNDARIES_CSV), 13),
        (Kind::Hotspots, Some(PILOT), hotspots, 2),
        (Kind::CommunityStats, None, data(CRIME_CSV), 6038),
        (Kind::CommunityStats, None, data(DISORDER_CSV), 1001),
    ];
    for (kind, pilot, bytes, _) in &files {
        let first = run(&app.db, *kind, *pilot, bytes, false).await;
        assert_eq!(first.errors, [], "{kind}");
    }
    let after_first = snapshot(&app.db).await;
    let days: Vec<(i64, chrono::NaiveDate, i32)> =
        sqlx::query_as("select hotspot_id, day, blocks from hotspot_days order by 1, 2")
            .fetch_all(&app.db)
            .await
            .unwrap();

    for (kind, pilot, bytes, rows) in &files {
        let second = run(&app.db, *kind, *pilot, bytes, false).await;
        assert_eq!(
            second.counts.to_string(),
            format!("0 new, 0 updated, {rows} unchanged"),
            "{kind}"
        );
    }

    assert_eq!(snapshot(&app.db).await, after_first);
    let days_again: Vec<(i64, chrono::NaiveDate, i32)> =
        sqlx::query_as("select hotspot_id, day, blocks from hotspot_days order by 1, 2")
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(days, days_again);
}

#[tokio::test]
async fn hotspots_import_into_their_districts_and_refresh_coverage() {
    let app = TestApp::empty().await;
    let pilot_id = fresh_pilot(&app.db).await;
    run(
        &app.db,
        Kind::Districts,
        Some(PILOT),
        &data(BOUNDARIES_CSV),
        false,
    )
    .await;

    let report = run(
        &app.db,
        Kind::Hotspots,
        Some(PILOT),
        &collection(vec![hotspot("Calgary Tower", "dnc", CALGARY_TOWER, 1)]),
        false,
    )
    .await;

    assert_eq!(report.errors, []);
    let (district, priority, window_end, max_gap): (String, i16, chrono::NaiveTime, i32) = sqlx::query_as(
        "select d.code, h.priority, h.window_end, h.max_gap_minutes from hotspots h join districts d on d.id = h.district_id where h.pilot_id = $1",
    )
    .bind(pilot_id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!((district.as_str(), priority, max_gap), ("DNC", 1, 90));
    assert_eq!(
        window_end,
        chrono::NaiveTime::from_hms_opt(6, 0, 0).unwrap()
    );
    // One hotspot-day per day of the pilot, 27 February to 31 May.
    assert_eq!(
        count(&app.db, "select count(*) from hotspot_days").await,
        94
    );
}

/// A stored hotspot: name, district code, priority, active from and to, window, target, gap,
/// reason, boundary.
type DemoHotspot = (
    String,
    String,
    i16,
    chrono::NaiveDate,
    Option<chrono::NaiveDate>,
    chrono::NaiveTime,
    chrono::NaiveTime,
    i32,
    i32,
    String,
    Value,
);

#[tokio::test]
async fn the_demo_hotspots_exported_as_geojson_import_unchanged() {
    let app = TestApp::seeded().await;
    let rows: Vec<DemoHotspot> =
        sqlx::query_as(
            r"select h.name, d.code, h.priority, h.active_from, h.active_to, h.window_start, h.window_end,
                     h.target_minutes_per_day, h.max_gap_minutes, h.reason, h.boundary
                from hotspots h join districts d on d.id = h.district_id join pilots p on p.id = h.pilot_id
               where p.slug = 'calgary-2023'",
        )
        .fetch_all(&app.db)
        .await
        .unwrap();
    let features = rows
        .iter()
        .map(|(name, code, priority, from, to, start, end, target, gap, reason, boundary)| {
            json!({"type": "Feature", "geometry": boundary, "properties": {
                "name": name, "district": code, "priority": priority,
                "active_from": from.to_string(), "active_to": to.map(|d| d.to_string()),
                "window_start": start.format("%H:%M").to_string(), "window_end": end.format("%H:%M").to_string(),
                "target_minutes_per_day": target, "max_gap_minutes": gap, "reason": reason}})
        })
        .collect();
    let before = snapshot(&app.db).await;

    let report = run(
        &app.db,
        Kind::Hotspots,
        Some("calgary-2023"),
        &collection(features),
        false,
    )
    .await;

    assert_eq!(report.errors, []);
    assert_eq!(
        (
            report.counts.new,
            report.counts.updated,
            report.counts.unchanged
        ),
        (0, 0, rows.len())
    );
    assert_eq!(snapshot(&app.db).await, before);
}

#[tokio::test]
async fn a_month_13_in_the_middle_of_the_crime_file_writes_nothing_and_names_its_line() {
    let app = TestApp::empty().await;
    let text = String::from_utf8(data(CRIME_CSV)).unwrap();
    let broken = replace_line(&text, 3001, |line| {
        let (rest, _) = line.rsplit_once(',').unwrap();
        format!("{rest},13")
    });
    let before = snapshot(&app.db).await;

    let report = run(
        &app.db,
        Kind::CommunityStats,
        None,
        broken.as_bytes(),
        false,
    )
    .await;

    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    assert_eq!(report.errors[0].line, 3001);
    assert!(
        report.errors[0].reason.contains("Month 13"),
        "{}",
        report.errors[0]
    );
    assert!(!report.applied);
    assert_eq!(snapshot(&app.db).await, before);
}

#[tokio::test]
async fn every_non_number_count_is_listed_and_nothing_is_written() {
    let app = TestApp::empty().await;
    let text = String::from_utf8(data(DISORDER_CSV)).unwrap();
    let mut broken = text.clone();
    for line in [2, 500, 1002] {
        broken = replace_line(&broken, line, |l| {
            let parts: Vec<&str> = l.split(',').collect();
            format!("{},{},n/a,{},{}", parts[0], parts[1], parts[3], parts[4])
        });
    }

    let report = run(
        &app.db,
        Kind::CommunityStats,
        None,
        broken.as_bytes(),
        false,
    )
    .await;

    let lines: Vec<usize> = report.errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, [2, 500, 1002]);
    assert!(
        report
            .errors
            .iter()
            .all(|e| e.reason.contains("\"n/a\" is not a whole number"))
    );
    assert_eq!(
        count(&app.db, "select count(*) from community_stats").await,
        0
    );
}

#[tokio::test]
async fn an_unclosed_ring_in_the_boundary_file_writes_nothing_and_names_its_line() {
    let app = TestApp::empty().await;
    fresh_pilot(&app.db).await;
    let text = String::from_utf8(data(BOUNDARIES_CSV)).unwrap();
    // Line 7 is Inglewood: drop the last point of its ring, so the ring no longer closes.
    let broken = replace_line(&text, 7, |line| {
        let end = line.rfind(")))").unwrap();
        let cut = line[..end].rfind(", ").unwrap();
        format!("{}{}", &line[..cut], &line[end..])
    });
    let before = snapshot(&app.db).await;

    let report = run(
        &app.db,
        Kind::Districts,
        Some(PILOT),
        broken.as_bytes(),
        false,
    )
    .await;

    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    assert_eq!(report.errors[0].line, 7);
    assert!(
        report.errors[0].reason.contains("not closed"),
        "{}",
        report.errors[0]
    );
    assert_eq!(snapshot(&app.db).await, before);
}

#[tokio::test]
async fn a_hotspot_in_an_unknown_district_writes_nothing_and_names_its_feature() {
    let app = TestApp::empty().await;
    pilot_with_districts(&app.db).await;
    let file = collection(vec![
        hotspot("Calgary Tower", "DNC", CALGARY_TOWER, 1),
        hotspot("Nowhere Plaza", "Atlantis", CALGARY_TOWER, 2),
        hotspot("Victoria Park", "BLN", VICTORIA_PARK, 2),
    ]);
    let text = String::from_utf8(file.clone()).unwrap();
    let line_of_second = text
        .lines()
        .position(|l| l.contains("Nowhere Plaza"))
        .unwrap()
        + 1;
    let before = snapshot(&app.db).await;

    let report = run(&app.db, Kind::Hotspots, Some(PILOT), &file, false).await;

    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    let error = &report.errors[0];
    assert_eq!(error.feature, Some(2));
    assert!(
        error.line > 1 && error.line < line_of_second,
        "{error} starts before its name"
    );
    assert!(
        error.reason.contains("\"Atlantis\" is not a district"),
        "{error}"
    );
    assert_eq!(snapshot(&app.db).await, before);
}

#[tokio::test]
async fn a_dry_run_reports_the_changes_and_writes_nothing() {
    let app = TestApp::empty().await;
    fresh_pilot(&app.db).await;
    let before = snapshot(&app.db).await;

    let districts = run(
        &app.db,
        Kind::Districts,
        Some(PILOT),
        &data(BOUNDARIES_CSV),
        true,
    )
    .await;
    let stats = run(&app.db, Kind::CommunityStats, None, &data(CRIME_CSV), true).await;

    assert_eq!(districts.counts.new, 13);
    assert_eq!(stats.counts.new, 6038);
    assert!(districts.dry_run && !districts.applied);
    assert_eq!(snapshot(&app.db).await, before);
}

#[tokio::test]
async fn audit_entries_are_written_once_per_changed_row() {
    let app = TestApp::empty().await;
    fresh_pilot(&app.db).await;
    let text = String::from_utf8(data(BOUNDARIES_CSV)).unwrap();
    run(
        &app.db,
        Kind::Districts,
        Some(PILOT),
        text.as_bytes(),
        false,
    )
    .await;
    let renamed = text.replace(",CHINATOWN,", ",CHINATOWN EAST,");

    let report = run(
        &app.db,
        Kind::Districts,
        Some(PILOT),
        renamed.as_bytes(),
        false,
    )
    .await;

    assert_eq!(
        (
            report.counts.new,
            report.counts.updated,
            report.counts.unchanged
        ),
        (0, 1, 12)
    );
    let entries: Vec<(String, Option<Value>, Option<Value>)> = sqlx::query_as(
        "select action, before, after from audit_log where entity = 'district' order by id",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(entries.len(), 14, "13 inserts, then 1 update");
    assert!(entries.iter().all(|(action, _, _)| action == "import"));
    let (_, before, after) = &entries[13];
    assert_eq!(before.as_ref().unwrap()["name"], "Chinatown");
    assert_eq!(after.as_ref().unwrap()["name"], "Chinatown East");

    run(
        &app.db,
        Kind::CommunityStats,
        None,
        &data(DISORDER_CSV),
        false,
    )
    .await;
    assert_eq!(
        count(
            &app.db,
            "select count(*) from audit_log where entity = 'community_stats' and action = 'import'"
        )
        .await,
        1001
    );
}

#[tokio::test]
async fn the_command_fails_on_a_bad_file_and_imports_a_good_one() {
    let app = TestApp::empty().await;
    fresh_pilot(&app.db).await;
    let dir = common::scratch_dir("imports");
    let text = String::from_utf8(data(CRIME_CSV)).unwrap();
    let bad = dir.join("crime-bad.csv");
    std::fs::write(
        &bad,
        replace_line(&text, 4, |l| l.replace(",2018,", ",twenty,")),
    )
    .unwrap();
    let good = dir.join("crime.csv");
    std::fs::write(&good, &text).unwrap();
    let boundaries = dir.join("boundaries.txt");
    std::fs::write(&boundaries, data(BOUNDARIES_CSV)).unwrap();
    let patrolboard = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_patrolboard"))
            .args(args)
            .env("DATABASE_URL", common::url_for(&app.db))
            .env("RUST_LOG", "warn")
            .output()
            .expect("the binary runs")
    };

    let failed = patrolboard(&["import", "community-stats", bad.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(!failed.status.success());
    assert!(
        stderr.contains("line 4: Year \"twenty\" is not a whole number"),
        "{stderr}"
    );
    assert_eq!(
        count(&app.db, "select count(*) from community_stats").await,
        0
    );

    let dry = patrolboard(&[
        "import",
        "community-stats",
        "--dry-run",
        good.to_str().unwrap(),
    ]);
    assert!(
        dry.status.success(),
        "{}",
        String::from_utf8_lossy(&dry.stderr)
    );
    assert!(String::from_utf8_lossy(&dry.stdout).contains("6038 new, 0 updated, 0 unchanged"));
    assert_eq!(
        count(&app.db, "select count(*) from community_stats").await,
        0
    );

    let applied = patrolboard(&[
        "import",
        "districts",
        "--pilot",
        PILOT,
        boundaries.to_str().unwrap(),
    ]);
    assert!(
        applied.status.success(),
        "{}",
        String::from_utf8_lossy(&applied.stderr)
    );
    assert!(String::from_utf8_lossy(&applied.stdout).contains("13 new, 0 updated, 0 unchanged"));
    let again = patrolboard(&[
        "import",
        "districts",
        "--pilot",
        PILOT,
        boundaries.to_str().unwrap(),
    ]);
    assert!(String::from_utf8_lossy(&again.stdout).contains("0 new, 0 updated, 13 unchanged"));

    let unknown = patrolboard(&[
        "import",
        "hotspots",
        "--pilot",
        "nope",
        good.to_str().unwrap(),
    ]);
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no pilot \"nope\""));
}

// ----- the upload page -----------------------------------------------------------------------

async fn upload(
    app: &TestApp,
    cookie: &str,
    fields: &[(&str, &str)],
    file_name: &str,
    file: &[u8],
) -> TestResponse {
    let request = Request::builder()
        .method(Method::POST)
        .uri("/imports")
        .header(header::HOST, "localhost")
        .header(header::ORIGIN, "http://localhost")
        .header("sec-fetch-site", "same-origin")
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, common::app::multipart_type())
        .body(Body::from(common::app::multipart(fields, file_name, file)))
        .unwrap();
    app.send(request).await
}

fn text_of(response: &TestResponse, selector: &str) -> String {
    response.texts(selector).join(" ")
}

#[tokio::test]
async fn an_analyst_dry_runs_then_applies_an_upload() {
    let app = TestApp::empty().await;
    fresh_pilot(&app.db).await;
    let cookie = app.sign_in_as(Role::Analyst).await;
    let form = app.get("/imports", Some(&cookie)).await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(form.texts("select#pilot option[value=test-2023]").len(), 1);
    let file = data(BOUNDARIES_CSV);

    let dry = upload(
        &app,
        &cookie,
        &[("kind", "districts"), ("pilot", PILOT), ("mode", "dry-run")],
        BOUNDARIES_CSV,
        &file,
    )
    .await;
    assert_eq!(dry.status, StatusCode::OK, "{}", dry.body);
    assert_eq!(text_of(&dry, "#import-new"), "13");
    assert!(text_of(&dry, "#import-headline").contains("Dry run"));
    assert_eq!(count(&app.db, "select count(*) from districts").await, 0);

    let applied = upload(
        &app,
        &cookie,
        &[("kind", "districts"), ("pilot", PILOT), ("mode", "apply")],
        BOUNDARIES_CSV,
        &file,
    )
    .await;
    assert_eq!(applied.status, StatusCode::OK);
    assert_eq!(text_of(&applied, "#import-new"), "13");
    assert_eq!(count(&app.db, "select count(*) from districts").await, 13);
    let user_ids: Vec<Option<i64>> =
        sqlx::query_scalar("select distinct user_id from audit_log where action = 'import'")
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(user_ids.len(), 1);
    assert!(user_ids[0].is_some(), "the analyst is recorded");

    let again = upload(
        &app,
        &cookie,
        &[("kind", "districts"), ("pilot", PILOT), ("mode", "apply")],
        BOUNDARIES_CSV,
        &file,
    )
    .await;
    assert_eq!(text_of(&again, "#import-unchanged"), "13");
    assert_eq!(text_of(&again, "#import-new"), "0");
}

#[tokio::test]
async fn an_upload_with_bad_rows_lists_each_with_its_line_and_writes_nothing() {
    let app = TestApp::empty().await;
    let cookie = app.sign_in_as(Role::Analyst).await;
    let text = String::from_utf8(data(CRIME_CSV)).unwrap();
    let broken = replace_line(
        &replace_line(&text, 10, |l| l.replace(",2018,", ",2018x,")),
        20,
        |l| {
            let (rest, _) = l.rsplit_once(',').unwrap();
            format!("{rest},0")
        },
    );
    let audit_before = count(&app.db, "select count(*) from audit_log").await;

    let response = upload(
        &app,
        &cookie,
        &[
            ("kind", "community-stats"),
            ("pilot", ""),
            ("mode", "apply"),
        ],
        CRIME_CSV,
        broken.as_bytes(),
    )
    .await;

    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.texts("#import-errors tbody th"), ["10", "20"]);
    let reasons = response.texts("#import-errors tbody td");
    assert!(
        reasons.iter().any(|r| r.contains("Month 0 is not in 1–12")),
        "{reasons:?}"
    );
    assert!(text_of(&response, "#import-headline").contains("nothing was written"));
    assert_eq!(
        count(&app.db, "select count(*) from community_stats").await,
        0
    );
    assert_eq!(
        count(&app.db, "select count(*) from audit_log").await,
        audit_before
    );
}

#[tokio::test]
async fn an_upload_bigger_than_the_usual_body_limit_with_a_huge_cell_is_accepted() {
    let app = TestApp::empty().await;
    fresh_pilot(&app.db).await;
    let cookie = app.sign_in_as(Role::Analyst).await;
    // A circle of 150,000 points around downtown: one WKT cell of more than 3 MB.
    let n = 150_000;
    let points: Vec<String> = (0..=n)
        .map(|i| {
            let a = std::f64::consts::TAU * f64::from(i % n) / f64::from(n);
            format!(
                "{:.7} {:.7}",
                -114.06 + 0.01 * a.cos(),
                51.045 + 0.006 * a.sin()
            )
        })
        .collect();
    let file = format!(
        "\u{feff}COMM_CODE,NAME,MULTIPOLYGON\r\nBIG,BIG CIRCLE,\"MULTIPOLYGON ((({})))\"\r\n",
        points.join(", ")
    );
    assert!(file.len() > 3 * 1024 * 1024);

    let response = upload(
        &app,
        &cookie,
        &[("kind", "districts"), ("pilot", PILOT), ("mode", "apply")],
        "big.csv",
        file.as_bytes(),
    )
    .await;

    assert_eq!(
        response.status,
        StatusCode::OK,
        "{}",
        text_of(&response, "main")
    );
    assert_eq!(text_of(&response, "#import-new"), "1");
    assert_eq!(
        count(
            &app.db,
            "select jsonb_array_length(boundary -> 'coordinates' -> 0 -> 0)::int8 from districts"
        )
        .await,
        i64::from(n) + 1
    );
}

#[tokio::test]
async fn an_upload_without_a_pilot_or_a_file_is_refused() {
    let app = TestApp::empty().await;
    let cookie = app.sign_in_as(Role::Admin).await;

    let no_pilot = upload(
        &app,
        &cookie,
        &[("kind", "hotspots"), ("pilot", ""), ("mode", "apply")],
        "h.geojson",
        b"{}",
    )
    .await;
    let no_file = upload(
        &app,
        &cookie,
        &[("kind", "community-stats"), ("mode", "apply")],
        "",
        b"",
    )
    .await;

    assert_eq!(no_pilot.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text_of(&no_pilot, "#import-problem").contains("pilot"));
    assert_eq!(no_file.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text_of(&no_file, "#import-problem").contains("file"));
}

#[tokio::test]
async fn viewers_and_supervisors_cannot_import() {
    let app = TestApp::empty().await;
    fresh_pilot(&app.db).await;
    for role in [Role::Viewer, Role::Supervisor] {
        let cookie = app.sign_in_as(role).await;

        let page = app.get("/imports", Some(&cookie)).await;
        let post = upload(
            &app,
            &cookie,
            &[("kind", "districts"), ("pilot", PILOT), ("mode", "apply")],
            BOUNDARIES_CSV,
            &data(BOUNDARIES_CSV),
        )
        .await;

        assert_eq!(page.status, StatusCode::FORBIDDEN, "{role}");
        assert_eq!(post.status, StatusCode::FORBIDDEN, "{role}");
    }
    assert_eq!(count(&app.db, "select count(*) from districts").await, 0);
    let anonymous = app.get("/imports", None).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
}
