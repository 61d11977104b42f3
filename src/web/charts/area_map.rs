//! The evaluation's map: the patrolled (treated) communities, the buffer around them and the
//! comparison communities nearby, drawn from GeoJSON and framed on treated and buffer.

use askama::Template;
use serde_json::Value;

use super::geometry::{Polygon, Projection, bounds, overlap, path_data, polygons};
use super::{chart_id, num};
use crate::evaluation::Area;

/// A community to draw.
pub struct AreaShape<'a> {
    pub name: String,
    pub area: Area,
    /// GeoJSON MultiPolygon or Polygon in WGS84 lon/lat.
    pub geometry: &'a Value,
}

const WIDTH: f64 = 800.0;
const MAX_HEIGHT: f64 = 560.0;
const MARGIN: f64 = 12.0;

/// The fill, a pattern for print and colour-blind readers, and the legend's words of each area.
fn style(area: Area) -> (&'static str, &'static str) {
    match area {
        Area::Treated => ("#08468c", "Patrolled (treated)"),
        Area::Buffer => ("#6baed6", "Within 250 m (buffer)"),
        Area::Comparison => ("#eef0f3", "Rest of the city (comparison)"),
    }
}

struct Shape {
    d: String,
    fill: &'static str,
    class: &'static str,
    title: String,
}

struct Key {
    y: String,
    text_y: String,
    fill: &'static str,
    class: &'static str,
    label: &'static str,
}

/// One line of the table under the map.
struct Row {
    label: &'static str,
    names: String,
}

/// The map, ready to render; build it with [`area_map`].
#[derive(Template)]
#[template(path = "charts/area_map.html", whitespace = "minimize")]
pub struct AreaMap {
    id: String,
    title: String,
    message: Option<String>,
    width: String,
    height: String,
    shapes: Vec<Shape>,
    keys: Vec<Key>,
    rows: Vec<Row>,
}

/// The map of `shapes`, framed on the treated and buffer ones; comparison communities are drawn
/// only where they fall inside that frame, so the drawing stays small.
pub fn area_map(title: &str, shapes: &[AreaShape<'_>]) -> AreaMap {
    let read: Vec<(&AreaShape, Vec<Polygon>)> =
        shapes.iter().map(|s| (s, polygons(s.geometry))).collect();
    let framed: Vec<&Vec<Polygon>> = read
        .iter()
        .filter(|(s, _)| s.area != Area::Comparison)
        .map(|(_, p)| p)
        .collect();
    let frame = framed.iter().filter_map(|p| bounds(p)).reduce(|a, b| {
        geo::Rect::new(
            geo::Coord {
                x: a.min().x.min(b.min().x),
                y: a.min().y.min(b.min().y),
            },
            geo::Coord {
                x: a.max().x.max(b.max().x),
                y: a.max().y.max(b.max().y),
            },
        )
    });
    let legend_height = 3.0 * 20.0 + 8.0;
    let mut map = AreaMap {
        id: chart_id("areas", title),
        title: title.to_string(),
        message: None,
        width: num(WIDTH),
        height: "0".into(),
        shapes: Vec::new(),
        keys: Vec::new(),
        rows: Vec::new(),
    };
    let (Some(frame), Some(projection)) = (
        frame,
        Projection::fit(framed.iter().copied(), WIDTH, MAX_HEIGHT, MARGIN),
    ) else {
        map.message = Some("No patrolled community has a boundary on file to draw.".into());
        return map;
    };
    // Comparison first, so treated and buffer are drawn over their edges.
    for area in [Area::Comparison, Area::Buffer, Area::Treated] {
        let (fill, label) = style(area);
        for (shape, polys) in read.iter().filter(|(s, _)| s.area == area) {
            let inside = bounds(polys).is_some_and(|b| overlap(&b, &frame));
            if !inside {
                continue;
            }
            if let Some(d) = path_data(&projection.polygons(polys)) {
                map.shapes.push(Shape {
                    d,
                    fill,
                    class: area.as_str(),
                    title: format!("{}: {label}", shape.name),
                });
            }
        }
    }
    let top = projection.height + 8.0;
    for (i, area) in Area::ALL.into_iter().enumerate() {
        let (fill, label) = style(area);
        let y = top + i as f64 * 20.0;
        map.keys.push(Key {
            y: num(y),
            text_y: num(y + 12.0),
            fill,
            class: area.as_str(),
            label,
        });
        let mut names: Vec<&str> = shapes
            .iter()
            .filter(|s| s.area == area)
            .map(|s| s.name.as_str())
            .collect();
        names.sort_unstable();
        map.rows.push(Row {
            label,
            names: if area == Area::Comparison {
                format!("{} communities", names.len())
            } else {
                names.join(", ")
            },
        });
    }
    map.height = num(top + legend_height);
    map
}
