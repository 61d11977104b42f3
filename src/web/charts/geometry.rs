//! Plane geometry for the map: reading GeoJSON polygons, projecting them onto the viewBox,
//! thinning their points, writing path data and finding a place inside for a label.

use serde_json::Value;

use super::num;

/// A ring of points: lon/lat when read, viewBox units once projected.
pub(super) type Ring = Vec<(f64, f64)>;
/// An outer ring followed by its holes.
pub(super) type Polygon = Vec<Ring>;

/// Points closer than this (in viewBox units) to the last kept point are dropped: the City's
/// boundaries have a point every few metres, far more than a screen can show.
const MIN_STEP: f64 = 0.7;

/// The polygons of a GeoJSON geometry in lon/lat; anything else (points, bad numbers) is skipped.
pub(super) fn polygons(geometry: &Value) -> Vec<Polygon> {
    let coordinates = &geometry["coordinates"];
    match geometry["type"].as_str() {
        Some("Polygon") => vec![polygon(coordinates)],
        Some("MultiPolygon") => coordinates
            .as_array()
            .map(|list| list.iter().map(polygon).collect())
            .unwrap_or_default(),
        Some("Feature") => polygons(&geometry["geometry"]),
        _ => Vec::new(),
    }
}

fn polygon(rings: &Value) -> Polygon {
    let Some(rings) = rings.as_array() else {
        return Vec::new();
    };
    rings
        .iter()
        .map(|ring| {
            ring.as_array()
                .map(|positions| {
                    positions
                        .iter()
                        .filter_map(|position| {
                            let lon = position.get(0)?.as_f64()?;
                            let lat = position.get(1)?.as_f64()?;
                            let valid =
                                (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat);
                            valid.then_some((lon, lat))
                        })
                        .collect()
                })
                .unwrap_or_default()
        })
        .collect()
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
        let (mut lon_min, mut lon_max) = (f64::INFINITY, f64::NEG_INFINITY);
        let (mut lat_min, mut lat_max) = (f64::INFINITY, f64::NEG_INFINITY);
        for &(lon, lat) in shapes.flatten().flatten().flatten() {
            lon_min = lon_min.min(lon);
            lon_max = lon_max.max(lon);
            lat_min = lat_min.min(lat);
            lat_max = lat_max.max(lat);
        }
        if !(lon_min.is_finite() && lat_min.is_finite()) {
            return None;
        }
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
            height: (lat_max - lat_min) * scale + 2.0 * margin,
        })
    }

    fn point(&self, (lon, lat): (f64, f64)) -> (f64, f64) {
        (
            self.offset_x + (lon - self.lon_min) * self.x_scale,
            self.margin + (self.lat_max - lat) * self.y_scale,
        )
    }

    /// The polygons in viewBox units, each ring thinned; rings left with under three points
    /// (slivers and tiny holes) are dropped.
    pub(super) fn polygons(&self, shape: &[Polygon]) -> Vec<Polygon> {
        shape
            .iter()
            .map(|rings| {
                rings
                    .iter()
                    .map(|ring| thin(ring.iter().map(|&position| self.point(position))))
                    .filter(|ring| ring.len() >= 3)
                    .collect::<Polygon>()
            })
            .filter(|rings| !rings.is_empty())
            .collect()
    }
}

/// Keeps a point only when it is at least `MIN_STEP` from the last one kept.
fn thin(points: impl Iterator<Item = (f64, f64)>) -> Ring {
    let mut kept: Ring = Vec::new();
    for point in points {
        match kept.last() {
            Some(&last) if distance(last, point) < MIN_STEP => {}
            _ => kept.push(point),
        }
    }
    // GeoJSON rings repeat their first point at the end; `Z` closes the path instead.
    while kept.len() > 1 && distance(kept[0], kept[kept.len() - 1]) < MIN_STEP {
        kept.pop();
    }
    kept
}

fn distance(a: (f64, f64), b: (f64, f64)) -> f64 {
    (a.0 - b.0).hypot(a.1 - b.1)
}

