//! Polygons on WGS84 longitude/latitude: reading them from GeoJSON and WKT, checking they are
//! shapes on the ground, and the little plane geometry the checks need.

use serde_json::{Value, json};

/// A point as GeoJSON writes it: longitude, then latitude (WGS84 degrees).
pub type Point = (f64, f64);
/// A closed ring: the first point repeats as the last.
pub type Ring = Vec<Point>;
/// An outer ring, then its holes.
pub type Polygon = Vec<Ring>;

/// How far (metres) a point of a shape may lie from the centre of its first ring: a district is a
/// few kilometres across; a point 50 km away is a typing error or swapped coordinates.
pub const PLAUSIBLE_RADIUS_M: f64 = 50_000.0;

/// The polygons of a GeoJSON geometry object: a `Polygon` gives one, a `MultiPolygon` its list.
/// `allow_multi` false refuses a `MultiPolygon`.
pub fn from_geojson(geometry: &Value, allow_multi: bool) -> Result<Vec<Polygon>, String> {
    let kind = geometry.get("type").and_then(Value::as_str);
    let coordinates = geometry
        .get("coordinates")
        .ok_or("the geometry has no \"coordinates\"")?;
    match kind {
        Some("Polygon") => Ok(vec![polygon_from_json(coordinates)?]),
        Some("MultiPolygon") if allow_multi => coordinates
            .as_array()
            .ok_or("the MultiPolygon's coordinates are not a list of polygons")?
            .iter()
            .enumerate()
            .map(|(i, p)| polygon_from_json(p).map_err(|e| format!("polygon {}: {e}", i + 1)))
            .collect(),
        Some(other) => Err(format!(
            "the geometry is a {other}; it must be a {}",
            if allow_multi {
                "Polygon or MultiPolygon"
            } else {
                "Polygon"
            }
        )),
        None => Err("the geometry has no \"type\"".into()),
    }
}

fn polygon_from_json(value: &Value) -> Result<Polygon, String> {
    let rings = value.as_array().ok_or("a polygon is not a list of rings")?;
    rings
        .iter()
        .enumerate()
        .map(|(r, ring)| {
            ring.as_array()
                .ok_or_else(|| format!("ring {} is not a list of points", r + 1))?
                .iter()
                .enumerate()
                .map(|(p, position)| {
                    let pair = position.as_array().map(|a| {
                        (
                            a.first().and_then(Value::as_f64),
                            a.get(1).and_then(Value::as_f64),
                        )
                    });
                    match pair {
                        Some((Some(lon), Some(lat))) => Ok((lon, lat)),
                        _ => Err(format!(
                            "ring {}, point {}: {position} is not [longitude, latitude]",
                            r + 1,
                            p + 1
                        )),
                    }
                })
                .collect()
        })
        .collect()
}

/// The polygons of a WKT `MULTIPOLYGON (((lon lat, ...)), ...)` or `POLYGON ((lon lat, ...))`.
pub fn from_wkt(text: &str) -> Result<Vec<Polygon>, String> {
    let mut wkt = Wkt {
        bytes: text.trim().as_bytes(),
        at: 0,
    };
    let keyword = wkt.word().to_ascii_uppercase();
    let mut modifier = wkt.word().to_ascii_uppercase();
    if modifier == "Z" || modifier == "M" || modifier == "ZM" {
        modifier = wkt.word().to_ascii_uppercase();
    }
    if modifier == "EMPTY" {
        return Err(format!("the {keyword} is EMPTY"));
    }
    let polygons = match keyword.as_str() {
        "MULTIPOLYGON" => wkt.list(|w| w.list(|w| w.list(Wkt::point)))?,
        "POLYGON" => vec![wkt.list(|w| w.list(Wkt::point))?],
        "" => return Err("the cell has no WKT geometry".into()),
        other => {
            return Err(format!(
                "the WKT geometry is a {other}; it must be a MULTIPOLYGON or POLYGON"
            ));
        }
    };
    wkt.space();
    if wkt.at < wkt.bytes.len() {
        return Err(format!(
            "unexpected {:?} after the end of the WKT geometry",
            wkt.rest(20)
        ));
    }
    Ok(polygons)
}

