//! The demo's districts: the City of Calgary's community boundaries for the downtown core.

use anyhow::{Context, anyhow, bail};
use geo::{Contains, MultiPolygon, Point};
use serde_json::Value;

use super::geo::LonLat;
use crate::db::seed::DistrictRow;
use crate::import::geometry;

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
    /// The same boundary read into geo-types, for point-in-polygon tests.
    shape: MultiPolygon,
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
        self.shape.contains(&Point::from(point))
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
            // The seed is held to the same checks as an import of the same file.
            let shape = geometry::from_geojson(&boundary, true)
                .and_then(|shape| geometry::check(&shape).map(|()| shape))
                .map_err(|e| anyhow!("the boundary of community {code}: {e}"))?;
            Ok(DistrictDef {
                code,
                name,
                boundary,
                shape,
            })
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
                d.shape.0[0].exterior().0.len() > 50,
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
