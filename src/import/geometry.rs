//! Polygons on WGS84 longitude/latitude: read from GeoJSON (the `geojson` crate) or WKT (the
//! `wkt` crate) into geo-types, and checked to be shapes on the ground with `geo`'s validation,
//! plus what geo cannot know: that the numbers are degrees, and the shape is no wider than a city.

use geo::algorithm::validation::{InvalidMultiPolygon, InvalidPolygon, RingRole};
use geo::{Area, Centroid, Coord, Distance, Haversine, LineString, MultiPolygon};
use serde::Deserialize;
use serde_json::Value;

pub use geo::Polygon;

/// How far (metres) a point of a shape may lie from the centre of its first polygon: a district
/// is a few kilometres across; a point 50 km away is a typing error or swapped coordinates.
pub const PLAUSIBLE_RADIUS_M: f64 = 50_000.0;

/// The polygons of a GeoJSON geometry object: a `Polygon` gives one, a `MultiPolygon` its list.
/// `allow_multi` false refuses a `MultiPolygon`. Rings must be closed, as GeoJSON requires (geo
/// would close them silently).
pub fn from_geojson(geometry: &Value, allow_multi: bool) -> Result<MultiPolygon, String> {
    let geometry = ::geojson::Geometry::deserialize(geometry).map_err(|e| {
        // serde's message may quote the file's text: cut it like every quoted value.
        format!(
            "the geometry is not GeoJSON: {}",
            super::text::excerpt(&e.to_string())
        )
    })?;
    let xy = |p: &::geojson::Position| Coord { x: p[0], y: p[1] };
    let raw: Vec<Vec<Vec<Coord>>> = match &geometry.value {
        ::geojson::GeometryValue::Polygon { coordinates } => {
            vec![
                coordinates
                    .iter()
                    .map(|r| r.iter().map(xy).collect())
                    .collect(),
            ]
        }
        ::geojson::GeometryValue::MultiPolygon { coordinates } if allow_multi => coordinates
            .iter()
            .map(|p| p.iter().map(|r| r.iter().map(xy).collect()).collect())
            .collect(),
        other => return Err(wrong_kind(other.type_name(), allow_multi)),
    };
    check_rings_as_written(&raw)?;
    Ok(to_multipolygon(raw))
}

/// The polygons of a WKT `MULTIPOLYGON (((lon lat, ...)), ...)` or `POLYGON ((lon lat, ...))`; a
/// height or measure after the longitude and latitude is dropped.
pub fn from_wkt(text: &str) -> Result<MultiPolygon, String> {
    if text.trim().is_empty() {
        return Err("the cell has no WKT geometry".into());
    }
    let parsed: wkt::Wkt<f64> = text
        .trim()
        .parse()
        .map_err(|e| format!("the WKT geometry cannot be read: {e}"))?;
    let rings = |p: &wkt::types::Polygon<f64>| -> Vec<Vec<Coord>> {
        p.rings()
            .iter()
            .map(|r| {
                r.coords()
                    .iter()
                    .map(|c| Coord { x: c.x, y: c.y })
                    .collect()
            })
            .collect()
    };
    let raw: Vec<Vec<Vec<Coord>>> = match &parsed {
        wkt::Wkt::Polygon(p) => vec![rings(p)],
        wkt::Wkt::MultiPolygon(m) => m.polygons().iter().map(rings).collect(),
        other => {
            let kind = match other {
                wkt::Wkt::Point(_) => "POINT",
                wkt::Wkt::LineString(_) => "LINESTRING",
                wkt::Wkt::MultiPoint(_) => "MULTIPOINT",
                wkt::Wkt::MultiLineString(_) => "MULTILINESTRING",
                _ => "GEOMETRYCOLLECTION",
            };
            return Err(format!(
                "the WKT geometry is a {kind}; it must be a MULTIPOLYGON or POLYGON"
            ));
        }
    };
    if raw.is_empty() || raw.iter().all(Vec::is_empty) {
        return Err("the WKT geometry is EMPTY".into());
    }
    check_rings_as_written(&raw)?;
    Ok(to_multipolygon(raw))
}

