//! GeoJSON FeatureCollections, each feature with the line it starts on.

use serde_json::{Map, Value};

use super::{Origin, RowError};
use crate::domain::plain_text;

/// One feature of a collection and where it is in the file.
#[derive(Debug, Clone)]
pub struct Feature {
    pub origin: Origin,
    pub properties: Map<String, Value>,
    pub geometry: Value,
}

impl Feature {
    /// A property by name, whatever its case (`NAME`, `name` and `Name` are one property).
    pub fn property(&self, name: &str) -> Option<&Value> {
        self.properties.get(name).or_else(|| {
            self.properties
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v)
        })
    }

    /// The feature's `name` property, when it is text: errors name the feature by it.
    pub fn name(&self) -> Option<&str> {
        self.property("name").and_then(Value::as_str)
    }

    /// A bad row at this feature, naming it by its position and its `name` property.
    pub fn error(&self, reason: impl Into<String>) -> RowError {
        self.origin.error(reason).named(self.name())
    }

    /// The first of `names` that is present and not null.
    pub fn first_property(&self, names: &[&str]) -> Option<&Value> {
        names
            .iter()
            .filter_map(|n| self.property(n))
            .find(|v| !v.is_null())
    }
}

/// The features of a FeatureCollection (or of a lone Feature). A file that is not such GeoJSON
/// is one bad row at the line where it goes wrong; a feature without an object of properties or a
/// geometry is a bad row of its own.
pub fn features(text: &str) -> Result<Vec<Result<Feature, RowError>>, RowError> {
    let root: Value = serde_json::from_str(text).map_err(|e| RowError {
        line: e.line().max(1),
        feature: None,
        feature_name: None,
        reason: format!("the file is not valid JSON: {e}"),
    })?;
    let lines = feature_lines(text);
    let features: Vec<&Value> = match root.get("type").and_then(Value::as_str) {
        Some("FeatureCollection") => root
            .get("features")
            .and_then(Value::as_array)
            .ok_or_else(|| Origin::line(1).error("the FeatureCollection has no \"features\" list"))?
            .iter()
            .collect(),
        Some("Feature") => vec![&root],
        _ => {
            return Err(Origin::line(1).error(
                "the file is JSON but not a GeoJSON FeatureCollection (\"type\": \"FeatureCollection\")",
            ));
        }
    };
    if features.is_empty() {
        return Err(Origin::line(1).error("the FeatureCollection has no features"));
    }
    Ok(features
        .into_iter()
        .enumerate()
        .map(|(i, value)| {
            let origin = Origin {
                line: lines.get(i).copied().unwrap_or(1),
                feature: Some(i + 1),
            };
            let name = value
                .get("properties")
                .and_then(|p| p.get("name"))
                .and_then(Value::as_str);
            let error = |reason: String| origin.error(reason).named(name);
            if value.get("type").and_then(Value::as_str) != Some("Feature") {
                return Err(error(
                    "it is not a GeoJSON Feature (\"type\": \"Feature\")".into(),
                ));
            }
            let properties = match value.get("properties") {
                Some(Value::Object(map)) => map.clone(),
                Some(Value::Null) | None => Map::new(),
                Some(_) => return Err(error("its \"properties\" is not an object".into())),
            };
            // `\u0000` in a JSON string passes the check of the file's raw text; its value
            // could not be stored, so the feature is a bad row in the dry run as in the apply.
            if let Some((name, c)) = refused_property(&properties) {
                return Err(error(format!(
                    "its property {name:?}: {}",
                    super::text::refused_character(c)
                )));
            }
            let geometry = match value.get("geometry") {
                Some(g @ Value::Object(_)) => g.clone(),
                _ => return Err(error("it has no geometry".into())),
            };
            Ok(Feature {
                origin,
                properties,
                geometry,
            })
        })
        .collect())
}

/// The first property (by name) whose name or text, at any depth, holds a character that may not
/// be stored, with that character.
fn refused_property(properties: &Map<String, Value>) -> Option<(String, char)> {
    fn refused_in(value: &Value) -> Option<char> {
        match value {
            Value::String(s) => plain_text::first_refused(s),
            Value::Array(items) => items.iter().find_map(refused_in),
            Value::Object(map) => map
                .iter()
                .find_map(|(k, v)| plain_text::first_refused(k).or_else(|| refused_in(v))),
            _ => None,
        }
    }
    properties.iter().find_map(|(name, value)| {
        plain_text::first_refused(name)
            .or_else(|| refused_in(value))
            .map(|c| (name.clone(), c))
    })
}

