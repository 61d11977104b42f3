//! Unit tests of reading and checking polygons (`geometry.rs`).

use super::*;
use serde_json::json;

fn square(lon: f64, lat: f64) -> Vec<[f64; 2]> {
    vec![
        [lon, lat],
        [lon + 0.01, lat],
        [lon + 0.01, lat + 0.01],
        [lon, lat + 0.01],
        [lon, lat],
    ]
}

fn polygon(rings: Vec<Vec<[f64; 2]>>) -> Value {
    json!({"type": "Polygon", "coordinates": rings})
}

/// The first problem of a GeoJSON Polygon, reading and checking it as the importers do.
fn problem(rings: Vec<Vec<[f64; 2]>>) -> String {
    from_geojson(&polygon(rings), false)
        .and_then(|shape| check(&shape))
        .expect_err("the shape is refused")
}

#[test]
fn wkt_multipolygons_and_polygons_are_read() {
    let m = from_wkt(
        "MULTIPOLYGON (((-114.1 51.0, -114.0 51.0, -114.0 51.1, -114.1 51.0)), ((1 2, 3 4, 5 6, 1 2)))",
    )
    .unwrap();
    assert_eq!(m.0.len(), 2);
    assert_eq!(m.0[0].exterior().0[1], Coord { x: -114.0, y: 51.0 });
    let p = from_wkt(
        "polygon Z ((0 0 5, 1 0 5, 1 1 5, 0 0 5), (0.1 0.1 5, 0.2 0.1 5, 0.2 0.2 5, 0.1 0.1 5))",
    )
    .unwrap();
    assert_eq!(p.0[0].interiors().len(), 1);
    assert!(from_wkt("MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0))").is_err());
    assert!(
        from_wkt("MULTIPOLYGON EMPTY")
            .unwrap_err()
            .contains("EMPTY")
    );
    assert!(from_wkt("POINT (1 2)").unwrap_err().contains("is a POINT"));
    assert!(from_wkt("POLYGON ((0 0, 1 x, 1 1, 0 0))").is_err());
    assert!(from_wkt("  ").unwrap_err().contains("no WKT"));
}

#[test]
fn an_unclosed_wkt_ring_is_refused_before_geo_closes_it() {
    let error = from_wkt("POLYGON ((0 0, 1 0, 1 1, 0 1))").unwrap_err();
    assert!(error.contains("not closed"), "{error}");
}

#[test]
fn geojson_polygons_are_read_and_multipolygons_only_when_allowed() {
    let shape = from_geojson(&polygon(vec![square(-114.07, 51.04)]), false).unwrap();
    assert_eq!(shape.0.len(), 1);
    let multi = json!({"type": "MultiPolygon",
        "coordinates": [[square(-114.07, 51.04)], [square(-114.05, 51.04)]]});
    assert_eq!(from_geojson(&multi, true).unwrap().0.len(), 2);
    assert!(
        from_geojson(&multi, false)
            .unwrap_err()
            .contains("must be a Polygon")
    );
    let bad = json!({"type": "Polygon", "coordinates": [[[0, 0], [1, "x"], [1, 1], [0, 0]]]});
    assert!(
        from_geojson(&bad, false)
            .unwrap_err()
            .contains("not GeoJSON")
    );
}

#[test]
fn written_geojson_reads_back_the_same() {
    let shape = from_geojson(&polygon(vec![square(-114.07, 51.04)]), true).unwrap();
    let written = multipolygon_json(&shape);
    assert_eq!(written["type"], "MultiPolygon");
    assert_eq!(
        written["coordinates"][0][0][1],
        json!(square(-114.07, 51.04)[1])
    );
    assert_eq!(from_geojson(&written, true).unwrap(), shape);
    let one = polygon_json(&shape.0[0]);
    assert_eq!(one, polygon(vec![square(-114.07, 51.04)]));
}