fn wrong_kind(kind: &str, allow_multi: bool) -> String {
    let wanted = if allow_multi {
        "Polygon or MultiPolygon"
    } else {
        "Polygon"
    };
    format!("the geometry is a {kind}; it must be a {wanted}")
}

fn to_multipolygon(raw: Vec<Vec<Vec<Coord>>>) -> MultiPolygon {
    MultiPolygon::new(
        raw.into_iter()
            .map(|rings| {
                let mut rings = rings.into_iter().map(LineString::new);
                let exterior = rings.next().unwrap_or_else(|| LineString::new(Vec::new()));
                Polygon::new(exterior, rings.collect())
            })
            .collect(),
    )
}

/// Names a ring as people see it: the outline or a hole, of which polygon when there are several.
struct Where {
    polygon: usize,
    many: bool,
}

impl Where {
    fn of(&self, role: RingRole) -> String {
        let ring = match role {
            RingRole::Exterior => "the outline".to_string(),
            RingRole::Interior(i) => format!("hole {}", i + 1),
        };
        self.prefix(ring)
    }

    fn prefix(&self, text: String) -> String {
        if self.many {
            format!("polygon {}: {text}", self.polygon + 1)
        } else {
            text
        }
    }
}

fn role(ring: usize) -> RingRole {
    match ring {
        0 => RingRole::Exterior,
        i => RingRole::Interior(i - 1),
    }
}

/// What geo-types cannot hold: rings as the file wrote them, before they are closed for us.
fn check_rings_as_written(polygons: &[Vec<Vec<Coord>>]) -> Result<(), String> {
    let many = polygons.len() > 1;
    for (p, rings) in polygons.iter().enumerate() {
        let at = Where { polygon: p, many };
        if rings.is_empty() {
            return Err(at.prefix("the polygon has no rings".into()));
        }
        for (r, ring) in rings.iter().enumerate() {
            let which = at.of(role(r));
            if ring.len() < 4 {
                return Err(format!(
                    "{which} has {} points; a ring needs at least 4 (a closed triangle)",
                    ring.len()
                ));
            }
            let (first, last) = (ring[0], ring[ring.len() - 1]);
            if first != last {
                return Err(format!(
                    "{which} is not closed: its first point ({}) differs from its last ({})",
                    show(first),
                    show(last)
                ));
            }
        }
    }
    Ok(())
}

/// Checks that the polygons are a shape on the ground: longitudes and latitudes in range, valid by
/// geo's rules (no ring crossing itself or another, holes inside the outline, polygons not
/// overlapping; past `patrolboard_shapes::FULL_CHECK_POINTS` points, only the first), every ring
/// with some area, and every point within [`PLAUSIBLE_RADIUS_M`] of the centre of the first
/// polygon. The first problem found, in words.
pub fn check(shape: &MultiPolygon) -> Result<(), String> {
    if shape.0.is_empty() {
        return Err("the geometry has no polygons".into());
    }
    let many = shape.0.len() > 1;
    for (p, polygon) in shape.iter().enumerate() {
        let at = Where { polygon: p, many };
        for (r, ring) in rings(polygon).enumerate() {
            if let Some((i, c)) = ring.coords().enumerate().find(|(_, c)| !in_range(**c)) {
                return Err(format!(
                    "{} point {} ({}) is not a longitude in −180..180 and a latitude in −90..90",
                    at.of(role(r)),
                    i + 1,
                    show(*c)
                ));
            }
        }
    }
    patrolboard_shapes::check_validation(shape).map_err(|invalid| explain(shape, invalid))?;
    // Checked after geo's rules: a bow-tie's two halves cancel out, so it too has no area.
    for (p, polygon) in shape.iter().enumerate() {
        let at = Where { polygon: p, many };
        for (r, ring) in rings(polygon).enumerate() {
            if Polygon::new(ring.clone(), Vec::new()).unsigned_area() == 0.0 {
                return Err(format!(
                    "{} has no area: its points lie on one line",
                    at.of(role(r))
                ));
            }
        }
    }
    let centre = shape.0[0]
        .exterior()
        .centroid()
        .ok_or("the geometry has no points")?;
    for point in shape.iter().flat_map(rings).flat_map(LineString::points) {
        let d = Haversine.distance(centre, point);
        if d > PLAUSIBLE_RADIUS_M {
            return Err(format!(
                "point {} lies {:.0} km from the centre of the shape ({}); check for swapped or mistyped coordinates",
                show(point.0),
                d / 1000.0,
                show(centre.0)
            ));
        }
    }
    Ok(())
}

