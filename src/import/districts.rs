//! District or community boundaries from GeoJSON, or from the City's community boundaries CSV with
//! its WKT `MULTIPOLYGON` column; which one a file is, its content says (not its name). The same
//! rows serve a pilot's districts and a city's communities.

use std::collections::HashMap;

use serde_json::Value;

use super::geojson::{self, Feature};
use geo::MultiPolygon;

use super::geometry;
use super::text::{self, normalise};
use super::{Origin, Parsed, RowError};

/// A district, checked, ready to compare with the database.
#[derive(Debug, Clone, PartialEq)]
pub struct DistrictRow {
    pub origin: Origin,
    /// The City's `COMM_CODE`, e.g. `BLN`.
    pub code: String,
    /// As people write it, e.g. `Beltline`.
    pub name: String,
    /// The City's `SECTOR`, e.g. `CENTRE`, when the file has one (kept for communities).
    pub sector: Option<String>,
    /// The GeoJSON MultiPolygon stored in `districts.boundary`.
    pub boundary: Value,
}

/// What a districts file turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    GeoJson,
    CityCsv,
}

impl Format {
    /// Tells GeoJSON (a JSON object) from CSV by the first character that is not a space.
    pub fn detect(text: &str) -> Format {
        if text::strip_bom(text).trim_start().starts_with('{') {
            Format::GeoJson
        } else {
            Format::CityCsv
        }
    }

    /// What people call it.
    pub fn describe(self) -> &'static str {
        match self {
            Format::GeoJson => "GeoJSON FeatureCollection",
            Format::CityCsv => "CSV with a WKT boundary column (the City's community boundaries)",
        }
    }
}

/// Header names of the CSV columns, first match wins (compared without case).
const CODE_COLUMNS: &[&str] = &["COMM_CODE", "CODE"];
const NAME_COLUMNS: &[&str] = &["NAME", "COMM_NAME", "DISTRICT"];
const SECTOR_COLUMNS: &[&str] = &["SECTOR"];
const GEOMETRY_COLUMNS: &[&str] = &[
    "MULTIPOLYGON",
    "THE_GEOM",
    "GEOMETRY",
    "WKT",
    "GEOM",
    "POLYGON",
];

/// How far the shapes of a file are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shapes {
    /// Every check of [`geometry::check`]: a file from people.
    Checked,
    /// Read as written, with closed rings: the City's file shipped with the binary, whose every
    /// shape the import tests check (geo's validity rules take seconds over its 308 communities).
    AsShipped,
}

/// Every district of the file, or every bad row.
pub fn parse(text: &str) -> (Format, Parsed<DistrictRow>) {
    parse_with(text, Shapes::Checked)
}

/// Every district of the file, its shapes checked as `shapes` says, or every bad row.
pub fn parse_with(text: &str, shapes: Shapes) -> (Format, Parsed<DistrictRow>) {
    let format = Format::detect(text);
    let text = text::strip_bom(text);
    let (rows, mut errors) = match format {
        Format::GeoJson => parse_geojson(text, shapes),
        Format::CityCsv => parse_csv(text, shapes),
    };
    errors.extend(duplicates(&rows));
    (format, super::finish(rows, errors))
}

fn parse_geojson(text: &str, shapes: Shapes) -> (Vec<DistrictRow>, Vec<RowError>) {
    let features = match geojson::features(text) {
        Ok(features) => features,
        Err(e) => return (Vec::new(), vec![e]),
    };
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for feature in features {
        match feature.and_then(|f| district_of_feature(&f, shapes)) {
            Ok(row) => rows.push(row),
            Err(e) => errors.push(e),
        }
    }
    (rows, errors)
}

