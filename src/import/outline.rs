//! A hotspot's new outline from an uploaded GeoJSON file: one Polygon, as a Feature, a
//! FeatureCollection of one feature, or a bare geometry; checked like an imported hotspot's
//! geometry ([`geometry::check`]).

use serde_json::Value;

use super::geojson;
use super::geometry::{self, Polygon};
use super::text;

/// The one polygon of the file, a shape on the ground, or why not, in words.
pub fn polygon(bytes: &[u8]) -> Result<Polygon, String> {
    let text = text::strip_bom(text::decode(bytes).map_err(|e| e.to_string())?);
    let root: Value = serde_json::from_str(text).map_err(|e| {
        format!(
            "line {}: the file is not valid JSON: {}",
            e.line().max(1),
            text::excerpt(&e.to_string())
        )
    })?;
    let geometry = match root.get("type").and_then(Value::as_str) {
        Some("FeatureCollection" | "Feature") => {
            let features = geojson::features(text).map_err(|e| e.to_string())?;
            match <[_; 1]>::try_from(features) {
                Ok([feature]) => feature.map_err(|e| e.to_string())?.geometry,
                Err(features) => {
                    return Err(format!(
                        "the FeatureCollection holds {} features; it must hold the one outline",
                        features.len()
                    ));
                }
            }
        }
        _ => root,
    };
    let mut shape = geometry::from_geojson(&geometry, false)?;
    geometry::check(&shape)?;
    shape
        .0
        .pop()
        .ok_or_else(|| "the geometry has no polygon".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn square() -> Value {
        json!({"type": "Polygon", "coordinates": [[
            [-114.06, 51.04], [-114.05, 51.04], [-114.05, 51.05], [-114.06, 51.05], [-114.06, 51.04]
        ]]})
    }

    fn read(value: &Value) -> Result<Polygon, String> {
        polygon(value.to_string().as_bytes())
    }

    #[test]
    fn a_bare_geometry_a_feature_and_a_collection_of_one_are_read_alike() {
        let feature = json!({"type": "Feature", "properties": {}, "geometry": square()});
        let collection = json!({"type": "FeatureCollection", "features": [feature.clone()]});
        let bare = read(&square()).unwrap();
        assert_eq!(read(&feature).unwrap(), bare);
        assert_eq!(read(&collection).unwrap(), bare);
    }

    #[test]
    fn anything_but_one_valid_polygon_is_refused_with_the_reason() {
        let point = json!({"type": "Point", "coordinates": [-114.06, 51.04]});
        assert_eq!(
            read(&point).unwrap_err(),
            "the geometry is a Point; it must be a Polygon"
        );
        let bow_tie = json!({"type": "Polygon", "coordinates": [[
            [-114.06, 51.04], [-114.05, 51.05], [-114.05, 51.04], [-114.06, 51.05], [-114.06, 51.04]
        ]]});
        assert!(
            read(&bow_tie).unwrap_err().contains("crosses itself"),
            "{:?}",
            read(&bow_tie)
        );
        let two = json!({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {}, "geometry": square()},
            {"type": "Feature", "properties": {}, "geometry": square()}
        ]});
        assert!(read(&two).unwrap_err().contains("holds 2 features"));
        let not_json = polygon(b"POLYGON ((1 2, 3 4))").unwrap_err();
        assert!(not_json.contains("not valid JSON"), "{not_json}");
        assert!(polygon(b"\xff\xfe").unwrap_err().contains("not UTF-8"));
    }
}
