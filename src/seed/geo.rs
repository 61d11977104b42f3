//! Plane geometry on WGS84 longitude/latitude, good enough at the scale of a city block.

use serde_json::{Value, json};

/// A point as GeoJSON writes it: longitude, then latitude (WGS84 degrees).
pub type LonLat = (f64, f64);

/// Even-odd ray casting: whether `point` lies inside the closed `ring`.
pub fn ring_contains(ring: &[LonLat], (x, y): LonLat) -> bool {
    let mut inside = false;
    let Some(&(mut previous)) = ring.last() else {
        return false;
    };
    for &(x1, y1) in ring {
        let (x0, y0) = previous;
        if (y0 > y) != (y1 > y) {
            let crossing = x0 + (y - y0) * (x1 - x0) / (y1 - y0);
            if x < crossing {
                inside = !inside;
            }
        }
        previous = (x1, y1);
    }
    inside
}

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

    #[test]
    fn a_square_contains_its_centre_and_not_its_outside() {
        let square = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)];
        assert!(ring_contains(&square, (0.5, 0.5)));
        assert!(!ring_contains(&square, (1.5, 0.5)));
        assert!(!ring_contains(&[], (0.5, 0.5)));
    }

    #[test]
    fn an_octagon_is_closed_counter_clockwise_and_as_wide_as_asked() {
        let shape = octagon((-114.06, 51.05), 100.0);
        assert_eq!(shape["type"], "Polygon");
        let ring: Vec<LonLat> = shape["coordinates"][0]
            .as_array()
            .expect("ring")
            .iter()
            .map(|p| (p[0].as_f64().expect("lon"), p[1].as_f64().expect("lat")))
            .collect();
        assert_eq!(ring.len(), 9);
        assert_eq!(ring.first(), ring.last());
        // Shoelace: positive area means counter-clockwise, as RFC 7946 asks of outer rings.
        let twice_area: f64 = ring
            .windows(2)
            .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
            .sum();
        assert!(twice_area > 0.0);
        let north = ring.iter().map(|p| p.1).fold(f64::MIN, f64::max);
        let south = ring.iter().map(|p| p.1).fold(f64::MAX, f64::min);
        assert!(((north - south) * 111_132.0 - 200.0).abs() < 1.0);
        assert!(ring_contains(&ring, (-114.06, 51.05)));
    }
}
