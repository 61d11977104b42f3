use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use chrono_tz::America::Edmonton;

use geo::Contains;

use super::*;
use crate::domain::ShiftStatus;
use crate::import::geometry;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

/// Two weeks around the spring-forward night of 12 March 2023.
fn spring() -> Plan {
    plan(Edmonton, date(2023, 3, 6), date(2023, 3, 19), 7).expect("plan")
}

/// A boundary read and checked as an import would, so the benchmark pilot holds real shapes.
fn shape(geometry: &Value, allow_multi: bool) -> geo::MultiPolygon {
    let shape = geometry::from_geojson(geometry, allow_multi).expect("a polygon");
    assert_eq!(geometry::check(&shape), Ok(()));
    shape
}

#[test]
fn eight_districts_tile_the_area_and_every_hotspot_lies_inside_its_own() {
    let p = spring();
    assert_eq!(p.districts.len(), 8);
    assert_eq!(p.hotspots.len(), 240);
    for (i, d) in p.districts.iter().enumerate() {
        assert_eq!(d.code, format!("D{}", i + 1));
        assert_eq!(d.name, format!("District {}", i + 1));
        assert_eq!(d.boundary["type"], "MultiPolygon");
        assert_eq!(shape(&d.boundary, true).0[0].exterior().0.len(), 5);
    }
    let total_area: f64 = p
        .districts
        .iter()
        .map(|d| (d.bounds.2 - d.bounds.0) * (d.bounds.3 - d.bounds.1))
        .sum();
    assert!((total_area - 8.0 * CELL.0 * CELL.1).abs() < 1e-9);
    for h in &p.hotspots {
        assert_eq!(h.boundary["type"], "Polygon");
        let district = shape(&p.districts[h.district].boundary, true);
        assert!(district.contains(&shape(&h.boundary, false)), "{}", h.name);
    }
    let names: std::collections::HashSet<_> = p.hotspots.iter().map(|h| &h.name).collect();
    assert_eq!(names.len(), 240);
}

#[test]
fn no_officer_is_ever_on_two_overlapping_shifts() {
    let p = spring();
    assert_eq!(p.officers.len(), 1800);
    let mut periods: Vec<(u32, DateTime<Utc>, DateTime<Utc>)> = p
        .shifts
        .iter()
        .filter(|s| s.status.counts())
        .flat_map(|s| s.members.iter().map(move |&m| (m, s.starts_at, s.ends_at)))
        .collect();
    periods.sort();
    for pair in periods.windows(2) {
        if pair[0].0 == pair[1].0 {
            assert!(pair[0].2 <= pair[1].1, "officer {} overlaps", pair[0].0);
        }
    }
}

#[test]
fn shifts_are_staffed_by_their_team_and_directed_to_active_hotspots_of_its_district() {
    let p = spring();
    let per_day = p.shifts.len() as f64 / 14.0;
    assert!((600.0..=770.0).contains(&per_day), "{per_day} shifts a day");
    for s in &p.shifts {
        let team = &p.teams[s.team as usize];
        assert!((2..=3).contains(&s.members.len()));
        assert!(
            s.members
                .iter()
                .all(|m| team.members.contains(&(*m as usize)))
        );
        assert!((1..=3).contains(&s.hotspots.len()));
        let day = s.starts_at.with_timezone(&Edmonton).date_naive();
        for &h in &s.hotspots {
            let h = &p.hotspots[usize::from(h)];
            assert!(h.active_on(day) && h.district == team.district);
        }
    }
}

#[test]
fn the_spring_forward_night_lasts_seven_hours_and_the_fall_back_night_nine() {
    let p = spring();
    let night = |p: &Plan, start: &str| -> Vec<TimeDelta> {
        p.shifts
            .iter()
            .filter(|s| s.starts_at.to_rfc3339() == start)
            .map(|s| s.ends_at - s.starts_at)
            .collect()
    };
    let spring_nights = night(&p, "2023-03-12T05:00:00+00:00");
    assert!(!spring_nights.is_empty());
    assert!(spring_nights.iter().all(|d| *d == TimeDelta::hours(7)));
    let fall = plan(Edmonton, date(2023, 11, 3), date(2023, 11, 6), 7).expect("plan");
    let fall_nights = night(&fall, "2023-11-05T04:00:00+00:00");
    assert!(!fall_nights.is_empty());
    assert!(fall_nights.iter().all(|d| *d == TimeDelta::hours(9)));
}

#[test]
fn visits_and_activities_lie_inside_completed_shifts_at_their_hotspots() {
    let p = spring();
    let per_shift = p.visits.len() as f64 / p.shifts.len() as f64;
    assert!(
        (5.0..=7.5).contains(&per_shift),
        "{per_shift} visits a shift"
    );
    let per_shift = p.activities.len() as f64 / p.shifts.len() as f64;
    assert!(
        (0.8..=1.6).contains(&per_shift),
        "{per_shift} activities a shift"
    );
    let mut last_departure: HashMap<u32, DateTime<Utc>> = HashMap::new();
    for v in &p.visits {
        let s = &p.shifts[v.shift as usize];
        assert_eq!(s.status, ShiftStatus::Completed);
        assert!(s.hotspots.contains(&v.hotspot));
        assert!(s.starts_at <= v.arrived_at && v.arrived_at < v.departed_at);
        assert!(v.departed_at <= s.ends_at);
        if let Some(previous) = last_departure.insert(v.shift, v.departed_at) {
            assert!(
                previous < v.arrived_at,
                "visits of a shift come one after another"
            );
        }
    }
    for a in &p.activities {
        let s = &p.shifts[a.shift as usize];
        assert_eq!(s.status, ShiftStatus::Completed);
        assert!(s.starts_at <= a.occurred_at && a.occurred_at < s.ends_at);
        assert!(a.hotspot.is_none_or(|h| s.hotspots.contains(&h)));
    }
}

#[test]
fn the_plan_is_the_same_every_time() {
    let a = plan(Edmonton, date(2023, 6, 1), date(2023, 6, 3), 11).expect("plan");
    let b = plan(Edmonton, date(2023, 6, 1), date(2023, 6, 3), 11).expect("plan");
    assert_eq!(a.visits, b.visits);
    assert_eq!(a.activities, b.activities);
    let key = |s: &Shift| {
        (
            s.team,
            s.starts_at,
            s.status,
            s.members.clone(),
            s.hotspots.clone(),
        )
    };
    assert!(a.shifts.iter().map(key).eq(b.shifts.iter().map(key)));
}