/// A cursor over WKT text.
struct Wkt<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Wkt<'_> {
    fn space(&mut self) {
        while self.bytes.get(self.at).is_some_and(u8::is_ascii_whitespace) {
            self.at += 1;
        }
    }

    fn rest(&self, n: usize) -> String {
        let end = (self.at + n).min(self.bytes.len());
        String::from_utf8_lossy(&self.bytes[self.at..end]).into_owned()
    }

    fn word(&mut self) -> String {
        self.space();
        let start = self.at;
        while self.bytes.get(self.at).is_some_and(u8::is_ascii_alphabetic) {
            self.at += 1;
        }
        String::from_utf8_lossy(&self.bytes[start..self.at]).into_owned()
    }

    fn expect(&mut self, c: u8) -> Result<(), String> {
        self.space();
        if self.bytes.get(self.at) == Some(&c) {
            self.at += 1;
            Ok(())
        } else if self.at >= self.bytes.len() {
            Err(format!(
                "the WKT geometry ends early: expected {:?}",
                c as char
            ))
        } else {
            Err(format!(
                "expected {:?} in the WKT geometry, found {:?}",
                c as char,
                self.rest(20)
            ))
        }
    }

    /// `( item, item, ... )`.
    fn list<T>(
        &mut self,
        mut item: impl FnMut(&mut Self) -> Result<T, String>,
    ) -> Result<Vec<T>, String> {
        self.expect(b'(')?;
        let mut items = vec![item(self)?];
        loop {
            self.space();
            match self.bytes.get(self.at) {
                Some(b',') => {
                    self.at += 1;
                    items.push(item(self)?);
                }
                _ => break,
            }
        }
        self.expect(b')')?;
        Ok(items)
    }

    fn number(&mut self) -> Result<Option<f64>, String> {
        self.space();
        let start = self.at;
        while self
            .bytes
            .get(self.at)
            .is_some_and(|b| b.is_ascii_digit() || b"+-.eE".contains(b))
        {
            self.at += 1;
        }
        if start == self.at {
            return Ok(None);
        }
        let text = String::from_utf8_lossy(&self.bytes[start..self.at]);
        match text.parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(Some(x)),
            _ => Err(format!(
                "{} in the WKT geometry is not a number",
                super::text::quoted(&text)
            )),
        }
    }

    /// `lon lat` (a third or fourth number, height or measure, is read and dropped).
    fn point(&mut self) -> Result<Point, String> {
        let lon = self.number()?;
        let lat = self.number()?;
        while self.number()?.is_some() {}
        match (lon, lat) {
            (Some(lon), Some(lat)) => Ok((lon, lat)),
            _ => Err(format!(
                "expected a point \"longitude latitude\" in the WKT geometry, found {:?}",
                self.rest(20)
            )),
        }
    }
}

/// Checks that every ring is a shape on the ground: closed, at least 4 points, longitudes and
/// latitudes in range, some area, and every point within [`PLAUSIBLE_RADIUS_M`] of the centre
/// of the first ring. The first problem found, in words.
pub fn check(polygons: &[Polygon]) -> Result<(), String> {
    if polygons.is_empty() {
        return Err("the geometry has no polygons".into());
    }
    let many = polygons.len() > 1;
    for (p, polygon) in polygons.iter().enumerate() {
        let which_polygon = if many {
            format!("polygon {}, ", p + 1)
        } else {
            String::new()
        };
        if polygon.is_empty() {
            return Err(format!("{which_polygon}the polygon has no rings"));
        }
        for (r, ring) in polygon.iter().enumerate() {
            let which = format!("{which_polygon}ring {}", r + 1);
            check_ring(ring).map_err(|e| format!("{which} {e}"))?;
        }
    }
    let centre = centroid(&polygons[0][0]);
    for polygon in polygons {
        for ring in polygon {
            for &point in ring {
                let d = distance_m(centre, point);
                if d > PLAUSIBLE_RADIUS_M {
                    return Err(format!(
                        "point {} lies {:.0} km from the centre of the shape ({}); check for swapped or mistyped coordinates",
                        show(point),
                        d / 1000.0,
                        show(centre)
                    ));
                }
            }
        }
    }
    Ok(())
}

