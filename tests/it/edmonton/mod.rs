//! The proof that any pilot can be run without SQL: the Edmonton sister pilot, entered beside the
//! Calgary demo only through the routes and commands of docs/interface.md, as its task force
//! would. An admin creates the pilot and adds EPS from the shell; an analyst uploads districts,
//! hotspots, officers and a week's roster, then cancels a shift by editing the roster export;
//! a supervisor logs the crews' visits. The coverage API then gives the figures counted by hand
//! in `figures.rs`, Calgary's figures are as they were, and each pilot's pages show only its own
//! districts, teams and officers.

mod figures;
mod files;
mod isolation;

use std::collections::HashMap;

use axum::http::StatusCode;
use chrono::DateTime;
use patrolboard::domain::Role;
use serde_json::Value;

use crate::common::app::{TestApp, TestResponse};
use crate::common::patrolboard;
use crate::imports::upload;
use files::{CANCELLED, SHIFTS, VISITS};

const SLUG: &str = "edmonton-2023";

/// The week of the figures: Monday 13 to Sunday 19 March 2023, clear of the clock change.
const WEEK: (&str, &str) = ("2023-03-13", "2023-03-19");

/// The Calgary demo's figures over its whole pilot, to compare before and after.
const CALGARY: &str = "/api/v1/pilots/calgary-2023/coverage?from=2023-02-27&to=2023-05-31";

/// The two pilots after Edmonton's week was entered.
struct Pilots {
    app: TestApp,
    admin: String,
    /// Calgary's figures before anything of Edmonton's was entered.
    calgary_before: Value,
}

impl Pilots {
    async fn get_ok(&self, path: &str) -> TestResponse {
        let response = self.app.get(path, Some(&self.admin)).await;
        assert_eq!(response.status, StatusCode::OK, "{path}: {}", response.body);
        response
    }

    async fn json(&self, path: &str) -> Value {
        serde_json::from_str(&self.get_ok(path).await.body).unwrap()
    }

    /// Edmonton's figures for [`WEEK`].
    async fn week(&self) -> Value {
        self.json(&format!(
            "/api/v1/pilots/{SLUG}/coverage?from={}&to={}",
            WEEK.0, WEEK.1
        ))
        .await
    }
}

/// Uploads `file` to the pilot as `kind` on the upload page, applied, and checks that every row
/// was taken; the report page.
async fn import(app: &TestApp, cookie: &str, kind: &str, file: &[u8]) -> TestResponse {
    let fields = [("kind", kind), ("pilot", SLUG), ("mode", "apply")];
    let response = upload(app, cookie, &fields, &format!("{kind}.file"), file).await;
    assert_eq!(response.status, StatusCode::OK, "{kind}: {}", response.body);
    assert!(response.texts("#import-errors tbody tr").is_empty());
    response
}

/// A CSV export of the pilot, as rows of named cells.
async fn export(app: &TestApp, cookie: &str, dataset: &str) -> Vec<HashMap<String, String>> {
    let path = format!("/exports/{dataset}.csv?pilot={SLUG}");
    let response = app.get(&path, Some(cookie)).await;
    assert_eq!(response.status, StatusCode::OK, "{path}");
    let body = response.body.trim_start_matches('\u{feff}');
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(String::from))
                .collect()
        })
        .collect()
}

/// The stored shift's id for each of [`SHIFTS`], by start instant and team.
fn shift_ids(exported: &[HashMap<String, String>]) -> Vec<i64> {
    SHIFTS
        .iter()
        .map(|shift| {
            let starts = DateTime::parse_from_rfc3339(&files::instant(shift.day, shift.starts))
                .expect("an instant");
            let row = exported
                .iter()
                .find(|row| {
                    DateTime::parse_from_rfc3339(&row["starts_at"]) == Ok(starts)
                        && row["team_name"] == shift.team
                })
                .unwrap_or_else(|| panic!("the shift of {} {}", shift.team, shift.day));
            row["id"].parse().unwrap()
        })
        .collect()
}

