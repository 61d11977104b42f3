//! Server-drawn SVG charts: askama templates a page embeds with `{{ chart|safe }}`.
//!
//! Every chart is pure (no I/O): it takes figures already computed and lays them out. Numbers are
//! formatted here, in Rust, so the templates only loop and print. Each chart prints its numbers
//! beside or inside the shapes, puts a `<title>` on every shape, labels the `<svg>` for assistive
//! technology and follows it with an HTML table of the same figures, so it reads without colour
//! and without sight.

mod area_map;
mod bands;
mod context;
mod geometry;
mod heatmap;
mod landmarks;
mod lines;
mod map;
mod map_labels;
mod map_legend;
mod trend;

pub use area_map::{AreaMap, AreaShape, area_map};
pub use geometry::{Polygon, polygons};
pub use heatmap::{Heatmap, HeatmapRow, heatmap};
pub use landmarks::{Landmark, LandmarkKind};
pub use lines::{Lines, Series, monthly_lines};
pub use map::{Map, MapArea, Surroundings, map, map_with_context};
pub use trend::{Trend, TrendPoint, weekly_trend};

/// One step of the sequential coverage scale shared by the map and the heatmap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shade {
    /// The fill colour of the step (for "no data", the base colour under the hatching).
    pub fill: &'static str,
    /// A text colour with at least 4.5:1 contrast on `fill`.
    pub text_colour: &'static str,
    /// A CSS class naming the step, for the stylesheet and for tests.
    pub class: &'static str,
    /// The range the step covers, as the legend prints it.
    pub label: &'static str,
}

/// The five coverage steps, lightest (least covered) first: ColorBrewer "Blues", which stays
/// ordered when printed in grey and is safe for the common colour-vision deficiencies.
pub const SCALE: [Shade; 5] = [
    Shade {
        fill: "#dbe9f6",
        text_colour: "#1b1f24",
        class: "shade-0",
        label: "0–19.9%",
    },
    Shade {
        fill: "#a9cce4",
        text_colour: "#1b1f24",
        class: "shade-1",
        label: "20–39.9%",
    },
    Shade {
        fill: "#6baed6",
        text_colour: "#1b1f24",
        class: "shade-2",
        label: "40–59.9%",
    },
    Shade {
        fill: "#2b7bba",
        text_colour: "#ffffff",
        class: "shade-3",
        label: "60–79.9%",
    },
    Shade {
        fill: "#08468c",
        text_colour: "#ffffff",
        class: "shade-4",
        label: "80–100%",
    },
];

/// Areas or hours without any hotspot-blocks: grey, drawn hatched so it never reads as 0%.
pub const NO_DATA: Shade = Shade {
    fill: "#e4e4e4",
    text_colour: "#1b1f24",
    class: "shade-none",
    label: "no data",
};

/// The scale step for a coverage percentage; `None` (or a non-number) is "no data".
///
/// The step is chosen from the value as printed (one decimal), so "20.0%" is never shaded as
/// the 0–19.9% step. Values outside 0–100 fall into the end steps.
pub fn shade(pct: Option<f64>) -> Shade {
    match pct.filter(|value| value.is_finite()) {
        None => NO_DATA,
        Some(value) => {
            let step = (round1(value) / 20.0).floor();
            SCALE[step.clamp(0.0, 4.0) as usize]
        }
    }
}

/// A percentage with one decimal, as every chart and table prints it: `46.7%`.
pub fn pct_text(value: f64) -> String {
    if value.is_finite() {
        format!("{:.1}%", round1(value))
    } else {
        "n/a".to_owned()
    }
}

/// `value` rounded to one decimal exactly as `{:.1}` prints it, with no negative zero.
fn round1(value: f64) -> f64 {
    let rounded: f64 = format!("{value:.1}").parse().unwrap_or(0.0);
    if rounded == 0.0 { 0.0 } else { rounded }
}

/// A coordinate for SVG markup: one decimal, no trailing `.0`, never NaN or infinity.
fn num(value: f64) -> String {
    if !value.is_finite() {
        return "0".to_owned();
    }
    let text = format!("{:.1}", round1(value));
    match text.strip_suffix(".0") {
        Some(whole) => whole.to_owned(),
        None => text,
    }
}

/// An id for a chart's elements, from its kind and title: `map-planned-coverage`.
///
/// Ids must be unique on a page; two charts with the same title should be given ids with
/// `with_id`.
fn chart_id(kind: &str, title: &str) -> String {
    let mut id = String::from(kind);
    let mut dash = true;
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            if dash {
                id.push('-');
            }
            id.push(c);
            dash = false;
        } else {
            dash = true;
        }
        if id.len() >= 48 {
            break;
        }
    }
    id
}

