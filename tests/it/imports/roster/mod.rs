//! Roster imports on the demo pilot: an export downloaded over HTTP imports back unchanged, an
//! edited one changes exactly what was edited (with audit entries and refreshed coverage), and a
//! bad row writes nothing and names its line. Clashes and stale versions are in `clashes.rs`.

mod clashes;

use axum::http::StatusCode;
use chrono::NaiveDate;
use patrolboard::domain::Role;
use patrolboard::import::{Kind, Report};
use serde_json::Value;
use sqlx::PgPool;

use super::{text_of, upload};
use crate::common::app::{TestApp, TestResponse};
use crate::common::recompute::recompute;
use crate::common::scalar;

const DEMO: &str = "calgary-2023";
const WEEK: (&str, &str) = ("2023-03-13", "2023-03-19");

/// A roster CSV as cells, to edit and write out again.
struct Sheet {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Sheet {
    fn parse(body: &str) -> Sheet {
        let body = body.strip_prefix('\u{feff}').unwrap_or(body);
        let mut reader = csv::Reader::from_reader(body.as_bytes());
        let header = reader.headers().unwrap().iter().map(String::from).collect();
        let rows = reader
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect();
        Sheet { header, rows }
    }

    fn col(&self, name: &str) -> usize {
        self.header.iter().position(|h| h == name).unwrap()
    }

    fn get(&self, row: usize, name: &str) -> &str {
        &self.rows[row][self.col(name)]
    }

    fn set(&mut self, row: usize, name: &str, value: &str) {
        let i = self.col(name);
        self.rows[row][i] = value.to_string();
    }

    /// The first row, after `after`, that is not cancelled and has at least `members` officers.
    fn active(&self, after: Option<usize>, members: usize) -> usize {
        (after.map_or(0, |a| a + 1)..self.rows.len())
            .find(|&r| {
                self.get(r, "status") != "cancelled"
                    && self.get(r, "officer_ids").split(';').count() >= members
            })
            .expect("a shift that is not cancelled")
    }

    fn id(&self, row: usize) -> i64 {
        self.get(row, "id").parse().unwrap()
    }

    fn team(&self, row: usize) -> i64 {
        self.get(row, "team_id").parse().unwrap()
    }

    /// Rows up to `rows`, as CSV.
    fn csv_of(&self, rows: usize) -> String {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(&self.header).unwrap();
        for row in &self.rows[..rows] {
            writer.write_record(row).unwrap();
        }
        String::from_utf8(writer.into_inner().unwrap()).unwrap()
    }

    fn to_csv(&self) -> String {
        self.csv_of(self.rows.len())
    }

