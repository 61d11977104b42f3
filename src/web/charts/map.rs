//! The district map: districts shaded by coverage, hotspots outlined on top, drawn from GeoJSON.

use askama::Template;
use serde_json::Value;

use geo::{Coord, Rect};

use super::geometry::{
    Polygon, Projection, bounds, label_places, largest_area, overlap, path_data, polygons, widest,
};
use super::{
    LegendItem, NO_DATA, Shade, chart_id, context, hatch_fill, num, pct_text, scale_legend, shade,
};

/// A district or hotspot to draw on the map.
pub struct MapArea<'a> {
    pub name: String,
    pub href: String,
    /// GeoJSON geometry object: `{"type":"MultiPolygon"|"Polygon","coordinates":[...]}`, lon/lat
    /// WGS84.
    pub geometry: &'a Value,
    /// Planned or delivered coverage 0–100, `None` when the area has no hotspot-blocks in range.
    pub coverage_pct: Option<f64>,
}

/// The width of the viewBox; the height follows the shape of the areas.
const WIDTH: f64 = 800.0;
const MARGIN: f64 = 16.0;
/// A tall, narrow set of areas is fitted into this height instead of growing without bound.
const MAX_MAP_HEIGHT: f64 = 640.0;
const LEGEND_HEIGHT: f64 = 48.0;
const FONT_SIZE: f64 = 12.0;
const LINE_HEIGHT: f64 = 14.0;
/// An average glyph width for the sans-serif labels, to keep them on the canvas.
const CHAR_WIDTH: f64 = 0.62 * FONT_SIZE;

/// The map, ready to render; build it with [`map`].
#[derive(Template)]
#[template(path = "charts/map.html", whitespace = "minimize")]
pub struct Map {
    id: String,
    title: String,
    measure: String,
    summary: String,
    /// Shown instead of the drawing when there is nothing to draw.
    message: Option<String>,
    width: String,
    height: String,
    /// The city around, unlabelled, and the height of the view it is cut to.
    context: Vec<String>,
    view_height: String,
    districts: Vec<Shape>,
    hotspots: Vec<Shape>,
    labels: Vec<Label>,
    legend_caption_y: String,
    legend_y: String,
    legend_text_y: String,
    legend: Vec<LegendItem>,
    hotspot_key_x: String,
    hotspot_key_text_x: String,
    rows: Vec<Row>,
}

impl Map {
    /// Use `id` (made safe) for the chart's element ids, when a page shows two maps with the same
    /// title.
    pub fn with_id(mut self, id: &str) -> Map {
        self.id = chart_id("map", id);
        self
    }
}

/// A linked area as drawn: its path data, its fill and its tooltip.
struct Shape {
    href: String,
    title: String,
    d: String,
    fill: String,
    class: &'static str,
    no_data: bool,
}

/// A district's name and figure, drawn over its interior.
struct Label {
    x: String,
    colour: &'static str,
    halo: &'static str,
    lines: Vec<LabelLine>,
}

struct LabelLine {
    y: String,
    text: String,
    strong: bool,
}

/// A row of the companion table.
struct Row {
    name: String,
    href: String,
    kind: &'static str,
    coverage: String,
}

/// Lays out a map of `districts` shaded by `measure` ("Planned coverage") with `hotspots`
/// outlined on top.
pub fn map(title: &str, measure: &str, districts: &[MapArea], hotspots: &[MapArea]) -> Map {
    map_with_context(title, measure, districts, hotspots, &[])
}

