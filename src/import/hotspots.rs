//! Hotspots from GeoJSON: one Feature with a Polygon per hotspot, and its facts as properties
//! `name`, `district` (code or name), `priority`, `active_from`, `active_to`, `window_start`,
//! `window_end`, `target_minutes_per_day`, `max_gap_minutes` and `reason`.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde_json::Value;

use super::geojson::{self, Feature};
use geo::{
    Centroid, Closest, Contains, Distance, Haversine, HaversineClosestPoint, MultiPolygon, Point,
};

use super::geometry;
use super::text::{self, normalise};
use super::{Origin, Parsed, RowError};
use crate::domain::hotspot::{self as rule, PilotDays, Refusal, Watch};
use crate::domain::ids::DistrictId;

/// How far (metres) outside its district a hotspot's centre may lie: hotspots are drawn around
/// places, and a place on a boundary street belongs to either side.
pub const DISTRICT_TOLERANCE_M: f64 = 250.0;

/// Whether `point` lies inside `shape` or within [`DISTRICT_TOLERANCE_M`] of its edge.
fn near(shape: &MultiPolygon, point: Point) -> bool {
    match shape.haversine_closest_point(&point) {
        Closest::Intersection(_) => true,
        Closest::SinglePoint(edge) => Haversine.distance(point, edge) <= DISTRICT_TOLERANCE_M,
        Closest::Indeterminate => false,
    }
}

/// A district of the pilot, as hotspots are checked against it.
#[derive(Debug, Clone)]
pub struct DistrictArea {
    pub id: DistrictId,
    pub code: String,
    pub name: String,
    pub shape: MultiPolygon,
}

/// What a hotspot must fit in: the pilot's dates and districts.
#[derive(Debug, Clone)]
pub struct PilotArea {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub districts: Vec<DistrictArea>,
}

impl PilotArea {
    /// The district with this code, or else this name (neither case- nor space-sensitive).
    fn district(&self, reference: &str) -> Option<&DistrictArea> {
        let wanted = normalise(reference).to_lowercase();
        self.districts
            .iter()
            .find(|d| d.code.to_lowercase() == wanted)
            .or_else(|| {
                self.districts
                    .iter()
                    .find(|d| normalise(&d.name).to_lowercase() == wanted)
            })
    }
}

/// Refuses a hotspot `polygon` whose centre lies neither in its `district` nor near it, naming
/// the district of `districts` (the pilot's) it lies in, if any.
pub fn placed(
    polygon: &geo::Polygon,
    district: &DistrictArea,
    districts: &[DistrictArea],
) -> Result<(), String> {
    let Some(centre) = polygon.centroid() else {
        return Ok(());
    };
    if near(&district.shape, centre) {
        return Ok(());
    }
    Err(match districts.iter().find(|d| d.shape.contains(&centre)) {
        Some(other) => format!(
            "the hotspot lies in district {} ({}), not in {} ({})",
            other.code, other.name, district.code, district.name
        ),
        None => format!(
            "the hotspot lies outside district {} ({}) and every other district of the pilot",
            district.code, district.name
        ),
    })
}

/// A hotspot, checked, ready to compare with the database.
#[derive(Debug, Clone, PartialEq)]
pub struct HotspotRow {
    pub origin: Origin,
    pub name: String,
    pub district_id: DistrictId,
    /// The district's code, as the audit log names it.
    pub district_code: String,
    /// When it is watched and what is aimed for.
    pub watch: Watch,
    pub reason: String,
    /// The GeoJSON Polygon stored in `hotspots.boundary`.
    pub boundary: Value,
}

/// Every hotspot of the file, checked against the pilot, or every bad row.
pub fn parse(text: &str, pilot: &PilotArea) -> Parsed<HotspotRow> {
    let features = geojson::features(text::strip_bom(text)).map_err(|e| vec![e])?;
    let mut rows: Vec<HotspotRow> = Vec::new();
    let mut errors = Vec::new();
    let mut names: HashMap<String, Origin> = HashMap::new();
    for feature in features {
        match feature.and_then(|f| hotspot(&f, pilot)) {
            Ok(row) => {
                let key = row.name.to_lowercase();
                if let Some(first) = names.get(&key) {
                    errors.push(
                        row.origin
                            .error(format!(
                                "the name {} is already used at {first}",
                                text::quoted(&row.name)
                            ))
                            .named(Some(&row.name)),
                    );
                } else {
                    names.insert(key, row.origin);
                    rows.push(row);
                }
            }
            Err(e) => errors.push(e),
        }
    }
    super::finish(rows, errors)
}

