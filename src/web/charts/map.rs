//! The district map: districts shaded by coverage in bands drawn from their own figures,
//! hotspots filled by theirs on top, the chosen district outlined, landmarks for bearings; drawn
//! from GeoJSON.

use askama::Template;
use serde_json::Value;

use geo::Rect;

use super::bands::Bands;
use super::geometry::{Polygon, Projection, bounds, largest_area, overlap, path_data, polygons};
use super::landmarks::{self, Landmark, Mark};
use super::map_labels::{Label, label};
use super::map_legend::{Key, band_legend, keys};
use super::{LegendItem, NO_DATA, Shade, chart_id, context, hatch_fill, num, pct_text};

/// A district or hotspot to draw on the map.
pub struct MapArea<'a> {
    pub name: String,
    pub href: String,
    /// GeoJSON geometry object: `{"type":"MultiPolygon"|"Polygon","coordinates":[...]}`, lon/lat
    /// WGS84.
    pub geometry: &'a Value,
    /// Planned or delivered coverage 0–100, `None` when the area has no hotspot-blocks in range.
    pub coverage_pct: Option<f64>,
    /// The district the page is filtered to: outlined and marked as the current one.
    pub current: bool,
}

/// What surrounds a map's areas, for bearings: the city's other communities (lon/lat shapes,
/// drawn faint where they enter the view) and landmarks (drawn where they fall inside it).
#[derive(Default)]
pub struct Surroundings<'a> {
    pub context: &'a [&'a [Polygon]],
    pub landmarks: &'a [Landmark],
}

/// The width of the viewBox; the height follows the shape of the areas.
pub(super) const WIDTH: f64 = 800.0;
pub(super) const MARGIN: f64 = 16.0;
/// A tall, narrow set of areas is fitted into this height instead of growing without bound.
const MAX_MAP_HEIGHT: f64 = 640.0;
/// Two rows: the bands, then the symbols.
const LEGEND_HEIGHT: f64 = 70.0;
const FONT_SIZE: f64 = 12.0;
pub(super) const LINE_HEIGHT: f64 = 14.0;
/// An average glyph width for the sans-serif labels, to keep them on the canvas.
pub(super) const CHAR_WIDTH: f64 = 0.62 * FONT_SIZE;

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
    /// The outline of the current district, drawn over its neighbours' edges.
    current: Option<String>,
    hotspots: Vec<Shape>,
    landmarks: Vec<Mark>,
    labels: Vec<Label>,
    legend_caption_y: String,
    legend_y: String,
    legend_text_y: String,
    legend: Vec<LegendItem>,
    keys_y: String,
    keys_text_y: String,
    keys: Vec<Key>,
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

/// A linked area as drawn: its path data, its fill, its tooltip and its name for the keyboard.
struct Shape {
    href: String,
    title: String,
    d: String,
    fill: String,
    class: &'static str,
    no_data: bool,
    current: bool,
}

/// A district that enters the view: its area, path data and outline in viewBox units, and
/// whether it is one the map is fitted to (and labels).
struct Drawn<'a> {
    area: &'a MapArea<'a>,
    d: String,
    projected: Vec<Polygon>,
    in_focus: bool,
}

/// A row of the companion table.
struct Row {
    name: String,
    href: String,
    kind: &'static str,
    coverage: String,
}

/// Lays out a map of `districts` shaded by `measure` ("Planned coverage") with `hotspots`
/// on top.
pub fn map(title: &str, measure: &str, districts: &[MapArea], hotspots: &[MapArea]) -> Map {
    map_with_context(
        title,
        measure,
        districts,
        hotspots,
        &Surroundings::default(),
    )
}

