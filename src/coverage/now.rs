//! The figures of one moment (docs/coverage.md, "At a moment"): which shifts are on duty, which
//! hotspots are open, how long since each was last visited and whether that is overdue, and the
//! blocks of the next hours that nobody is rostered for.

use chrono::{DateTime, Days, TimeDelta, Utc};

use super::{Block, Hotspot, Pilot, Shift, Visit, blocks, local_date};
use crate::domain::ids::HotspotId;

/// How far ahead the board looks for blocks nobody is rostered for.
pub const LOOK_AHEAD: TimeDelta = TimeDelta::hours(4);

/// A hotspot whose watch window is open at the moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenHotspot {
    pub hotspot_id: HotspotId,
    pub priority: i16,
    /// The instant its current window opened, and the instant it closes.
    pub opened_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    /// The arrival of its latest visit that arrived at or before the moment, in any window.
    pub last_visit_arrived_at: Option<DateTime<Utc>>,
    /// The moment minus the later of that arrival and the window's opening.
    pub since: TimeDelta,
    /// The longest gap aimed for.
    pub max_gap: TimeDelta,
}

impl OpenHotspot {
    /// The time since exceeds the longest gap aimed for.
    pub fn is_overdue(&self) -> bool {
        self.since > self.max_gap
    }

    /// Whole minutes since (rounded down).
    pub fn minutes_since(&self) -> i64 {
        self.since.num_minutes()
    }
}

/// A shift on duty at `at`: not cancelled, started at or before it and not yet ended.
pub fn is_on_duty(shift: &Shift, at: DateTime<Utc>) -> bool {
    !shift.cancelled && shift.starts_at <= at && at < shift.ends_at
}

/// The window of `hotspot` open at `at`, as `[opened, closes)`, if any. A window belongs to the
/// local date it opens on, which must be inside the hotspot's active dates and the pilot; one
/// crossing midnight may have opened the day before `at`'s date.
pub fn open_window(
    pilot: &Pilot,
    hotspot: &Hotspot,
    at: DateTime<Utc>,
) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let today = local_date(pilot.time_zone, at);
    let yesterday = today.checked_sub_days(Days::new(1))?;
    [yesterday, today]
        .into_iter()
        .filter(|date| hotspot.is_active_on(pilot, *date))
        .map(|date| hotspot.window_on(pilot.time_zone, date))
        .find(|(opened, closes)| *opened <= at && at < *closes)
}

/// Every hotspot open at `at`, overdue ones first, then by priority (1 first), then by time
/// since, longest first. `visits` may be any visits of the pilot; those that arrived after `at`
/// are not counted.
pub fn open_hotspots(
    pilot: &Pilot,
    hotspots: &[Hotspot],
    visits: &[Visit],
    at: DateTime<Utc>,
) -> Vec<OpenHotspot> {
    let mut open: Vec<OpenHotspot> = hotspots
        .iter()
        .filter_map(|hotspot| {
            let (opened_at, closes_at) = open_window(pilot, hotspot, at)?;
            let last_visit_arrived_at = visits
                .iter()
                .filter(|v| v.hotspot_id == hotspot.id && v.arrived_at <= at)
                .map(|v| v.arrived_at)
                .max();
            let since_from = last_visit_arrived_at.map_or(opened_at, |a| a.max(opened_at));
            Some(OpenHotspot {
                hotspot_id: hotspot.id,
                priority: hotspot.watch.priority,
                opened_at,
                closes_at,
                last_visit_arrived_at,
                since: at - since_from,
                max_gap: TimeDelta::minutes(i64::from(hotspot.watch.max_gap_minutes)),
            })
        })
        .collect();
    open.sort_by_key(|h| {
        (
            !h.is_overdue(),
            h.priority,
            std::cmp::Reverse(h.since),
            h.hotspot_id,
        )
    });
    open
}

