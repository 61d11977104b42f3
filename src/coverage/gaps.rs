//! The gap list: hotspot-blocks nobody is rostered for, most urgent first.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

use super::days::{dates, day_blocks};
use super::index::HotspotIndex;
use super::{Hotspot, Pilot, Shift};
use crate::domain::ids::HotspotId;

/// A hotspot-block with no planned coverage.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Gap {
    /// The hotspot left uncovered.
    pub hotspot_id: HotspotId,
    /// Its priority, 1 highest.
    pub priority: i16,
    /// The hotspot-day the block belongs to.
    pub date: NaiveDate,
    /// Start instant of the block.
    pub starts_at: DateTime<Utc>,
    /// End instant of the block.
    pub ends_at: DateTime<Utc>,
    /// Wall-clock start in the pilot's zone.
    pub local_start: NaiveDateTime,
}

/// The unplanned blocks of `hotspots` on the hotspot-days from `from` to `to`, sorted by priority
/// (1 first), then start instant, then hotspot id; at most `limit` of them.
pub fn gaps(
    pilot: &Pilot,
    hotspots: &[Hotspot],
    shifts: &[Shift],
    from: NaiveDate,
    to: NaiveDate,
    limit: usize,
) -> Vec<Gap> {
    if limit == 0 {
        return Vec::new();
    }
    // One pass over the roster instead of one per hotspot.
    let mut directed: HashMap<HotspotId, Vec<&Shift>> = HashMap::new();
    for shift in shifts.iter().filter(|shift| !shift.cancelled) {
        let mut hotspot_ids = shift.hotspot_ids.clone();
        hotspot_ids.sort_unstable();
        hotspot_ids.dedup();
        for hotspot_id in hotspot_ids {
            directed.entry(hotspot_id).or_default().push(shift);
        }
    }
    let mut found = Vec::new();
    for hotspot in hotspots {
        let shifts = directed
            .get(&hotspot.id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let index = HotspotIndex::new(hotspot.id, shifts.iter().copied(), []);
        // A hotspot's gaps come in time order, so only its first `limit` can make the list.
        let unplanned = dates(from, to)
            .flat_map(|date| day_blocks(pilot, hotspot, date, &index))
            .filter(|block| !block.planned)
            .take(limit)
            .map(|block| Gap {
                hotspot_id: hotspot.id,
                priority: hotspot.watch.priority,
                date: block.date,
                starts_at: block.starts_at,
                ends_at: block.ends_at,
                local_start: block.local_start,
            });
        found.extend(unplanned);
    }
    found.sort_by_key(|gap| (gap.priority, gap.starts_at, gap.hotspot_id));
    found.truncate(limit);
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coverage::fixtures::{date, hotspot, local, pilot, shift, time};
    use crate::domain::ids::ShiftId;

    fn hotspot_with(id: i64, priority: i16, start_hour: u32) -> Hotspot {
        let mut hotspot = hotspot(time(start_hour, 0), time(start_hour + 2, 0));
        hotspot.id = HotspotId(id);
        hotspot.watch.priority = priority;
        hotspot
    }

    #[test]
    fn gaps_come_by_priority_then_start_then_hotspot_and_stop_at_the_limit() {
        let pilot = pilot(date(2023, 5, 1), date(2023, 5, 31));
        // Hotspot 7 (priority 2) opens first, but priority 1 hotspots 9 and 8 come before it.
        let hotspots = [
            hotspot_with(7, 2, 8),
            hotspot_with(9, 1, 10),
            hotspot_with(8, 1, 10),
        ];
        let gaps = gaps(
            &pilot,
            &hotspots,
            &[],
            date(2023, 5, 1),
            date(2023, 5, 1),
            5,
        );
        let order: Vec<(i64, String)> = gaps
            .iter()
            .map(|gap| {
                (
                    gap.hotspot_id.0,
                    gap.local_start.format("%H:%M").to_string(),
                )
            })
            .collect();
        let expected = [
            (8, "10:00"),
            (9, "10:00"),
            (8, "11:00"),
            (9, "11:00"),
            (7, "08:00"),
        ];
        let expected: Vec<(i64, String)> = expected
            .iter()
            .map(|(id, at)| (*id, at.to_string()))
            .collect();
        assert_eq!(order, expected);
    }

    #[test]
    fn planned_blocks_are_not_gaps_but_cancelled_shifts_leave_them_open() {
        let pilot = pilot(date(2023, 5, 1), date(2023, 5, 31));
        let hotspots = [hotspot_with(1, 1, 8)];
        let covering = shift(
            ShiftId(1),
            local(2023, 5, 1, 8, 0),
            local(2023, 5, 1, 9, 0),
            &[HotspotId(1), HotspotId(1)],
            &[],
        );
        let mut cancelled = shift(
            ShiftId(2),
            local(2023, 5, 1, 9, 0),
            local(2023, 5, 1, 10, 0),
            &[HotspotId(1)],
            &[],
        );
        cancelled.cancelled = true;
        let gaps = gaps(
            &pilot,
            &hotspots,
            &[covering, cancelled],
            date(2023, 5, 1),
            date(2023, 5, 2),
            10,
        );
        let starts: Vec<_> = gaps.iter().map(|gap| gap.starts_at).collect();
        assert_eq!(
            starts,
            vec![
                local(2023, 5, 1, 9, 0),
                local(2023, 5, 2, 8, 0),
                local(2023, 5, 2, 9, 0)
            ]
        );
    }

    #[test]
    fn a_limit_of_zero_or_an_empty_range_lists_nothing() {
        let pilot = pilot(date(2023, 5, 1), date(2023, 5, 31));
        let hotspots = [hotspot_with(1, 1, 8)];
        assert!(
            gaps(
                &pilot,
                &hotspots,
                &[],
                date(2023, 5, 1),
                date(2023, 5, 2),
                0
            )
            .is_empty()
        );
        assert!(
            gaps(
                &pilot,
                &hotspots,
                &[],
                date(2023, 5, 2),
                date(2023, 5, 1),
                9
            )
            .is_empty()
        );
    }
}
