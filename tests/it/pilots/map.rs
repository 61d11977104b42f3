//! The dashboard map: shaded by the figure the reader picks, in bands that follow the figures the
//! API gives, the chosen district marked, hotspots named, the City's stations for bearings.

use patrolboard::domain::Role;
use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

use crate::common::app::{TestApp, TestResponse, attr};

const RANGE: &str = "from=2023-03-06&to=2023-03-19";

fn select<'a>(html: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    html.select(&Selector::parse(css).unwrap()).collect()
}

fn text(element: &ElementRef) -> String {
    element.text().collect::<String>().trim().to_string()
}

/// A legend band's range read back from its words: "under 40%", "40–65%", "65% or more", or
/// one figure ("42.0%") for a single band holding it.
fn range_of(words: &str) -> (f64, f64) {
    let number = |s: &str| s.trim().trim_end_matches('%').parse::<f64>().unwrap();
    if let Some(to) = words.strip_prefix("under ") {
        (f64::NEG_INFINITY, number(to))
    } else if let Some(from) = words.strip_suffix(" or more") {
        (number(from), f64::INFINITY)
    } else if let Some((from, to)) = words.split_once('–') {
        (number(from), number(to))
    } else {
        let only = number(words);
        (only, only + 0.05)
    }
}

/// The page's legend bands as (fill, from, to).
fn legend(html: &Html) -> Vec<(String, f64, f64)> {
    select(html, "figure.chart-map g.legend rect")
        .into_iter()
        .filter_map(|rect| {
            let words = rect.text().collect::<String>();
            let fill = rect.value().attr("fill")?.to_string();
            (!words.is_empty() && words != "no data").then(|| {
                let (from, to) = range_of(&words);
                (fill, from, to)
            })
        })
        .collect()
}

/// The district `name`'s drawn link on the map: its accessible name and its path's fill.
fn district(html: &Html, name: &str) -> (String, String) {
    let link = select(html, "figure.chart-map g.districts a")
        .into_iter()
        .find(|a| {
            a.value().attr("aria-label").is_some_and(|l| {
                l.starts_with(&format!("{name}:")) || l.starts_with(&format!("{name} ("))
            })
        })
        .unwrap_or_else(|| panic!("{name} is on the map"));
    let path = link
        .select(&Selector::parse("path").unwrap())
        .next()
        .unwrap();
    (
        link.value().attr("aria-label").unwrap().to_string(),
        path.value().attr("fill").unwrap().to_string(),
    )
}

/// The figure an accessible name gives: "Beltline: 18.9% delivered coverage" is 18.9.
fn figure_in(label: &str) -> f64 {
    let after = label.rsplit(": ").next().unwrap();
    after.split('%').next().unwrap().parse().unwrap()
}

async fn dashboard(app: &TestApp, cookie: &str, query: &str) -> TestResponse {
    let page = app
        .get(
            &format!("/pilots/calgary-2023?{RANGE}{query}"),
            Some(cookie),
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    page
}

#[tokio::test]
async fn the_map_is_shaded_by_delivered_coverage_or_on_request_planned_in_bands_of_the_apis_figures()
 {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Viewer).await;
    let api = app
        .get(
            &format!("/api/v1/pilots/calgary-2023/coverage?{RANGE}"),
            Some(&cookie),
        )
        .await;
    let json: Value = serde_json::from_str(&api.body).unwrap();
    let districts = json["districts"].as_array().unwrap();
    assert!(districts.len() > 1);

    let mut legends = Vec::new();
    for (query, measure, field) in [
        ("", "Delivered coverage", "delivered_coverage_pct"),
        ("&shade=planned", "Planned coverage", "planned_coverage_pct"),
    ] {
        let page = dashboard(&app, &cookie, query).await;
        let html = page.html();

        assert_eq!(
            page.texts("figure.chart-map figcaption"),
            [format!("{measure} by district")]
        );
        assert_eq!(
            page.texts("nav.shade-by a[aria-current]"),
            [measure.to_lowercase()]
        );
        let bands = legend(&html);
        assert!(!bands.is_empty(), "{measure}: the legend states its bands");
        let mut shown = Vec::new();
        for d in districts {
            let name = d["name"].as_str().unwrap();
            let api_figure = d[field].as_f64().unwrap();
            let (label, fill) = district(&html, name);
            let figure = figure_in(&label);
            assert!(
                (figure - api_figure).abs() <= 0.051,
                "{name}: {label} against the API's {api_figure}"
            );
            assert!(
                label.ends_with(&format!("% {}", measure.to_lowercase())),
                "{label}"
            );
            let band = bands
                .iter()
                .find(|(_, from, to)| *from <= figure && figure < *to)
                .unwrap_or_else(|| panic!("{figure} is in a band of {bands:?}"));
            assert_eq!(fill, band.0, "{name} at {figure}% is shaded by its band");
            shown.push((format!("{figure:.1}"), fill));
        }
        shown.sort();
        shown.dedup();
        // Figures that print apart are shaded apart, up to the scale's five steps.
        let mut fills: Vec<&String> = shown.iter().map(|(_, fill)| fill).collect();
        fills.sort();
        fills.dedup();
        assert_eq!(fills.len(), shown.len().min(5), "{measure}: {shown:?}");
        assert_eq!(
            attr(&page, "input[type=hidden][name=shade]", "form").as_deref(),
            Some("filter"),
            "the filter form keeps the shading"
        );
        legends.push(bands);
    }
    assert_ne!(legends[0], legends[1], "the two figures give two legends");
}