/// [`map`] over the city around: `context` (lon/lat shapes, such as the city's other
/// communities) drawn faint under the districts where it enters the view.
pub fn map_with_context(
    title: &str,
    measure: &str,
    districts: &[MapArea],
    hotspots: &[MapArea],
    context: &[&[Polygon]],
) -> Map {
    let id = chart_id("map", title);
    let measure_lower = measure.to_lowercase();
    let district_shapes: Vec<Vec<Polygon>> =
        districts.iter().map(|a| polygons(a.geometry)).collect();
    let hotspot_shapes: Vec<Vec<Polygon>> = hotspots.iter().map(|a| polygons(a.geometry)).collect();
    let focus = in_focus(&district_shapes, &hotspot_shapes);
    let rows = districts
        .iter()
        .zip(&focus)
        .filter(|(_, in_focus)| **in_focus)
        .map(|(area, _)| (area, "district"))
        .chain(hotspots.iter().map(|area| (area, "hotspot")))
        .map(|(area, kind)| Row {
            name: area.name.clone(),
            href: area.href.clone(),
            kind,
            coverage: area
                .coverage_pct
                .map_or_else(|| "no data".to_owned(), pct_text),
        })
        .collect();
    let mut chart = Map {
        summary: String::new(),
        message: None,
        width: num(WIDTH),
        height: num(WIDTH / 2.0),
        context: Vec::new(),
        view_height: String::new(),
        districts: Vec::new(),
        hotspots: Vec::new(),
        labels: Vec::new(),
        legend_caption_y: String::new(),
        legend_y: String::new(),
        legend_text_y: String::new(),
        legend: Vec::new(),
        hotspot_key_x: String::new(),
        hotspot_key_text_x: String::new(),
        rows,
        title: title.to_owned(),
        measure: measure.to_owned(),
        id,
    };

    let Some(projection) = Projection::fit(
        district_shapes
            .iter()
            .zip(&focus)
            .filter(|(_, in_focus)| **in_focus)
            .map(|(shape, _)| shape)
            .chain(&hotspot_shapes),
        WIDTH,
        MAX_MAP_HEIGHT,
        MARGIN,
    ) else {
        chart.message = Some(if districts.is_empty() && hotspots.is_empty() {
            "No districts or hotspots to show.".to_owned()
        } else {
            "None of these areas has a boundary to draw.".to_owned()
        });
        return chart;
    };

    let view = Rect::new(
        Coord { x: 0.0, y: 0.0 },
        Coord {
            x: WIDTH,
            y: projection.height,
        },
    );
    chart.context = context::paths(&projection, &view, context);
    chart.view_height = num(projection.height);
    let mut to_label = Vec::new();
    for ((area, shape), in_focus) in districts.iter().zip(&district_shapes).zip(&focus) {
        let projected = projection.polygons(shape);
        let Some(drawn) = bounds(&projected) else {
            continue;
        };
        // A district around the hotspots' is context: drawn where it enters the view, cut off
        // by the view's edge, and not labelled.
        if !overlap(&drawn, &view) {
            continue;
        }
        let Some(d) = path_data(&projected) else {
            continue;
        };
        let step = shade(area.coverage_pct);
        chart.districts.push(Shape {
            href: area.href.clone(),
            title: format!(
                "{}: {}",
                area.name,
                coverage_words(area.coverage_pct, &measure_lower)
            ),
            d,
            fill: if step == NO_DATA {
                hatch_fill(&chart.id)
            } else {
                step.fill.to_owned()
            },
            class: step.class,
            no_data: step == NO_DATA,
        });
        if *in_focus {
            to_label.push((area, step, projected));
        }
    }
    // Small districts have the least room to move their label, so they choose first.
    to_label.sort_by(|a, b| largest_area(&a.2).total_cmp(&largest_area(&b.2)));
    let mut taken = Vec::new();
    for (area, step, projected) in to_label {
        let figure = match area.coverage_pct {
            Some(pct) if pct.is_finite() => pct_text(pct),
            _ => "no data".to_owned(),
        };
        let (label, space) = label(
            &area.name,
            figure,
            &projected,
            projection.height,
            step,
            &taken,
        );
        chart.labels.push(label);
        taken.push(space);
    }
    for (area, shape) in hotspots.iter().zip(&hotspot_shapes) {
        let Some(d) = path_data(&projection.polygons(shape)) else {
            continue;
        };
        let step = shade(area.coverage_pct);
        chart.hotspots.push(Shape {
            href: area.href.clone(),
            title: format!(
                "{} (hotspot): {}",
                area.name,
                coverage_words(area.coverage_pct, &measure_lower)
            ),
            d,
            // Filled with its own figure's shade, so a hotspot reads apart from its district.
            fill: if step == NO_DATA {
                hatch_fill(&chart.id)
            } else {
                step.fill.to_owned()
            },
            class: step.class,
            no_data: step == NO_DATA,
        });
    }

    let map_height = projection.height;
    let step = (WIDTH - 2.0 * MARGIN) / 7.0;
    chart.height = num(map_height + LEGEND_HEIGHT);
    chart.legend_caption_y = num(map_height + 14.0);
    chart.legend_y = num(map_height + 22.0);
    chart.legend_text_y = num(map_height + 33.0);
    chart.legend = scale_legend(&chart.id, MARGIN, step, "no data");
    chart.hotspot_key_x = num(MARGIN + 6.0 * step);
    chart.hotspot_key_text_x = num(MARGIN + 6.0 * step + 24.0);
    chart.summary = format!(
        "Map of {} districts shaded by {measure_lower} in five steps, from 0–19.9% (lightest) to \
         80–100% (darkest), hatched grey where there is no data, with {} hotspots outlined. \
         Each district shows its name and figure; the table after the map lists every figure.",
        chart.districts.len(),
        chart.hotspots.len(),
    );
    chart
}

