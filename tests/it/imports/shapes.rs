//! Shapes that are not shapes: a boundary or hotspot whose outline crosses itself (a "bow-tie",
//! or a ring with two corners written in the wrong order) is refused with its line and where it
//! crosses, by a dry run and an apply alike, and nothing is written. The City's own 308
//! communities all pass.

use patrolboard::import::{self, Kind};
use serde_json::{Value, json};
use sqlx::PgPool;

use super::{
    BOUNDARIES_CSV, CALGARY_TOWER, COMMUNITIES_GEOJSON, PILOT, collection, data, fresh_pilot,
    hotspot, pilot_with_districts, replace_line, run, snapshot,
};
use crate::common::app::TestApp;

const ALL_COMMUNITIES_CSV: &str = "Community_District_Boundaries.csv";

/// Two triangles of unequal size meeting at (-114.035 51.035): the outline runs from a corner
/// across to the opposite one.
const BOW_TIE_WKT: &str =
    "MULTIPOLYGON (((-114.04 51.03, -114.03 51.04, -114.03 51.03, -114.05 51.05, -114.04 51.03)))";

/// The reason of the one bad row of both a dry run and an apply of `bytes`, after checking that
/// both refused the same row and that nothing was written.
async fn refused_alike(db: &PgPool, kind: Kind, bytes: &[u8]) -> import::RowError {
    let before = snapshot(db).await;
    let dry = run(db, kind, Some(PILOT), bytes, true).await;
    let applied = run(db, kind, Some(PILOT), bytes, false).await;

    assert_eq!(
        dry.errors, applied.errors,
        "a dry run refuses what an apply does"
    );
    assert_eq!(applied.errors.len(), 1, "{:?}", applied.errors);
    assert!(!applied.applied);
    assert_eq!(snapshot(db).await, before, "nothing is written");
    applied.errors[0].clone()
}

/// Swaps two corners of the first ring of a WKT or GeoJSON text on one line: the `a`th and `b`th
/// (0-based) of the points written between `open` and `close`.
fn swap_points(line: &str, open: &str, close: &str, sep: &str, (a, b): (usize, usize)) -> String {
    let start = line.find(open).unwrap() + open.len();
    let end = start + line[start..].find(close).unwrap();
    let mut points: Vec<&str> = line[start..end].split(sep).collect();
    points.swap(a, b);
    format!("{}{}{}", &line[..start], points.join(sep), &line[end..])
}

#[tokio::test]
async fn a_bow_tie_community_in_the_citys_csv_is_refused_with_its_line_and_crossing() {
    let app = TestApp::empty().await;
    fresh_pilot(&app.db).await;
    let text = String::from_utf8(data(BOUNDARIES_CSV)).unwrap();
    // Line 7 is Inglewood: its boundary becomes a bow-tie.
    let broken = replace_line(&text, 7, |line| {
        let cell = line.find("\"MULTIPOLYGON").unwrap();
        format!("{}\"{BOW_TIE_WKT}\"", &line[..cell])
    });

    let error = refused_alike(&app.db, Kind::Districts, broken.as_bytes()).await;

    assert_eq!(error.line, 7);
    assert_eq!(
        error.reason,
        "boundary: the outline crosses itself near (-114.035 51.035)"
    );
}

#[tokio::test]
async fn a_community_with_two_corners_swapped_in_the_citys_csv_is_refused() {
    let app = TestApp::empty().await;
    fresh_pilot(&app.db).await;
    let text = String::from_utf8(data(BOUNDARIES_CSV)).unwrap();
    // Inglewood again: its 11th and 400th corners trade places, as a hand edit might do.
    let broken = replace_line(&text, 7, |line| {
        swap_points(line, "(((", ")", ", ", (10, 399))
    });

    let error = refused_alike(&app.db, Kind::Districts, broken.as_bytes()).await;

    assert_eq!(error.line, 7);
    assert!(
        error
            .reason
            .starts_with("boundary: the outline crosses itself near (-114.0"),
        "{error}"
    );
}

