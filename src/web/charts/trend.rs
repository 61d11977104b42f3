//! The weekly trend: planned and delivered coverage per week as grouped bars.

use askama::Template;
use chrono::NaiveDate;

use super::{chart_id, num, pct_text};

/// One week's coverage.
pub struct TrendPoint {
    /// The week's short name on the x axis: "W09".
    pub label: String,
    pub week_start: NaiveDate,
    pub planned_pct: f64,
    pub delivered_pct: f64,
}

const WIDTH: f64 = 800.0;
const HEIGHT: f64 = 330.0;
const LEFT: f64 = 52.0;
const RIGHT: f64 = WIDTH - 16.0;
/// Room above the plot for the legend and for value labels over full bars.
const TOP: f64 = 68.0;
const BOTTOM: f64 = HEIGHT - 44.0;
/// Planned bars are solid, delivered bars hatched, so the two differ without colour too.
const PLANNED_COLOUR: &str = "#0b4f8a";
const DELIVERED_COLOUR: &str = "#a84300";
const VALUE_FONT: f64 = 10.0;
/// The width of a value label such as "100.0%" at `VALUE_FONT`.
const VALUE_WIDTH: f64 = 34.0;

/// The weekly trend chart, ready to render; build it with [`weekly_trend`].
#[derive(Template)]
#[template(path = "charts/trend.html", whitespace = "minimize")]
pub struct Trend {
    id: String,
    title: String,
    summary: String,
    message: Option<String>,
    width: String,
    height: String,
    left: String,
    right: String,
    grid: Vec<GridLine>,
    bars: Vec<Bar>,
    values: Vec<ValueLabel>,
    value_font: String,
    weeks: Vec<WeekLabel>,
    planned_colour: &'static str,
    delivered_colour: &'static str,
    rows: Vec<Row>,
}

impl Trend {
    /// Use `id` (made safe) for the chart's element ids, when a page shows two trends with the
    /// same title.
    pub fn with_id(mut self, id: &str) -> Trend {
        self.id = chart_id("trend", id);
        self
    }
}

struct GridLine {
    y: String,
    text_y: String,
    label: String,
}

struct Bar {
    x: String,
    y: String,
    width: String,
    height: String,
    delivered: bool,
    title: String,
}

/// A bar's value printed above it, turned upright when the bars are too narrow for it.
struct ValueLabel {
    x: String,
    y: String,
    text: String,
    transform: Option<String>,
}

struct WeekLabel {
    x: String,
    label: String,
    date: Option<String>,
}

struct Row {
    label: String,
    week_start: String,
    planned: String,
    delivered: String,
}

/// Lays out planned and delivered coverage for each of `points`, oldest first.
pub fn weekly_trend(title: &str, points: &[TrendPoint]) -> Trend {
    let id = chart_id("trend", title);
    let mut chart = Trend {
        summary: String::new(),
        message: None,
        width: num(WIDTH),
        height: num(HEIGHT),
        left: num(LEFT),
        right: num(RIGHT),
        grid: Vec::new(),
        bars: Vec::new(),
        values: Vec::new(),
        value_font: num(VALUE_FONT),
        weeks: Vec::new(),
        planned_colour: PLANNED_COLOUR,
        delivered_colour: DELIVERED_COLOUR,
        rows: points
            .iter()
            .map(|point| Row {
                label: point.label.clone(),
                week_start: long_date(point.week_start),
                planned: pct_text(point.planned_pct),
                delivered: pct_text(point.delivered_pct),
            })
            .collect(),
        title: title.to_owned(),
        id,
    };
    if points.is_empty() {
        chart.message = Some("No weeks to show yet.".to_owned());
        return chart;
    }

    let y_of = |pct: f64| BOTTOM - pct.clamp(0.0, 100.0) / 100.0 * (BOTTOM - TOP);
    chart.grid = (0..=5)
        .map(|step| {
            let pct = step as f64 * 20.0;
            GridLine {
                y: num(y_of(pct)),
                text_y: num(y_of(pct) + 4.0),
                label: format!("{pct}%"),
            }
        })
        .collect();

    let slot = (RIGHT - LEFT) / points.len() as f64;
    let bar_width = (slot * 0.36).min(32.0);
    // Labels go upright when two side by side would not fit, and shrink to the bar's width;
    // below a legible size they are left to the tooltips and the table.
    let upright = bar_width + 2.0 < VALUE_WIDTH;
    let value_font = if upright {
        VALUE_FONT.min(bar_width + 1.0)
    } else {
        VALUE_FONT
    };
    chart.value_font = num(value_font);
    let label_every = (36.0 / slot).ceil().max(1.0) as usize;

    for (i, point) in points.iter().enumerate() {
        let centre = LEFT + slot * (i as f64 + 0.5);
        let week = format!("{} (week of {})", point.label, long_date(point.week_start));
        for (delivered, pct) in [(false, point.planned_pct), (true, point.delivered_pct)] {
            let x = if delivered {
                centre + 1.0
            } else {
                centre - 1.0 - bar_width
            };
            let height_pct = if pct.is_finite() { pct } else { 0.0 };
            let top = y_of(height_pct);
            let kind = if delivered { "delivered" } else { "planned" };
            chart.bars.push(Bar {
                x: num(x),
                y: num(top),
                width: num(bar_width),
                height: num(BOTTOM - top),
                delivered,
                title: format!("{week}: {} {kind}", pct_text(pct)),
            });
            if value_font >= 6.0 {
                let middle = x + bar_width / 2.0;
                chart.values.push(if upright {
                    let (vx, vy) = (middle + value_font * 0.35, top - 3.0);
                    ValueLabel {
                        x: num(vx),
                        y: num(vy),
                        text: pct_text(pct),
                        transform: Some(format!("rotate(-90 {} {})", num(vx), num(vy))),
                    }
                } else {
                    ValueLabel {
                        x: num(middle),
                        y: num(top - 4.0),
                        text: pct_text(pct),
                        transform: None,
                    }
                });
            }
        }
        if i % label_every == 0 {
            chart.weeks.push(WeekLabel {
                x: num(centre),
                label: point.label.clone(),
                date: (slot * label_every as f64 >= 44.0)
                    .then(|| point.week_start.format("%-d %b").to_string()),
            });
        }
    }

    let first = &points[0];
    let last = &points[points.len() - 1];
    chart.summary = format!(
        "Bar chart of planned and delivered coverage for {} weeks, {} to {}; in each week the \
         left, solid bar is planned and the right, hatched bar is delivered, with its value \
         printed above it. The last week: {} planned, {} delivered. The table after the chart \
         lists every week.",
        points.len(),
        first.label,
        last.label,
        pct_text(last.planned_pct),
        pct_text(last.delivered_pct),
    );
    chart
}

