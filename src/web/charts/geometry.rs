//! The map's geometry: GeoJSON polygons read into geo-types, projected onto the viewBox,
//! simplified for the screen, written as path data, and a place inside found for a label. The
//! georust crates do the geometry; only the projection and the SVG path are ours.

use geo::{
    Area, BooleanOps, BoundingRect, Centroid, Contains, Coord, CoordsIter, Euclidean,
    InteriorPoint, Length, LineString, MapCoords, MultiLineString, Point, Rect, Simplify,
};
use serde::Deserialize;
use serde_json::Value;

use super::num;

pub use geo::Polygon;

/// How far (in viewBox units) the drawn outline may stray from the true one: the City's
/// boundaries have a point every few metres, far more than a screen can show.
const TOLERANCE: f64 = 0.35;
/// A ring narrower and shorter than this (in viewBox units) is a sliver or a speck: not drawn.
const MIN_SIZE: f64 = 0.7;

/// The polygons of a GeoJSON geometry (or Feature) in lon/lat; anything else (points, bad
/// numbers, coordinates that are not degrees) is skipped.
pub fn polygons(geometry: &Value) -> Vec<Polygon> {
    if geometry["type"] == "Feature" {
        return polygons(&geometry["geometry"]);
    }
    let Ok(geometry) = geojson::Geometry::deserialize(geometry) else {
        return Vec::new();
    };
    let read: Vec<Polygon> = match geometry.value {
        value @ geojson::GeometryValue::Polygon { .. } => {
            Polygon::try_from(value).into_iter().collect()
        }
        value @ geojson::GeometryValue::MultiPolygon { .. } => geo::MultiPolygon::try_from(value)
            .map(|m| m.0)
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    read.into_iter()
        .filter(|polygon| {
            polygon
                .coords_iter()
                .all(|c| (-180.0..=180.0).contains(&c.x) && (-90.0..=90.0).contains(&c.y))
        })
        .collect()
}

/// The smallest rectangle around every polygon of a shape; `None` for no polygon.
pub(super) fn bounds(shape: &[Polygon]) -> Option<Rect> {
    shape
        .iter()
        .filter_map(BoundingRect::bounding_rect)
        .reduce(union)
}

/// The smallest rectangle around both.
pub(super) fn union(a: Rect, b: Rect) -> Rect {
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
}

/// Whether two rectangles share any point.
pub(super) fn overlap(a: &Rect, b: &Rect) -> bool {
    a.min().x <= b.max().x
        && b.min().x <= a.max().x
        && a.min().y <= b.max().y
        && b.min().y <= a.max().y
}

/// Equirectangular projection scaled by the cosine of the middle latitude, fitted to the
/// viewBox: near enough to true shape at city scale, and needs no projection library.
pub(super) struct Projection {
    lon_min: f64,
    lat_max: f64,
    x_scale: f64,
    y_scale: f64,
    offset_x: f64,
    margin: f64,
    width: f64,
    /// The height of the drawing, margins included.
    pub(super) height: f64,
}

impl Projection {
    /// Fits every point of `shapes` into `width` (centred) and at most `max_height`, inside a
    /// `margin`; `None` when there is no point at all.
    pub(super) fn fit<'a>(
        shapes: impl Iterator<Item = &'a Vec<Polygon>>,
        width: f64,
        max_height: f64,
        margin: f64,
    ) -> Option<Projection> {
        let bounds = shapes.filter_map(|shape| bounds(shape)).reduce(union)?;
        let (lon_min, lat_min) = bounds.min().x_y();
        let (lon_max, lat_max) = bounds.max().x_y();
        let cos_lat = ((lat_min + lat_max) / 2.0).to_radians().cos().max(0.01);
        // A lone point or a line has no extent: give it a tiny one rather than divide by zero.
        let span_x = ((lon_max - lon_min) * cos_lat).max(1e-9);
        let span_y = (lat_max - lat_min).max(1e-9);
        let scale = ((width - 2.0 * margin) / span_x).min((max_height - 2.0 * margin) / span_y);
        let drawn_width = (lon_max - lon_min) * cos_lat * scale;
        Some(Projection {
            lon_min,
            lat_max,
            x_scale: cos_lat * scale,
            y_scale: scale,
            offset_x: (width - drawn_width) / 2.0,
            margin,
            width,
            height: (lat_max - lat_min) * scale + 2.0 * margin,
        })
    }

    /// The whole drawing, margins included, in viewBox units: what shows of the map.
    pub(super) fn view(&self) -> Rect {
        Rect::new(
            Coord { x: 0.0, y: 0.0 },
            Coord {
                x: self.width,
                y: self.height,
            },
        )
    }

    /// A lon/lat point in viewBox units.
    pub(super) fn point(&self, (lon, lat): (f64, f64)) -> (f64, f64) {
        (
            self.offset_x + (lon - self.lon_min) * self.x_scale,
            self.margin + (self.lat_max - lat) * self.y_scale,
        )
    }

    /// The polygons in viewBox units, simplified to [`TOLERANCE`]; rings under three corners or
    /// smaller than [`MIN_SIZE`] (slivers and specks) are dropped, and a polygon with its outline.
    pub(super) fn polygons(&self, shape: &[Polygon]) -> Vec<Polygon> {
        let drawable = |ring: &LineString| {
            ring.0.len() >= 4
                && ring
                    .bounding_rect()
                    .is_some_and(|r| r.width().max(r.height()) >= MIN_SIZE)
        };
        shape
            .iter()
            .map(|polygon| {
                polygon
                    .map_coords(|c| self.point(c.x_y()).into())
                    .simplify(TOLERANCE)
            })
            .filter(|polygon| drawable(polygon.exterior()))
            .map(|polygon| {
                let (exterior, holes) = polygon.into_inner();
                Polygon::new(exterior, holes.into_iter().filter(drawable).collect())
            })
            .collect()
    }
}