fn check_ring(ring: &Ring) -> Result<(), String> {
    if ring.len() < 4 {
        return Err(format!(
            "has {} points; a ring needs at least 4 (a closed triangle)",
            ring.len()
        ));
    }
    for (i, &(lon, lat)) in ring.iter().enumerate() {
        if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
            return Err(format!(
                "point {} ({}) is not a longitude in −180..180 and a latitude in −90..90",
                i + 1,
                show((lon, lat))
            ));
        }
    }
    let (first, last) = (ring[0], ring[ring.len() - 1]);
    if first != last {
        return Err(format!(
            "is not closed: its first point ({}) differs from its last ({})",
            show(first),
            show(last)
        ));
    }
    if twice_area(ring) == 0.0 {
        return Err("has no area: its points lie on one line".into());
    }
    Ok(())
}

fn show((lon, lat): Point) -> String {
    format!("{lon} {lat}")
}

/// The mean of a closed ring's points (the repeated last point counted once).
pub fn centroid(ring: &[Point]) -> Point {
    let points = match ring {
        [rest @ .., last] if rest.first() == Some(last) => rest,
        all => all,
    };
    let n = points.len().max(1) as f64;
    let (x, y) = points
        .iter()
        .fold((0.0, 0.0), |(x, y), &(lon, lat)| (x + lon, y + lat));
    (x / n, y / n)
}