/// A legend entry: a swatch and the range it stands for.
struct LegendItem {
    x: String,
    text_x: String,
    fill: String,
    label: String,
}

/// The legend of the coverage scale, laid out in a row starting at `x0` with `step` per item.
fn scale_legend(id: &str, x0: f64, step: f64, no_data_label: &'static str) -> Vec<LegendItem> {
    let steps = SCALE
        .iter()
        .map(|shade| (shade.fill.to_owned(), shade.label.to_owned()));
    legend_row(id, x0, step, steps, no_data_label)
}

/// A legend row of swatches, `(fill, label)` each, then "no data", from `x0`, `step` apart.
fn legend_row(
    id: &str,
    x0: f64,
    step: f64,
    swatches: impl Iterator<Item = (String, String)>,
    no_data_label: &str,
) -> Vec<LegendItem> {
    swatches
        .chain([(hatch_fill(id), no_data_label.to_owned())])
        .enumerate()
        .map(|(i, (fill, label))| {
            let x = x0 + step * i as f64;
            LegendItem {
                x: num(x),
                text_x: num(x + 24.0),
                fill,
                label,
            }
        })
        .collect()
}

/// The fill that references a chart's "no data" hatching pattern.
fn hatch_fill(id: &str) -> String {
    format!("url(#{id}-nodata)")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// WCAG relative luminance of a `#rrggbb` colour.
    fn luminance(hex: &str) -> f64 {
        let channel = |i: usize| {
            let value = u8::from_str_radix(&hex[i..i + 2], 16).unwrap() as f64 / 255.0;
            if value <= 0.03928 {
                value / 12.92
            } else {
                ((value + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
    }

    /// WCAG contrast ratio between two `#rrggbb` colours.
    pub(crate) fn contrast(a: &str, b: &str) -> f64 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    /// Fails if a rendered chart printed a number that is not a number.
    pub(crate) fn assert_no_bad_numbers(svg: &str) {
        for bad in ["NaN", "=\"inf", "-inf", " inf", "=\"-0\""] {
            assert!(!svg.contains(bad), "chart contains {bad}");
        }
    }

    #[test]
    fn text_on_every_shade_has_enough_contrast() {
        for shade in SCALE.iter().chain([&NO_DATA]) {
            let ratio = contrast(shade.fill, shade.text_colour);
            assert!(ratio >= 4.5, "{}: {ratio:.2}", shade.class);
        }
    }

    #[test]
    fn shades_get_darker_as_coverage_rises() {
        let lightness: Vec<f64> = SCALE.iter().map(|shade| luminance(shade.fill)).collect();
        assert!(lightness.windows(2).all(|pair| pair[0] > pair[1]));
    }

    #[test]
    fn percentages_fall_into_the_step_they_print_as() {
        assert_eq!(shade(Some(0.0)).class, "shade-0");
        assert_eq!(shade(Some(19.94)).class, "shade-0");
        assert_eq!(shade(Some(19.96)).class, "shade-1");
        assert_eq!(pct_text(19.96), "20.0%");
        assert_eq!(shade(Some(40.0)).class, "shade-2");
        assert_eq!(shade(Some(79.9)).class, "shade-3");
        assert_eq!(shade(Some(100.0)).class, "shade-4");
        assert_eq!(shade(Some(130.0)).class, "shade-4");
        assert_eq!(shade(Some(-5.0)).class, "shade-0");
    }

    #[test]
    fn missing_or_broken_percentages_are_no_data() {
        assert_eq!(shade(None), NO_DATA);
        assert_eq!(shade(Some(f64::NAN)), NO_DATA);
        assert_eq!(shade(Some(f64::INFINITY)), NO_DATA);
    }

    #[test]
    fn percentages_print_with_one_decimal() {
        assert_eq!(pct_text(46.666), "46.7%");
        assert_eq!(pct_text(100.0), "100.0%");
        assert_eq!(pct_text(-0.01), "0.0%");
        assert_eq!(pct_text(f64::NAN), "n/a");
    }

    #[test]
    fn coordinates_print_short_and_finite() {
        assert_eq!(num(12.04), "12");
        assert_eq!(num(12.06), "12.1");
        assert_eq!(num(-0.04), "0");
        assert_eq!(num(f64::NAN), "0");
    }

    #[test]
    fn chart_ids_are_slugs_of_the_title() {
        assert_eq!(
            chart_id("map", "Planned coverage — Downtown!"),
            "map-planned-coverage-downtown"
        );
        assert_eq!(chart_id("trend", ""), "trend");
    }
}
