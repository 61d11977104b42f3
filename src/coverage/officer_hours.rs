//! Officer-hours: members' shift time, by agency, rolled up by team, district and ISO week.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Datelike, IsoWeek, NaiveDate};

use super::{Agency, Hotspot, Pilot, Shift, local_date};

/// Seconds of members' shift time, each roll-up split by agency. Exact integer seconds, except
/// by district: a shift's time is split evenly among its districts, so those are `f64` seconds
/// (a three-way split has no exact integer form); they still add up to the total within rounding.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OfficerHours {
    /// Seconds by agency.
    pub by_agency: BTreeMap<Agency, i64>,
    /// Seconds by team id, then agency.
    pub by_team: BTreeMap<i64, BTreeMap<Agency, i64>>,
    /// Seconds by district id (`None` for shifts directed to no known hotspot), then agency.
    pub by_district: BTreeMap<Option<i64>, BTreeMap<Agency, f64>>,
    /// Seconds by ISO week of the shift's local start date, then agency.
    pub by_week: BTreeMap<IsoWeek, BTreeMap<Agency, i64>>,
}

impl OfficerHours {
    /// All members' shift time, in seconds.
    pub fn total_seconds(&self) -> i64 {
        self.by_agency.values().sum()
    }

    /// Seconds worked by `agency`.
    pub fn agency_seconds(&self, agency: Agency) -> i64 {
        self.by_agency.get(&agency).copied().unwrap_or(0)
    }

    /// Seconds worked in `district` (`None`: shifts directed to no hotspot), all agencies.
    pub fn district_seconds(&self, district_id: Option<i64>) -> f64 {
        self.by_district
            .get(&district_id)
            .map_or(0.0, |by_agency| by_agency.values().sum())
    }
}

