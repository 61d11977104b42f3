//! The demo's districts: the City of Calgary's community boundaries for the downtown core.

use anyhow::{Context, bail};
use serde_json::Value;

use super::geo::{LonLat, ring_contains};
use super::store::DistrictRow;

/// The City's community boundaries for the 13 downtown and inner-city communities.
const COMMUNITIES_GEOJSON: &str = include_str!("../../data/calgary/downtown_communities.geojson");

/// The six communities of the downtown core, as (COMM_CODE, the City's NAME, name as people write it).
const CORE: [(&str, &str, &str); 6] = [
    ("BLN", "BELTLINE", "Beltline"),
    (
        "DNC",
        "DOWNTOWN COMMERCIAL CORE",
        "Downtown Commercial Core",
    ),
    ("DNE", "DOWNTOWN EAST VILLAGE", "Downtown East Village"),
    ("DNW", "DOWNTOWN WEST END", "Downtown West End"),
    ("CHN", "CHINATOWN", "Chinatown"),
    ("EAU", "EAU CLAIRE", "Eau Claire"),
];

/// A district of the demo pilot, ready to insert.
#[derive(Debug, Clone)]
pub struct DistrictDef {
    /// The City's COMM_CODE, e.g. `BLN`.
    pub code: &'static str,
    /// The name as people write it, e.g. `Beltline`.
    pub name: &'static str,
    /// The GeoJSON MultiPolygon geometry object, exactly as the City publishes it.
    pub boundary: Value,
    /// The same boundary as polygons of rings of points, for point-in-polygon tests.
    polygons: Vec<Vec<Vec<LonLat>>>,
}

impl DistrictDef {
    /// The district as the store inserts it.
    pub fn row(&self) -> DistrictRow<'_> {
        DistrictRow {
            code: self.code,
            name: self.name,
            boundary: &self.boundary,
        }
    }

    /// Whether `point` lies inside the boundary (inside an outer ring and outside its holes).
    pub fn contains(&self, point: LonLat) -> bool {
        self.polygons.iter().any(|rings| match rings.split_first() {
            Some((outer, holes)) => {
                ring_contains(outer, point) && !holes.iter().any(|h| ring_contains(h, point))
            }
            None => false,
        })
    }
}

/// The six downtown-core districts, in the order of [`CORE`], from the embedded GeoJSON.
pub fn core_districts() -> anyhow::Result<Vec<DistrictDef>> {
    let collection: Value = serde_json::from_str(COMMUNITIES_GEOJSON)
        .context("parsing downtown_communities.geojson")?;
    let features = collection
        .get("features")
        .and_then(Value::as_array)
        .context("downtown_communities.geojson has no features array")?;
    CORE.iter()
        .map(|&(code, city_name, name)| {
            let feature = features
                .iter()
                .find(|f| f.pointer("/properties/comm_code").and_then(Value::as_str) == Some(code))
                .with_context(|| format!("community {code} is missing from the GeoJSON"))?;
            let file_name = feature.pointer("/properties/name").and_then(Value::as_str);
            if file_name != Some(city_name) {
                bail!(
                    "community {code} is named {file_name:?} in the GeoJSON, expected {city_name}"
                );
            }
            let boundary = feature
                .get("geometry")
                .cloned()
                .with_context(|| format!("community {code} has no geometry"))?;
            let polygons = multipolygon_rings(&boundary)
                .with_context(|| format!("reading the boundary of community {code}"))?;
            Ok(DistrictDef {
                code,
                name,
                boundary,
                polygons,
            })
        })
        .collect()
}

/// The rings of a GeoJSON MultiPolygon geometry object.
fn multipolygon_rings(geometry: &Value) -> anyhow::Result<Vec<Vec<Vec<LonLat>>>> {
    if geometry.get("type").and_then(Value::as_str) != Some("MultiPolygon") {
        bail!("geometry is not a MultiPolygon");
    }
    let polygons = geometry
        .get("coordinates")
        .and_then(Value::as_array)
        .context("MultiPolygon has no coordinates")?;
    polygons
        .iter()
        .map(|polygon| {
            polygon
                .as_array()
                .context("polygon is not an array of rings")?
                .iter()
                .map(ring_points)
                .collect()
        })
        .collect()
}

/// The points of one GeoJSON linear ring.
fn ring_points(ring: &Value) -> anyhow::Result<Vec<LonLat>> {
    let points = ring.as_array().context("ring is not an array of points")?;
    if points.len() < 4 {
        bail!(
            "ring has {} points, fewer than the 4 of a closed triangle",
            points.len()
        );
    }
    points
        .iter()
        .map(|p| {
            match (
                p.get(0).and_then(Value::as_f64),
                p.get(1).and_then(Value::as_f64),
            ) {
                (Some(lon), Some(lat)) => Ok((lon, lat)),
                _ => bail!("point {p} is not [longitude, latitude]"),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_six_core_districts_come_from_the_city_file() {
        let districts = core_districts().expect("districts");
        let codes: Vec<_> = districts.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["BLN", "DNC", "DNE", "DNW", "CHN", "EAU"]);
        for d in &districts {
            assert_eq!(d.boundary["type"], "MultiPolygon");
            assert!(
                d.polygons[0][0].len() > 50,
                "{} has a real boundary",
                d.code
            );
        }
    }

    #[test]
    fn landmarks_fall_in_the_right_community() {
        let districts = core_districts().expect("districts");
        let find = |p: LonLat| -> Vec<&str> {
            districts
                .iter()
                .filter(|d| d.contains(p))
                .map(|d| d.code)
                .collect()
        };
        // Calgary Tower, 101 9 Ave SW.
        assert_eq!(find((-114.0631, 51.0443)), ["DNC"]);
        // Victoria Park / Stampede CTrain station.
        assert_eq!(find((-114.0583081, 51.03858014)), ["BLN"]);
        // Bridgeland / Memorial station is outside the downtown core.
        assert!(find((-114.0403776, 51.0490497)).is_empty());
    }
}