/// One property as text (numbers too), trimmed; `None` when absent, null or blank.
fn text_property(feature: &Feature, name: &str) -> Option<String> {
    match feature.property(name)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Collects a feature's problems, so that one row lists all of them.
struct Checker<'f> {
    feature: &'f Feature,
    problems: Vec<String>,
}

impl Checker<'_> {
    fn required(&mut self, name: &str) -> Option<String> {
        let value = text_property(self.feature, name);
        if value.is_none() {
            self.problems.push(format!("{name} {}", Refusal::Missing));
        }
        value
    }

    /// `value` by the `rule` of hotspots for property `name`, when it is given.
    fn check<T>(
        &mut self,
        name: &str,
        value: Option<String>,
        rule: impl FnOnce(&str) -> Result<T, Refusal>,
    ) -> Option<T> {
        let checked = rule(&value?);
        self.note(name, checked)
    }

    /// The value checked, or `None` with the refusal noted as a problem of property `name`.
    fn note<T>(&mut self, name: &str, checked: Result<T, Refusal>) -> Option<T> {
        checked
            .map_err(|refusal| self.problems.push(format!("{name} {refusal}")))
            .ok()
    }
}

fn hotspot(feature: &Feature, pilot: &PilotArea) -> Result<HotspotRow, RowError> {
    let mut c = Checker {
        feature,
        problems: Vec::new(),
    };
    let name = c.required("name").map(|n| normalise(&n));
    let district_ref = c.required("district");
    let priority = c.required("priority");
    let priority = c.check("priority", priority, rule::priority);
    let active_from = text_property(feature, "active_from");
    let active_from = c.check("active_from", active_from, rule::date);
    let active_to = text_property(feature, "active_to");
    let active_to = c.check("active_to", active_to, rule::date);
    let window_start = c.required("window_start");
    let window_start = c.check("window_start", window_start, rule::time);
    let window_end = c.required("window_end");
    let window_end = c.check("window_end", window_end, rule::time);
    let target = c.required("target_minutes_per_day");
    let target = c.check("target_minutes_per_day", target, rule::target_minutes);
    let max_gap = text_property(feature, "max_gap_minutes");
    let max_gap = c.check("max_gap_minutes", max_gap, rule::target_minutes);
    let reason = text_property(feature, "reason").unwrap_or_default();

    let district = district_ref.as_deref().and_then(|r| {
        let found = pilot.district(r);
        if found.is_none() {
            c.problems.push(format!(
                "district {} is not a district of this pilot (use its code or name: {})",
                text::quoted(r),
                pilot
                    .districts
                    .iter()
                    .map(|d| d.code.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        found
    });
    // A hotspot without dates is active for the whole pilot.
    let active_from = active_from.or_else(|| {
        text_property(feature, "active_from")
            .is_none()
            .then_some(pilot.starts_on)
    });
    let days = PilotDays {
        first: pilot.starts_on,
        last: pilot.ends_on,
    };
    for (what, date) in [("active_from", active_from), ("active_to", active_to)] {
        if let Some(date) = date {
            c.note(what, days.check(date));
        }
    }
    if let (Some(from), Some(to)) = (active_from, active_to) {
        c.note("active_to", rule::in_order(from, to));
    }

    let polygon = match geometry::from_geojson(&feature.geometry, false)
        .and_then(|s| geometry::check(&s).map(|()| s))
    {
        Ok(mut shape) => shape.0.pop(),
        Err(e) => {
            c.problems.push(format!("geometry: {e}"));
            None
        }
    };
    if let (Some(polygon), Some(district)) = (&polygon, district)
        && let Err(problem) = placed(polygon, district, &pilot.districts)
    {
        c.problems.push(problem);
    }

    let problems = std::mem::take(&mut c.problems);
    match (
        name,
        district,
        priority,
        active_from,
        window_start,
        window_end,
        target,
        polygon,
    ) {
        (
            Some(name),
            Some(district),
            Some(priority),
            Some(active_from),
            Some(window_start),
            Some(window_end),
            Some(target),
            Some(polygon),
        ) if problems.is_empty() => Ok(HotspotRow {
            origin: feature.origin,
            name,
            district_id: district.id,
            district_code: district.code.clone(),
            watch: Watch {
                priority,
                active_from,
                active_to,
                window_start,
                window_end,
                target_minutes_per_day: target,
                max_gap_minutes: max_gap.unwrap_or(rule::DEFAULT_MAX_GAP_MINUTES),
            },
            reason: rule::reason(&reason),
            boundary: geometry::polygon_json(&polygon),
        }),
        _ => Err(feature.error(problems.join("; "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveTime;
    use serde_json::json;

    fn square(lon: f64, lat: f64, size: f64) -> Vec<[f64; 2]> {
        vec![
            [lon, lat],
            [lon + size, lat],
            [lon + size, lat + size],
            [lon, lat + size],
            [lon, lat],
        ]
    }

    fn pilot() -> PilotArea {
        let area = |id, code: &str, name: &str, lon| DistrictArea {
            id: DistrictId(id),
            code: code.into(),
            name: name.into(),
            shape: MultiPolygon::new(vec![geo::Polygon::new(
                square(lon, 51.0, 0.05).into(),
                Vec::new(),
            )]),
        };
        PilotArea {
            starts_on: NaiveDate::from_ymd_opt(2023, 2, 27).unwrap(),
            ends_on: NaiveDate::from_ymd_opt(2023, 5, 31).unwrap(),
            districts: vec![
                area(1, "DNC", "Downtown Commercial Core", -114.1),
                area(2, "BLN", "Beltline", -114.0),
            ],
        }
    }

    fn feature(properties: Value, ring: Vec<[f64; 2]>) -> Value {
        json!({"type": "Feature", "properties": properties, "geometry": {"type": "Polygon", "coordinates": [ring]}})
    }

    fn collection(features: Vec<Value>) -> String {
        serde_json::to_string_pretty(&json!({"type": "FeatureCollection", "features": features}))
            .unwrap()
    }

    fn good(name: &str) -> Value {
        feature(
            json!({"name": name, "district": "dnc", "priority": 1, "active_from": "2023-03-01",
                   "window_start": "22:00", "window_end": "06:00", "target_minutes_per_day": "120",
                   "reason": " Night  disorder "}),
            square(-114.08, 51.02, 0.002),
        )
    }

    #[test]
    fn a_good_hotspot_is_read_with_defaults() {
        let rows = parse(&collection(vec![good("Olympic Plaza")]), &pilot()).unwrap();
        let row = &rows[0];
        assert_eq!(row.district_id, DistrictId(1));
        assert_eq!(row.watch.max_gap_minutes, 120);
        assert_eq!(row.watch.active_to, None);
        assert_eq!(
            row.watch.window_start,
            NaiveTime::from_hms_opt(22, 0, 0).unwrap()
        );
        assert_eq!(row.reason, "Night disorder");
        assert_eq!(row.boundary["type"], "Polygon");
        assert_eq!(row.origin.feature, Some(1));
    }

    #[test]
    fn every_problem_of_a_bad_hotspot_is_named() {
        let bad = feature(
            json!({"name": "Bad", "district": "Mission", "priority": 4, "active_from": "2023-02-30",
                   "active_to": "2023-06-15", "window_start": "25:00", "window_end": "06:00",
                   "target_minutes_per_day": "lots"}),
            square(-114.08, 51.02, 0.002),
        );
        let errors = parse(&collection(vec![good("A"), bad]), &pilot()).unwrap_err();
        assert_eq!(errors.len(), 1);
        let e = &errors[0];
        assert_eq!(e.feature, Some(2));
        assert!(e.line > 1, "the feature's own line: {e}");
        for expected in [
            "district \"Mission\" is not a district",
            "priority 4",
            "active_from \"2023-02-30\"",
            "active_to 2023-06-15 is outside the pilot",
            "window_start \"25:00\"",
            "target_minutes_per_day \"lots\"",
        ] {
            assert!(e.reason.contains(expected), "{expected} in {e}");
        }
    }

    #[test]
    fn a_hotspot_in_another_district_or_with_an_open_ring_is_refused() {
        let elsewhere = feature(
            json!({"name": "Far", "district": "DNC", "priority": 2, "window_start": "10:00",
                   "window_end": "02:00", "target_minutes_per_day": 60}),
            square(-113.98, 51.02, 0.002),
        );
        let mut ring = square(-114.08, 51.02, 0.002);
        ring.pop();
        let open = feature(
            json!({"name": "Open", "district": "DNC", "priority": 2, "window_start": "10:00",
                   "window_end": "02:00", "target_minutes_per_day": 60}),
            ring,
        );
        let errors = parse(
            &collection(vec![elsewhere, open, good("Dup"), good("dup")]),
            &pilot(),
        )
        .unwrap_err();
        assert_eq!(errors.len(), 3);
        assert!(
            errors[0].reason.contains("lies in district BLN"),
            "{}",
            errors[0]
        );
        assert!(errors[1].reason.contains("not closed"), "{}", errors[1]);
        assert!(errors[2].reason.contains("already used"), "{}", errors[2]);
    }
}
