//! Hand-worked days of one hotspot, the worked example of docs/coverage.md first.

use chrono::{TimeDelta, Timelike};

use crate::coverage::fixtures::{date, hotspot, local, pilot, shift, time, utc, visit};
use crate::coverage::{
    DayFigures, Shift, Visit, blocks, blocks_in_range, hotspot_days, hotspot_days_with_blocks,
};
use crate::domain::ids::{HotspotId, ShiftId};

/// Seconds in a minute.
pub(super) const MINUTE: i64 = 60;

fn total(days: &[(chrono::NaiveDate, DayFigures)]) -> DayFigures {
    days.iter().map(|(_, figures)| figures).sum()
}

pub(super) fn refs<T>(items: &[T]) -> Vec<&T> {
    items.iter().collect()
}

fn worked_example() -> (Vec<Shift>, Vec<Visit>) {
    let a = shift(
        ShiftId(1),
        local(2023, 3, 11, 22, 0),
        local(2023, 3, 12, 6, 0),
        &[HotspotId(1)],
        &["cps", "alberta_sheriffs"],
    );
    let mut b = shift(
        ShiftId(2),
        local(2023, 3, 12, 22, 0),
        local(2023, 3, 13, 6, 0),
        &[HotspotId(1)],
        &["cps"],
    );
    b.cancelled = true;
    // 01:50 MST to 03:05 MDT is 15 real minutes.
    let first = visit(utc("2023-03-12T08:50:00Z"), utc("2023-03-12T09:05:00Z"), 2);
    let second = visit(local(2023, 3, 11, 23, 0), local(2023, 3, 11, 23, 5), 2);
    (vec![a, b], vec![first, second])
}

#[test]
fn the_worked_example_of_design_section_3_gives_its_figures() {
    let pilot = pilot(date(2023, 3, 11), date(2023, 3, 12));
    let hotspot = hotspot(time(22, 0), time(6, 0));
    let (shifts, visits) = worked_example();
    let days = hotspot_days(
        &pilot,
        &hotspot,
        date(2023, 3, 11),
        date(2023, 3, 12),
        &refs(&shifts),
        &refs(&visits),
    );

    assert_eq!(days[0].1.blocks, 7);
    assert_eq!(days[1].1.blocks, 8);
    let sum = total(&days);
    assert_eq!(sum.blocks, 15);
    assert_eq!(sum.planned_blocks, 7);
    assert!((sum.planned_pct() - 46.666_666_7).abs() < 1e-6);
    assert_eq!(sum.delivered_blocks, 1);
    assert!((sum.delivered_pct() - 6.666_666_7).abs() < 1e-6);
    assert_eq!(sum.patrol_minutes(), 20.0);
    assert_eq!(sum.visits, 2);
    assert_eq!(sum.koper_visits, 1);
    assert_eq!(sum.pass_throughs, 0);
    assert_eq!(sum.officer_minutes(), 40.0);
}

#[test]
fn the_worked_example_attributes_visits_by_arrival_and_measures_gaps_and_dosage() {
    let pilot = pilot(date(2023, 3, 11), date(2023, 3, 12));
    let hotspot = hotspot(time(22, 0), time(6, 0));
    let (shifts, visits) = worked_example();
    let days = hotspot_days(
        &pilot,
        &hotspot,
        date(2023, 3, 11),
        date(2023, 3, 12),
        &refs(&shifts),
        &refs(&visits),
    );

    // Visit 2 arrived on 11 March, visit 1 (01:50) on 12 March; both lie in 11 March's window.
    assert_eq!((days[0].1.visits, days[1].1.visits), (1, 1));
    assert_eq!(
        (days[0].1.patrol_seconds, days[1].1.patrol_seconds),
        (20 * MINUTE, 0)
    );
    // The 11 March window is 7 real hours; its longest gap runs from 03:05 MDT to 06:00.
    assert_eq!(days[0].1.window_seconds, 7 * 60 * MINUTE);
    assert_eq!(days[0].1.longest_gap_seconds, 175 * MINUTE);
    assert_eq!(days[1].1.longest_gap_seconds, 8 * 60 * MINUTE);
    // 20 of 60 target minutes on the first day, none on the second.
    assert_eq!(total(&days).capped_patrol_seconds, 20 * MINUTE);
    assert!((total(&days).dosage_pct() - 100.0 / 6.0).abs() < 1e-9);
}