/// `M x y L x y x y … Z` for every ring, or `None` when nothing is left to draw.
pub(super) fn path_data(polygons: &[Polygon]) -> Option<String> {
    let mut d = String::new();
    for ring in polygons.iter().flatten() {
        for (i, &(x, y)) in ring.iter().enumerate() {
            d.push_str(match i {
                0 if d.is_empty() => "M",
                0 => " M",
                1 => " L",
                _ => " ",
            });
            d.push_str(&num(x));
            d.push(' ');
            d.push_str(&num(y));
        }
        d.push_str(" Z");
    }
    (!d.is_empty()).then_some(d)
}

/// Twice the signed area of a ring (shoelace formula).
fn twice_area(ring: &[(f64, f64)]) -> f64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            a.0 * b.1 - b.0 * a.1
        })
        .sum()
}

/// The area of the largest outer ring of an area, in square viewBox units.
pub(super) fn largest_area(polygons: &[Polygon]) -> f64 {
    polygons
        .iter()
        .map(|polygon| twice_area(&polygon[0]).abs() / 2.0)
        .fold(0.0, f64::max)
}

/// The area-weighted centroid of a ring, or its mean point if it has no area.
fn centroid(ring: &[(f64, f64)]) -> (f64, f64) {
    let n = ring.len();
    let area2 = twice_area(ring);
    if area2.abs() < 1e-9 {
        let (sx, sy) = ring
            .iter()
            .fold((0.0, 0.0), |(sx, sy), &(x, y)| (sx + x, sy + y));
        return (sx / n as f64, sy / n as f64);
    }
    let (mut cx, mut cy) = (0.0, 0.0);
    for i in 0..n {
        let (a, b) = (ring[i], ring[(i + 1) % n]);
        let cross = a.0 * b.1 - b.0 * a.1;
        cx += (a.0 + b.0) * cross;
        cy += (a.1 + b.1) * cross;
    }
    (cx / (3.0 * area2), cy / (3.0 * area2))
}

/// Whether `point` is inside the polygon (outer ring and holes, even-odd rule).
pub(super) fn inside(point: (f64, f64), polygon: &Polygon) -> bool {
    crossings(point.1, polygon)
        .iter()
        .filter(|&&x| x > point.0)
        .count()
        % 2
        == 1
}

/// Where the horizontal line at `y` crosses the polygon's edges, left to right.
fn crossings(y: f64, polygon: &Polygon) -> Vec<f64> {
    let mut xs = Vec::new();
    for ring in polygon {
        let n = ring.len();
        for i in 0..n {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            if (a.1 > y) != (b.1 > y) {
                xs.push(a.0 + (y - a.1) / (b.1 - a.1) * (b.0 - a.0));
            }
        }
    }
    xs.sort_by(f64::total_cmp);
    xs
}

/// The middle of the widest stretch of the horizontal line at `y` that lies inside.
fn widest_inside(y: f64, polygon: &Polygon) -> Option<(f64, f64)> {
    crossings(y, polygon)
        .chunks_exact(2)
        .max_by(|a, b| (a[1] - a[0]).total_cmp(&(b[1] - b[0])))
        .map(|span| ((span[0] + span[1]) / 2.0, y))
}

/// The bounding box of a ring: (left, top, right, bottom).
pub(super) fn bounds(ring: &[(f64, f64)]) -> (f64, f64, f64, f64) {
    ring.iter().fold(
        (
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ),
        |(x0, y0, x1, y1), &(x, y)| (x0.min(x), y0.min(y), x1.max(x), y1.max(y)),
    )
}