fn rings(polygon: &Polygon) -> impl Iterator<Item = &LineString> {
    std::iter::once(polygon.exterior()).chain(polygon.interiors())
}

fn in_range(c: Coord) -> bool {
    (-180.0..=180.0).contains(&c.x) && (-90.0..=90.0).contains(&c.y)
}

/// geo's finding in words, with the place where a ring crosses itself.
fn explain(shape: &MultiPolygon, invalid: InvalidMultiPolygon) -> String {
    let many = shape.0.len() > 1;
    let (p, error) = match invalid {
        InvalidMultiPolygon::InvalidPolygon(p, error) => (p.0, error),
        InvalidMultiPolygon::ElementsOverlaps(a, b) => {
            return format!("polygons {} and {} overlap", a.0 + 1, b.0 + 1);
        }
        InvalidMultiPolygon::ElementsTouchOnALine(a, b) => {
            return format!(
                "polygons {} and {} share part of an edge; join them into one",
                a.0 + 1,
                b.0 + 1
            );
        }
    };
    let at = Where { polygon: p, many };
    let ring_of = |role: &RingRole| match role {
        RingRole::Exterior => shape.0[p].exterior(),
        RingRole::Interior(i) => &shape.0[p].interiors()[*i],
    };
    match error {
        InvalidPolygon::SelfIntersection(role) => {
            let which = at.of(role);
            match patrolboard_shapes::crossing(ring_of(&role)) {
                Some(near) => format!("{which} crosses itself near ({})", show(near)),
                None => format!("{which} crosses or touches itself"),
            }
        }
        InvalidPolygon::TooFewPointsInRing(role) => {
            format!("{} has fewer than 3 distinct points", at.of(role))
        }
        InvalidPolygon::NonFiniteCoord(role, i) => {
            format!("{} point {} is not a number", at.of(role), i.0 + 1)
        }
        InvalidPolygon::InteriorRingNotContainedInExteriorRing(role) => {
            format!("{} is not inside the outline", at.of(role))
        }
        InvalidPolygon::IntersectingRingsOnALine(a, b) => {
            format!("{} and {} share part of an edge", at.of(a), at.of(b))
        }
        InvalidPolygon::IntersectingRingsOnAnArea(a, b) => {
            format!("{} and {} overlap", at.of(a), at.of(b))
        }
    }
}

fn show(c: Coord) -> String {
    format!("{} {}", round(c.x), round(c.y))
}

/// Seven decimals of a degree (about a centimetre), as the City writes them.
fn round(x: f64) -> f64 {
    (x * 1e7).round() / 1e7
}

/// A GeoJSON `MultiPolygon` geometry object of the polygons, as `districts.boundary` holds it.
pub fn multipolygon_json(shape: &MultiPolygon) -> Value {
    geometry_json(::geojson::GeometryValue::from(shape))
}

/// A GeoJSON `Polygon` geometry object, as `hotspots.boundary` holds it.
pub fn polygon_json(polygon: &Polygon) -> Value {
    geometry_json(::geojson::GeometryValue::from(polygon))
}

fn geometry_json(value: ::geojson::GeometryValue) -> Value {
    serde_json::to_value(::geojson::Geometry::new(value)).unwrap_or(Value::Null)
}

/// A stored geometry as an import would write it, so that equal shapes compare equal whatever
/// way their numbers were written; `Null` when it cannot be read (it then differs).
pub fn normalised(value: &Value) -> Value {
    match (
        value.get("type").and_then(Value::as_str),
        from_geojson(value, true),
    ) {
        (Some("MultiPolygon"), Ok(polygons)) => multipolygon_json(&polygons),
        (Some("Polygon"), Ok(mut polygons)) => match polygons.0.pop() {
            Some(polygon) => polygon_json(&polygon),
            None => Value::Null,
        },
        _ => Value::Null,
    }
}

#[cfg(test)]
#[path = "geometry_tests.rs"]
mod tests;
