//! The hour-of-week heatmap: one row per hotspot, one cell per hour, shaded by planned share;
//! hours of a day with equal figures are drawn as one rectangle.

use std::ops::Range;

use askama::Template;

use super::{LegendItem, chart_id, hatch_fill, num, pct_text, scale_legend, shade};

/// One hotspot (or district) of the heatmap.
pub struct HeatmapRow {
    pub label: String,
    pub href: String,
    /// Per hour of week (index = ISO weekday Mon=0 × 24 + local hour): (hotspot-blocks, planned
    /// blocks).
    pub cells: Vec<(i64, i64)>,
}

const HOURS: usize = 24 * 7;
const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const DAY_NAMES: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const CELL_WIDTH: f64 = 5.0;
const CELL_HEIGHT: f64 = 16.0;
const ROW_STEP: f64 = CELL_HEIGHT + 2.0;
const DAY_GAP: f64 = 6.0;
const DAY_WIDTH: f64 = 24.0 * CELL_WIDTH;
const LABEL_WIDTH: f64 = 170.0;
/// Room after the grid for the week's figure of each row.
const TOTAL_WIDTH: f64 = 70.0;
const TOP: f64 = 44.0;
const LEGEND_HEIGHT: f64 = 48.0;
/// Row labels longer than this are shortened; the full name is in the tooltip and the table.
const LABEL_CHARS: usize = 22;

/// The heatmap, ready to render; build it with [`heatmap`].
#[derive(Template)]
#[template(path = "charts/heatmap.html", whitespace = "minimize")]
pub struct Heatmap {
    id: String,
    title: String,
    summary: String,
    message: Option<String>,
    width: String,
    height: String,
    label_x: String,
    total_x: String,
    cell_height: String,
    day_names: [&'static str; 7],
    days: Vec<DayHead>,
    rows: Vec<RowView>,
    legend_caption_y: String,
    legend_y: String,
    legend_text_y: String,
    legend: Vec<LegendItem>,
    table: Vec<TableRow>,
}

impl Heatmap {
    /// Use `id` (made safe) for the chart's element ids, when a page shows two heatmaps with the
    /// same title.
    pub fn with_id(mut self, id: &str) -> Heatmap {
        self.id = chart_id("heatmap", id);
        self
    }
}

struct DayHead {
    label: &'static str,
    centre: String,
    ticks: Vec<Tick>,
}

struct Tick {
    x: String,
    label: &'static str,
}

struct RowView {
    href: String,
    label: String,
    full_label: String,
    text_y: String,
    y: String,
    total: String,
    cells: Vec<Cell>,
}

/// Consecutive hours of one day with the same figures, drawn as one rectangle.
struct Cell {
    x: String,
    width: String,
    fill: String,
    title: String,
}

struct TableRow {
    label: String,
    href: String,
    days: Vec<String>,
    week: String,
}

/// Lays out one row of 168 hourly cells for each of `rows`.
pub fn heatmap(title: &str, rows: &[HeatmapRow]) -> Heatmap {
    let id = chart_id("heatmap", title);
    let no_blocks = hatch_fill(&id);
    let width = LABEL_WIDTH + 7.0 * DAY_WIDTH + 6.0 * DAY_GAP + TOTAL_WIDTH;
    let grid_bottom = TOP + rows.len() as f64 * ROW_STEP;
    let day_x = |day: usize| LABEL_WIDTH + day as f64 * (DAY_WIDTH + DAY_GAP);

    let mut views = Vec::with_capacity(rows.len());
    let mut table = Vec::with_capacity(rows.len());
    for (r, row) in rows.iter().enumerate() {
        let y = TOP + r as f64 * ROW_STEP;
        // A short or long list of cells is read as 168 hours, the missing ones without blocks.
        let hours: Vec<(i64, i64)> = (0..HOURS)
            .map(|hour| row.cells.get(hour).copied().unwrap_or((0, 0)))
            .collect();
        let cells = runs(&hours, |(blocks, planned)| shade_of(share(blocks, planned)))
            .into_iter()
            .map(|run| {
                let (blocks, planned) = sum(&hours[run.clone()]);
                Cell {
                    x: num(day_x(run.start / 24) + (run.start % 24) as f64 * CELL_WIDTH),
                    width: num(run.len() as f64 * CELL_WIDTH),
                    fill: match share(blocks, planned) {
                        Some(pct) => shade(Some(pct)).fill.to_owned(),
                        None => no_blocks.clone(),
                    },
                    title: cell_title(&row.label, run, blocks, planned),
                }
            })
            .collect();
        let (day_totals, week) = totals(&hours);
        views.push(RowView {
            href: row.href.clone(),
            label: shorten(&row.label),
            full_label: format!("{}: {}", row.label, week_words(week)),
            text_y: num(y + CELL_HEIGHT / 2.0 + 4.0),
            y: num(y),
            total: week.map_or_else(|| "no data".to_owned(), pct_text),
            cells,
        });
        table.push(TableRow {
            label: row.label.clone(),
            href: row.href.clone(),
            days: day_totals
                .into_iter()
                .map(|pct| pct.map_or_else(|| "no blocks".to_owned(), pct_text))
                .collect(),
            week: week.map_or_else(|| "no blocks".to_owned(), pct_text),
        });
    }

    let legend_step = (width - 2.0 * 16.0) / 8.0;
    Heatmap {
        summary: format!(
            "Heatmap of {} rows by hour of the week, Monday 0:00 to Sunday 23:00. Each hour is \
             shaded by the share of hotspot-blocks with a planned patrol, in five steps from \
             0–19.9% (lightest) to 80–100% (darkest); hatched grey hours have no hotspot-blocks. \
             Each row ends with its figure for the week, and the table after the chart gives \
             each day.",
            rows.len()
        ),
        message: rows
            .is_empty()
            .then(|| "Nothing to show for this selection.".to_owned()),
        width: num(width),
        height: num(grid_bottom + LEGEND_HEIGHT),
        label_x: num(LABEL_WIDTH - 8.0),
        cell_height: num(CELL_HEIGHT),
        day_names: DAY_NAMES,
        total_x: num(width - 8.0),
        days: (0..7)
            .map(|day| DayHead {
                label: DAYS[day],
                centre: num(day_x(day) + DAY_WIDTH / 2.0),
                ticks: [(0, "0"), (6, "6"), (12, "12"), (18, "18")]
                    .into_iter()
                    .map(|(hour, label)| Tick {
                        x: num(day_x(day) + hour as f64 * CELL_WIDTH),
                        label,
                    })
                    .collect(),
            })
            .collect(),
        rows: views,
        legend_caption_y: num(grid_bottom + 14.0),
        legend_y: num(grid_bottom + 22.0),
        legend_text_y: num(grid_bottom + 33.0),
        legend: scale_legend(&id, 16.0, legend_step, "no blocks"),
        table,
        title: title.to_owned(),
        id,
    }
}

/// Planned blocks as a share of hotspot-blocks, or `None` when there are no blocks.
fn share(blocks: i64, planned: i64) -> Option<f64> {
    (blocks > 0).then(|| planned as f64 / blocks as f64 * 100.0)
}

/// The share for each day and for the whole week.
fn totals(hours: &[(i64, i64)]) -> (Vec<Option<f64>>, Option<f64>) {
    let days = hours
        .chunks(24)
        .map(|day| {
            let (blocks, planned) = sum(day);
            share(blocks, planned)
        })
        .collect();
    let (blocks, planned) = sum(hours);
    (days, share(blocks, planned))
}

/// The hours of the week cut into runs within a day whose hours are drawn alike (`look`): a
/// week's row is a few dozen rectangles rather than 168, which keeps a city's heatmap small. A
/// run's title gives its summed figures; the table gives each day's.
fn runs<L: PartialEq>(hours: &[(i64, i64)], look: impl Fn((i64, i64)) -> L) -> Vec<Range<usize>> {
    let mut runs: Vec<Range<usize>> = Vec::new();
    for hour in 0..hours.len() {
        match runs.last_mut() {
            Some(run) if hour % 24 != 0 && look(hours[run.start]) == look(hours[hour]) => {
                run.end = hour + 1
            }
            _ => runs.push(hour..hour + 1),
        }
    }
    runs
}

/// The step of the scale a share falls in (`None` when there are no blocks): hours of one step
/// look alike.
fn shade_of(pct: Option<f64>) -> Option<&'static str> {
    pct.map(|pct| shade(Some(pct)).class)
}