fn long_date(date: NaiveDate) -> String {
    date.format("%-d %b %Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_no_bad_numbers, contrast};
    use super::*;

    fn weeks(count: usize) -> Vec<TrendPoint> {
        let start = NaiveDate::from_ymd_opt(2024, 2, 26).unwrap();
        (0..count)
            .map(|i| TrendPoint {
                label: format!("W{:02}", 9 + i),
                week_start: start + chrono::Days::new(7 * i as u64),
                planned_pct: 40.0 + 7.77 * i as f64,
                delivered_pct: 30.0 + 6.66 * i as f64,
            })
            .collect()
    }

    #[test]
    fn every_week_gets_two_titled_bars_with_their_values_printed() {
        let html = weekly_trend("Weekly coverage", &weeks(6)).render().unwrap();

        // Two bars a week plus the two legend swatches.
        assert_eq!(html.matches("<rect x=").count(), 6 * 2 + 2);
        assert_eq!(html.matches("<title").count(), 1 + 6 * 2 + 2);
        assert!(html.contains("<title>W09 (week of 26 Feb 2024): 40.0% planned</title>"));
        assert!(html.contains("<title>W09 (week of 26 Feb 2024): 30.0% delivered</title>"));
        assert!(html.contains(">47.8%</text>"));
        assert!(html.contains(">W14</text>"));
        assert_no_bad_numbers(&html);
    }

    #[test]
    fn the_axis_runs_from_zero_to_a_hundred_percent() {
        let html = weekly_trend("Weekly coverage", &weeks(3)).render().unwrap();

        for label in ["0%", "20%", "40%", "60%", "80%", "100%"] {
            assert!(
                html.contains(&format!(">{label}</text>")),
                "no {label} gridline"
            );
        }
    }

    #[test]
    fn the_legend_tells_the_series_apart_without_colour() {
        let html = weekly_trend("Weekly coverage", &weeks(3)).render().unwrap();

        assert!(html.contains(">Planned (left, solid)</text>"));
        assert!(html.contains(">Delivered (right, hatched)</text>"));
        assert!(html.contains(r#"fill="url(#trend-weekly-coverage-delivered)""#));
        assert!(contrast(PLANNED_COLOUR, "#ffffff") >= 3.0);
        assert!(contrast(DELIVERED_COLOUR, "#ffffff") >= 4.5);
    }

    #[test]
    fn the_table_repeats_every_figure() {
        let html = weekly_trend("Weekly coverage", &weeks(2)).render().unwrap();

        assert!(html.contains(
            "<tr><th scope=\"row\">W10</th><td>4 Mar 2024</td><td>47.8%</td><td>36.7%</td></tr>"
        ));
    }

    #[test]
    fn many_weeks_turn_the_values_upright_and_thin_the_axis_labels() {
        let html = weekly_trend("Weekly coverage", &weeks(30))
            .render()
            .unwrap();

        assert!(html.contains("transform=\"rotate(-90 "));
        assert_eq!(html.matches("y=\"302\">W").count(), 15);
        assert_no_bad_numbers(&html);
    }

    #[test]
    fn values_outside_the_axis_are_clipped_but_printed_as_they_are() {
        let mut points = weeks(2);
        points[0].planned_pct = 120.0;
        points[1].delivered_pct = f64::NAN;
        let html = weekly_trend("Weekly coverage", &points).render().unwrap();

        assert!(html.contains(">120.0%</text>"));
        assert!(html.contains("n/a delivered</title>"));
        assert_no_bad_numbers(&html);
        let top = attribute_after(&html, "120.0% planned", "y");
        assert!(top >= TOP);
    }

    /// The numeric attribute `name` of the element just before `marker`.
    fn attribute_after(html: &str, marker: &str, name: &str) -> f64 {
        let at = html.find(marker).unwrap();
        let element = &html[html[..at].rfind("<rect").unwrap()..at];
        let start = element.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        let len = element[start..].find('"').unwrap();
        element[start..start + len].parse().unwrap()
    }

    #[test]
    fn no_weeks_render_a_message_instead_of_a_chart() {
        let html = weekly_trend("Weekly coverage", &[]).render().unwrap();

        assert!(!html.contains("<svg"));
        assert!(!html.contains("<table"));
        assert!(html.contains("No weeks to show yet."));
    }
}