/// [`map`] in its surroundings: the city's other communities drawn faint under the districts
/// where they enter the view, and the landmarks that fall inside it.
pub fn map_with_context(
    title: &str,
    measure: &str,
    districts: &[MapArea],
    hotspots: &[MapArea],
    around: &Surroundings,
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
        .map(|(area, _)| match area.current {
            true => (area, "district (selected)"),
            false => (area, "district"),
        })
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
        current: None,
        hotspots: Vec::new(),
        landmarks: Vec::new(),
        labels: Vec::new(),
        legend_caption_y: String::new(),
        legend_y: String::new(),
        legend_text_y: String::new(),
        legend: Vec::new(),
        keys_y: String::new(),
        keys_text_y: String::new(),
        keys: Vec::new(),
        rows,
        title: title.to_owned(),
        measure: measure.to_owned(),
        id,
    };

    let focused: Vec<&Vec<Polygon>> = district_shapes
        .iter()
        .zip(&focus)
        .filter(|(_, in_focus)| **in_focus)
        .map(|(shape, _)| shape)
        .chain(&hotspot_shapes)
        .collect();
    let pulled = landmarks::pulled_in(around.landmarks, focused.iter().copied());
    let Some(projection) = Projection::fit(
        focused.iter().copied().chain(&pulled),
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

    let view = projection.view();
    chart.context = context::paths(&projection, &view, around.context);
    chart.view_height = num(projection.height);
    // A district around the hotspots' is context: drawn where it enters the view, cut off by the
    // view's edge, and not labelled.
    let drawn: Vec<Drawn> = districts
        .iter()
        .zip(&district_shapes)
        .zip(&focus)
        .filter_map(|((area, shape), in_focus)| {
            let projected = projection.polygons(shape);
            let seen = bounds(&projected).is_some_and(|b| overlap(&b, &view));
            let d = path_data(&projected).filter(|_| seen)?;
            Some(Drawn {
                area,
                d,
                projected,
                in_focus: *in_focus,
            })
        })
        .collect();
    let bands = bands_of(&drawn, hotspots);
    let mut to_label = Vec::new();
    for Drawn {
        area,
        d,
        projected,
        in_focus,
    } in drawn
    {
        let step = bands.shade(area.coverage_pct);
        if area.current {
            chart.current = Some(d.clone());
        }
        chart
            .districts
            .push(shape(&chart.id, area, d, step, &measure_lower, ""));
        if in_focus {
            to_label.push((area, step, projected));
        }
    }
    // Hotspots are drawn over the districts; the district labels, drawn last, keep off them
    // where their district has room.
    let mut avoid = Vec::new();
    for (area, shape_lonlat) in hotspots.iter().zip(&hotspot_shapes) {
        let projected = projection.polygons(shape_lonlat);
        let Some(d) = path_data(&projected) else {
            continue;
        };
        avoid.extend(bounds(&projected).map(|b| (b.min().x, b.min().y, b.max().x, b.max().y)));
        // Filled with its own figure's shade, so a hotspot reads apart from its district.
        let step = bands.shade(area.coverage_pct);
        chart.hotspots.push(shape(
            &chart.id,
            area,
            d,
            step,
            &measure_lower,
            " (hotspot)",
        ));
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
            &avoid,
        );
        chart.labels.push(label);
        taken.push(space);
    }
    chart.landmarks = landmarks::in_view(&projection, &view, around.landmarks);

    let map_height = projection.height;
    chart.height = num(map_height + LEGEND_HEIGHT);
    chart.legend_caption_y = num(map_height + 14.0);
    chart.legend_y = num(map_height + 22.0);
    chart.legend_text_y = num(map_height + 33.0);
    chart.keys_y = num(map_height + 44.0);
    chart.keys_text_y = num(map_height + 55.0);
    chart.legend = band_legend(&chart.id, &bands);
    chart.keys = keys(chart.current.is_some(), &chart.landmarks);
    chart.summary = summary(&chart, &bands, districts, &measure_lower);
    chart
}

/// The bands of the districts drawn in focus; when those hold fewer than two figures (a
/// district's own page, or districts all alike), of the hotspots' figures too.
fn bands_of(drawn: &[Drawn], hotspots: &[MapArea]) -> Bands {
    let districts = drawn
        .iter()
        .filter(|district| district.in_focus)
        .map(|district| district.area.coverage_pct);
    let bands = Bands::over(districts.clone());
    if bands.len() >= 2 {
        return bands;
    }
    Bands::over(districts.chain(hotspots.iter().map(|h| h.coverage_pct)))
}

/// A district or hotspot as drawn in `step`; `kind` follows the name in its title.
fn shape(id: &str, area: &MapArea, d: String, step: Shade, measure: &str, kind: &str) -> Shape {
    let selected = if area.current { " (selected)" } else { "" };
    Shape {
        href: area.href.clone(),
        title: format!(
            "{}{kind}{selected}: {}",
            area.name,
            coverage_words(area.coverage_pct, measure)
        ),
        d,
        fill: if step == NO_DATA {
            hatch_fill(id)
        } else {
            step.fill.to_owned()
        },
        class: step.class,
        no_data: step == NO_DATA,
        current: area.current,
    }
}

/// The map in words, for the `<desc>`: what is shaded and how, what is selected, what is around.
fn summary(chart: &Map, bands: &Bands, districts: &[MapArea], measure: &str) -> String {
    let ranges: Vec<&str> = bands.iter().map(|b| b.label.as_str()).collect();
    let mut text = format!(
        "Map of {} districts shaded by {measure}, darker for more, in {} ({}), hatched grey \
         where there is no data, with {} hotspots filled by their own figure. Each district shows \
         its name and figure; the table after the map lists every figure.",
        chart.districts.len(),
        match ranges.len() {
            1 => "one band".to_owned(),
            n => format!("{n} bands"),
        },
        ranges.join(", "),
        chart.hotspots.len(),
    );
    if let Some(current) = districts.iter().find(|d| d.current) {
        text.push_str(&format!(" {} is selected and outlined.", current.name));
    }
    if !chart.landmarks.is_empty() {
        let names: Vec<&str> = chart.landmarks.iter().map(|m| m.title.as_str()).collect();
        text.push_str(&format!(" Landmarks: {}.", names.join("; ")));
    }
    text
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

#[cfg(test)]
#[path = "map_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "map_marks_tests.rs"]
mod marks_tests;