#[test]
fn on_the_spring_forward_night_the_0200_block_does_not_exist() {
    let pilot = pilot(date(2023, 3, 11), date(2023, 3, 12));
    let hotspot = hotspot(time(22, 0), time(6, 0));
    let blocks = blocks(&pilot, &hotspot, date(2023, 3, 11), &[], &[]);
    let hours: Vec<u32> = blocks
        .iter()
        .map(|block| block.local_start.hour())
        .collect();
    assert_eq!(hours, vec![22, 23, 0, 1, 3, 4, 5]);
    assert!(blocks.iter().all(|block| block.seconds() == 60 * MINUTE));
    assert_eq!(blocks[3].ends_at, utc("2023-03-12T09:00:00Z"));
    assert_eq!(blocks[4].starts_at, utc("2023-03-12T09:00:00Z"));
}

#[test]
fn on_the_fall_back_night_the_0100_block_lasts_two_real_hours() {
    let pilot = pilot(date(2023, 11, 1), date(2023, 11, 30));
    let hotspot = hotspot(time(0, 0), time(6, 0));
    let blocks = blocks(&pilot, &hotspot, date(2023, 11, 5), &[], &[]);
    let lengths: Vec<i64> = blocks
        .iter()
        .map(|block| block.seconds() / MINUTE)
        .collect();
    assert_eq!(lengths, vec![60, 120, 60, 60, 60, 60]);
    assert_eq!(blocks[1].starts_at, utc("2023-11-05T07:00:00Z"));
    let days = hotspot_days(
        &pilot,
        &hotspot,
        date(2023, 11, 5),
        date(2023, 11, 5),
        &[],
        &[],
    );
    assert_eq!(days[0].1.window_seconds, 7 * 60 * MINUTE);
}

#[test]
fn half_of_a_two_hour_fall_back_block_is_an_hour() {
    let pilot = pilot(date(2023, 11, 1), date(2023, 11, 30));
    let hotspot = hotspot(time(0, 0), time(6, 0));
    let start = utc("2023-11-05T07:00:00Z");
    let hour = shift(
        ShiftId(1),
        start,
        start + TimeDelta::minutes(60),
        &[HotspotId(1)],
        &[],
    );
    let less = shift(
        ShiftId(2),
        start,
        start + TimeDelta::minutes(59),
        &[HotspotId(1)],
        &[],
    );
    assert!(blocks(&pilot, &hotspot, date(2023, 11, 5), &[&hour], &[])[1].planned);
    assert!(!blocks(&pilot, &hotspot, date(2023, 11, 5), &[&less], &[])[1].planned);
}

#[test]
fn a_window_crossing_midnight_belongs_to_the_day_it_opens_but_visits_to_their_arrival_date() {
    let pilot = pilot(date(2023, 5, 1), date(2023, 5, 31));
    let hotspot = hotspot(time(10, 0), time(2, 0));
    let late = visit(local(2023, 5, 2, 1, 0), local(2023, 5, 2, 1, 30), 1);
    let days = hotspot_days(
        &pilot,
        &hotspot,
        date(2023, 5, 1),
        date(2023, 5, 2),
        &[],
        &[&late],
    );
    assert_eq!(days[0].1.blocks, 16);
    assert_eq!(days[0].1.patrol_seconds, 30 * MINUTE);
    assert_eq!(days[0].1.delivered_blocks, 1);
    assert_eq!(days[0].1.visits, 0);
    assert_eq!(days[1].1.patrol_seconds, 0);
    assert_eq!(days[1].1.visits, 1);
    let blocks = blocks(&pilot, &hotspot, date(2023, 5, 1), &[], &[&late]);
    let last = blocks.last().unwrap();
    assert_eq!(
        (last.date, last.local_start),
        (date(2023, 5, 1), date(2023, 5, 2).and_time(time(1, 0)))
    );
    assert!(last.delivered);
}

