//! The landmarks the dashboard map draws for bearings: for Calgary, the City's CTrain stations
//! and the Calgary Police Service's offices (`data/calgary/`), compiled into the binary and
//! parsed once per process. Other cities have none yet: their maps show no landmarks.
//!
//! They are files of the Calgary demo, not reference data in the database: nothing edits them,
//! and a pilot of another city needs no import to have a working map.

use std::sync::LazyLock;

use serde_json::Value;

use crate::domain::City;
use crate::import::text::title_case;
use crate::web::charts::{Landmark, LandmarkKind};

const STATIONS: &str = include_str!("../../data/calgary/LRT_Stations.geojson");
const POLICE_OFFICES: &str = include_str!("../../data/calgary/Police_Office.geojson");

static CALGARY: LazyLock<Vec<Landmark>> = LazyLock::new(|| {
    let mut landmarks = points(STATIONS, LandmarkKind::Station);
    // Only the district offices: the airport office, the headquarters campus and the traffic
    // section give no bearings downtown.
    landmarks.extend(
        points(POLICE_OFFICES, LandmarkKind::PoliceOffice)
            .into_iter()
            .filter(|office| office.name.starts_with("District ")),
    );
    landmarks
});

/// The landmarks of `city`; none for a city without landmark files.
pub fn of(city: &City) -> &'static [Landmark] {
    // Cities are matched as the communities import matches them: `calgary` is `Calgary`.
    if city.as_str().eq_ignore_ascii_case("Calgary") {
        CALGARY.as_slice()
    } else {
        &[]
    }
}

/// The named points of a GeoJSON FeatureCollection as landmarks of `kind`: one per name (a
/// station's two platforms are one landmark, at their middle), named in title case.
fn points(geojson: &str, kind: LandmarkKind) -> Vec<Landmark> {
    let collection: Value = serde_json::from_str(geojson).unwrap_or_default();
    let mut found: Vec<(String, Vec<(f64, f64)>)> = Vec::new();
    let features = collection["features"]
        .as_array()
        .map_or(&[][..], Vec::as_slice);
    for feature in features {
        let name = feature.pointer("/properties/NAME").and_then(Value::as_str);
        let lon = feature
            .pointer("/geometry/coordinates/0")
            .and_then(Value::as_f64);
        let lat = feature
            .pointer("/geometry/coordinates/1")
            .and_then(Value::as_f64);
        let (Some(name), Some(lon), Some(lat)) = (name, lon, lat) else {
            continue;
        };
        let name = display_name(name);
        match found.iter_mut().find(|(n, _)| *n == name) {
            Some((_, at)) => at.push((lon, lat)),
            None => found.push((name, vec![(lon, lat)])),
        }
    }
    found
        .into_iter()
        .map(|(name, at)| {
            let n = at.len() as f64;
            Landmark {
                name,
                kind,
                lon: at.iter().map(|p| p.0).sum::<f64>() / n,
                lat: at.iter().map(|p| p.1).sum::<f64>() / n,
            }
        })
        .collect()
}

/// "DISTRICT 1 OFFICE" as "District 1 Office"; "City Hall WB" (a platform) as "City Hall";
/// names already in mixed case otherwise kept.
fn display_name(name: &str) -> String {
    let name = name
        .trim()
        .trim_end_matches(" WB")
        .trim_end_matches(" EB")
        .trim();
    if name.chars().any(char::is_lowercase) {
        name.to_owned()
    } else {
        title_case(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calgary_has_its_stations_once_each_and_its_district_offices() {
        let landmarks = of(&City::stored("Calgary"));

        let named = |name: &str| landmarks.iter().filter(|l| l.name == name).count();
        assert_eq!(
            named("Downtown West - Kerby Station"),
            1,
            "two platforms, one landmark"
        );
        assert_eq!(named("City Hall"), 1, "WB and EB platforms, one landmark");
        let office = landmarks
            .iter()
            .find(|l| l.name == "District 1 Office")
            .expect("the District 1 office");
        assert_eq!(office.kind, LandmarkKind::PoliceOffice);
        assert!((office.lon + 114.0388).abs() < 1e-6 && (office.lat - 51.0306).abs() < 1e-4);
        assert!(!landmarks.iter().any(|l| l.name == "Airport Office"));
    }

    #[test]
    fn another_city_has_no_landmarks() {
        assert!(of(&City::stored("Edmonton")).is_empty());
    }
}
