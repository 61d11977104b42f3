//! Shapes drawn by the seed on WGS84 longitude/latitude, good enough at the scale of a city block.

use serde_json::{Value, json};

/// A point as GeoJSON writes it: longitude, then latitude (WGS84 degrees).
pub type LonLat = (f64, f64);

/// A regular octagon with flat sides facing the compass points, `radius_m` metres from the centre
/// to each side, as a closed, counter-clockwise GeoJSON Polygon.
pub fn octagon((lon, lat): LonLat, radius_m: f64) -> Value {
    // Metres per degree on the WGS84 ellipsoid near this latitude; plenty for a 200 m shape.
    let m_per_deg_lat = 111_132.0;
    let m_per_deg_lon = 111_320.0 * lat.to_radians().cos();
    let vertex_m = radius_m / std::f64::consts::FRAC_PI_8.cos();
    let mut ring: Vec<[f64; 2]> = (0..8)
        .map(|k| {
            let angle = std::f64::consts::FRAC_PI_8 * f64::from(1 + 2 * k);
            [
                round6(lon + vertex_m * angle.cos() / m_per_deg_lon),
                round6(lat + vertex_m * angle.sin() / m_per_deg_lat),
            ]
        })
        .collect();
    ring.push(ring[0]);
    json!({ "type": "Polygon", "coordinates": [ring] })
}

/// Rounds degrees to 6 decimals (about 0.1 m), so the stored JSON is short and stable.
pub fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::geometry;
    use geo::{Area, Contains, Point};

    #[test]
    fn an_octagon_is_a_valid_counter_clockwise_shape_as_wide_as_asked() {
        let shape = octagon((-114.06, 51.05), 100.0);
        assert_eq!(shape["type"], "Polygon");
        let read = geometry::from_geojson(&shape, false).expect("a polygon");
        assert_eq!(geometry::check(&read), Ok(()));
        let polygon = &read.0[0];
        assert_eq!(polygon.exterior().0.len(), 9);
        // Positive area means counter-clockwise, as RFC 7946 asks of outer rings.
        assert!(polygon.signed_area() > 0.0);
        let north = polygon
            .exterior()
            .0
            .iter()
            .map(|c| c.y)
            .fold(f64::MIN, f64::max);
        let south = polygon
            .exterior()
            .0
            .iter()
            .map(|c| c.y)
            .fold(f64::MAX, f64::min);
        assert!(((north - south) * 111_132.0 - 200.0).abs() < 1.0);
        assert!(polygon.contains(&Point::new(-114.06, 51.05)));
    }
}