    /// The physical line the row starts on in [`Sheet::to_csv`].
    fn line_of(&self, row: usize) -> usize {
        1 + self.csv_of(row).matches('\n').count()
    }
}

/// The demo's shifts of a range, downloaded as an analyst does.
async fn export(app: &TestApp, cookie: &str, range: Option<(&str, &str)>) -> String {
    let range = range.map_or(String::new(), |(from, to)| format!("&from={from}&to={to}"));
    let response = app
        .get(
            &format!("/exports/shifts.csv?pilot={DEMO}{range}"),
            Some(cookie),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK);
    response.body
}

/// The roster file sent through the upload page, as a dry run or applied (`mode`).
async fn upload_roster(app: &TestApp, cookie: &str, mode: &str, file: &str) -> TestResponse {
    let fields = [("kind", "roster"), ("pilot", DEMO), ("mode", mode)];
    upload(app, cookie, &fields, "shifts.csv", file.as_bytes()).await
}

async fn import(db: &PgPool, text: &str, dry_run: bool) -> Report {
    super::run(db, Kind::Roster, Some(DEMO), text.as_bytes(), dry_run).await
}

/// Everything a roster import may write, to prove that nothing was.
async fn roster_state(db: &PgPool) -> (i64, i64, i64, i64, String) {
    sqlx::query_as(
        r#"select (select count(*) from shifts), (select coalesce(sum(version), 0) from shifts),
                  (select count(*) from shift_members), (select count(*) from audit_log),
                  (select md5(coalesce(string_agg(concat_ws(':', hotspot_id, day, planned_blocks), ',' order by hotspot_id, day), ''))
                     from hotspot_days)"#,
    )
    .fetch_one(db)
    .await
    .unwrap()
}

fn counts(report: &Report) -> (usize, usize, usize, usize) {
    let c = report.counts;
    (c.new, c.updated, c.cancelled, c.unchanged)
}

/// A team of the demo other than those of `teams`.
async fn other_team(db: &PgPool, teams: &[i64]) -> i64 {
    sqlx::query_scalar(
        "select t.id from teams t join pilots p on p.id = t.pilot_id where p.slug = $1 and t.id <> all($2) order by t.id limit 1",
    )
    .bind(DEMO)
    .bind(teams)
    .fetch_one(db)
    .await
    .unwrap()
}

/// A row for a new shift of `team` copying the times, officers and hotspots of `row`.
fn new_row_like(sheet: &Sheet, row: usize, team: i64) -> Vec<String> {
    let mut new = sheet.rows[row].clone();
    for (i, name) in sheet.header.iter().enumerate() {
        match name.as_str() {
            "id" | "version" | "team_name" | "created_by" | "updated_by" => new[i].clear(),
            "team_id" => new[i] = team.to_string(),
            "status" => new[i] = "planned".into(),
            "notes" => new[i] = "Covers the cancelled shift".into(),
            _ => {}
        }
    }
    new
}

#[tokio::test]
async fn a_roster_exported_over_http_imports_back_without_changing_anything() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Analyst).await;
    // As a spreadsheet saves it: with a byte-order mark.
    let exported = format!("\u{feff}{}", export(&app, &cookie, None).await);
    let shifts = scalar(&app.db, "select count(*) from shifts").await as usize;
    let before = roster_state(&app.db).await;

    let report = import(&app.db, &exported, false).await;

    assert_eq!(report.errors, []);
    assert!(report.applied);
    assert_eq!(counts(&report), (0, 0, 0, shifts));
    assert!(
        report
            .headline()
            .contains(&format!("0 new, 0 updated, {shifts} unchanged")),
        "{}",
        report.headline()
    );
    assert_eq!(roster_state(&app.db).await, before);
}

