//! Which communities an evaluation treats as patrolled, as a buffer around them, and as the rest
//! of the city (docs/evaluation.md, "Areas").

use std::collections::{BTreeSet, HashMap};

use geo::{BoundingRect, Coord, Distance, Euclidean, MapCoords, MultiPolygon, Rect};

crate::text_enum! {
    /// Where a community stands in an evaluation.
    pub enum Area("area") {
        /// A district of the pilot with at least one hotspot active in the pilot.
        Treated = "treated",
        /// Within [`BUFFER_METRES`] of a treated community, where crime could be displaced to.
        Buffer = "buffer",
        /// Every other community in the statistics.
        Comparison = "comparison",
    }
}

/// How near (metres) a community's boundary must come to a treated one to be in the buffer.
pub const BUFFER_METRES: f64 = 250.0;

/// What the evaluation needs of a community: how it is coded and named, and its boundary.
#[derive(Debug, Clone)]
pub struct Place {
    /// The City's code, e.g. `BLN`.
    pub code: String,
    /// Its name; the statistics name it in capitals.
    pub name: String,
    /// Its boundary in WGS84 longitude/latitude.
    pub boundary: MultiPolygon,
}

/// The treated and buffer communities; every other community is in the comparison.
#[derive(Debug, Clone, Default)]
pub struct Areas {
    /// Codes of the treated communities, sorted.
    pub treated: Vec<String>,
    /// Codes of the buffer communities, sorted.
    pub buffer: Vec<String>,
    /// Treated and buffer communities by name and by code, in capitals.
    named: HashMap<String, Area>,
}

impl Areas {
    /// The area of the community the statistics name `community` (its name or code, any case).
    pub fn of(&self, community: &str) -> Area {
        self.named
            .get(&community.trim().to_uppercase())
            .copied()
            .unwrap_or(Area::Comparison)
    }
}

/// The areas among `places` when the communities coded `treated` hold the pilot's hotspots.
pub fn areas(places: &[Place], treated: &BTreeSet<String>) -> Areas {
    let is_treated = |p: &Place| treated.contains(&p.code);
    let treated_places: Vec<&Place> = places.iter().filter(|p| is_treated(p)).collect();
    let mut areas = Areas::default();
    let Some(plane) = Plane::around(treated_places.iter().map(|p| &p.boundary)) else {
        return areas;
    };
    let treated_shapes: Vec<(MultiPolygon, Rect)> = treated_places
        .iter()
        .filter_map(|p| plane.shape(&p.boundary))
        .collect();
    for place in places {
        let area = if is_treated(place) {
            Area::Treated
        } else if plane
            .shape(&place.boundary)
            .is_some_and(|shape| treated_shapes.iter().any(|t| within_buffer(&shape, t)))
        {
            Area::Buffer
        } else {
            continue;
        };
        match area {
            Area::Treated => areas.treated.push(place.code.clone()),
            _ => areas.buffer.push(place.code.clone()),
        }
        areas.named.insert(place.name.trim().to_uppercase(), area);
        areas.named.insert(place.code.trim().to_uppercase(), area);
    }
    areas.treated.sort();
    areas.buffer.sort();
    areas
}

/// Whether `shape` comes within [`BUFFER_METRES`] of `treated` (both in metres on the plane);
/// the bounding boxes rule out most of a city's communities before the exact distance.
fn within_buffer(shape: &(MultiPolygon, Rect), treated: &(MultiPolygon, Rect)) -> bool {
    if rect_gap(&shape.1, &treated.1) > BUFFER_METRES {
        return false;
    }
    shape.0.iter().any(|a| {
        treated
            .0
            .iter()
            .any(|b| Euclidean.distance(a, b) <= BUFFER_METRES)
    })
}

/// The distance between two rectangles, 0 when they overlap.
fn rect_gap(a: &Rect, b: &Rect) -> f64 {
    let dx = (b.min().x - a.max().x).max(a.min().x - b.max().x).max(0.0);
    let dy = (b.min().y - a.max().y).max(a.min().y - b.max().y).max(0.0);
    dx.hypot(dy)
}

