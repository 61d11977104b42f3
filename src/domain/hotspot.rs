//! What an analyst decides about a hotspot besides where it is: when it is watched and what is
//! aimed for there.

use chrono::{NaiveDate, NaiveTime};
use serde::Serialize;

/// A hotspot's watch: its priority, the dates it is watched, its daily window and targets. The
/// same values are stored in `hotspots`, read from an import file, planned by the seeds and read
/// by the coverage engine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Watch {
    /// 1 (highest) to 3.
    pub priority: i16,
    /// First local day the hotspot is watched (inclusive).
    pub active_from: NaiveDate,
    /// Last local day the hotspot is watched (inclusive); `None` while open-ended.
    pub active_to: Option<NaiveDate>,
    /// Local time the daily watch window opens.
    pub window_start: NaiveTime,
    /// Local time it closes; at or before `window_start` means the window crosses midnight.
    pub window_end: NaiveTime,
    /// Patrol minutes aimed for on each active day.
    pub target_minutes_per_day: i32,
    /// Longest gap between visits aimed for.
    pub max_gap_minutes: i32,
}

impl Watch {
    /// Whether local date `date` lies within the hotspot's own dates.
    pub fn is_active_on(&self, date: NaiveDate) -> bool {
        self.active_from <= date && self.active_to.is_none_or(|to| date <= to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_open_ended_watch_runs_from_its_first_day_on() {
        let day = |d| NaiveDate::from_ymd_opt(2023, 3, d).unwrap();
        let mut watch = Watch {
            priority: 1,
            active_from: day(2),
            active_to: None,
            window_start: NaiveTime::MIN,
            window_end: NaiveTime::MIN,
            target_minutes_per_day: 60,
            max_gap_minutes: 120,
        };
        assert!(!watch.is_active_on(day(1)));
        assert!(watch.is_active_on(day(2)) && watch.is_active_on(day(31)));
        watch.active_to = Some(day(3));
        assert!(watch.is_active_on(day(3)) && !watch.is_active_on(day(4)));
    }
}
