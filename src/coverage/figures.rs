//! The figures of one hotspot on one day, and their roll-ups.

use std::ops::AddAssign;

/// Figures for one hotspot on one local date, or the sum of many. Integers (seconds, counts) so
/// that roll-ups add up exactly and equal what the CSV export recomputes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct DayFigures {
    /// Hotspot-blocks (blocks of no real length are not counted).
    pub blocks: i64,
    /// Blocks with a non-cancelled directed shift on duty for at least half of the block.
    pub planned_blocks: i64,
    /// Blocks containing the start of a visit of 10 minutes or more.
    pub delivered_blocks: i64,
    /// Length of the union of visits inside the watch window.
    pub patrol_seconds: i64,
    /// Σ dwell × members over the visits arriving on the day.
    pub officer_seconds: i64,
    /// Visits arriving on the day, in or out of the window, active or not.
    pub visits: i64,
    /// Of those, visits of 10 to 16 minutes inclusive.
    pub koper_visits: i64,
    /// Of those, visits under 2 minutes.
    pub pass_throughs: i64,
    /// Longest stretch of the window with no visit; the maximum, not the sum, in a roll-up.
    pub longest_gap_seconds: i64,
    /// Real length of the watch window (0 on inactive days).
    pub window_seconds: i64,
    /// Patrol target (0 on inactive days).
    pub target_seconds: i64,
    /// Patrol time capped at the target, so one over-patrolled day cannot hide a neglected one.
    pub capped_patrol_seconds: i64,
}

impl AddAssign for DayFigures {
    fn add_assign(&mut self, other: Self) {
        self.blocks += other.blocks;
        self.planned_blocks += other.planned_blocks;
        self.delivered_blocks += other.delivered_blocks;
        self.patrol_seconds += other.patrol_seconds;
        self.officer_seconds += other.officer_seconds;
        self.visits += other.visits;
        self.koper_visits += other.koper_visits;
        self.pass_throughs += other.pass_throughs;
        self.longest_gap_seconds = self.longest_gap_seconds.max(other.longest_gap_seconds);
        self.window_seconds += other.window_seconds;
        self.target_seconds += other.target_seconds;
        self.capped_patrol_seconds += other.capped_patrol_seconds;
    }
}

impl std::iter::Sum for DayFigures {
    fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
        iter.fold(Self::default(), |mut total, day| {
            total += day;
            total
        })
    }
}

impl<'a> std::iter::Sum<&'a DayFigures> for DayFigures {
    fn sum<I: Iterator<Item = &'a Self>>(iter: I) -> Self {
        iter.copied().sum()
    }
}

/// `part / whole` as a percentage, 0 when there is no whole.
fn percent(part: i64, whole: i64) -> f64 {
    if whole <= 0 {
        0.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}

impl DayFigures {
    /// Planned coverage %: planned blocks ÷ blocks × 100, unrounded; 0 with no blocks.
    pub fn planned_pct(&self) -> f64 {
        percent(self.planned_blocks, self.blocks)
    }

    /// Delivered coverage %: delivered blocks ÷ blocks × 100, unrounded; 0 with no blocks.
    pub fn delivered_pct(&self) -> f64 {
        percent(self.delivered_blocks, self.blocks)
    }

    /// Dosage compliance %: capped patrol ÷ target × 100 (at most 100); 0 with no target.
    pub fn dosage_pct(&self) -> f64 {
        percent(self.capped_patrol_seconds, self.target_seconds)
    }

    /// Koper visits as a share of all visits, %; 0 with no visits.
    pub fn koper_pct(&self) -> f64 {
        percent(self.koper_visits, self.visits)
    }

    /// Patrol time in minutes.
    pub fn patrol_minutes(&self) -> f64 {
        self.patrol_seconds as f64 / 60.0
    }

    /// Officer time at hotspots in minutes.
    pub fn officer_minutes(&self) -> f64 {
        self.officer_seconds as f64 / 60.0
    }

    /// Longest gap in minutes.
    pub fn longest_gap_minutes(&self) -> f64 {
        self.longest_gap_seconds as f64 / 60.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(blocks: i64, planned: i64, patrol: i64, target: i64, gap: i64) -> DayFigures {
        DayFigures {
            blocks,
            planned_blocks: planned,
            patrol_seconds: patrol,
            target_seconds: target,
            capped_patrol_seconds: patrol.min(target),
            longest_gap_seconds: gap,
            ..DayFigures::default()
        }
    }

    #[test]
    fn adding_days_sums_counts_and_keeps_the_longest_gap() {
        let mut total = day(8, 2, 3600, 1800, 600);
        total += day(7, 7, 600, 1800, 7200);
        assert_eq!(total.blocks, 15);
        assert_eq!(total.planned_blocks, 9);
        assert_eq!(total.patrol_seconds, 4200);
        assert_eq!(total.longest_gap_seconds, 7200);
        assert_eq!(
            total,
            [day(8, 2, 3600, 1800, 600), day(7, 7, 600, 1800, 7200)]
                .iter()
                .sum()
        );
    }

    #[test]
    fn dosage_caps_each_day_before_rolling_up() {
        // 60 min on a 30-min day cannot make up for 10 min on another 30-min day.
        let total: DayFigures = [day(1, 0, 3600, 1800, 0), day(1, 0, 600, 1800, 0)]
            .into_iter()
            .sum();
        assert_eq!(total.capped_patrol_seconds, 2400);
        assert!((total.dosage_pct() - 66.666_666).abs() < 1e-4);
    }

    #[test]
    fn percentages_are_zero_when_there_is_nothing_to_divide_by() {
        let empty = DayFigures::default();
        assert_eq!(empty.planned_pct(), 0.0);
        assert_eq!(empty.delivered_pct(), 0.0);
        assert_eq!(empty.dosage_pct(), 0.0);
        assert_eq!(empty.koper_pct(), 0.0);
    }
}