/// The line on which each element of the root object's `"features"` array starts, found by
/// scanning the text (serde_json keeps no positions). Empty when there is no such array.
pub fn feature_lines(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut line = 1;
    // Containers open around the cursor: b'{' or b'['.
    let mut stack: Vec<u8> = Vec::new();
    // Whether the array on top of the stack is the root's "features".
    let mut in_features = false;
    let mut features_depth = 0;
    let mut last_key: Option<String> = None;
    let mut expecting_element = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if in_features
            && stack.len() == features_depth
            && expecting_element
            && !b.is_ascii_whitespace()
            && b != b']'
        {
            lines.push(line);
            expecting_element = false;
        }
        match b {
            b'\n' => line += 1,
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    } else if bytes[i] == b'\n' {
                        line += 1;
                    }
                    i += 1;
                }
                if stack.len() == 1 && stack[0] == b'{' {
                    last_key = Some(
                        String::from_utf8_lossy(&bytes[start..i.min(bytes.len())]).into_owned(),
                    );
                }
            }
            b'{' => stack.push(b'{'),
            b'[' => {
                stack.push(b'[');
                if stack.len() == 2
                    && last_key.as_deref() == Some("features")
                    && !in_features
                    && lines.is_empty()
                {
                    in_features = true;
                    features_depth = 2;
                    expecting_element = true;
                }
            }
            b'}' | b']' => {
                if in_features && stack.len() == features_depth && b == b']' {
                    in_features = false;
                }
                stack.pop();
            }
            b',' if in_features && stack.len() == features_depth => expecting_element = true,
            _ => {}
        }
        i += 1;
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_feature_gets_the_line_it_starts_on() {
        let text = "{\n \"type\": \"FeatureCollection\",\n \"name\": \"x [\\\"]\",\n \"features\": [\n  {\"type\": \"Feature\", \"properties\": {\"a\": \"[{,\"}, \"geometry\": null},\n\n  {\n   \"type\": \"Feature\"\n  }\n ]\n}\n";
        assert_eq!(feature_lines(text), vec![5, 7]);
        let parsed = features(text).unwrap();
        assert_eq!(parsed[0].as_ref().unwrap_err().line, 5);
        assert_eq!(parsed[0].as_ref().unwrap_err().feature, Some(1));
        assert_eq!(parsed[1].as_ref().unwrap_err().reason, "it has no geometry");
    }

    #[test]
    fn a_one_line_file_puts_every_feature_on_line_one() {
        let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{}},{"type":"Feature","properties":{},"geometry":{}}]}"#;
        assert_eq!(feature_lines(text), vec![1, 1]);
    }

    #[test]
    fn broken_json_names_its_line() {
        let error =
            features("{\n\"type\": \"FeatureCollection\",\n\"features\": [,]\n}").unwrap_err();
        assert_eq!(error.line, 3);
        assert!(features("[1, 2]").is_err());
    }

    #[test]
    fn an_escaped_nul_in_a_property_makes_its_feature_a_bad_row() {
        let text = "{\"type\":\"FeatureCollection\",\"features\":[\n{\"type\":\"Feature\",\"properties\":{\"name\":\"ok\\ttab\"},\"geometry\":{}},\n{\"type\":\"Feature\",\"properties\":{\"name\":\"Plaza\\u0000\"},\"geometry\":{}},\n{\"type\":\"Feature\",\"properties\":{\"tags\":[{\"x\":\"\\u001b\"}]},\"geometry\":{}}]}";
        let parsed = features(text).unwrap();
        assert!(parsed[0].is_ok());
        let error = parsed[1].as_ref().unwrap_err();
        assert_eq!((error.line, error.feature), (3, Some(2)));
        assert!(
            error.reason.contains("\"name\"") && error.reason.contains("U+0000"),
            "{error}"
        );
        let error = parsed[2].as_ref().unwrap_err();
        assert!(
            error.reason.contains("\"tags\"") && error.reason.contains("U+001B"),
            "{error}"
        );
    }

    #[test]
    fn properties_are_found_whatever_their_case() {
        let text = r#"{"type":"Feature","properties":{"COMM_CODE":"BLN","name":null,"Name":"x"},"geometry":{"type":"Polygon"}}"#;
        let feature = features(text).unwrap().remove(0).unwrap();
        assert_eq!(feature.property("comm_code").unwrap(), "BLN");
        assert_eq!(feature.first_property(&["name", "Name"]).unwrap(), "x");
    }
}
