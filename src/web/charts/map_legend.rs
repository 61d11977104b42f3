//! The map's legend: a row of the bands and "no data", then a row of the symbols it shows.

use super::bands::Bands;
use super::landmarks::{LandmarkKind, Mark};
use super::map::{MARGIN, WIDTH};
use super::{LegendItem, legend_row, num};

/// An entry of the legend's second row: a symbol drawn on the map and what it stands for.
pub(super) struct Key {
    pub x: String,
    pub text_x: String,
    /// Which symbol: `hotspot`, `current`, `station` or `office`.
    pub symbol: &'static str,
    pub label: &'static str,
}

/// The legend's first row: each band, then "no data".
pub(super) fn band_legend(id: &str, bands: &Bands) -> Vec<LegendItem> {
    let swatches = bands
        .iter()
        .map(|band| (band.shade.fill.to_owned(), band.label.clone()));
    legend_row(
        id,
        MARGIN,
        (WIDTH - 2.0 * MARGIN) / 6.0,
        swatches,
        "no data",
    )
}

/// The legend's second row: the symbols the map shows.
pub(super) fn keys(current: bool, marks: &[Mark]) -> Vec<Key> {
    let step = (WIDTH - 2.0 * MARGIN) / 4.0;
    [
        Some(("hotspot", "hotspot")),
        current.then_some(("current", "selected district")),
        marks
            .iter()
            .any(|m| m.station)
            .then_some(("station", LandmarkKind::Station.noun())),
        marks
            .iter()
            .any(|m| !m.station)
            .then_some(("office", LandmarkKind::PoliceOffice.noun())),
    ]
    .into_iter()
    .flatten()
    .enumerate()
    .map(|(i, (symbol, label))| {
        let x = MARGIN + step * i as f64;
        Key {
            x: num(x),
            text_x: num(x + 24.0),
            symbol,
            label,
        }
    })
    .collect()
}
