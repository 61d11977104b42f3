//! Unit tests of the server-drawn map (`map.rs`).

use super::super::SCALE;
use super::super::geometry::{inside, label_places};
use super::super::map_labels::{Space, wrap};
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

pub(super) fn communities() -> Value {
    serde_json::from_str(COMMUNITIES).unwrap()
}

/// The six downtown-core districts with made-up coverage, one in each step; Chinatown has no
/// data.
pub(super) fn core_areas(collection: &Value) -> Vec<MapArea<'_>> {
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
                current: false,
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
    // The chart, six districts and six legend swatches (five bands and no data).
    assert_eq!(html.matches("<title").count(), 1 + 6 + 6);
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
fn the_legend_names_bands_drawn_from_the_districts_figures_and_no_data() {
    let collection = communities();
    let districts = core_areas(&collection);
    let html = map("Coverage", "Planned coverage", &districts, &[])
        .render()
        .unwrap();

    // 12.5, 20.0, 45.0, 63.2 and 91.0: five figures, five bands, parted at round numbers.
    for range in [
        "under 20%",
        "20–30%",
        "30–50%",
        "50–80%",
        "80% or more",
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
fn hotspots_are_drawn_on_top_once_each_shaded_by_their_own_figure() {
    let collection = communities();
    let districts = core_areas(&collection);
    let (stephen, park) = (octagon(-114.0640, 51.0455), octagon(-114.0700, 51.0415));
    let hotspots = [
        MapArea {
            name: "Stephen Avenue".into(),
            href: "/hotspots/7".into(),
            geometry: &stephen,
            coverage_pct: Some(71.96),
            current: false,
        },
        MapArea {
            name: "Central Memorial Park".into(),
            href: "/hotspots/8".into(),
            geometry: &park,
            coverage_pct: None,
            current: false,
        },
    ];
    let html = map("Coverage", "Delivered coverage", &districts, &hotspots)
        .render()
        .unwrap();

    let stephen_title = "<title>Stephen Avenue (hotspot): 72.0% delivered coverage</title>";
    assert!(html.contains(stephen_title));
    assert!(html.rfind("<title>Beltline:").unwrap() < html.find(stephen_title).unwrap());
    assert!(html.contains(
        r#"<a href="/hotspots/7" class="hotspot" aria-label="Stephen Avenue (hotspot): 72.0% delivered coverage">"#
    ));
    assert!(html.contains("Central Memorial Park (hotspot): no data"));
    assert!(html.contains("<th scope=\"row\"><a href=\"/hotspots/7\">Stephen Avenue</a></th><td>hotspot</td><td>72.0%</td>"));
    // Six districts and two hotspots, each hotspot drawn once.
    assert_eq!(html.matches("<path").count(), 6 + 2);
    let stephen_path = &html[html
        .find(r#"<a href="/hotspots/7" class="hotspot""#)
        .unwrap()..];
    let stephen_path = &stephen_path[..stephen_path.find("</a>").unwrap()];
    // The districts around the hotspots (63.2% and 91.0%) are parted at 80%: 72% is in the
    // lighter band.
    assert!(html.contains(">under 80%</text>") && html.contains(">80% or more</text>"));
    assert!(stephen_path.contains(&format!(r#"fill="{}""#, SCALE[0].fill)));
    let park_path = &html[html
        .find(r#"<a href="/hotspots/8" class="hotspot""#)
        .unwrap()..];
    assert!(park_path[..park_path.find("</a>").unwrap()].contains("-nodata)"));
}

#[test]
fn names_are_escaped() {
    let square = octagon(-114.0, 51.0);
    let districts = [MapArea {
        name: "<script>alert(1)</script>".into(),
        href: "/d?a=1&b=\"2\"".into(),
        geometry: &square,
        coverage_pct: Some(50.0),
        current: false,
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
            current: false,
        },
        MapArea {
            name: "Broken".into(),
            href: "/d/2".into(),
            geometry: &broken,
            coverage_pct: None,
            current: false,
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
            current: false,
        },
        MapArea {
            name: "Octagon".into(),
            href: "/d/2".into(),
            geometry: &octagon,
            coverage_pct: Some(90.0),
            current: false,
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
    let projection = Projection::fit([&shape].into_iter(), WIDTH, MAX_MAP_HEIGHT, MARGIN).unwrap();
    let projected = projection.polygons(&shape);
    let draw = |taken: &[Space]| {
        label(
            "Mission",
            "50.0%".into(),
            &projected,
            projection.height,
            SCALE_STEP,
            taken,
            &[],
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

const SCALE_STEP: Shade = SCALE[2];

#[test]
fn words_wrap_to_the_room_available() {
    assert_eq!(
        wrap("Downtown Commercial Core", 12),
        ["Downtown", "Commercial", "Core"]
    );
    assert_eq!(wrap("Eau Claire", 12), ["Eau Claire"]);
}

#[test]
fn a_pilot_with_many_districts_is_fitted_to_those_around_its_hotspots_the_rest_unlabelled_context()
{
    let collection = communities();
    let districts: Vec<MapArea> = collection["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|feature| MapArea {
            name: title_case(feature["properties"]["name"].as_str().unwrap()),
            href: format!("/districts/{}", feature["properties"]["comm_code"]),
            geometry: &feature["geometry"],
            coverage_pct: None,
            current: false,
        })
        .collect();
    assert_eq!(districts.len(), 13);
    let stephen = octagon(-114.0640, 51.0455);
    let hotspots = [MapArea {
        name: "Stephen Avenue".into(),
        href: "/hotspots/7".into(),
        geometry: &stephen,
        coverage_pct: Some(71.96),
        current: false,
    }];

    let all = map("Coverage", "Planned coverage", &districts, &[])
        .render()
        .unwrap();
    let focused = map("Coverage", "Planned coverage", &districts, &hotspots)
        .render()
        .unwrap();

    let labels = |html: &str| html.matches(r#"paint-order="stroke""#).count();
    let listed = |html: &str| html.matches("<td>district</td>").count();
    assert_eq!((labels(&all), listed(&all)), (13, 13));
    let (labelled, rows) = (labels(&focused), listed(&focused));
    assert!((1..13).contains(&labelled), "{labelled} labels");
    assert_eq!(rows, labelled, "the table lists the districts labelled");
    assert!(focused.contains(">Downtown Commercial Core</a></th><td>district</td>"));
    assert!(!focused.contains(">Crescent Heights</a></th>"));
    assert_no_bad_numbers(&focused);
}
