//! geo's validity rules for polygons, in a crate of its own so that it is built with optimisation
//! even in debug builds: geo's algorithms are generic, so they are compiled in the crate that
//! calls them, with that crate's settings, and unoptimised they take minutes over the City's
//! boundaries.

use geo::algorithm::sweep::Intersections;
use geo::algorithm::validation::{
    GeometryIndex, InvalidMultiPolygon, InvalidPolygon, RingRole, Validation,
};
use geo::line_intersection::LineIntersection;
use geo::{Coord, CoordsIter, LineString, MultiPolygon};

/// The most points a shape may have for geo's whole validation to run on it. Its check that a
/// ring does not cross itself compares every pair of edges: about 0.3 s for the City's largest
/// boundary (6,362 points), minutes for a ring of 150,000.
pub const FULL_CHECK_POINTS: usize = 20_000;

/// The first of geo's validity rules that `shape` breaks, if any. Every ring is first checked
/// not to cross itself by geo's sweep over its edges, which takes n log n rather than n² time;
/// then, for a shape of at most [`FULL_CHECK_POINTS`] points, geo's validation checks all its
/// rules, holes inside their outline and parts apart included. A larger shape gets the ring check
/// alone.
pub fn check_validation(shape: &MultiPolygon<f64>) -> Result<(), InvalidMultiPolygon> {
    for (p, polygon) in shape.iter().enumerate() {
        let rings = std::iter::once(polygon.exterior()).chain(polygon.interiors());
        for (r, ring) in rings.enumerate() {
            if crossing(ring).is_some() {
                let role = match r {
                    0 => RingRole::Exterior,
                    i => RingRole::Interior(i - 1),
                };
                return Err(InvalidMultiPolygon::InvalidPolygon(
                    GeometryIndex(p),
                    InvalidPolygon::SelfIntersection(role),
                ));
            }
        }
    }
    if shape.coords_count() <= FULL_CHECK_POINTS {
        shape.check_validation()
    } else {
        Ok(())
    }
}

/// Where a ring meets itself, found by geo's sweep over its edges. Edges that follow one another
/// share a corner; as in geo's own rule, that is not a crossing.
pub fn crossing(ring: &LineString<f64>) -> Option<Coord<f64>> {
    Intersections::from_iter(ring.lines()).find_map(|(a, b, meet)| {
        let consecutive = a.end == b.start || b.end == a.start;
        let at = match meet {
            LineIntersection::SinglePoint { intersection, .. } => intersection,
            LineIntersection::Collinear { intersection } => intersection.start,
        };
        (!consecutive).then_some(at)
    })
}