fn district_of_feature(feature: &Feature, shapes: Shapes) -> Result<DistrictRow, RowError> {
    let text_of = |names: &[&str]| match feature.first_property(names) {
        Some(Value::String(s)) => normalise(s),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let code = text_of(&["comm_code", "code"]);
    let name = text_of(&["name", "comm_name", "district"]);
    let sector = text_of(&["sector"]);
    let shape = geometry::from_geojson(&feature.geometry, true);
    district(feature.origin, [code, name, sector], shape, shapes)
        .map_err(|e| e.named(feature.name()))
}

fn parse_csv(text: &str, shapes: Shapes) -> (Vec<DistrictRow>, Vec<RowError>) {
    let (reader, headers) = match text::csv_with_header(text) {
        Ok(read) => read,
        Err(error) => return (Vec::new(), vec![error]),
    };
    let find = |names: &[&str]| {
        names.iter().find_map(|n| {
            headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(n))
        })
    };
    let (Some(code), Some(name), Some(shape)) = (
        find(CODE_COLUMNS),
        find(NAME_COLUMNS),
        find(GEOMETRY_COLUMNS),
    ) else {
        let error = Origin::line(1).error(format!(
            "the header row needs the columns COMM_CODE, NAME and MULTIPOLYGON (WKT); it has {}",
            text::excerpt(&headers.iter().collect::<Vec<_>>().join(", "))
        ));
        return (Vec::new(), vec![error]);
    };
    let sector = find(SECTOR_COLUMNS);
    let (records, mut errors) = text::records(reader, text, headers.len());
    let mut rows = Vec::new();
    for (origin, record) in records {
        let field = |i: usize| record.get(i).unwrap_or("");
        let sector = sector.map_or_else(String::new, |i| normalise(field(i)));
        let boundary = geometry::from_wkt(field(shape)).map_err(|e| {
            format!(
                "{}: {e}",
                text::excerpt(headers.get(shape).unwrap_or("").trim())
            )
        });
        match district(
            origin,
            [normalise(field(code)), normalise(field(name)), sector],
            boundary,
            shapes,
        ) {
            Ok(row) => rows.push(row),
            Err(e) => errors.push(e),
        }
    }
    (rows, errors)
}

/// A district from its code, name and sector (empty when there is none) and its shape, checked
/// as `shapes` says, or the row's problems in one sentence.
fn district(
    origin: Origin,
    [code, name, sector]: [String; 3],
    shape: Result<MultiPolygon, String>,
    shapes: Shapes,
) -> Result<DistrictRow, RowError> {
    let mut problems = Vec::new();
    if code.is_empty() {
        problems.push("the code (COMM_CODE) is empty".to_string());
    }
    if name.is_empty() {
        problems.push("the name (NAME) is empty".to_string());
    }
    let shape = shape.and_then(|s| match shapes {
        Shapes::Checked => geometry::check(&s).map(|()| s),
        Shapes::AsShipped => Ok(s),
    });
    if let Err(e) = &shape {
        problems.push(format!("boundary: {e}"));
    }
    match shape {
        Ok(shape) if problems.is_empty() => Ok(DistrictRow {
            origin,
            boundary: geometry::multipolygon_json(&shape),
            // The City writes names in capitals; a name already in mixed case is kept.
            name: if name.chars().any(char::is_lowercase) {
                name
            } else {
                text::title_case(&name)
            },
            sector: (!sector.is_empty()).then_some(sector),
            code,
        }),
        _ => Err(origin.error(problems.join("; "))),
    }
}

