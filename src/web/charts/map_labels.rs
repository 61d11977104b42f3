//! The labels of the map's districts: each name wrapped to its district's width with its figure
//! beneath, placed inside the district and clear of the labels already placed.

use super::geometry::{Polygon, label_places, widest};
use super::map::{CHAR_WIDTH, LINE_HEIGHT, MARGIN, WIDTH};
use super::{Shade, num};

/// A district's name and figure, drawn over its interior.
pub(super) struct Label {
    pub x: String,
    pub colour: &'static str,
    pub halo: &'static str,
    pub lines: Vec<LabelLine>,
}

pub(super) struct LabelLine {
    pub y: String,
    pub text: String,
    pub strong: bool,
}

/// The space a label takes: (left, top, right, bottom).
pub(super) type Space = (f64, f64, f64, f64);

/// The label of a district: its name wrapped to the width of its largest ring, then its figure,
/// at the first of its places that keeps clear of the labels already placed and of the spaces to
/// `avoid` (the hotspots), else clear of the labels only, else the first; always on the canvas.
pub(super) fn label(
    name: &str,
    figure: String,
    polygons: &[Polygon],
    map_height: f64,
    step: Shade,
    taken: &[Space],
    avoid: &[Space],
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
    let clear_of = |space: &Space, others: &[Space]| {
        others.iter().all(|other| {
            space.2 + 2.0 <= other.0
                || other.2 + 2.0 <= space.0
                || space.3 <= other.1
                || other.3 <= space.1
        })
    };
    let spaces: Vec<Space> = label_places(polygons, LINE_HEIGHT / 2.0)
        .into_iter()
        .map(space_at)
        .collect();
    let first = spaces
        .first()
        .copied()
        .unwrap_or_else(|| space_at((WIDTH / 2.0, MARGIN)));
    let space = spaces
        .iter()
        .find(|s| clear_of(s, taken) && clear_of(s, avoid))
        .or_else(|| spaces.iter().find(|s| clear_of(s, taken)))
        .copied()
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
pub(super) fn wrap(text: &str, width: usize) -> Vec<String> {
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