/// `M x y L x y x y … Z` for every ring, or `None` when nothing is left to draw.
pub(super) fn path_data(polygons: &[Polygon]) -> Option<String> {
    let mut d = String::new();
    let rings = polygons
        .iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()));
    for ring in rings {
        // geo-types rings repeat their first point at the end; `Z` closes the path instead.
        let corners = &ring.0[..ring.0.len().saturating_sub(1)];
        for (i, c) in corners.iter().enumerate() {
            d.push_str(match i {
                0 if d.is_empty() => "M",
                0 => " M",
                1 => " L",
                _ => " ",
            });
            d.push_str(&num(c.x));
            d.push(' ');
            d.push_str(&num(c.y));
        }
        d.push_str(" Z");
    }
    (!d.is_empty()).then_some(d)
}

/// The area of the largest polygon of an area, in square viewBox units.
pub(super) fn largest_area(polygons: &[Polygon]) -> f64 {
    polygons.iter().map(Area::unsigned_area).fold(0.0, f64::max)
}

/// Whether `point` is inside the polygon (not in a hole, not on the edge).
#[cfg(test)]
pub(super) fn inside(point: (f64, f64), polygon: &Polygon) -> bool {
    polygon.contains(&Point::from(point))
}

/// The width of the widest polygon of an area.
pub(super) fn widest(polygons: &[Polygon]) -> f64 {
    polygons
        .iter()
        .filter_map(BoundingRect::bounding_rect)
        .map(|r| r.width())
        .fold(0.0, f64::max)
}

/// The middle of the longest piece of the horizontal line at `y` that lies inside (a piece
/// running along an edge does not count).
fn widest_inside(y: f64, polygon: &Polygon) -> Option<(f64, f64)> {
    let bounds = polygon.bounding_rect()?;
    let line = LineString::from(vec![(bounds.min().x - 1.0, y), (bounds.max().x + 1.0, y)]);
    polygon
        .clip(&MultiLineString::new(vec![line]), false)
        .into_iter()
        .filter_map(|piece| Some((piece.centroid()?, Euclidean.length(&piece))))
        .filter(|(middle, _)| polygon.contains(middle))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(middle, _)| middle.x_y())
}

