//! The district map: districts shaded by coverage, hotspots outlined on top, drawn from GeoJSON.

use askama::Template;
use serde_json::Value;

use super::geometry::{
    Polygon, Projection, bounds, label_places, largest_area, path_data, polygons,
};
use super::{LegendItem, NO_DATA, Shade, chart_id, hatch_fill, num, pct_text, scale_legend, shade};

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
    let id = chart_id("map", title);
    let measure_lower = measure.to_lowercase();
    let rows = districts
        .iter()
        .map(|area| (area, "district"))
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

    let district_shapes: Vec<Vec<Polygon>> =
        districts.iter().map(|a| polygons(a.geometry)).collect();
    let hotspot_shapes: Vec<Vec<Polygon>> = hotspots.iter().map(|a| polygons(a.geometry)).collect();
    let Some(projection) = Projection::fit(
        district_shapes.iter().chain(&hotspot_shapes),
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

    let mut to_label = Vec::new();
    for (area, shape) in districts.iter().zip(&district_shapes) {
        let projected = projection.polygons(shape);
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
        to_label.push((area, step, projected));
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
            fill: "none".to_owned(),
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
    let room = polygons
        .iter()
        .map(|polygon| {
            let (x0, _, x1, _) = bounds(&polygon[0]);
            x1 - x0
        })
        .fold(0.0, f64::max);
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
mod tests {
    use super::super::geometry::inside;
    use super::super::tests::assert_no_bad_numbers;
    use super::*;
    use serde_json::json;

    const COMMUNITIES: &str = include_str!("../../../data/calgary/downtown_communities.geojson");
    const CORE: [&str; 6] = [
        "BELTLINE",
        "DOWNTOWN COMMERCIAL CORE",
        "DOWNTOWN EAST VILLAGE",
        "DOWNTOWN WEST END",
        "CHINATOWN",
        "EAU CLAIRE",
    ];

    fn communities() -> Value {
        serde_json::from_str(COMMUNITIES).unwrap()
    }

    /// The six downtown-core districts with made-up coverage, one in each step; Chinatown has no
    /// data.
    fn core_areas(collection: &Value) -> Vec<MapArea<'_>> {
        collection["features"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| CORE.contains(&f["properties"]["name"].as_str().unwrap()))
            .map(|feature| {
                let name = feature["properties"]["name"].as_str().unwrap();
                let code = feature["properties"]["comm_code"].as_str().unwrap();
                MapArea {
                    name: title_case(name),
                    href: format!("/districts/{code}"),
                    geometry: &feature["geometry"],
                    coverage_pct: match code {
                        "BLN" => Some(63.2),
                        "DNC" => Some(91.04),
                        "DNE" => Some(45.0),
                        "DNW" => Some(12.5),
                        "EAU" => Some(20.0),
                        _ => None,
                    },
                }
            })
            .collect()
    }

    fn title_case(name: &str) -> String {
        name.split(' ')
            .map(|word| {
                let mut chars = word.chars();
                let first = chars.next().map(|c| c.to_string()).unwrap_or_default();
                first + &chars.as_str().to_lowercase()
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn octagon(lon: f64, lat: f64) -> Value {
        let ring: Vec<Value> = (0..=8)
            .map(|i| {
                let angle = (i % 8) as f64 * std::f64::consts::FRAC_PI_4;
                json!([lon + 0.0028 * angle.cos(), lat + 0.0018 * angle.sin()])
            })
            .collect();
        json!({"type": "Polygon", "coordinates": [ring]})
    }

    fn attribute<'a>(element: &'a str, name: &str) -> Option<&'a str> {
        let start = element.find(&format!(" {name}=\""))? + name.len() + 3;
        let len = element[start..].find('"')?;
        Some(&element[start..start + len])
    }

    fn view_box(html: &str) -> (f64, f64) {
        let value = attribute(html, "viewBox").unwrap();
        let numbers: Vec<f64> = value.split(' ').map(|n| n.parse().unwrap()).collect();
        (numbers[2], numbers[3])
    }

    #[test]
    fn the_six_core_districts_draw_inside_the_view_box_in_a_few_tens_of_kilobytes() {
        let collection = communities();
        let districts = core_areas(&collection);
        assert_eq!(districts.len(), 6);

        let html = map("Coverage", "Planned coverage", &districts, &[])
            .render()
            .unwrap();

        let (width, height) = view_box(&html);
        assert_eq!(width, 800.0);
        assert!(height > 100.0 && height <= MAX_MAP_HEIGHT + LEGEND_HEIGHT);
        let paths: Vec<&str> = html.split("<path").skip(1).collect();
        assert_eq!(paths.len(), 6);
        for path in paths {
            let d = attribute(path, "d").unwrap();
            let numbers: Vec<f64> = d
                .split(|c: char| c == ' ' || c.is_ascii_alphabetic())
                .filter(|token| !token.is_empty())
                .map(|token| token.parse().unwrap())
                .collect();
            assert!(numbers.len() > 20 && numbers.len().is_multiple_of(2));
            for pair in numbers.chunks(2) {
                assert!(
                    (0.0..=width).contains(&pair[0]),
                    "x {} off the map",
                    pair[0]
                );
                assert!(
                    (0.0..=height).contains(&pair[1]),
                    "y {} off the map",
                    pair[1]
                );
            }
        }
        assert!(html.len() < 60_000, "{} bytes", html.len());
        assert_no_bad_numbers(&html);
    }

    #[test]
    fn every_district_has_a_title_link_and_label_with_its_figure() {
        let collection = communities();
        let districts = core_areas(&collection);
        let html = map("Coverage", "Planned coverage", &districts, &[])
            .render()
            .unwrap();

        assert!(html.contains("<title>Beltline: 63.2% planned coverage</title>"));
        assert!(html.contains(r#"<a href="/districts/BLN">"#));
        assert!(html.contains("<title>Chinatown: no data (no hotspot-blocks in range)</title>"));
        // The chart, six districts and seven legend swatches.
        assert_eq!(html.matches("<title").count(), 1 + 6 + 7);
        let beltline = html
            .find(">Beltline</tspan>")
            .expect("Beltline is labelled");
        let text_start = html[..beltline].rfind("<text").unwrap();
        let (width, height) = view_box(&html);
        let x: f64 = attribute(&html[text_start..], "x")
            .unwrap()
            .parse()
            .unwrap();
        let tspan = html[..beltline].rfind("<tspan").unwrap();
        let y: f64 = attribute(&html[tspan..], "y").unwrap().parse().unwrap();
        assert!((0.0..=width).contains(&x) && (0.0..=height).contains(&y));
        assert!(html.contains(">63.2%</tspan>"));
    }

    #[test]
    fn labels_sit_inside_their_district() {
        let collection = communities();
        let districts = core_areas(&collection);
        let shapes: Vec<Vec<Polygon>> = districts.iter().map(|a| polygons(a.geometry)).collect();
        let projection = Projection::fit(shapes.iter(), WIDTH, MAX_MAP_HEIGHT, MARGIN).unwrap();
        for shape in &shapes {
            let projected = projection.polygons(shape);
            let point = label_places(&projected, LINE_HEIGHT)[0];
            assert!(projected.iter().any(|polygon| inside(point, polygon)));
        }
    }

    #[test]
    fn a_district_without_data_is_hatched_and_says_so() {
        let collection = communities();
        let districts = core_areas(&collection);
        let html = map("Coverage", "Planned coverage", &districts, &[])
            .render()
            .unwrap();

        let chinatown = html.find("<title>Chinatown:").unwrap();
        let path = &html[html[..chinatown].rfind("<path").unwrap()..chinatown];
        assert_eq!(attribute(path, "fill"), Some("url(#map-coverage-nodata)"));
        assert!(path.contains("shade-none"));
        assert!(html.contains(r#"<pattern id="map-coverage-nodata""#));
        assert!(html.contains(">no data</tspan>"));
        for (class, fill) in [("shade-0", "#dbe9f6"), ("shade-4", "#08468c")] {
            assert!(html.contains(&format!(r#"class="district {class}" "#)));
            assert!(html.contains(&format!(r#"fill="{fill}""#)));
        }
        assert!(html.contains("<td>no data</td>"));
    }

    #[test]
    fn the_legend_names_every_step_and_no_data() {
        let collection = communities();
        let districts = core_areas(&collection);
        let html = map("Coverage", "Planned coverage", &districts, &[])
            .render()
            .unwrap();

        for range in [
            "0–19.9%",
            "20–39.9%",
            "40–59.9%",
            "60–79.9%",
            "80–100%",
            "no data",
        ] {
            assert!(
                html.contains(&format!(">{range}</text>")),
                "legend lacks {range}"
            );
        }
        assert!(html.contains(">hotspot</text>"));
    }

    #[test]
    fn hotspots_are_outlined_on_top_with_their_figure() {
        let collection = communities();
        let districts = core_areas(&collection);
        let (stephen, park) = (octagon(-114.0640, 51.0455), octagon(-114.0700, 51.0415));
        let hotspots = [
            MapArea {
                name: "Stephen Avenue".into(),
                href: "/hotspots/7".into(),
                geometry: &stephen,
                coverage_pct: Some(71.96),
            },
            MapArea {
                name: "Central Memorial Park".into(),
                href: "/hotspots/8".into(),
                geometry: &park,
                coverage_pct: None,
            },
        ];
        let html = map("Coverage", "Delivered coverage", &districts, &hotspots)
            .render()
            .unwrap();

        let stephen_title = "<title>Stephen Avenue (hotspot): 72.0% delivered coverage</title>";
        assert!(html.contains(stephen_title));
        assert!(html.rfind("<title>Beltline:").unwrap() < html.find(stephen_title).unwrap());
        assert!(html.contains(r#"<a href="/hotspots/7" class="hotspot">"#));
        assert!(html.contains("Central Memorial Park (hotspot): no data"));
        assert!(html.contains("<th scope=\"row\"><a href=\"/hotspots/7\">Stephen Avenue</a></th><td>hotspot</td><td>72.0%</td>"));
        // Six districts and two hotspots, each hotspot drawn as a white halo under a dark line.
        assert_eq!(html.matches("<path").count(), 6 + 2 * 2);
    }

    #[test]
    fn names_are_escaped() {
        let square = octagon(-114.0, 51.0);
        let districts = [MapArea {
            name: "<script>alert(1)</script>".into(),
            href: "/d?a=1&b=\"2\"".into(),
            geometry: &square,
            coverage_pct: Some(50.0),
        }];
        let html = map("A & B", "Planned coverage", &districts, &[])
            .render()
            .unwrap();

        assert!(!html.contains("<script>"));
        assert!(html.contains("&#60;script&#62;") || html.contains("&lt;script&gt;"));
        assert!(!html.contains("b=\"2\""));
    }

    #[test]
    fn no_areas_render_a_message_instead_of_a_map() {
        let html = map("Coverage", "Planned coverage", &[], &[])
            .render()
            .unwrap();

        assert!(!html.contains("<svg"));
        assert!(html.contains("No districts or hotspots to show."));
    }

    #[test]
    fn areas_without_usable_geometry_render_a_message_and_the_table() {
        let nothing = json!({"type": "Point", "coordinates": [-114.0, 51.0]});
        let broken = json!({"type": "Polygon", "coordinates": [[["a", "b"]]]});
        let districts = [
            MapArea {
                name: "Nowhere".into(),
                href: "/d/1".into(),
                geometry: &nothing,
                coverage_pct: Some(10.0),
            },
            MapArea {
                name: "Broken".into(),
                href: "/d/2".into(),
                geometry: &broken,
                coverage_pct: None,
            },
        ];
        let html = map("Coverage", "Planned coverage", &districts, &[])
            .render()
            .unwrap();

        assert!(!html.contains("<svg"));
        assert!(html.contains("None of these areas has a boundary to draw."));
        assert!(html.contains(">Nowhere</a>"));
    }

    #[test]
    fn a_single_tiny_area_is_centred_without_dividing_by_zero() {
        let point_like = json!({"type": "Polygon", "coordinates": [[[-114.0, 51.0], [-114.0, 51.0], [-114.0, 51.0]]]});
        let octagon = octagon(-114.0, 51.0);
        let districts = [
            MapArea {
                name: "Dot".into(),
                href: "/d/1".into(),
                geometry: &point_like,
                coverage_pct: Some(10.0),
            },
            MapArea {
                name: "Octagon".into(),
                href: "/d/2".into(),
                geometry: &octagon,
                coverage_pct: Some(90.0),
            },
        ];
        let html = map("Coverage", "Planned coverage", &districts, &[])
            .render()
            .unwrap();

        assert_no_bad_numbers(&html);
        assert_eq!(html.matches("<path").count(), 1);
        assert!(html.contains("<td>10.0%</td>"));
    }

    #[test]
    fn a_label_steps_aside_for_a_neighbour_label_already_there() {
        let square = json!({"type": "Polygon", "coordinates": [[[-114.0, 51.0], [-113.99, 51.0], [-113.99, 51.01], [-114.0, 51.01]]]});
        let shape = polygons(&square);
        let projection =
            Projection::fit([&shape].into_iter(), WIDTH, MAX_MAP_HEIGHT, MARGIN).unwrap();
        let projected = projection.polygons(&shape);
        let draw = |taken: &[Space]| {
            label(
                "Mission",
                "50.0%".into(),
                &projected,
                projection.height,
                SCALE_STEP,
                taken,
            )
            .1
        };

        let alone = draw(&[]);
        let beside = draw(&[alone]);

        assert!(
            beside.3 <= alone.1 || alone.3 <= beside.1,
            "{alone:?} {beside:?}"
        );
        let middle = ((beside.0 + beside.2) / 2.0, (beside.1 + beside.3) / 2.0);
        assert!(projected.iter().any(|polygon| inside(middle, polygon)));
    }

    const SCALE_STEP: Shade = super::super::SCALE[2];

    #[test]
    fn words_wrap_to_the_room_available() {
        assert_eq!(
            wrap("Downtown Commercial Core", 12),
            ["Downtown", "Commercial", "Core"]
        );
        assert_eq!(wrap("Eau Claire", 12), ["Eau Claire"]);
    }
}
