//! The city around a map's areas: the communities that are not the pilot's districts, drawn
//! faint and unlabelled for bearings, each cut to the map's view so that a city of 308
//! communities adds only what shows.

use geo::{BooleanOps, MultiPolygon, Polygon, Rect, Simplify};

use super::geometry::{Projection, bounds, overlap, path_data};

/// How far (in viewBox units) a context outline may stray from the true one: coarser than the
/// districts', since it only gives bearings.
const TOLERANCE: f64 = 1.0;

/// The path data of each of `shapes` (lon/lat) that enters `view` under `projection`, cut to it.
pub(super) fn paths(projection: &Projection, view: &Rect, shapes: &[&[Polygon]]) -> Vec<String> {
    let frame = view.to_polygon();
    shapes
        .iter()
        .filter_map(|shape| {
            let projected = projection.polygons(shape);
            if !bounds(&projected).is_some_and(|b| overlap(&b, view)) {
                return None;
            }
            let cut: MultiPolygon = MultiPolygon::new(projected).intersection(&frame);
            path_data(&cut.simplify(TOLERANCE).0)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use geo::polygon;

    use super::*;

    fn square(lon: f64, lat: f64, size: f64) -> Vec<Polygon> {
        vec![polygon![
            (x: lon, y: lat),
            (x: lon + size, y: lat),
            (x: lon + size, y: lat + size),
            (x: lon, y: lat + size),
        ]]
    }

    #[test]
    fn a_community_in_view_is_drawn_one_far_away_is_not_and_one_across_the_edge_is_cut() {
        let focus = square(-114.07, 51.04, 0.01);
        let projection = Projection::fit([&focus].into_iter(), 800.0, 640.0, 16.0).unwrap();
        let view = projection.view();
        let inside = square(-114.068, 51.042, 0.002);
        let far = square(-113.5, 51.5, 0.01);
        let across = square(-114.075, 51.045, 0.5);

        let drawn = paths(&projection, &view, &[&inside, &far, &across]);

        assert_eq!(drawn.len(), 2);
        let coordinates: Vec<f64> = drawn[1]
            .split([' ', 'M', 'L', 'Z'])
            .filter_map(|n| n.parse().ok())
            .collect();
        assert!(!coordinates.is_empty());
        assert!(
            coordinates.iter().all(|&n| (-0.01..=800.01).contains(&n)),
            "{coordinates:?}"
        );
    }
}