#[tokio::test]
async fn an_edited_export_changes_exactly_the_edited_rows_with_audit_entries_and_coverage() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Analyst).await;
    let mut sheet = Sheet::parse(&export(&app, &cookie, Some(WEEK)).await);
    let (a, b) = (sheet.active(None, 1), sheet.active(None, 2));
    let a = if a == b { sheet.active(Some(b), 1) } else { a };
    let c = sheet.active(Some(a.max(b)), 1);
    let (a_id, b_id, c_id) = (sheet.id(a), sheet.id(b), sheet.id(c));
    // A ends two hours earlier; B loses its first officer; C is cancelled and a shift of another
    // team takes its officers, times and hotspots.
    let ends = chrono::DateTime::parse_from_rfc3339(sheet.get(a, "ends_at")).unwrap()
        - chrono::TimeDelta::hours(2);
    sheet.set(a, "ends_at", &ends.to_rfc3339());
    let b_members: Vec<String> = sheet
        .get(b, "officer_ids")
        .split(';')
        .map(String::from)
        .collect();
    sheet.set(b, "officer_ids", &b_members[1..].join(";"));
    sheet.set(c, "status", "cancelled");
    let team = other_team(&app.db, &[sheet.team(c)]).await;
    let new = new_row_like(&sheet, c, team);
    sheet.rows.push(new);
    sheet.header.push("rest_reason".into());
    for row in &mut sheet.rows {
        row.push(String::new());
    }
    let last = sheet.rows.len() - 1;
    sheet.set(last, "rest_reason", "Same officers as the cancelled shift");
    // The new row names its team as people would: by name.
    let team_name: String = sqlx::query_scalar("select name from teams where id = $1")
        .bind(team)
        .fetch_one(&app.db)
        .await
        .unwrap();
    sheet.set(last, "team_id", "");
    sheet.set(last, "team_name", &team_name.to_uppercase());
    let file = sheet.to_csv();
    let unchanged = sheet.rows.len() - 4;
    let before = roster_state(&app.db).await;
    let audited_before = scalar(&app.db, "select coalesce(max(id), 0) from audit_log").await;
    let (from, to) = (
        NaiveDate::parse_from_str(WEEK.0, "%Y-%m-%d").unwrap(),
        NaiveDate::parse_from_str(WEEK.1, "%Y-%m-%d").unwrap(),
    );
    let planned_before = recompute(&app.db, from, to).await.1;

    let dry = upload_roster(&app, &cookie, "dry-run", &file).await;
    assert_eq!(dry.status, StatusCode::OK, "{}", text_of(&dry, "main"));
    assert_eq!(
        roster_state(&app.db).await,
        before,
        "a dry run writes nothing"
    );
    let applied = upload_roster(&app, &cookie, "apply", &file).await;

    assert_eq!(
        applied.status,
        StatusCode::OK,
        "{}",
        text_of(&applied, "main")
    );
    for response in [&dry, &applied] {
        let figures: Vec<String> = ["new", "updated", "cancelled", "unchanged"]
            .iter()
            .map(|id| text_of(response, &format!("#import-{id}")))
            .collect();
        assert_eq!(figures, ["1", "2", "1", &unchanged.to_string()]);
    }
    let shift = |id: i64| {
        sqlx::query_as::<_, (String, i32, String, Option<i64>)>(
            r#"select status, version, to_char(ends_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'),
                      (select count(*) from shift_members m where m.shift_id = $1)
                 from shifts where id = $1"#,
        )
        .bind(id)
        .fetch_one(&app.db)
    };
    let (_, version, a_ends, _) = shift(a_id).await.unwrap();
    assert_eq!(version, sheet.get(a, "version").parse::<i32>().unwrap() + 1);
    assert_eq!(
        a_ends,
        ends.naive_utc().format("%Y-%m-%dT%H:%M:%S").to_string()
    );
    let (_, _, _, b_count) = shift(b_id).await.unwrap();
    assert_eq!(b_count, Some(b_members.len() as i64 - 1));
    assert_eq!(shift(c_id).await.unwrap().0, "cancelled");
    let created: Vec<i64> = sqlx::query_scalar(
        "select id from shifts where team_id = $1 and notes = 'Covers the cancelled shift'",
    )
    .bind(team)
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(created.len(), 1);
    let analyst: i64 = sqlx::query_scalar("select id from users where username = 'test-analyst'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    // Every new audit entry is about a shift, by the analyst: (action, shift, had a before).
    let mut actions: Vec<(String, i64, bool)> = sqlx::query_as(
        r#"select action, entity_id, before is not null from audit_log
            where id > $1 and entity = 'shift' and user_id = $2"#,
    )
    .bind(audited_before)
    .bind(analyst)
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(
        scalar(
            &app.db,
            &format!("select count(*) from audit_log where id > {audited_before}")
        )
        .await,
        actions.len() as i64
    );
    actions.sort();
    let mut expected = vec![
        ("cancel".to_string(), c_id, true),
        ("create".to_string(), created[0], false),
        ("edit".to_string(), a_id, true),
        ("edit".to_string(), b_id, true),
    ];
    expected.sort();
    assert_eq!(actions, expected);

    // Stored coverage followed the changes: the API agrees with a recomputation from raw rows.
    let response = app
        .get(
            &format!(
                "/api/v1/pilots/{DEMO}/coverage?from={}&to={}",
                WEEK.0, WEEK.1
            ),
            Some(&cookie),
        )
        .await;
    let json: Value = serde_json::from_str(&response.body).unwrap();
    let (blocks, planned, ..) = recompute(&app.db, from, to).await;
    assert_ne!(planned, planned_before, "the edits change planned coverage");
    assert_eq!(json["hotspot_blocks"], blocks);
    assert_eq!(json["planned_blocks"], planned);

    let after = roster_state(&app.db).await;
    let again = import(&app.db, &file, false).await;
    assert_eq!(again.errors, []);
    assert_eq!(counts(&again), (0, 0, 0, sheet.rows.len()));
    assert_eq!(
        roster_state(&app.db).await,
        after,
        "the second import changes nothing"
    );
}