#[test]
fn a_hotspot_has_no_blocks_or_target_on_days_it_is_inactive_but_its_visits_still_count() {
    let pilot = pilot(date(2023, 5, 1), date(2023, 5, 3));
    let mut hotspot = hotspot(time(8, 0), time(10, 0));
    hotspot.watch.active_from = date(2023, 5, 2);
    let early = visit(local(2023, 5, 1, 9, 0), local(2023, 5, 1, 9, 15), 2);
    let days = hotspot_days(
        &pilot,
        &hotspot,
        date(2023, 5, 1),
        date(2023, 5, 4),
        &[],
        &[&early],
    );
    let blocks: Vec<i64> = days.iter().map(|(_, figures)| figures.blocks).collect();
    assert_eq!(
        blocks,
        vec![0, 2, 2, 0],
        "active from 2 May; the pilot ends on 3 May"
    );
    let targets: Vec<i64> = days
        .iter()
        .map(|(_, figures)| figures.target_seconds)
        .collect();
    assert_eq!(targets, vec![0, 60 * MINUTE, 60 * MINUTE, 0]);
    assert_eq!(days[0].1.visits, 1);
    assert_eq!(days[0].1.koper_visits, 1);
    assert_eq!(days[0].1.officer_seconds, 30 * MINUTE);
    assert_eq!(
        (days[0].1.patrol_seconds, days[0].1.longest_gap_seconds),
        (0, 0)
    );

    hotspot.watch.active_to = Some(date(2023, 5, 2));
    let days = hotspot_days(
        &pilot,
        &hotspot,
        date(2023, 5, 1),
        date(2023, 5, 4),
        &[],
        &[],
    );
    let blocks: Vec<i64> = days.iter().map(|(_, figures)| figures.blocks).collect();
    assert_eq!(blocks, vec![0, 2, 0, 0], "retired after 2 May");
}

#[test]
fn an_empty_range_has_no_days_and_a_day_without_shifts_or_visits_is_one_long_gap() {
    let pilot = pilot(date(2023, 5, 1), date(2023, 5, 31));
    let hotspot = hotspot(time(22, 0), time(6, 0));
    assert!(
        hotspot_days(
            &pilot,
            &hotspot,
            date(2023, 5, 2),
            date(2023, 5, 1),
            &[],
            &[]
        )
        .is_empty()
    );
    let days = hotspot_days(
        &pilot,
        &hotspot,
        date(2023, 5, 1),
        date(2023, 5, 1),
        &[],
        &[],
    );
    let day = days[0].1;
    assert_eq!(
        (day.blocks, day.planned_blocks, day.delivered_blocks),
        (8, 0, 0)
    );
    assert_eq!(day.longest_gap_seconds, 8 * 60 * MINUTE);
    assert_eq!(day.longest_gap_seconds, day.window_seconds);
    assert_eq!((day.patrol_seconds, day.capped_patrol_seconds), (0, 0));
    assert_eq!(day.planned_pct(), 0.0);
}

#[test]
fn days_with_blocks_agree_with_days_and_with_blocks_date_by_date() {
    let pilot = pilot(date(2023, 3, 11), date(2023, 3, 12));
    let hotspot = hotspot(time(22, 0), time(6, 0));
    let (shifts, visits) = worked_example();
    let (shifts, visits) = (refs(&shifts), refs(&visits));
    let (from, to) = (date(2023, 3, 10), date(2023, 3, 13));
    let together = hotspot_days_with_blocks(&pilot, &hotspot, from, to, &shifts, &visits);
    let days = hotspot_days(&pilot, &hotspot, from, to, &shifts, &visits);
    assert_eq!(together.len(), 4);
    for ((date, figures, day_blocks), (day, alone)) in together.iter().zip(&days) {
        assert_eq!((date, figures), (day, alone));
        assert_eq!(
            day_blocks,
            &blocks(&pilot, &hotspot, *date, &shifts, &visits)
        );
    }
    let in_range = blocks_in_range(&pilot, &hotspot, from, to, &shifts, &visits);
    assert_eq!(
        in_range,
        together
            .into_iter()
            .flat_map(|(_, _, blocks)| blocks)
            .collect::<Vec<_>>()
    );
}