/// Places for an area's label, best first, all inside its largest polygon: the centroid when it
/// falls inside, else a point that does (geo's interior point); then the middles of lines above
/// and below, `step` apart, for when the first place is taken by a neighbour's label.
pub(super) fn label_places(polygons: &[Polygon], step: f64) -> Vec<(f64, f64)> {
    let Some(largest) = polygons
        .iter()
        .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()))
    else {
        return Vec::new();
    };
    let first = largest
        .centroid()
        .filter(|centre| largest.contains(centre))
        .or_else(|| largest.interior_point());
    let Some(first) = first.map(Point::x_y) else {
        return Vec::new();
    };
    let mut places = vec![first];
    for k in 1..=8 {
        for sign in [1.0, -1.0] {
            places.extend(widest_inside(first.1 + sign * k as f64 * step, largest));
        }
    }
    places
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn square(x0: f64, y0: f64, size: f64) -> LineString {
        LineString::from(vec![
            (x0, y0),
            (x0 + size, y0),
            (x0 + size, y0 + size),
            (x0, y0 + size),
        ])
    }

    #[test]
    fn polygons_and_multipolygons_are_read_and_junk_is_skipped() {
        let polygon = json!({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]});
        let multi = json!({"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 0], [1, 1]]], [[[5, 5], [6, 5], [6, 6]]]]});
        let junk = json!({"type": "Polygon", "coordinates": [[["a", 0], [200, 0], [1, 1]]]});
        let not_degrees =
            json!({"type": "Polygon", "coordinates": [[[0, 0], [200, 0], [1, 1], [0, 0]]]});

        assert_eq!(polygons(&polygon)[0].exterior().0.len(), 4);
        assert_eq!(polygons(&multi).len(), 2);
        assert!(polygons(&junk).is_empty());
        assert!(polygons(&not_degrees).is_empty());
        let feature = json!({"type": "Feature", "properties": {}, "geometry": polygon});
        assert_eq!(polygons(&feature).len(), 1);
        assert!(polygons(&json!({"type": "Point", "coordinates": [0, 0]})).is_empty());
        assert!(polygons(&json!(null)).is_empty());
    }

    #[test]
    fn projecting_drops_points_the_screen_cannot_show_and_collapsed_rings() {
        let wiggly = Polygon::new(
            LineString::from(vec![
                (0.0, 0.0),
                (0.5, 0.001),
                (1.0, 0.0),
                (1.0, 1.0),
                (0.0, 1.0),
            ]),
            vec![square(0.5, 0.5, 1e-6)],
        );
        let projection = Projection::fit([&vec![wiggly.clone()]].into_iter(), 100.0, 100.0, 0.0)
            .expect("a projection");

        let drawn = projection.polygons(&[wiggly]);

        assert_eq!(drawn.len(), 1);
        assert_eq!(drawn[0].exterior().0.len(), 5, "{:?}", drawn[0].exterior());
        assert!(drawn[0].interiors().is_empty());
    }

    #[test]
    fn path_data_has_one_subpath_per_ring() {
        let polygon = Polygon::new(square(0.0, 0.0, 10.0), vec![square(2.0, 2.0, 1.04)]);

        assert_eq!(
            path_data(&[polygon]).unwrap(),
            "M0 0 L10 0 10 10 0 10 Z M2 2 L3 2 3 3 2 3 Z"
        );
        assert_eq!(path_data(&[]), None);
    }

    #[test]
    fn a_point_in_a_hole_is_outside() {
        let polygon = Polygon::new(square(0.0, 0.0, 10.0), vec![square(4.0, 4.0, 2.0)]);

        assert!(inside((1.0, 1.0), &polygon));
        assert!(!inside((5.0, 5.0), &polygon));
        assert!(!inside((11.0, 5.0), &polygon));
    }

    #[test]
    fn a_u_shape_gets_its_label_inside_not_at_its_centroid() {
        // A "U": the centroid falls in the notch between the arms.
        let u = Polygon::new(
            LineString::from(vec![
                (0.0, 0.0),
                (3.0, 0.0),
                (3.0, 7.0),
                (7.0, 7.0),
                (7.0, 0.0),
                (10.0, 0.0),
                (10.0, 10.0),
                (0.0, 10.0),
            ]),
            Vec::new(),
        );

        assert!(!inside(u.centroid().unwrap().x_y(), &u));
        let places = label_places(std::slice::from_ref(&u), 1.0);
        assert!(places.len() > 1);
        assert!(places.iter().all(|&place| inside(place, &u)), "{places:?}");
    }

    #[test]
    fn the_projection_fits_a_tall_area_by_its_height() {
        let tall = vec![Polygon::new(
            LineString::from(vec![(-114.0, 51.0), (-113.999, 51.0), (-114.0, 52.0)]),
            Vec::new(),
        )];
        let projection = Projection::fit([&tall].into_iter(), 800.0, 600.0, 10.0).unwrap();

        assert!((projection.height - 600.0).abs() < 1e-6);
        let (x, y) = projection.point((-114.0, 52.0));
        assert!((0.0..=800.0).contains(&x));
        assert!((y - 10.0).abs() < 1e-6);
    }
}
