//! The map's colour bands, drawn from the figures it shows: a fixed 20-point scale put five of
//! the demo's six districts in one colour, so the breaks now fall between the values themselves.
//!
//! Up to five distinct values each get a band of their own; more are grouped into five by
//! Fisher's natural breaks (the grouping with the least spread within groups). Each break is the
//! roundest number between the two groups it parts (a multiple of 10, else 5, 1, 0.5, 0.1), so
//! the legend reads "under 40%", "40–65%", "65% or more". Values are taken as printed (one
//! decimal), so a figure's band always agrees with the figure shown beside it.

use super::{NO_DATA, SCALE, Shade, pct_text};

/// How many bands at most: the steps of [`SCALE`].
const MAX_BANDS: usize = SCALE.len();
/// The steps a break may be a multiple of, coarsest first, in tenths of a percentage point.
const ROUND_STEPS: [i64; 5] = [100, 50, 10, 5, 1];

/// One band of the map's scale: the values from `from` (inclusive) up to `to` (exclusive), in
/// tenths of a point; `None` is open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Band {
    pub shade: Shade,
    from: Option<i64>,
    to: Option<i64>,
    /// The range in words, as the legend prints it: "under 40%", "40–65%", "65% or more".
    pub label: String,
}

impl Band {
    fn holds(&self, tenths: i64) -> bool {
        self.from.is_none_or(|from| from <= tenths) && self.to.is_none_or(|to| tenths < to)
    }
}

/// The bands of a set of figures, lightest (lowest) first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bands(Vec<Band>);

impl Bands {
    /// Bands that part the distinct values of `values` (missing and non-finite ones left out).
    pub fn over(values: impl IntoIterator<Item = Option<f64>>) -> Bands {
        let mut tenths: Vec<i64> = values.into_iter().flatten().filter_map(tenths).collect();
        tenths.sort_unstable();
        let mut distinct: Vec<(i64, usize)> = Vec::new();
        for value in tenths {
            match distinct.last_mut() {
                Some((last, count)) if *last == value => *count += 1,
                _ => distinct.push((value, 1)),
            }
        }
        match distinct.as_slice() {
            [] => Bands(Vec::new()),
            [(only, _)] => Bands(vec![Band {
                shade: SCALE[MAX_BANDS / 2],
                from: None,
                to: None,
                label: pct_text(*only as f64 / 10.0),
            }]),
            _ => {
                let groups = natural_groups(&distinct, MAX_BANDS);
                let breaks: Vec<i64> = groups
                    .windows(2)
                    .map(|pair| roundest_between(pair[0].1, pair[1].0))
                    .collect();
                let shades = spread(groups.len());
                let bands = (0..groups.len())
                    .map(|i| {
                        let from = i.checked_sub(1).map(|j| breaks[j]);
                        let to = breaks.get(i).copied();
                        Band {
                            shade: SCALE[shades[i]],
                            from,
                            to,
                            label: range_words(from, to),
                        }
                    })
                    .collect();
                Bands(bands)
            }
        }
    }

    /// The shade of a figure: its band's, "no data" for none, and the middle step when there
    /// are no bands at all (no figure was given to draw them from).
    pub fn shade(&self, pct: Option<f64>) -> Shade {
        let Some(value) = pct.and_then(tenths) else {
            return NO_DATA;
        };
        self.0
            .iter()
            .find(|band| band.holds(value))
            .map_or(SCALE[MAX_BANDS / 2], |band| band.shade)
    }

    /// The bands, lowest first.
    pub fn iter(&self) -> impl Iterator<Item = &Band> {
        self.0.iter()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }
}

/// A figure in tenths of a point, as it prints; `None` for a non-number.
fn tenths(value: f64) -> Option<i64> {
    value.is_finite().then(|| (value * 10.0).round() as i64)
}

/// A bound in words: "40" or "12.5".
fn bound(tenths: i64) -> String {
    if tenths % 10 == 0 {
        (tenths / 10).to_string()
    } else {
        format!("{:.1}", tenths as f64 / 10.0)
    }
}

fn range_words(from: Option<i64>, to: Option<i64>) -> String {
    match (from, to) {
        (None, Some(to)) => format!("under {}%", bound(to)),
        (Some(from), Some(to)) => format!("{}–{}%", bound(from), bound(to)),
        (Some(from), None) => format!("{}% or more", bound(from)),
        (None, None) => "every figure".to_owned(),
    }
}

/// The roundest number in `(low, high]` (tenths), nearest the middle among equally round ones.
fn roundest_between(low: i64, high: i64) -> i64 {
    let middle = (low + high) as f64 / 2.0;
    for step in ROUND_STEPS {
        let first = low.div_euclid(step) + 1;
        let last = high.div_euclid(step);
        if first <= last {
            let nearest = (middle / step as f64).round() as i64;
            return nearest.clamp(first, last) * step;
        }
    }
    high
}

/// Which steps of the scale `n` bands take: spread out, so that two bands are far apart.
fn spread(n: usize) -> Vec<usize> {
    let top = (MAX_BANDS - 1) as f64;
    match n {
        0 => Vec::new(),
        1 => vec![MAX_BANDS / 2],
        _ => (0..n)
            .map(|i| (i as f64 * top / (n - 1) as f64).round() as usize)
            .collect(),
    }
}

/// Sorted distinct `(value, count)` pairs cut into at most `k` runs with the least weighted
/// spread within runs (Fisher's exact optimisation); each run as (lowest, highest) value.
fn natural_groups(values: &[(i64, usize)], k: usize) -> Vec<(i64, i64)> {
    let n = values.len();
    if n <= k {
        return values.iter().map(|&(v, _)| (v, v)).collect();
    }
    // Prefix sums of weight, weighted value and weighted square give any run's spread in O(1).
    let mut w = vec![0.0; n + 1];
    let mut s = vec![0.0; n + 1];
    let mut q = vec![0.0; n + 1];
    for (i, &(value, count)) in values.iter().enumerate() {
        let (v, c) = (value as f64, count as f64);
        w[i + 1] = w[i] + c;
        s[i + 1] = s[i] + c * v;
        q[i + 1] = q[i] + c * v * v;
    }
    let spread = |i: usize, j: usize| {
        let (weight, sum) = (w[j] - w[i], s[j] - s[i]);
        (q[j] - q[i]) - sum * sum / weight
    };
    // cost[g][j]: the least spread of the first j values in g + 1 runs; start[g][j]: where the
    // last of those runs begins.
    let mut cost = vec![vec![f64::INFINITY; n + 1]; k];
    let mut start = vec![vec![0; n + 1]; k];
    for (j, first) in cost[0].iter_mut().enumerate().skip(1) {
        *first = spread(0, j);
    }
    for g in 1..k {
        for j in (g + 1)..=n {
            for i in g..j {
                let total = cost[g - 1][i] + spread(i, j);
                if total < cost[g][j] {
                    cost[g][j] = total;
                    start[g][j] = i;
                }
            }
        }
    }
    let mut runs = Vec::with_capacity(k);
    let mut end = n;
    for g in (0..k).rev() {
        let begin = if g == 0 { 0 } else { start[g][end] };
        runs.push((values[begin].0, values[end - 1].0));
        end = begin;
    }
    runs.reverse();
    runs
}

#[cfg(test)]
#[path = "bands_tests.rs"]
mod tests;
