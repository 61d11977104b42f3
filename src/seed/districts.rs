//! The demo's communities and districts: every community boundary of the City of Calgary, and
//! the six of the downtown core as the demo pilot's districts, copied from them.

use anyhow::{Context, anyhow};
use geo::{Contains, MultiPolygon, Point};
use serde_json::Value;

use super::geo::LonLat;
use crate::db::communities::NewCommunity;
use crate::db::seed::DistrictRow;
use crate::import::districts::{self as boundaries, DistrictRow as CommunityRow, Shapes};
use crate::import::geometry;

/// The City's community boundaries: all 308 communities, with WKT boundaries.
const COMMUNITIES_CSV: &str = include_str!("../../data/calgary/Community_District_Boundaries.csv");

/// The COMM_CODEs of the six communities of the downtown core, in the order of the districts.
const CORE: [&str; 6] = ["BLN", "DNC", "DNE", "DNW", "CHN", "EAU"];

/// Every community of the embedded file, read as an import reads it but for geo's validity rules,
/// which `tests/it/imports/shapes.rs` applies to every one of them.
pub fn communities() -> anyhow::Result<Vec<CommunityRow>> {
    boundaries::parse_with(COMMUNITIES_CSV, Shapes::AsShipped)
        .1
        .map_err(|errors| {
            anyhow!(
                "Community_District_Boundaries.csv has {} bad rows, the first: {}",
                errors.len(),
                errors[0]
            )
        })
}

/// A community as the store writes it.
pub fn community_row(community: &CommunityRow) -> NewCommunity<'_> {
    NewCommunity {
        code: &community.code,
        name: &community.name,
        sector: community.sector.as_deref(),
        boundary: &community.boundary,
    }
}

/// A district of the demo pilot, ready to insert.
#[derive(Debug, Clone)]
pub struct DistrictDef {
    /// The City's COMM_CODE, e.g. `BLN`.
    pub code: String,
    /// The name as people write it, e.g. `Beltline`.
    pub name: String,
    /// The community's GeoJSON MultiPolygon geometry object.
    pub boundary: Value,
    /// The same boundary read into geo-types, for point-in-polygon tests.
    shape: MultiPolygon,
}

impl DistrictDef {
    /// The district as the store inserts it.
    pub fn row(&self) -> DistrictRow<'_> {
        DistrictRow {
            code: &self.code,
            name: &self.name,
            boundary: &self.boundary,
        }
    }

    /// Whether `point` lies inside the boundary (inside an outer ring and outside its holes).
    pub fn contains(&self, point: LonLat) -> bool {
        self.shape.contains(&Point::from(point))
    }
}

/// The six downtown-core districts, in the order of [`CORE`], copied from `communities`.
pub fn core_districts(communities: &[CommunityRow]) -> anyhow::Result<Vec<DistrictDef>> {
    CORE.iter()
        .map(|&code| {
            let community = communities
                .iter()
                .find(|c| c.code == code)
                .with_context(|| format!("community {code} is missing from the City's file"))?;
            let shape = geometry::from_geojson(&community.boundary, true)
                .map_err(|e| anyhow!("the boundary of community {code}: {e}"))?;
            Ok(DistrictDef {
                code: community.code.clone(),
                name: community.name.clone(),
                boundary: community.boundary.clone(),
                shape,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn districts() -> Vec<DistrictDef> {
        core_districts(&communities().expect("communities")).expect("districts")
    }

    #[test]
    fn every_community_of_the_city_is_read_with_its_sector() {
        let all = communities().expect("communities");
        assert_eq!(all.len(), 308);
        let beltline = all.iter().find(|c| c.code == "BLN").expect("Beltline");
        assert_eq!(beltline.name, "Beltline");
        assert_eq!(beltline.sector.as_deref(), Some("CENTRE"));
    }

    #[test]
    fn the_six_core_districts_come_from_the_city_file() {
        let districts = districts();
        let codes: Vec<_> = districts.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, CORE);
        let names: Vec<_> = districts.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Beltline",
                "Downtown Commercial Core",
                "Downtown East Village",
                "Downtown West End",
                "Chinatown",
                "Eau Claire"
            ]
        );
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
        let districts = districts();
        let find = |p: LonLat| -> Vec<&str> {
            districts
                .iter()
                .filter(|d| d.contains(p))
                .map(|d| d.code.as_str())
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