/// Places for an area's label, best first, all inside its largest polygon where possible: the
/// centroid when it falls inside, else the middle of the widest inside stretch of the
/// horizontal line through it (else the bounding-box centre); then the middles of lines above
/// and below, `step` apart, for when the first place is taken by a neighbour's label.
pub(super) fn label_places(polygons: &[Polygon], step: f64) -> Vec<(f64, f64)> {
    let Some(largest) = polygons
        .iter()
        .max_by(|a, b| twice_area(&a[0]).abs().total_cmp(&twice_area(&b[0]).abs()))
    else {
        return Vec::new();
    };
    let centre = centroid(&largest[0]);
    let first = if inside(centre, largest) {
        centre
    } else {
        widest_inside(centre.1, largest).unwrap_or_else(|| {
            let (x0, y0, x1, y1) = bounds(&largest[0]);
            ((x0 + x1) / 2.0, (y0 + y1) / 2.0)
        })
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

    fn square(x0: f64, y0: f64, size: f64) -> Ring {
        vec![
            (x0, y0),
            (x0 + size, y0),
            (x0 + size, y0 + size),
            (x0, y0 + size),
        ]
    }

    #[test]
    fn polygons_and_multipolygons_are_read_and_junk_is_skipped() {
        let polygon = json!({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]});
        let multi = json!({"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 0], [1, 1]]], [[[5, 5], [6, 5], [6, 6]]]]});
        let junk = json!({"type": "Polygon", "coordinates": [[["a", 0], [200, 0], [1, 1]]]});

        assert_eq!(polygons(&polygon)[0][0].len(), 4);
        assert_eq!(polygons(&multi).len(), 2);
        assert_eq!(polygons(&junk)[0][0], vec![(1.0, 1.0)]);
        assert!(polygons(&json!({"type": "Point", "coordinates": [0, 0]})).is_empty());
        assert!(polygons(&json!(null)).is_empty());
    }

    #[test]
    fn thinning_drops_points_too_close_and_the_repeated_first_point() {
        let ring = thin(
            [
                (0.0, 0.0),
                (0.3, 0.0),
                (10.0, 0.0),
                (10.0, 10.0),
                (0.2, 0.1),
            ]
            .into_iter(),
        );

        assert_eq!(ring, vec![(0.0, 0.0), (10.0, 0.0), (10.0, 10.0)]);
    }

    #[test]
    fn path_data_has_one_subpath_per_ring() {
        let polygon = vec![square(0.0, 0.0, 10.0), square(2.0, 2.0, 1.04)];

        assert_eq!(
            path_data(&[polygon]).unwrap(),
            "M0 0 L10 0 10 10 0 10 Z M2 2 L3 2 3 3 2 3 Z"
        );
        assert_eq!(path_data(&[]), None);
    }

    #[test]
    fn a_point_in_a_hole_is_outside() {
        let polygon = vec![square(0.0, 0.0, 10.0), square(4.0, 4.0, 2.0)];

        assert!(inside((1.0, 1.0), &polygon));
        assert!(!inside((5.0, 5.0), &polygon));
        assert!(!inside((11.0, 5.0), &polygon));
    }

    #[test]
    fn a_u_shape_gets_its_label_inside_not_at_its_centroid() {
        // A "U": the centroid falls in the notch between the arms.
        let u = vec![vec![
            (0.0, 0.0),
            (3.0, 0.0),
            (3.0, 7.0),
            (7.0, 7.0),
            (7.0, 0.0),
            (10.0, 0.0),
            (10.0, 10.0),
            (0.0, 10.0),
        ]];

        assert!(!inside(centroid(&u[0]), &u));
        let places = label_places(std::slice::from_ref(&u), 1.0);
        assert!(places.len() > 1);
        assert!(places.iter().all(|&place| inside(place, &u)));
    }

    #[test]
    fn the_projection_fits_a_tall_area_by_its_height() {
        let tall = vec![vec![square(-114.0, 51.0, 0.001), vec![(-114.0, 52.0)]]];
        let projection = Projection::fit([&tall].into_iter(), 800.0, 600.0, 10.0).unwrap();

        assert!((projection.height - 600.0).abs() < 1e-6);
        let (x, y) = projection.point((-114.0, 52.0));
        assert!((0.0..=800.0).contains(&x));
        assert!((y - 10.0).abs() < 1e-6);
    }
}
