//! Hotspot-blocks and the per-day figures of one hotspot.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeDelta, Utc};

use super::index::HotspotIndex;
use super::time::resolve_naive;
use super::{DayFigures, Hotspot, Pilot, Shift, Visit, local_date};

#[cfg(test)]
mod rule_tests;
#[cfg(test)]
mod tests;

/// One hotspot-block: the unit the heatmap, the gap list and the coverage percentages count.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Block {
    /// The hotspot-day the block belongs to: the local date its window opened.
    pub date: NaiveDate,
    /// Start instant.
    pub starts_at: DateTime<Utc>,
    /// End instant (after the start: blocks of no real length do not exist).
    pub ends_at: DateTime<Utc>,
    /// Wall-clock start in the pilot's zone, before resolving gaps and repeats.
    pub local_start: NaiveDateTime,
    /// A non-cancelled directed shift is on duty for at least half of the block.
    pub planned: bool,
    /// A visit of 10 minutes or more starts in the block.
    pub delivered: bool,
}

impl Block {
    /// Real length in seconds.
    pub fn seconds(&self) -> i64 {
        (self.ends_at - self.starts_at).num_seconds()
    }
}

/// The blocks of `hotspot` on local date `date`, empty when it is inactive that day. Ignores
/// cancelled shifts, shifts not directed to it and visits to other hotspots.
pub fn blocks(
    pilot: &Pilot,
    hotspot: &Hotspot,
    date: NaiveDate,
    shifts: &[&Shift],
    visits: &[&Visit],
) -> Vec<Block> {
    blocks_in_range(pilot, hotspot, date, date, shifts, visits)
}

/// The blocks of `hotspot` on every local date from `from` to `to` inclusive, in order; for the
/// heatmap over a range without re-indexing the inputs day by day.
pub fn blocks_in_range(
    pilot: &Pilot,
    hotspot: &Hotspot,
    from: NaiveDate,
    to: NaiveDate,
    shifts: &[&Shift],
    visits: &[&Visit],
) -> Vec<Block> {
    let index = HotspotIndex::new(hotspot.id, shifts.iter().copied(), visits.iter().copied());
    dates(from, to)
        .flat_map(|date| day_blocks(pilot, hotspot, date, &index))
        .collect()
}

/// The section 3 figures of `hotspot` for every local date from `from` to `to` inclusive (none
/// when `to < from`). Block, patrol, gap and target figures belong to the day the window opens;
/// visit counts and officer time to the local date of each visit's arrival, active day or not.
pub fn hotspot_days(
    pilot: &Pilot,
    hotspot: &Hotspot,
    from: NaiveDate,
    to: NaiveDate,
    shifts: &[&Shift],
    visits: &[&Visit],
) -> Vec<(NaiveDate, DayFigures)> {
    hotspot_days_with_blocks(pilot, hotspot, from, to, shifts, visits)
        .into_iter()
        .map(|(date, figures, _)| (date, figures))
        .collect()
}

/// [`hotspot_days`] with each day's [`blocks`], indexing the inputs once: what a caller storing
/// both the figures and the heatmap of every day wants (calling [`blocks`] day by day re-indexes
/// the hotspot's shifts and visits each time).
pub fn hotspot_days_with_blocks(
    pilot: &Pilot,
    hotspot: &Hotspot,
    from: NaiveDate,
    to: NaiveDate,
    shifts: &[&Shift],
    visits: &[&Visit],
) -> Vec<(NaiveDate, DayFigures, Vec<Block>)> {
    let index = HotspotIndex::new(hotspot.id, shifts.iter().copied(), visits.iter().copied());
    let mut days: Vec<(NaiveDate, DayFigures, Vec<Block>)> = dates(from, to)
        .map(|date| {
            let (figures, blocks) = window_figures(pilot, hotspot, date, &index);
            (date, figures, blocks)
        })
        .collect();
    for visit in visits.iter().filter(|visit| visit.hotspot_id == hotspot.id) {
        let arrived_on = local_date(pilot.time_zone, visit.arrived_at);
        if arrived_on < from || arrived_on > to {
            continue;
        }
        let figures = &mut days[(arrived_on - from).num_days() as usize].1;
        figures.visits += 1;
        figures.koper_visits += i64::from(visit.is_koper());
        figures.pass_throughs += i64::from(visit.is_pass_through());
        figures.officer_seconds += visit.dwell().num_seconds() * i64::from(visit.members);
    }
    days
}

/// Every date from `from` to `to` inclusive; nothing when `to < from`.
pub(crate) fn dates(from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    from.iter_days().take_while(move |date| *date <= to)
}

/// The figures tied to the window that opens on `date` (blocks, patrol, gap, target), and its
/// blocks.
fn window_figures(
    pilot: &Pilot,
    hotspot: &Hotspot,
    date: NaiveDate,
    index: &HotspotIndex,
) -> (DayFigures, Vec<Block>) {
    if !hotspot.is_active_on(pilot, date) {
        return (DayFigures::default(), Vec::new());
    }
    let blocks = day_blocks(pilot, hotspot, date, index);
    let (start, end) = hotspot.window_on(pilot.time_zone, date);
    let (patrol, longest_gap) = index.presence_in(start, end);
    let patrol_seconds = patrol.num_seconds();
    let target_seconds = hotspot.target_seconds();
    let figures = DayFigures {
        blocks: blocks.len() as i64,
        planned_blocks: blocks.iter().filter(|block| block.planned).count() as i64,
        delivered_blocks: blocks.iter().filter(|block| block.delivered).count() as i64,
        patrol_seconds,
        longest_gap_seconds: longest_gap.num_seconds(),
        window_seconds: (end - start).num_seconds(),
        target_seconds,
        capped_patrol_seconds: patrol_seconds.min(target_seconds),
        ..DayFigures::default()
    };
    (figures, blocks)
}

/// The blocks of the window opening on `date` (none when the hotspot is inactive): wall-clock
/// steps of the block length from the window's start, the last one cut at the window's end, each
/// bound resolved to an instant; a block that resolves to no length does not exist.
pub(crate) fn day_blocks(
    pilot: &Pilot,
    hotspot: &Hotspot,
    date: NaiveDate,
    index: &HotspotIndex,
) -> Vec<Block> {
    if !hotspot.is_active_on(pilot, date) {
        return Vec::new();
    }
    // A zero block length is invalid data; one minute keeps the loop finite.
    let step = TimeDelta::minutes(i64::from(pilot.block_minutes.max(1)));
    let (open, close) = hotspot.local_window_on(date);
    let mut blocks = Vec::new();
    let mut local_start = open;
    let mut starts_at = resolve_naive(pilot.time_zone, open);
    while local_start < close {
        let local_end = (local_start + step).min(close);
        let ends_at = resolve_naive(pilot.time_zone, local_end);
        if ends_at > starts_at {
            blocks.push(Block {
                date,
                starts_at,
                ends_at,
                local_start,
                planned: index.is_planned(starts_at, ends_at),
                delivered: index.is_delivered(starts_at, ends_at),
            });
        }
        local_start = local_end;
        starts_at = ends_at;
    }
    blocks
}