#[tokio::test]
async fn an_unknown_shading_is_shown_as_delivered_with_a_notice_not_an_error() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Viewer).await;

    let page = dashboard(&app, &cookie, "&shade=%3Cb%3Ehours").await;

    assert_eq!(
        page.texts("figure.chart-map figcaption"),
        ["Delivered coverage by district"]
    );
    let notice = page.texts("#page-notice").join(" ");
    assert!(notice.contains("delivered or planned coverage"), "{notice}");
    assert!(!page.body.contains("<b>hours"));
}

#[tokio::test]
async fn the_chosen_district_is_marked_and_outlined_with_its_own_hotspots_and_its_neighbours_around()
 {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Viewer).await;

    let page = dashboard(&app, &cookie, "&district=BLN&shade=planned").await;
    let html = page.html();

    let current = select(&html, "figure.chart-map g.districts a[aria-current=true]");
    assert_eq!(current.len(), 1);
    let href = current[0].value().attr("href").unwrap();
    assert!(
        href.starts_with("/pilots/calgary-2023/districts/BLN"),
        "{href}"
    );
    assert!(
        current[0]
            .value()
            .attr("aria-label")
            .unwrap()
            .contains("(selected)")
    );
    assert_eq!(
        select(&html, "figure.chart-map path.current-outline").len(),
        1
    );
    // The map closes in on the district and its own hotspots; its neighbours stay drawn around.
    let drawn = select(&html, "figure.chart-map g.districts a").len();
    assert!(
        drawn > 1,
        "the neighbouring districts are drawn too: {drawn}"
    );
    let beltline: i64 = crate::common::scalar(
        &app.db,
        "select count(*) from hotspots h join districts d on d.id = h.district_id where d.code = 'BLN'",
    )
    .await;
    assert_eq!(
        select(&html, "figure.chart-map g.hotspots a").len() as i64,
        beltline,
        "only the district's own hotspots"
    );
    assert!(
        page.texts("figure.chart-map table td")
            .contains(&"district (selected)".to_string())
    );
    // The choices of shading keep the district and the range.
    for link in select(&html, "nav.shade-by a") {
        let href = link.value().attr("href").unwrap();
        assert!(
            href.contains("district=BLN") && href.contains(RANGE),
            "{href}"
        );
    }
}

#[tokio::test]
async fn hotspots_are_named_for_the_keyboard_and_the_citys_stations_and_district_office_give_bearings()
 {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Viewer).await;
    let stations: Value =
        serde_json::from_str(include_str!("../../../data/calgary/LRT_Stations.geojson")).unwrap();
    let named = |name: &str| {
        stations["features"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["properties"]["NAME"] == name)
    };
    assert!(named("Centre St") && named("Shawnessy"));

    let page = dashboard(&app, &cookie, "").await;
    let html = page.html();

    let hotspots = select(&html, "figure.chart-map g.hotspots a");
    let listed = page.texts("figure.chart-map table tr:has(td) th");
    assert!(!hotspots.is_empty());
    for hotspot in &hotspots {
        let name = hotspot.value().attr("aria-label").unwrap();
        assert!(name.contains(" (hotspot): "), "{name}");
        assert!(
            hotspot.value().attr("href").is_some(),
            "a link: reached by Tab"
        );
        let title = select(&html, "figure.chart-map g.hotspots a title")
            .into_iter()
            .map(|t| text(&t))
            .find(|t| t == name);
        assert!(title.is_some(), "{name} has a title for hover");
        let hotspot_name = name.split(" (hotspot)").next().unwrap();
        assert!(listed.iter().any(|l| l == hotspot_name), "{hotspot_name}");
    }
    let landmarks: Vec<String> = select(&html, "figure.chart-map g.landmarks title")
        .iter()
        .map(text)
        .collect();
    assert!(
        landmarks.contains(&"Centre St (CTrain station)".to_string()),
        "{landmarks:?}"
    );
    assert!(
        !landmarks.iter().any(|l| l.starts_with("Shawnessy")),
        "out of view"
    );
    assert!(landmarks.contains(&"District 1 Office (police office)".to_string()));
    let keys = page.texts("figure.chart-map g.legend text.key");
    assert!(keys.contains(&"CTrain station".to_string()), "{keys:?}");
    // District labels are drawn after the hotspots, so no hotspot hides them.
    let drawn: Vec<String> = select(&html, "figure.chart-map svg > g")
        .iter()
        .filter_map(|g| g.value().attr("class").map(str::to_string))
        .collect();
    let at = |class: &str| drawn.iter().position(|c| c == class).unwrap();
    assert!(at("districts") < at("hotspots") && at("hotspots") < at("labels"));
}