#[tokio::test]
async fn a_bad_row_in_the_middle_of_a_roster_writes_nothing_and_names_its_line() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Analyst).await;
    let mut sheet = Sheet::parse(&export(&app, &cookie, Some(WEEK)).await);
    let middle = sheet.rows.len() / 2;
    let first = sheet.active(None, 1);
    sheet.set(first, "notes", "A good edit that must not be written");
    sheet.set(middle, "officer_ids", "999999");
    sheet.set(middle + 1, "ends_at", "tomorrow");
    let before = roster_state(&app.db).await;

    let report = import(&app.db, &sheet.to_csv(), false).await;

    assert!(!report.applied);
    let lines: Vec<usize> = report.errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, [sheet.line_of(middle), sheet.line_of(middle + 1)]);
    assert!(
        report.errors[0]
            .reason
            .contains("Officer #999999 is not assigned"),
        "{}",
        report.errors[0]
    );
    assert!(
        report.errors[1].reason.contains("ends_at"),
        "{}",
        report.errors[1]
    );
    assert!(report.headline().contains("nothing was written"));
    assert_eq!(roster_state(&app.db).await, before);
}

#[tokio::test]
async fn the_roster_command_fails_on_a_bad_file_and_dry_runs_a_good_one() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Analyst).await;
    let exported = export(&app, &cookie, Some(WEEK)).await;
    let mut sheet = Sheet::parse(&exported);
    sheet.set(1, "mode", "horse");
    let dir = crate::common::scratch_dir("roster");
    let (good, bad) = (dir.join("shifts.csv"), dir.join("shifts-bad.csv"));
    std::fs::write(&good, &exported).unwrap();
    std::fs::write(&bad, sheet.to_csv()).unwrap();
    let patrolboard = |args: &[&str]| crate::common::patrolboard(&app.db, args);
    let before = roster_state(&app.db).await;

    let failed = patrolboard(&["import", "roster", "--pilot", DEMO, bad.to_str().unwrap()]);
    let dry = patrolboard(&[
        "import",
        "roster",
        "--pilot",
        DEMO,
        "--dry-run",
        good.to_str().unwrap(),
    ]);

    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(!failed.status.success());
    assert!(
        stderr.contains(&format!(
            "line {}: mode: Choose foot, bike or vehicle.",
            sheet.line_of(1)
        )),
        "{stderr}"
    );
    assert!(
        dry.status.success(),
        "{}",
        String::from_utf8_lossy(&dry.stderr)
    );
    let stdout = String::from_utf8_lossy(&dry.stdout);
    assert!(
        stdout.contains(&format!("0 new, 0 updated, {} unchanged", sheet.rows.len())),
        "{stdout}"
    );
    assert_eq!(roster_state(&app.db).await, before);
}

#[tokio::test]
async fn viewers_and_supervisors_cannot_upload_a_roster() {
    let app = TestApp::seeded().await;
    let analyst = app.sign_in_as(Role::Analyst).await;
    let file = export(&app, &analyst, Some(WEEK)).await;
    for role in [Role::Viewer, Role::Supervisor] {
        let cookie = app.sign_in_as(role).await;
        let response = upload_roster(&app, &cookie, "apply", &file).await;
        assert_eq!(response.status, StatusCode::FORBIDDEN, "{role}");
    }
}
