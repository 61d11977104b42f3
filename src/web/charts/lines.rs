//! The evaluation's monthly chart: treated, buffer and comparison counts per month as lines,
//! each indexed to its own monthly average of the year before (100 = as a year earlier).

use askama::Template;

use super::{chart_id, num};

/// One line: its name and a value per month (`None` where there is no index).
pub struct Series {
    pub name: String,
    pub counts: Vec<i64>,
    pub index: Vec<Option<f64>>,
}

const WIDTH: f64 = 800.0;
const HEIGHT: f64 = 320.0;
const LEFT: f64 = 52.0;
const RIGHT: f64 = WIDTH - 24.0;
const TOP: f64 = 56.0;
const BOTTOM: f64 = HEIGHT - 40.0;
/// Colour and dash of each line in order, so they differ without colour too.
const STYLES: [(&str, &str); 3] = [("#08468c", ""), ("#a84300", "8 4"), ("#4a5360", "2 4")];

struct Line {
    points: String,
    colour: &'static str,
    dash: &'static str,
    name: String,
    key_x: String,
    key_text_x: String,
    dots: Vec<(String, String, String)>,
}

struct Tick {
    y: String,
    text_y: String,
    label: String,
}

struct Column {
    x: String,
    label: String,
}

/// One month of the table: its name and, per series, the count and the index.
struct Row {
    month: String,
    cells: Vec<(String, String)>,
}

/// The chart, ready to render; build it with [`monthly_lines`].
#[derive(Template)]
#[template(path = "charts/lines.html", whitespace = "minimize")]
pub struct Lines {
    id: String,
    title: String,
    message: Option<String>,
    width: String,
    height: String,
    left: String,
    right: String,
    base_y: String,
    ticks: Vec<Tick>,
    columns: Vec<Column>,
    lines: Vec<Line>,
    names: Vec<String>,
    rows: Vec<Row>,
}

/// The chart of `series` over `months` (labels such as `2023-03`).
pub fn monthly_lines(title: &str, months: &[String], series: &[Series]) -> Lines {
    let values = series
        .iter()
        .flat_map(|s| s.index.iter().flatten().copied());
    let top = values.fold(100.0_f64, f64::max);
    // Gridlines every 25 points, from 0 to the first step above the highest value.
    let ceiling = ((top / 25.0).ceil() * 25.0).max(125.0);
    let step_x = if months.len() > 1 {
        (RIGHT - LEFT - 20.0) / (months.len() - 1) as f64
    } else {
        0.0
    };
    let x = |i: usize| LEFT + 10.0 + step_x * i as f64;
    let y = |v: f64| BOTTOM - (BOTTOM - TOP) * v / ceiling;
    let ticks = (0..=(ceiling / 25.0) as usize)
        .map(|i| {
            let v = i as f64 * 25.0;
            Tick {
                y: num(y(v)),
                text_y: num(y(v) + 4.0),
                label: num(v),
            }
        })
        .collect();
    let lines = series
        .iter()
        .zip(STYLES)
        .enumerate()
        .map(|(n, (s, (colour, dash)))| {
            let placed: Vec<(f64, f64, f64)> = s
                .index
                .iter()
                .enumerate()
                .filter_map(|(i, v)| v.map(|v| (x(i), y(v), v)))
                .collect();
            Line {
                points: placed
                    .iter()
                    .map(|(px, py, _)| format!("{},{}", num(*px), num(*py)))
                    .collect::<Vec<_>>()
                    .join(" "),
                colour,
                dash,
                name: s.name.clone(),
                key_x: num(LEFT + n as f64 * 240.0),
                key_text_x: num(LEFT + n as f64 * 240.0 + 34.0),
                dots: placed
                    .iter()
                    .map(|(px, py, v)| (num(*px), num(*py), format!("{}: {}", s.name, num(*v))))
                    .collect(),
            }
        })
        .collect();
    let rows = months
        .iter()
        .enumerate()
        .map(|(i, m)| Row {
            month: m.clone(),
            cells: series
                .iter()
                .map(|s| {
                    (
                        s.counts.get(i).map_or_else(String::new, |c| c.to_string()),
                        s.index
                            .get(i)
                            .copied()
                            .flatten()
                            .map_or_else(|| "no index".to_string(), num),
                    )
                })
                .collect(),
        })
        .collect();
    Lines {
        id: chart_id("lines", title),
        title: title.to_string(),
        message: (months.is_empty() || series.is_empty())
            .then(|| "The pilot covers no month to chart.".to_string()),
        width: num(WIDTH),
        height: num(HEIGHT),
        left: num(LEFT),
        right: num(RIGHT),
        base_y: num(y(100.0)),
        ticks,
        columns: months
            .iter()
            .enumerate()
            .map(|(i, m)| Column {
                x: num(x(i)),
                label: m.clone(),
            })
            .collect(),
        lines,
        names: series.iter().map(|s| s.name.clone()).collect(),
        rows,
    }
}
