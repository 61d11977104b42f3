//! Hotspots from GeoJSON: into their districts, the demo's round trip, an unknown district.

use patrolboard::import::Kind;
use serde_json::{Value, json};

use super::{
    BOUNDARIES_CSV, CALGARY_TOWER, PILOT, VICTORIA_PARK, collection, data, fresh_pilot, hotspot,
    pilot_with_districts, run, snapshot,
};
use crate::common::app::TestApp;
use crate::common::scalar;

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
        scalar(&app.db, "select count(*) from hotspot_days").await,
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