/// Great-circle distance in metres.
pub fn distance_m((lon1, lat1): Point, (lon2, lat2): Point) -> f64 {
    const EARTH_RADIUS_M: f64 = 6_371_008.8;
    let (phi1, phi2) = (lat1.to_radians(), lat2.to_radians());
    let dphi = (lat2 - lat1).to_radians();
    let dlambda = (lon2 - lon1).to_radians();
    let a = (dphi / 2.0).sin().powi(2) + phi1.cos() * phi2.cos() * (dlambda / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * a.sqrt().asin()
}

fn twice_area(ring: &[Point]) -> f64 {
    ring.windows(2)
        .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
        .sum()
}

/// Even-odd ray casting: whether `point` lies inside the closed `ring`.
fn ring_contains(ring: &[Point], (x, y): Point) -> bool {
    let mut inside = false;
    for w in ring.windows(2) {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        if (y0 > y) != (y1 > y) && x < x0 + (y - y0) * (x1 - x0) / (y1 - y0) {
            inside = !inside;
        }
    }
    inside
}

/// Whether `point` lies inside one of the polygons (inside its outer ring, outside its holes).
pub fn contains(polygons: &[Polygon], point: Point) -> bool {
    polygons.iter().any(|rings| match rings.split_first() {
        Some((outer, holes)) => {
            ring_contains(outer, point) && !holes.iter().any(|h| ring_contains(h, point))
        }
        None => false,
    })
}

/// Metres from `point` to the nearest edge of any ring, on a plane tangent at `point` (good to a
/// few metres at the scale of a city).
pub fn distance_to_edge_m(polygons: &[Polygon], point: Point) -> f64 {
    let (m_per_lon, m_per_lat) = (111_320.0 * point.1.to_radians().cos(), 111_132.0);
    let local = |(lon, lat): Point| ((lon - point.0) * m_per_lon, (lat - point.1) * m_per_lat);
    let mut best = f64::INFINITY;
    for ring in polygons.iter().flatten() {
        for w in ring.windows(2) {
            let (a, b) = (local(w[0]), local(w[1]));
            let (dx, dy) = (b.0 - a.0, b.1 - a.1);
            let len2 = dx * dx + dy * dy;
            let t = if len2 == 0.0 {
                0.0
            } else {
                (-(a.0 * dx + a.1 * dy) / len2).clamp(0.0, 1.0)
            };
            let (cx, cy) = (a.0 + t * dx, a.1 + t * dy);
            best = best.min((cx * cx + cy * cy).sqrt());
        }
    }
    best
}

fn rings_json(polygon: &Polygon) -> Value {
    Value::Array(
        polygon
            .iter()
            .map(|ring| ring.iter().map(|&(lon, lat)| json!([lon, lat])).collect())
            .collect(),
    )
}

/// A GeoJSON `MultiPolygon` geometry object of the polygons, as `districts.boundary` holds it.
pub fn multipolygon_json(polygons: &[Polygon]) -> Value {
    json!({
        "type": "MultiPolygon",
        "coordinates": polygons.iter().map(rings_json).collect::<Vec<_>>(),
    })
}

/// A GeoJSON `Polygon` geometry object, as `hotspots.boundary` holds it.
pub fn polygon_json(polygon: &Polygon) -> Value {
    json!({ "type": "Polygon", "coordinates": rings_json(polygon) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(lon: f64, lat: f64) -> Ring {
        vec![
            (lon, lat),
            (lon + 0.01, lat),
            (lon + 0.01, lat + 0.01),
            (lon, lat + 0.01),
            (lon, lat),
        ]
    }

    #[test]
    fn wkt_multipolygons_and_polygons_are_read() {
        let m = from_wkt("MULTIPOLYGON (((-114.1 51.0, -114.0 51.0, -114.0 51.1, -114.1 51.0)), ((1 2, 3 4, 5 6, 1 2)))")
            .unwrap();
        assert_eq!(m.len(), 2);
        assert_eq!(m[0][0][1], (-114.0, 51.0));
        let p = from_wkt(
            "polygon Z ((0 0 5, 1 0 5, 1 1 5, 0 0 5), (0.1 0.1, 0.2 0.1, 0.2 0.2, 0.1 0.1))",
        )
        .unwrap();
        assert_eq!(p[0].len(), 2);
        assert!(from_wkt("MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0))").is_err());
        assert!(from_wkt("MULTIPOLYGON EMPTY").is_err());
        assert!(from_wkt("POINT (1 2)").is_err());
        assert!(from_wkt("POLYGON ((0 0, 1 x, 1 1, 0 0))").is_err());
    }

    #[test]
    fn geojson_polygons_are_read_and_multipolygons_only_when_allowed() {
        let polygon = polygon_json(&vec![square(-114.07, 51.04)]);
        assert_eq!(from_geojson(&polygon, false).unwrap().len(), 1);
        let multi =
            multipolygon_json(&[vec![square(-114.07, 51.04)], vec![square(-114.05, 51.04)]]);
        assert_eq!(from_geojson(&multi, true).unwrap().len(), 2);
        assert!(
            from_geojson(&multi, false)
                .unwrap_err()
                .contains("must be a Polygon")
        );
        let bad = json!({"type": "Polygon", "coordinates": [[[0, 0], [1, "x"], [1, 1], [0, 0]]]});
        assert!(from_geojson(&bad, false).unwrap_err().contains("point 2"));
    }

    #[test]
    fn a_good_shape_passes_the_checks() {
        assert_eq!(check(&[vec![square(-114.07, 51.04)]]), Ok(()));
    }

    #[test]
    fn open_short_flat_and_out_of_range_rings_are_refused() {
        let mut open = square(-114.07, 51.04);
        open.pop();
        open.push((-114.0, 51.04));
        assert!(check(&[vec![open]]).unwrap_err().contains("not closed"));
        let short = vec![(0.0, 0.0), (1.0, 0.0), (0.0, 0.0)];
        assert!(check(&[vec![short]]).unwrap_err().contains("at least 4"));
        let flat = vec![(0.0, 0.0), (1.0, 0.0), (2.0, 0.0), (0.0, 0.0)];
        assert!(check(&[vec![flat]]).unwrap_err().contains("no area"));
        let swapped = square(51.04, -114.07);
        assert!(check(&[vec![swapped]]).unwrap_err().contains("latitude"));
    }

    #[test]
    fn a_point_far_from_the_rest_is_implausible() {
        let far = vec![vec![square(-114.07, 51.04)], vec![square(-113.0, 51.04)]];
        assert!(check(&far).unwrap_err().contains("km from the centre"));
    }

    #[test]
    fn containment_and_distance_to_an_edge() {
        let shape = vec![vec![square(-114.07, 51.04)]];
        assert!(contains(&shape, (-114.065, 51.045)));
        assert!(!contains(&shape, (-114.05, 51.045)));
        // 0.001 degrees of longitude east of the east edge at 51° N is about 70 m.
        let d = distance_to_edge_m(&shape, (-114.059, 51.045));
        assert!((d - 70.0).abs() < 2.0, "{d}");
        assert!((distance_m((-114.0, 51.0), (-114.0, 51.01)) - 1112.0).abs() < 2.0);
    }
}