/// Hotspot-blocks and planned blocks summed over `cells`.
fn sum(cells: &[(i64, i64)]) -> (i64, i64) {
    cells.iter().fold((0, 0), |(b, p), &(blocks, planned)| {
        (b + blocks.max(0), p + planned.max(0))
    })
}

/// "Chinatown, Tue 14:00: 12 of 14 blocks planned (85.7%)", or for a run of hours "Chinatown,
/// Tue 08:00–20:00: 144 of 168 blocks planned (85.7%)".
fn cell_title(label: &str, hours: Range<usize>, blocks: i64, planned: i64) -> String {
    let day = DAYS[hours.start / 24];
    let from = hours.start % 24;
    let when = if hours.len() == 1 {
        format!("{label}, {day} {from:02}:00")
    } else {
        let to = from + hours.len();
        format!("{label}, {day} {from:02}:00–{to:02}:00")
    };
    match share(blocks, planned) {
        Some(pct) => {
            let noun = if blocks == 1 { "block" } else { "blocks" };
            format!(
                "{when}: {planned} of {blocks} {noun} planned ({})",
                pct_text(pct)
            )
        }
        None => format!("{when}: no hotspot-blocks"),
    }
}

fn week_words(week: Option<f64>) -> String {
    match week {
        Some(pct) => format!("{} of hotspot-blocks planned this week", pct_text(pct)),
        None => "no hotspot-blocks this week".to_owned(),
    }
}

fn shorten(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        label.to_owned()
    } else {
        let mut short: String = label.chars().take(LABEL_CHARS - 1).collect();
        short.truncate(short.trim_end().len());
        short.push('…');
        short
    }
}

#[cfg(test)]
#[path = "heatmap_tests.rs"]
mod tests;