/// A code or a name twice in one file is a mistake: which row should win?
fn duplicates(rows: &[DistrictRow]) -> Vec<RowError> {
    let mut codes: HashMap<String, Origin> = HashMap::new();
    let mut names: HashMap<String, Origin> = HashMap::new();
    let mut errors = Vec::new();
    for row in rows {
        if let Some(first) = codes.insert(row.code.to_uppercase(), row.origin) {
            codes.insert(row.code.to_uppercase(), first);
            errors.push(row.origin.error(format!(
                "the code {} is already used at {first}",
                text::excerpt(&row.code)
            )));
        } else if let Some(first) = names.insert(row.name.to_lowercase(), row.origin) {
            names.insert(row.name.to_lowercase(), first);
            errors.push(row.origin.error(format!(
                "the name {} is already used at {first}",
                text::excerpt(&row.name)
            )));
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    const SQUARE: &str =
        "MULTIPOLYGON (((-114.07 51.04, -114.06 51.04, -114.06 51.05, -114.07 51.04)))";

    #[test]
    fn the_citys_csv_is_read_with_its_byte_order_mark_and_capital_names() {
        let text = format!(
            "\u{feff}CLASS,COMM_CODE,NAME,MULTIPOLYGON\r\nResidential,DNC,DOWNTOWN  COMMERCIAL CORE,\"{SQUARE}\"\r\n"
        );
        let (format, rows) = parse(&text);
        assert_eq!(format, Format::CityCsv);
        let rows = rows.unwrap();
        assert_eq!(rows[0].code, "DNC");
        assert_eq!(rows[0].name, "Downtown Commercial Core");
        assert_eq!(rows[0].origin.line, 2);
        assert_eq!(rows[0].sector, None);
        assert_eq!(rows[0].boundary["type"], "MultiPolygon");
        assert_eq!(rows[0].boundary["coordinates"][0][0][1][0], -114.06);
    }

    #[test]
    fn a_sector_column_or_property_is_kept_when_there_is_one() {
        let csv =
            format!("COMM_CODE,NAME,SECTOR,MULTIPOLYGON\nBLN,BELTLINE, centre ,\"{SQUARE}\"\n");
        assert_eq!(parse(&csv).1.unwrap()[0].sector.as_deref(), Some("centre"));
        let geojson = r#"{"type": "Feature", "properties": {"code": "X", "name": "X", "SECTOR": "NORTH"},
            "geometry": {"type": "Polygon", "coordinates": [[[-114.07, 51.05], [-114.06, 51.05], [-114.06, 51.06], [-114.07, 51.05]]]}}"#;
        assert_eq!(
            parse(geojson).1.unwrap()[0].sector.as_deref(),
            Some("NORTH")
        );
    }

    #[test]
    fn every_bad_csv_row_is_listed_with_its_line() {
        let text = format!(
            "COMM_CODE,NAME,MULTIPOLYGON\nA,Alpha,\"{SQUARE}\"\nB,,\"MULTIPOLYGON (((-114.07 51.04, -114.06 51.04, -114.06 51.05)))\"\nC,Gamma\nA,Again,\"{SQUARE}\"\n"
        );
        let errors = parse(&text).1.unwrap_err();
        let lines: Vec<_> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [3, 4, 5]);
        assert!(
            errors[0].reason.contains("name (NAME) is empty"),
            "{}",
            errors[0]
        );
        assert!(errors[0].reason.contains("at least 4"), "{}", errors[0]);
        assert!(errors[1].reason.contains("fields"), "{}", errors[1]);
    }

    #[test]
    fn a_code_twice_is_refused() {
        let text =
            format!("COMM_CODE,NAME,MULTIPOLYGON\nA,Alpha,\"{SQUARE}\"\nA,Beta,\"{SQUARE}\"\n");
        let errors = parse(&text).1.unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 3);
        assert!(errors[0].reason.contains("line 2"), "{}", errors[0]);
    }

    #[test]
    fn geojson_is_told_apart_by_content_and_polygons_become_multipolygons() {
        let text = r#"
{"type": "FeatureCollection", "features": [
  {"type": "Feature", "properties": {"comm_code": "EAU", "name": "EAU CLAIRE"},
   "geometry": {"type": "Polygon", "coordinates": [[[-114.07, 51.05], [-114.06, 51.05], [-114.06, 51.06], [-114.07, 51.05]]]}},
  {"type": "Feature", "properties": {"comm_code": "X", "name": "Open"},
   "geometry": {"type": "Polygon", "coordinates": [[[-114.07, 51.05], [-114.06, 51.05], [-114.06, 51.06], [-114.07, 51.06]]]}}
]}"#;
        let (format, rows) = parse(text);
        assert_eq!(format, Format::GeoJson);
        let errors = rows.unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!((errors[0].line, errors[0].feature), (5, Some(2)));
        assert!(errors[0].reason.contains("not closed"), "{}", errors[0]);
    }

    #[test]
    fn a_file_without_the_needed_columns_says_which_it_has() {
        let errors = parse("a,b\n1,2\n").1.unwrap_err();
        assert_eq!(errors[0].line, 1);
        assert!(errors[0].reason.contains("COMM_CODE"));
    }
}