/// Officer-hours of the non-cancelled shifts that start on a local date from `from` to `to`: each
/// member contributes the shift's real duration. A shift's districts are those of the hotspots it
/// is directed to that appear in `hotspots`; unknown hotspot ids are ignored.
pub fn officer_hours(
    pilot: &Pilot,
    hotspots: &[Hotspot],
    shifts: &[Shift],
    from: NaiveDate,
    to: NaiveDate,
) -> OfficerHours {
    let district_of: HashMap<i64, i64> = hotspots
        .iter()
        .map(|hotspot| (hotspot.id, hotspot.district_id))
        .collect();
    let mut hours = OfficerHours::default();
    for shift in shifts.iter().filter(|shift| !shift.cancelled) {
        let started_on = local_date(pilot.time_zone, shift.starts_at);
        if started_on < from || started_on > to {
            continue;
        }
        let seconds = shift.duration().num_seconds();
        let districts: BTreeSet<Option<i64>> = shift
            .hotspot_ids
            .iter()
            .filter_map(|hotspot_id| district_of.get(hotspot_id).copied().map(Some))
            .collect();
        let districts = if districts.is_empty() {
            BTreeSet::from([None])
        } else {
            districts
        };
        let share = seconds as f64 / districts.len() as f64;
        let week = started_on.iso_week();
        for &agency in &shift.members {
            *hours.by_agency.entry(agency).or_default() += seconds;
            *hours
                .by_team
                .entry(shift.team_id)
                .or_default()
                .entry(agency)
                .or_default() += seconds;
            *hours
                .by_week
                .entry(week)
                .or_default()
                .entry(agency)
                .or_default() += seconds;
            for district in &districts {
                *hours
                    .by_district
                    .entry(*district)
                    .or_default()
                    .entry(agency)
                    .or_default() += share;
            }
        }
    }
    hours
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coverage::fixtures::{date, hotspot, local, pilot, shift, time};
    use Agency::{AlbertaSheriffs, Cps};

    const HOUR: i64 = 3600;

    fn hotspots() -> Vec<Hotspot> {
        let mut a = hotspot(time(22, 0), time(6, 0));
        let mut b = a.clone();
        let mut c = a.clone();
        (a.id, a.district_id) = (1, 10);
        (b.id, b.district_id) = (2, 20);
        (c.id, c.district_id) = (3, 20);
        vec![a, b, c]
    }

    #[test]
    fn a_night_shift_over_spring_forward_counts_seven_hours_a_member() {
        let pilot = pilot(date(2023, 3, 11), date(2023, 3, 12));
        let night = shift(
            1,
            local(2023, 3, 11, 22, 0),
            local(2023, 3, 12, 6, 0),
            &[1],
            &[Cps, AlbertaSheriffs],
        );
        let hours = officer_hours(
            &pilot,
            &hotspots(),
            &[night],
            date(2023, 3, 11),
            date(2023, 3, 12),
        );
        assert_eq!(hours.agency_seconds(Cps), 7 * HOUR);
        assert_eq!(hours.agency_seconds(AlbertaSheriffs), 7 * HOUR);
        assert_eq!(hours.total_seconds(), 14 * HOUR);
    }

    #[test]
    fn a_night_shift_over_fall_back_counts_nine_hours() {
        let pilot = pilot(date(2023, 11, 1), date(2023, 11, 30));
        let night = shift(
            1,
            local(2023, 11, 4, 22, 0),
            local(2023, 11, 5, 6, 0),
            &[1],
            &[Cps],
        );
        let hours = officer_hours(
            &pilot,
            &hotspots(),
            &[night],
            date(2023, 11, 4),
            date(2023, 11, 4),
        );
        assert_eq!(hours.total_seconds(), 9 * HOUR);
    }

    #[test]
    fn a_shift_directed_to_two_districts_gives_each_half() {
        let pilot = pilot(date(2023, 5, 1), date(2023, 5, 31));
        // Hotspots 2 and 3 share district 20: two districts, not three.
        let split = shift(
            1,
            local(2023, 5, 1, 8, 0),
            local(2023, 5, 1, 16, 0),
            &[1, 2, 3],
            &[Cps, Cps],
        );
        let hours = officer_hours(
            &pilot,
            &hotspots(),
            &[split],
            date(2023, 5, 1),
            date(2023, 5, 1),
        );
        assert_eq!(hours.district_seconds(Some(10)), 8.0 * HOUR as f64);
        assert_eq!(hours.district_seconds(Some(20)), 8.0 * HOUR as f64);
        assert_eq!(hours.district_seconds(None), 0.0);
    }

    #[test]
    fn a_shift_directed_to_no_hotspot_goes_to_no_district() {
        let pilot = pilot(date(2023, 5, 1), date(2023, 5, 31));
        let undirected = shift(
            1,
            local(2023, 5, 1, 8, 0),
            local(2023, 5, 1, 10, 0),
            &[],
            &[AlbertaSheriffs],
        );
        let hours = officer_hours(
            &pilot,
            &hotspots(),
            &[undirected],
            date(2023, 5, 1),
            date(2023, 5, 1),
        );
        assert_eq!(hours.district_seconds(None), 2.0 * HOUR as f64);
    }

    #[test]
    fn cancelled_shifts_and_shifts_starting_outside_the_range_count_nothing() {
        let pilot = pilot(date(2023, 5, 1), date(2023, 5, 31));
        let mut cancelled = shift(
            1,
            local(2023, 5, 1, 8, 0),
            local(2023, 5, 1, 16, 0),
            &[1],
            &[Cps],
        );
        cancelled.cancelled = true;
        // Starts on 30 April at 23:00 local, though 1 May in UTC.
        let before = shift(
            2,
            local(2023, 4, 30, 23, 0),
            local(2023, 5, 1, 7, 0),
            &[1],
            &[Cps],
        );
        let hours = officer_hours(
            &pilot,
            &hotspots(),
            &[cancelled, before],
            date(2023, 5, 1),
            date(2023, 5, 31),
        );
        assert_eq!(hours, OfficerHours::default());
    }

    #[test]
    fn hours_roll_up_by_team_and_by_the_iso_week_of_the_local_start() {
        let pilot = pilot(date(2023, 5, 1), date(2023, 5, 31));
        // Sunday 7 May 22:00 is ISO week 18 although it ends in week 19.
        let mut sunday = shift(
            1,
            local(2023, 5, 7, 22, 0),
            local(2023, 5, 8, 6, 0),
            &[1],
            &[Cps],
        );
        sunday.team_id = 5;
        let monday = shift(
            2,
            local(2023, 5, 8, 8, 0),
            local(2023, 5, 8, 9, 0),
            &[1],
            &[Cps, AlbertaSheriffs],
        );
        let hours = officer_hours(
            &pilot,
            &hotspots(),
            &[sunday, monday],
            date(2023, 5, 1),
            date(2023, 5, 31),
        );
        let weeks: Vec<(u32, i64)> = hours
            .by_week
            .iter()
            .map(|(week, by_agency)| (week.week(), by_agency.values().sum()))
            .collect();
        assert_eq!(weeks, vec![(18, 8 * HOUR), (19, 2 * HOUR)]);
        assert_eq!(hours.by_team[&5][&Cps], 8 * HOUR);
        assert_eq!(hours.by_team[&100][&AlbertaSheriffs], HOUR);
    }
}