/// Which districts the map is fitted to: those around a hotspot (their outlines' boxes meet), so
/// that a pilot with a whole city of districts still shows its hotspots large; every district
/// when there is no hotspot to draw.
fn in_focus(districts: &[Vec<Polygon>], hotspots: &[Vec<Polygon>]) -> Vec<bool> {
    let hotspot_boxes: Vec<Rect> = hotspots.iter().filter_map(|h| bounds(h)).collect();
    districts
        .iter()
        .map(|district| {
            hotspot_boxes.is_empty()
                || bounds(district).is_some_and(|b| hotspot_boxes.iter().any(|h| overlap(&b, h)))
        })
        .collect()
}

/// "63.2% planned coverage", or why there is no figure.
fn coverage_words(pct: Option<f64>, measure: &str) -> String {
    match pct {
        Some(pct) if pct.is_finite() => format!("{} {measure}", pct_text(pct)),
        _ => "no data (no hotspot-blocks in range)".to_owned(),
    }
}

/// The space a label takes: (left, top, right, bottom).
type Space = (f64, f64, f64, f64);

/// The label of a district: its name wrapped to the width of its largest ring, then its figure,
/// at the first of its places that keeps clear of the labels already placed (or else the
/// first), and always on the canvas.
fn label(
    name: &str,
    figure: String,
    polygons: &[Polygon],
    map_height: f64,
    step: Shade,
    taken: &[Space],
) -> (Label, Space) {
    let room = widest(polygons);
    let per_line = ((room / CHAR_WIDTH).floor() as usize).clamp(8, 18);
    let mut lines: Vec<(String, bool)> = wrap(name, per_line)
        .into_iter()
        .map(|line| (line, false))
        .collect();
    lines.push((figure, true));

    let widest = lines
        .iter()
        .map(|(text, _)| text.chars().count())
        .max()
        .unwrap_or(0) as f64;
    let half_width = (widest * CHAR_WIDTH / 2.0).min(WIDTH / 2.0 - 2.0);
    let height = lines.len() as f64 * LINE_HEIGHT;
    let space_at = |(x, y): (f64, f64)| {
        let x = x.clamp(2.0 + half_width, WIDTH - 2.0 - half_width);
        let top = (y - height / 2.0).clamp(2.0, (map_height - 2.0 - height).max(2.0));
        (x - half_width, top, x + half_width, top + height)
    };
    let clear = |space: &Space| {
        taken.iter().all(|other| {
            space.2 + 2.0 <= other.0
                || other.2 + 2.0 <= space.0
                || space.3 <= other.1
                || other.3 <= space.1
        })
    };
    let places = label_places(polygons, LINE_HEIGHT / 2.0);
    let first = space_at(places.first().copied().unwrap_or((WIDTH / 2.0, MARGIN)));
    let space = places
        .into_iter()
        .map(space_at)
        .find(clear)
        .unwrap_or(first);

    let x = (space.0 + space.2) / 2.0;
    let label = Label {
        x: num(x),
        colour: step.text_colour,
        halo: step.fill,
        lines: lines
            .into_iter()
            .enumerate()
            .map(|(i, (text, strong))| LabelLine {
                y: num(space.1 + LINE_HEIGHT * (i as f64 + 0.8)),
                text,
                strong,
            })
            .collect(),
    };
    (label, space)
}

/// Greedy word wrap to `width` characters; a word longer than that gets a line of its own.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    lines
}

#[cfg(test)]
#[path = "map_tests.rs"]
mod tests;
