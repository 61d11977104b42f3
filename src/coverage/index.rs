//! One hotspot's shifts and visits, sorted once so that each block or window is answered by a
//! binary search instead of a scan: a year of a city-scale hotspot stays linear.

use chrono::{DateTime, TimeDelta, Utc};

use super::{Shift, Visit};
use crate::domain::ids::HotspotId;

/// A half-open stretch of time `[start, end)`.
type Span = (DateTime<Utc>, DateTime<Utc>);

/// The inputs of one hotspot, indexed by time.
#[derive(Debug, Default)]
pub(crate) struct HotspotIndex {
    /// Duty of each non-cancelled shift directed to the hotspot, by start.
    duties: Vec<Span>,
    /// The longest duty, bounding how far back a duty overlapping an instant can start.
    longest_duty: TimeDelta,
    /// Arrivals of visits long enough to deliver a block, sorted.
    delivering: Vec<DateTime<Utc>>,
    /// The union of all visits as disjoint spans in order (a zero-dwell visit is an empty span:
    /// it adds no patrol time but still breaks a gap).
    presence: Vec<Span>,
}

impl HotspotIndex {
    /// Indexes what concerns `hotspot_id`, ignoring cancelled or undirected shifts and visits
    /// to other hotspots.
    pub(crate) fn new<'a>(
        hotspot_id: HotspotId,
        shifts: impl IntoIterator<Item = &'a Shift>,
        visits: impl IntoIterator<Item = &'a Visit>,
    ) -> Self {
        let mut duties: Vec<Span> = shifts
            .into_iter()
            .filter(|shift| shift.plans(hotspot_id) && shift.ends_at > shift.starts_at)
            .map(|shift| (shift.starts_at, shift.ends_at))
            .collect();
        duties.sort_unstable();
        let longest_duty = duties
            .iter()
            .map(|(start, end)| *end - *start)
            .max()
            .unwrap_or_default();

        let visits: Vec<&Visit> = visits
            .into_iter()
            .filter(|visit| visit.hotspot_id == hotspot_id)
            .collect();
        let mut delivering: Vec<DateTime<Utc>> = visits
            .iter()
            .filter(|visit| visit.delivers())
            .map(|visit| visit.arrived_at)
            .collect();
        delivering.sort_unstable();
        let mut stays: Vec<Span> = visits
            .iter()
            .map(|visit| (visit.arrived_at, visit.arrived_at + visit.dwell()))
            .collect();
        stays.sort_unstable();

        Self {
            duties,
            longest_duty,
            delivering,
            presence: union(stays),
        }
    }

    /// Whether one shift (not several together) is on duty for at least half of `[start, end)`.
    pub(crate) fn is_planned(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> bool {
        let length = end - start;
        let first = self
            .duties
            .partition_point(|(on, _)| *on < start - self.longest_duty);
        self.duties[first..]
            .iter()
            .take_while(|(on, _)| *on < end)
            .any(|(on, off)| {
                let overlap = (*off).min(end) - (*on).max(start);
                overlap * 2 >= length
            })
    }

    /// Whether a delivering visit arrives in `[start, end)`.
    pub(crate) fn is_delivered(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> bool {
        let first = self.delivering.partition_point(|arrived| *arrived < start);
        self.delivering
            .get(first)
            .is_some_and(|arrived| *arrived < end)
    }

    /// Within the window `[start, end)`: the length of the union of visits, and the longest
    /// stretch with no visit (the whole window when nobody came).
    pub(crate) fn presence_in(
        &self,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> (TimeDelta, TimeDelta) {
        if end <= start {
            return (TimeDelta::zero(), TimeDelta::zero());
        }
        // Spans are disjoint and in order, so their ends are ordered too.
        let first = self.presence.partition_point(|(_, off)| *off < start);
        let mut patrol = TimeDelta::zero();
        let mut longest_gap = TimeDelta::zero();
        let mut free_since = start;
        for (on, off) in self.presence[first..]
            .iter()
            .take_while(|(on, _)| *on < end)
        {
            let (on, off) = ((*on).max(start), (*off).min(end));
            patrol += off - on;
            longest_gap = longest_gap.max(on - free_since);
            free_since = off;
        }
        (patrol, longest_gap.max(end - free_since))
    }
}

/// Merges sorted spans into disjoint ones; touching spans become one.
fn union(sorted: Vec<Span>) -> Vec<Span> {
    let mut merged: Vec<Span> = Vec::with_capacity(sorted.len());
    for (on, off) in sorted {
        match merged.last_mut() {
            Some((_, last_off)) if on <= *last_off => *last_off = (*last_off).max(off),
            _ => merged.push((on, off)),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coverage::fixtures::{shift, utc, visit};
    use crate::domain::ids::ShiftId;

    fn at(minute: i64) -> DateTime<Utc> {
        utc("2023-05-01T00:00:00Z") + TimeDelta::minutes(minute)
    }

    #[test]
    fn overlapping_and_touching_visits_merge_into_one_span() {
        let spans = union(vec![
            (at(0), at(10)),
            (at(5), at(20)),
            (at(20), at(25)),
            (at(30), at(31)),
        ]);
        assert_eq!(spans, vec![(at(0), at(25)), (at(30), at(31))]);
    }

    #[test]
    fn presence_is_clipped_to_the_window_and_gaps_are_measured_between_spans() {
        let visits = [
            visit(at(-10), at(10), 1),
            visit(at(40), at(50), 1),
            visit(at(100), at(200), 1),
        ];
        let index = HotspotIndex::new(HotspotId(1), [], &visits);
        let (patrol, gap) = index.presence_in(at(0), at(120));
        assert_eq!(patrol, TimeDelta::minutes(10 + 10 + 20));
        assert_eq!(gap, TimeDelta::minutes(50));
    }

    #[test]
    fn a_long_shift_that_started_well_before_the_block_is_still_found() {
        let long = shift(ShiftId(1), at(-600), at(600), &[HotspotId(1)], &[]);
        let short = shift(ShiftId(2), at(-5), at(1), &[HotspotId(1)], &[]);
        let index = HotspotIndex::new(HotspotId(1), [&long, &short], []);
        assert!(index.is_planned(at(0), at(60)));
    }

    #[test]
    fn shifts_directed_elsewhere_and_visits_to_other_hotspots_are_ignored() {
        let elsewhere = shift(ShiftId(1), at(0), at(60), &[HotspotId(2)], &[]);
        let mut other_visit = visit(at(0), at(30), 1);
        other_visit.hotspot_id = HotspotId(2);
        let index = HotspotIndex::new(HotspotId(1), [&elsewhere], [&other_visit]);
        assert!(!index.is_planned(at(0), at(60)));
        assert!(!index.is_delivered(at(0), at(60)));
        assert_eq!(index.presence_in(at(0), at(60)).0, TimeDelta::zero());
    }
}