#[tokio::test]
async fn a_geojson_community_with_two_corners_swapped_is_refused_with_its_feature() {
    let app = TestApp::empty().await;
    fresh_pilot(&app.db).await;
    let mut collection: Value = serde_json::from_slice(&data(COMMUNITIES_GEOJSON)).unwrap();
    let ring = collection["features"][2]["geometry"]["coordinates"][0][0]
        .as_array_mut()
        .unwrap();
    let middle = ring.len() / 2;
    ring.swap(10, middle);
    let file = serde_json::to_vec_pretty(&collection).unwrap();
    let text = String::from_utf8(file.clone()).unwrap();
    // Pretty-printed, each feature opens with a `{` of its own, four spaces in.
    let third_feature_line = text
        .lines()
        .enumerate()
        .filter(|(_, l)| *l == "    {")
        .nth(2)
        .map(|(i, _)| i + 1)
        .unwrap();

    let error = refused_alike(&app.db, Kind::Districts, &file).await;

    assert_eq!(error.feature, Some(3));
    assert_eq!(
        error.line, third_feature_line,
        "the line the feature opens on"
    );
    assert!(
        error
            .reason
            .starts_with("boundary: the outline crosses itself near (-114.0"),
        "{error}"
    );
}

/// A hotspot of `hotspot()` in the Downtown Commercial Core with these `corners`, as offsets
/// from Calgary Tower in units of 0.0008°.
fn hotspot_with_corners(name: &str, corners: &[(f64, f64)]) -> Value {
    let mut feature = hotspot(name, "DNC", CALGARY_TOWER, 1);
    let (lon, lat) = CALGARY_TOWER;
    let mut ring: Vec<Value> = corners
        .iter()
        .map(|(x, y)| json!([lon + x * 0.0008, lat + y * 0.0008]))
        .collect();
    ring.push(ring[0].clone());
    feature["geometry"]["coordinates"][0] = Value::Array(ring);
    feature
}

#[tokio::test]
async fn a_bow_tie_hotspot_is_refused_with_its_feature_and_crossing() {
    let app = TestApp::empty().await;
    pilot_with_districts(&app.db).await;
    let file = collection(vec![
        hotspot("Calgary Tower", "DNC", CALGARY_TOWER, 1),
        // Two triangles of unequal size meeting at the tower.
        hotspot_with_corners(
            "Bow tie",
            &[(-1.0, -1.0), (1.0, 1.0), (1.0, -1.0), (-3.0, 3.0)],
        ),
    ]);

    let error = refused_alike(&app.db, Kind::Hotspots, &file).await;

    assert_eq!(error.feature, Some(2));
    assert!(error.line > 1);
    assert_eq!(
        error.reason,
        "geometry: the outline crosses itself near (-114.0631 51.0443)"
    );
}

#[tokio::test]
async fn a_hotspot_with_two_corners_swapped_is_refused() {
    let app = TestApp::empty().await;
    pilot_with_districts(&app.db).await;
    // A square with a point on its north side, its second and third corners written in the
    // wrong order.
    let corners = [
        (-1.0, -1.0),
        (1.0, 1.0),
        (1.0, -1.0),
        (0.0, 2.0),
        (-1.0, 1.0),
    ];
    let file = collection(vec![hotspot_with_corners("Swapped", &corners)]);

    let error = refused_alike(&app.db, Kind::Hotspots, &file).await;

    assert_eq!(error.feature, Some(1));
    assert!(
        error
            .reason
            .starts_with("geometry: the outline crosses itself near (-114.06"),
        "{error}"
    );
}

#[tokio::test]
async fn every_one_of_the_citys_308_communities_passes_a_dry_run() {
    let app = TestApp::empty().await;
    fresh_pilot(&app.db).await;

    let report = run(
        &app.db,
        Kind::Districts,
        Some(PILOT),
        &data(ALL_COMMUNITIES_CSV),
        true,
    )
    .await;

    assert_eq!(report.errors, []);
    assert_eq!(report.counts.new, 308);
}