/// The blocks of every hotspot that overlap `[at, at + LOOK_AHEAD)` and that no shift on duty
/// for half of the block is directed to, by start, then hotspot.
pub fn unplanned_ahead(
    pilot: &Pilot,
    hotspots: &[Hotspot],
    shifts: &[Shift],
    at: DateTime<Utc>,
) -> Vec<(HotspotId, Block)> {
    let until = at + LOOK_AHEAD;
    let today = local_date(pilot.time_zone, at);
    let first = today.checked_sub_days(Days::new(1)).unwrap_or(today);
    let last = local_date(pilot.time_zone, until);
    let shifts: Vec<&Shift> = shifts.iter().collect();
    let mut ahead: Vec<(HotspotId, Block)> = hotspots
        .iter()
        .flat_map(|hotspot| {
            let directed: Vec<&Shift> = shifts
                .iter()
                .copied()
                .filter(|s| s.hotspot_ids.contains(&hotspot.id))
                .collect();
            first
                .iter_days()
                .take_while(|date| *date <= last)
                .flat_map(|date| blocks(pilot, hotspot, date, &directed, &[]))
                .filter(|block| !block.planned && block.ends_at > at && block.starts_at < until)
                .map(|block| (hotspot.id, block))
                .collect::<Vec<_>>()
        })
        .collect();
    ahead.sort_by_key(|(id, block)| (block.starts_at, *id));
    ahead
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coverage::fixtures::{EDMONTON, date, time, utc};
    use crate::domain::hotspot::Watch;
    use crate::domain::ids::{DistrictId, ShiftId, TeamId};

    fn pilot() -> Pilot {
        Pilot {
            time_zone: EDMONTON,
            starts_on: date(2023, 3, 1),
            ends_on: date(2023, 3, 31),
            block_minutes: 60,
        }
    }

    /// A hotspot watched 20:00–02:00 every day of March 2023, gaps of 90 minutes at most.
    fn night_spot(id: i64, priority: i16) -> Hotspot {
        Hotspot {
            id: HotspotId(id),
            district_id: DistrictId(1),
            watch: Watch {
                priority,
                active_from: date(2023, 3, 1),
                active_to: None,
                window_start: time(20, 0),
                window_end: time(2, 0),
                target_minutes_per_day: 60,
                max_gap_minutes: 90,
            },
        }
    }

    fn visit(hotspot: i64, arrived: &str, departed: &str) -> Visit {
        Visit {
            shift_id: ShiftId(1),
            hotspot_id: HotspotId(hotspot),
            arrived_at: utc(arrived),
            departed_at: utc(departed),
            members: 2,
        }
    }

    fn shift(starts: &str, ends: &str, hotspots: &[i64], cancelled: bool) -> Shift {
        Shift {
            id: ShiftId(7),
            team_id: TeamId(1),
            starts_at: utc(starts),
            ends_at: utc(ends),
            cancelled,
            hotspot_ids: hotspots.iter().copied().map(HotspotId).collect(),
            members: Vec::new(),
        }
    }

    // Edmonton is UTC−7 until 12 March 2023: 20:00 local on 10 March is 03:00Z on 11 March.

    #[test]
    fn a_window_that_crossed_midnight_is_open_the_next_morning_and_belongs_to_the_day_before() {
        let at = utc("2023-03-11T08:30:00Z"); // 01:30 local on 11 March
        let window = open_window(&pilot(), &night_spot(1, 1), at);
        assert_eq!(
            window,
            Some((utc("2023-03-11T03:00:00Z"), utc("2023-03-11T09:00:00Z")))
        );
        assert_eq!(
            open_window(&pilot(), &night_spot(1, 1), utc("2023-03-11T09:00:00Z")),
            None
        );
        assert!(open_window(&pilot(), &night_spot(1, 1), utc("2023-03-11T03:00:00Z")).is_some());
    }

    #[test]
    fn a_window_that_opened_before_the_pilot_or_the_hotspot_is_not_open() {
        // 01:00 local on 1 March: the window opened on 28 February, before the pilot.
        let at = utc("2023-03-01T08:00:00Z");
        assert_eq!(open_window(&pilot(), &night_spot(1, 1), at), None);
        let mut late = night_spot(1, 1);
        late.watch.active_from = date(2023, 3, 11);
        assert_eq!(
            open_window(&pilot(), &late, utc("2023-03-11T04:00:00Z")),
            None
        );
        assert!(open_window(&pilot(), &late, utc("2023-03-12T04:00:00Z")).is_some());
    }

    #[test]
    fn time_since_counts_from_the_later_of_the_last_arrival_and_the_window_opening() {
        let pilot = pilot();
        let spots = [night_spot(1, 2), night_spot(2, 1), night_spot(3, 1)];
        let visits = [
            // Hotspot 1: last arrival in the previous night's window; counts from tonight's opening.
            visit(1, "2023-03-10T05:00:00Z", "2023-03-10T05:20:00Z"),
            // Hotspot 2: arrived 20 minutes before the moment.
            visit(2, "2023-03-11T04:00:00Z", "2023-03-11T04:05:00Z"),
            visit(2, "2023-03-11T05:10:00Z", "2023-03-11T05:15:00Z"),
            // A visit arriving after the moment is not counted.
            visit(3, "2023-03-11T05:40:00Z", "2023-03-11T05:50:00Z"),
        ];
        let at = utc("2023-03-11T05:30:00Z"); // 22:30 local on 10 March
        let open = open_hotspots(&pilot, &spots, &visits, at);
        let seen: Vec<(i64, i64, bool, Option<DateTime<Utc>>)> = open
            .iter()
            .map(|h| {
                (
                    h.hotspot_id.0,
                    h.minutes_since(),
                    h.is_overdue(),
                    h.last_visit_arrived_at,
                )
            })
            .collect();
        assert_eq!(
            seen,
            vec![
                // Overdue first (150 > 90, priority 1), then the other overdue (priority 2).
                (3, 150, true, None),
                (1, 150, true, Some(utc("2023-03-10T05:00:00Z"))),
                (2, 20, false, Some(utc("2023-03-11T05:10:00Z"))),
            ]
        );
    }

    #[test]
    fn overdue_means_longer_than_the_gap_aimed_for_not_equal_to_it() {
        let at = utc("2023-03-11T04:30:00Z"); // exactly 90 minutes after the 03:00Z opening
        let open = open_hotspots(&pilot(), &[night_spot(1, 1)], &[], at);
        assert_eq!(open[0].minutes_since(), 90);
        assert!(!open[0].is_overdue());
        let later = open_hotspots(
            &pilot(),
            &[night_spot(1, 1)],
            &[],
            at + TimeDelta::seconds(1),
        );
        assert!(later[0].is_overdue());
    }

    #[test]
    fn on_duty_includes_the_start_excludes_the_end_and_never_a_cancelled_shift() {
        let live = shift("2023-03-11T03:00:00Z", "2023-03-11T11:00:00Z", &[1], false);
        assert!(is_on_duty(&live, utc("2023-03-11T03:00:00Z")));
        assert!(!is_on_duty(&live, utc("2023-03-11T11:00:00Z")));
        let cancelled = shift("2023-03-11T03:00:00Z", "2023-03-11T11:00:00Z", &[1], true);
        assert!(!is_on_duty(&cancelled, utc("2023-03-11T05:00:00Z")));
    }

    #[test]
    fn unplanned_ahead_lists_the_blocks_of_the_next_four_hours_no_shift_covers() {
        let pilot = pilot();
        // At 21:30 local on 10 March: blocks 21–22 (under way) to 01–02 overlap the next 4 hours.
        let at = utc("2023-03-11T04:30:00Z");
        // A shift directed to hotspot 1 from 22:00 to 00:30 local covers 22–23 and 23–00, and
        // half of 00–01; a cancelled one covering everything plans nothing.
        let shifts = [
            shift("2023-03-11T05:00:00Z", "2023-03-11T07:30:00Z", &[1], false),
            shift("2023-03-11T03:00:00Z", "2023-03-11T09:00:00Z", &[1], true),
        ];
        let ahead = unplanned_ahead(&pilot, &[night_spot(1, 1)], &shifts, at);
        let starts: Vec<DateTime<Utc>> = ahead.iter().map(|(_, b)| b.starts_at).collect();
        assert_eq!(
            starts,
            vec![utc("2023-03-11T04:00:00Z"), utc("2023-03-11T08:00:00Z")],
            "21–22 (under way) and 01–02; 02:00 closes the window"
        );
    }
}
