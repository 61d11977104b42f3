//! The hour-of-week heatmap: blocks counted by the weekday and hour of their local start.

use std::ops::AddAssign;

use chrono::{Datelike, Timelike};

use super::Block;

/// Slots in a week: 7 days × 24 hours, Monday 00:00 first.
pub const HOURS_PER_WEEK: usize = 7 * 24;

/// Counts of blocks in one hour of the week.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct HourSlot {
    /// Hotspot-blocks starting in this hour.
    pub blocks: i64,
    /// Of those, planned.
    pub planned: i64,
    /// Of those, delivered.
    pub delivered: i64,
}

/// Blocks by hour of the week; slot `weekday × 24 + hour` of the block's local start, Monday 0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HourOfWeek {
    /// The 168 slots, Monday 00:00 first, Sunday 23:00 last.
    pub slots: [HourSlot; HOURS_PER_WEEK],
}

impl Default for HourOfWeek {
    fn default() -> Self {
        Self {
            slots: [HourSlot::default(); HOURS_PER_WEEK],
        }
    }
}

impl AddAssign for HourOfWeek {
    fn add_assign(&mut self, other: Self) {
        for (slot, more) in self.slots.iter_mut().zip(other.slots) {
            slot.blocks += more.blocks;
            slot.planned += more.planned;
            slot.delivered += more.delivered;
        }
    }
}

// serde derives arrays only up to 32 elements; a sequence of 168 slots is what the JSON wants.
impl serde::Serialize for HourOfWeek {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.slots.iter())
    }
}

impl HourOfWeek {
    /// The slot index of a local wall-clock start: Monday 00:00 → 0, Sunday 23:00 → 167.
    pub fn index_of(local_start: chrono::NaiveDateTime) -> usize {
        local_start.weekday().num_days_from_monday() as usize * 24 + local_start.hour() as usize
    }
}

/// Counts `blocks` by the weekday and hour of their local start, so a block after midnight of a
/// window that crosses it falls on the next weekday.
pub fn hour_of_week(blocks: &[Block]) -> HourOfWeek {
    let mut week = HourOfWeek::default();
    for block in blocks {
        let slot = &mut week.slots[HourOfWeek::index_of(block.local_start)];
        slot.blocks += 1;
        slot.planned += i64::from(block.planned);
        slot.delivered += i64::from(block.delivered);
    }
    week
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coverage::fixtures::{date, hotspot, local, pilot, shift, time};
    use crate::coverage::{blocks, hotspot_days};
    use crate::domain::ids::{HotspotId, ShiftId};

    #[test]
    fn monday_midnight_is_slot_0_and_sunday_23_is_slot_167() {
        // 1 May 2023 was a Monday, 7 May a Sunday.
        let monday = date(2023, 5, 1).and_time(time(0, 0));
        let sunday = date(2023, 5, 7).and_time(time(23, 0));
        assert_eq!(HourOfWeek::index_of(monday), 0);
        assert_eq!(HourOfWeek::index_of(sunday), 167);
    }

    #[test]
    fn blocks_after_midnight_of_a_crossing_window_count_on_the_next_weekday() {
        // Sunday 7 May 22:00 to Monday 02:00: two Sunday slots, then Monday 00:00 and 01:00.
        let pilot = pilot(date(2023, 5, 1), date(2023, 5, 31));
        let hotspot = hotspot(time(22, 0), time(2, 0));
        let shift = shift(
            ShiftId(1),
            local(2023, 5, 7, 22, 0),
            local(2023, 5, 8, 0, 30),
            &[HotspotId(1)],
            &[],
        );
        let blocks = blocks(&pilot, &hotspot, date(2023, 5, 7), &[&shift], &[]);
        let week = hour_of_week(&blocks);
        let counted: Vec<usize> = (0..HOURS_PER_WEEK)
            .filter(|i| week.slots[*i].blocks > 0)
            .collect();
        assert_eq!(counted, vec![0, 1, 166, 167]);
        assert_eq!(week.slots[166].planned, 1);
        assert_eq!(week.slots[167].planned, 1);
        assert_eq!(
            week.slots[0].planned, 1,
            "00:00–00:30 is exactly half the block"
        );
        assert_eq!(week.slots[1].planned, 0);
        assert_eq!(
            hotspot_days(
                &pilot,
                &hotspot,
                date(2023, 5, 7),
                date(2023, 5, 7),
                &[&shift],
                &[]
            )[0]
            .1
            .planned_blocks,
            3
        );
    }

    #[test]
    fn adding_weeks_adds_slot_by_slot() {
        let pilot = pilot(date(2023, 5, 1), date(2023, 5, 31));
        let hotspot = hotspot(time(9, 0), time(11, 0));
        let mut week = hour_of_week(&blocks(&pilot, &hotspot, date(2023, 5, 1), &[], &[]));
        week += hour_of_week(&blocks(&pilot, &hotspot, date(2023, 5, 8), &[], &[]));
        assert_eq!(week.slots[9].blocks, 2);
        assert_eq!(week.slots[10].blocks, 2);
        assert_eq!(week.slots.iter().map(|s| s.blocks).sum::<i64>(), 4);
    }
}