#[test]
fn a_good_shape_passes_the_checks() {
    let shape = from_geojson(&polygon(vec![square(-114.07, 51.04)]), false).unwrap();
    assert_eq!(check(&shape), Ok(()));
}

#[test]
fn a_bow_tie_is_refused_with_where_it_crosses_itself() {
    // Two triangles meeting at (-114.065, 51.045): the outline runs corner to opposite corner.
    let bow_tie = vec![vec![
        [-114.07, 51.04],
        [-114.06, 51.05],
        [-114.06, 51.04],
        [-114.07, 51.05],
        [-114.07, 51.04],
    ]];
    assert_eq!(
        problem(bow_tie),
        "the outline crosses itself near (-114.065 51.045)"
    );
}

#[test]
fn a_ring_with_two_vertices_swapped_is_refused() {
    // A square whose second and third corners were written in the wrong order.
    let mut ring = square(-114.07, 51.04);
    ring.swap(1, 2);
    let error = problem(vec![ring]);
    assert!(
        error.starts_with("the outline crosses itself near ("),
        "{error}"
    );
}

#[test]
fn a_hole_crossing_itself_or_outside_the_outline_is_named() {
    let outline = square(-114.07, 51.04);
    let mut hole = vec![
        [-114.068, 51.042],
        [-114.068, 51.048],
        [-114.062, 51.048],
        [-114.062, 51.042],
        [-114.068, 51.042],
    ];
    hole.swap(1, 2);
    let error = problem(vec![outline.clone(), hole]);
    assert!(error.starts_with("hole 1 crosses itself near"), "{error}");
    let outside = square(-114.05, 51.04);
    assert_eq!(
        problem(vec![outline, outside]),
        "hole 1 is not inside the outline"
    );
}

#[test]
fn overlapping_parts_of_a_multipolygon_are_refused() {
    let multi = json!({"type": "MultiPolygon",
        "coordinates": [[square(-114.07, 51.04)], [square(-114.065, 51.04)]]});
    let error = check(&from_geojson(&multi, true).unwrap()).unwrap_err();
    assert_eq!(error, "polygons 1 and 2 overlap");
}

#[test]
fn open_short_flat_and_out_of_range_rings_are_refused() {
    let mut open = square(-114.07, 51.04);
    open.pop();
    open.push([-114.0, 51.04]);
    assert!(problem(vec![open]).contains("not closed"));
    let short = vec![[0.0, 0.0], [1.0, 0.0], [0.0, 0.0]];
    assert!(problem(vec![short]).contains("at least 4"));
    let flat = vec![[0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [0.0, 0.0]];
    assert!(problem(vec![flat]).contains("no area"));
    let swapped = square(51.04, -114.07);
    assert!(problem(vec![swapped]).contains("latitude"));
}

#[test]
fn a_point_far_from_the_rest_is_implausible() {
    let far = json!({"type": "MultiPolygon",
        "coordinates": [[square(-114.07, 51.04)], [square(-113.0, 51.04)]]});
    let error = check(&from_geojson(&far, true).unwrap()).unwrap_err();
    assert!(error.contains("km from the centre"), "{error}");
}

#[test]
fn a_ring_too_big_for_the_whole_check_is_still_refused_where_it_crosses_itself() {
    // A circle of 30,000 points around downtown, two of its points trading places.
    let n = 30_000;
    let mut ring: Vec<[f64; 2]> = (0..=n)
        .map(|i| {
            let a = std::f64::consts::TAU * f64::from(i % n) / f64::from(n);
            [-114.06 + 0.01 * a.cos(), 51.045 + 0.006 * a.sin()]
        })
        .collect();
    assert!(ring.len() > patrolboard_shapes::FULL_CHECK_POINTS);
    let whole = from_geojson(&polygon(vec![ring.clone()]), false).unwrap();
    assert_eq!(check(&whole), Ok(()));
    ring.swap(100, 15_000);
    let error = problem(vec![ring]);
    assert!(
        error.starts_with("the outline crosses itself near ("),
        "{error}"
    );
}