/// Enters the Edmonton pilot beside the demo, step by step as its people would.
async fn enter_edmonton() -> Pilots {
    let app = TestApp::seeded().await;
    let admin = app.sign_in_as(Role::Admin).await;
    let calgary_before = json_of(&app.get(CALGARY, Some(&admin)).await);

    // The admin creates the pilot in the browser and adds EPS at the shell; the sheriffs are on
    // file already, from the Calgary pilot.
    let created = app
        .post_form(
            "/admin/pilots",
            &[
                ("slug", SLUG),
                ("name", "Downtown Edmonton 2023"),
                ("city", "Edmonton"),
                ("time_zone", "America/Edmonton"),
                ("starts_on", "2023-02-27"),
                ("ends_on", "2023-05-31"),
                ("block_minutes", "60"),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    assert_eq!(created.location(), Some("/pilots/edmonton-2023"));
    let eps = patrolboard(
        &app.db,
        &[
            "agency",
            "add",
            "eps",
            "--name",
            "Edmonton Police Service",
            "--label",
            "EPS",
        ],
    );
    assert!(
        eps.status.success(),
        "{}",
        String::from_utf8_lossy(&eps.stderr)
    );

    // The analyst uploads the places and the people.
    let analyst = app.sign_in_as(Role::Analyst).await;
    let districts = import(&app, &analyst, "districts", &files::districts_geojson()).await;
    assert_eq!(districts.texts("#import-new"), ["2"]);
    let hotspots = import(&app, &analyst, "hotspots", &files::hotspots_geojson()).await;
    assert_eq!(hotspots.texts("#import-new"), ["3"]);
    import(&app, &analyst, "officers", &files::officers_csv()).await;

    // The roster, with the ids the pilot's exports and API show.
    let officers = export(&app, &analyst, "officers").await;
    let officer_id = |badge: &str| -> i64 {
        let row = officers
            .iter()
            .find(|o| o["badge_number"] == badge)
            .unwrap();
        row["id"].parse().unwrap()
    };
    let api = json_of(
        &app.get(&format!("/api/v1/pilots/{SLUG}/coverage"), Some(&analyst))
            .await,
    );
    let hotspot_id = |name: &str| -> i64 {
        let all = api["hotspots"].as_array().unwrap();
        all.iter().find(|h| h["name"] == name).unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let roster = import(
        &app,
        &analyst,
        "roster",
        &files::roster_csv(officer_id, hotspot_id),
    )
    .await;
    assert_eq!(roster.texts("#import-new"), [SHIFTS.len().to_string()]);

    // Friday's shift is called off: the analyst edits the export and imports it back.
    let mut shifts = export(&app, &analyst, "shifts").await;
    let ids = shift_ids(&shifts);
    let called_off = ids[CANCELLED].to_string();
    let header: Vec<String> = shifts[0].keys().cloned().collect();
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&header).unwrap();
    for row in &mut shifts {
        if row["id"] == called_off {
            row.insert("status".into(), "cancelled".into());
        }
        writer.write_record(header.iter().map(|h| &row[h])).unwrap();
    }
    let edited = import(&app, &analyst, "roster", &writer.into_inner().unwrap()).await;
    assert_eq!(edited.texts("#import-cancelled"), ["1"]);

    // The supervisor logs each crew's visits after the shift.
    let supervisor = app.sign_in_as(Role::Supervisor).await;
    for visit in &VISITS {
        let shift = &SHIFTS[visit.shift];
        let logged = app
            .post_form(
                &format!("/shifts/{}/visits", ids[visit.shift]),
                &[
                    ("hotspot_id", &hotspot_id(visit.hotspot).to_string()),
                    ("arrived_at", &format!("{}T{}", shift.day, visit.arrived)),
                    ("departed_at", &format!("{}T{}", shift.day, visit.departed)),
                    ("source", "report"),
                ],
                Some(&supervisor),
            )
            .await;
        assert_eq!(logged.status, StatusCode::SEE_OTHER, "{}", logged.body);
    }

    Pilots {
        app,
        admin,
        calgary_before,
    }
}

fn json_of(response: &TestResponse) -> Value {
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    serde_json::from_str(&response.body).unwrap()
}