/// A local equirectangular plane in metres around the treated communities. Polygon-to-polygon
/// distance on the sphere is not in `geo`, and over a city it does not need to be: east–west
/// metres per degree change with the cosine of the latitude, so at Calgary (51°N) a point 5 km
/// north or south of the centre is off by tan(51°)·5/6371 ≈ 0.1% — a quarter of a metre in 250 m —
/// and the buffer's candidates lie within a few kilometres of the centre.
struct Plane {
    centre: Coord,
    metres_per_degree_x: f64,
    metres_per_degree_y: f64,
}

/// The mean Earth radius (metres), as `geo`'s Haversine uses.
const EARTH_RADIUS_M: f64 = 6_371_008.8;

impl Plane {
    /// The plane centred on the middle of the bounding box of `shapes`; none without shapes.
    fn around<'a>(shapes: impl Iterator<Item = &'a MultiPolygon>) -> Option<Plane> {
        let rect = shapes
            .filter_map(BoundingRect::bounding_rect)
            .reduce(|a, b| {
                Rect::new(
                    Coord {
                        x: a.min().x.min(b.min().x),
                        y: a.min().y.min(b.min().y),
                    },
                    Coord {
                        x: a.max().x.max(b.max().x),
                        y: a.max().y.max(b.max().y),
                    },
                )
            })?;
        let centre = rect.center();
        let metres_per_degree_y = EARTH_RADIUS_M.to_radians();
        Some(Plane {
            centre,
            metres_per_degree_x: metres_per_degree_y * centre.y.to_radians().cos(),
            metres_per_degree_y,
        })
    }

    /// `shape` in metres on the plane, with its bounding box; none for an empty shape.
    fn shape(&self, shape: &MultiPolygon) -> Option<(MultiPolygon, Rect)> {
        let projected = shape.map_coords(|c| Coord {
            x: (c.x - self.centre.x) * self.metres_per_degree_x,
            y: (c.y - self.centre.y) * self.metres_per_degree_y,
        });
        let rect = projected.bounding_rect()?;
        Some((projected, rect))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    /// A square `side_m` metres wide whose south-west corner is `east_m` metres east of
    /// longitude -114 at latitude 51 (the tests' own conversion, not the plane's).
    fn square(code: &str, east_m: f64, side_m: f64) -> Place {
        let per_degree_x = 6_371_008.8_f64.to_radians() * 51.0_f64.to_radians().cos();
        let per_degree_y = 6_371_008.8_f64.to_radians();
        let x0 = -114.0 + east_m / per_degree_x;
        let x1 = -114.0 + (east_m + side_m) / per_degree_x;
        let (y0, y1) = (51.0, 51.0 + side_m / per_degree_y);
        Place {
            code: code.into(),
            name: format!("Name of {code}"),
            boundary: MultiPolygon::new(vec![polygon![
                (x: x0, y: y0), (x: x1, y: y0), (x: x1, y: y1), (x: x0, y: y1), (x: x0, y: y0)
            ]]),
        }
    }

    fn codes(list: &[&str]) -> BTreeSet<String> {
        list.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn communities_within_250_m_of_a_treated_one_are_the_buffer() {
        let places = vec![
            square("T", 0.0, 1000.0),
            // Touching: 0 m.
            square("A", 1000.0, 500.0),
            // 240 m east of T's edge.
            square("B", 1240.0, 500.0),
            // 260 m east of T's edge.
            square("C", 1260.0, 500.0),
            // 5 km away.
            square("D", 6000.0, 500.0),
        ];
        let areas = areas(&places, &codes(&["T"]));
        assert_eq!(areas.treated, vec!["T"]);
        assert_eq!(areas.buffer, vec!["A", "B"]);
        assert_eq!(areas.of("T"), Area::Treated);
        assert_eq!(areas.of("name of b"), Area::Buffer);
        assert_eq!(areas.of("C"), Area::Comparison);
        assert_eq!(areas.of("NAME OF D"), Area::Comparison);
        assert_eq!(areas.of("not a community at all"), Area::Comparison);
    }

    #[test]
    fn without_a_treated_community_there_is_no_buffer() {
        let places = vec![square("A", 0.0, 100.0), square("B", 100.0, 100.0)];
        let areas = areas(&places, &BTreeSet::new());
        assert!(areas.treated.is_empty() && areas.buffer.is_empty());
        assert_eq!(areas.of("A"), Area::Comparison);
    }
}
