//! Imports of district boundaries, hotspots, a city's communities and community statistics, and
//! rosters: the real files as published, all-or-nothing on a bad row, dry runs, idempotence, the audit trail,
//! the `patrolboard import` command and the upload page, over a real PostgreSQL.

mod analyze;
mod command;
mod communities;
mod districts;
mod hotspots;
mod kept;
mod roster;
mod runs;
mod shapes;
mod stats;
mod upload;

use axum::body::Body;
use axum::http::{Method, Request, header};
use patrolboard::domain::ids::PilotId;
use patrolboard::import::{self, Kind, Report};
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::common;
use crate::common::app::{TestApp, TestResponse};
use crate::common::fixture::Fixture;
use crate::common::scalar;

pub const BOUNDARIES_CSV: &str = "Community_District_Boundaries_downtown.csv";

const COMMUNITIES_GEOJSON: &str = "downtown_communities.geojson";

const CRIME_CSV: &str = "Community_Crime_Statistics_downtown.csv";

const DISORDER_CSV: &str = "Community_Disorder_Statistics_20240907_downtown_extract.csv";

pub(crate) const PILOT: &str = "test-2023";

/// A file of the City's open data, as published.
pub fn data(name: &str) -> Vec<u8> {
    let path = format!("{}/data/calgary/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("reading {path}: {e}"))
}

/// A new, empty pilot `test-2023` in Calgary's zone, 27 February to 31 May 2023.
pub(crate) async fn fresh_pilot(db: &PgPool) -> PilotId {
    Fixture::pilot(PILOT)
        .days("2023-02-27", "2023-05-31")
        .build(db)
        .await
        .pilot_id
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

/// Runs an import from the shell into `target`: the pilot's slug for districts, hotspots and
/// rosters, the city for communities and statistics (`None`: the pilots' one city).
pub async fn run(
    db: &PgPool,
    kind: Kind,
    target: Option<&str>,
    bytes: &[u8],
    dry_run: bool,
) -> Report {
    patrolboard::service::imports::run(
        db,
        import::Request {
            kind,
            pilot: target.filter(|_| kind.needs_pilot()),
            city: target.filter(|_| kind.needs_city()),
            bytes,
            dry_run,
            user_id: None,
        },
    )
    .await
    .expect("the import runs")
}

/// Counts of every table an import may write, to prove that nothing was written.
async fn snapshot(db: &PgPool) -> [i64; 6] {
    [
        scalar(db, "select count(*) from districts").await,
        scalar(db, "select count(*) from communities").await,
        scalar(db, "select count(*) from hotspots").await,
        scalar(db, "select count(*) from community_stats").await,
        scalar(db, "select count(*) from audit_log").await,
        scalar(db, "select count(*) from hotspot_days").await,
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
pub(crate) fn hotspot(name: &str, district: &str, (lon, lat): (f64, f64), priority: i64) -> Value {
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

pub(crate) fn collection(features: Vec<Value>) -> Vec<u8> {
    serde_json::to_vec_pretty(&json!({"type": "FeatureCollection", "features": features})).unwrap()
}

/// Calgary Tower (in the Downtown Commercial Core) and Victoria Park station (in the Beltline).
pub(crate) const CALGARY_TOWER: (f64, f64) = (-114.0631, 51.0443);

pub(crate) const VICTORIA_PARK: (f64, f64) = (-114.0583, 51.0386);

pub(crate) async fn upload(
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
