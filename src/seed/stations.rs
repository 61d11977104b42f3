//! CTrain station points from the City's `LRT_Stations.geojson`, to centre hotspots on.

use anyhow::{Context, bail};
use serde_json::Value;

use super::geo::{LonLat, round6};

/// CTrain stations as GeoJSON points (NAME, LEG, DIRECTION).
const STATIONS_GEOJSON: &str = include_str!("../../data/calgary/LRT_Stations.geojson");

/// Every (NAME, point) of the embedded station file.
pub fn station_points() -> anyhow::Result<Vec<(String, LonLat)>> {
    let collection: Value =
        serde_json::from_str(STATIONS_GEOJSON).context("parsing LRT_Stations.geojson")?;
    let features = collection
        .get("features")
        .and_then(Value::as_array)
        .context("LRT_Stations.geojson has no features array")?;
    features
        .iter()
        .map(|f| {
            let name = f.pointer("/properties/NAME").and_then(Value::as_str);
            let lon = f.pointer("/geometry/coordinates/0").and_then(Value::as_f64);
            let lat = f.pointer("/geometry/coordinates/1").and_then(Value::as_f64);
            match (name, lon, lat) {
                (Some(name), Some(lon), Some(lat)) => Ok((name.to_owned(), (lon, lat))),
                _ => bail!("station feature without a NAME and a point: {f}"),
            }
        })
        .collect()
}

/// The mean point of every station whose name is one of `names`; each name must be found.
pub fn mean_of_stations(stations: &[(String, LonLat)], names: &[&str]) -> anyhow::Result<LonLat> {
    let mut points = Vec::new();
    for name in names {
        let found: Vec<LonLat> = stations
            .iter()
            .filter(|(n, _)| n == name)
            .map(|&(_, p)| p)
            .collect();
        if found.is_empty() {
            bail!("station {name:?} is not in LRT_Stations.geojson");
        }
        points.extend(found);
    }
    let n = points.len() as f64;
    let lon = points.iter().map(|p| p.0).sum::<f64>() / n;
    let lat = points.iter().map(|p| p.1).sum::<f64>() / n;
    Ok((round6(lon), round6(lat)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_station_is_an_error() {
        let stations = station_points().expect("stations");
        assert!(mean_of_stations(&stations, &["Atlantis"]).is_err());
        let kerby = mean_of_stations(&stations, &["Downtown West - Kerby Station"]).expect("kerby");
        assert!((kerby.0 + 114.0872).abs() < 0.001);
    }
}
