//! District boundaries from the City's CSV and GeoJSON, as published, and a broken ring.

use patrolboard::import::Kind;
use serde_json::Value;

use super::{
    BOUNDARIES_CSV, COMMUNITIES_GEOJSON, PILOT, data, fresh_pilot, replace_line, run, snapshot,
};
use crate::common::app::TestApp;
use crate::common::scalar;

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
    let audit_before = scalar(&app.db, "select count(*) from audit_log").await;

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
        scalar(&app.db, "select count(*) from audit_log").await,
        audit_before
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
