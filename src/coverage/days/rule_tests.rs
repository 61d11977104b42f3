//! Hand-worked rules of one hotspot-day: planning by shifts, and what visits count for.

use chrono::TimeDelta;

use super::tests::{MINUTE, refs};
use crate::coverage::fixtures::{date, hotspot, local, pilot, shift, time, visit};
use crate::coverage::{Visit, blocks, hotspot_days};
use crate::domain::ids::{HotspotId, ShiftId};

#[test]
fn two_teams_at_a_hotspot_at_once_count_once_in_patrol_time_and_both_in_officer_time() {
    let pilot = pilot(date(2023, 5, 1), date(2023, 5, 31));
    let hotspot = hotspot(time(8, 0), time(20, 0));
    let mut first = visit(local(2023, 5, 1, 10, 0), local(2023, 5, 1, 10, 30), 2);
    let mut second = visit(local(2023, 5, 1, 10, 15), local(2023, 5, 1, 10, 45), 3);
    (first.shift_id, second.shift_id) = (ShiftId(1), ShiftId(2));
    let days = hotspot_days(
        &pilot,
        &hotspot,
        date(2023, 5, 1),
        date(2023, 5, 1),
        &[],
        &[&first, &second],
    );
    assert_eq!(days[0].1.patrol_seconds, 45 * MINUTE);
    assert_eq!(days[0].1.officer_seconds, (30 * 2 + 30 * 3) * MINUTE);
    assert_eq!(days[0].1.capped_patrol_seconds, 45 * MINUTE);
    // 08:00 to 10:00 before them, 10:45 to 20:00 after.
    assert_eq!(days[0].1.longest_gap_seconds, (9 * 60 + 15) * MINUTE);
}

#[test]
fn one_shift_on_duty_for_exactly_half_a_block_plans_it_and_a_minute_less_does_not() {
    let pilot = pilot(date(2023, 5, 1), date(2023, 5, 31));
    let hotspot = hotspot(time(10, 0), time(11, 0));
    let half = shift(
        ShiftId(1),
        local(2023, 5, 1, 9, 0),
        local(2023, 5, 1, 10, 30),
        &[HotspotId(1)],
        &[],
    );
    let short = shift(
        ShiftId(2),
        local(2023, 5, 1, 10, 31),
        local(2023, 5, 1, 12, 0),
        &[HotspotId(1)],
        &[],
    );
    assert!(blocks(&pilot, &hotspot, date(2023, 5, 1), &[&half], &[])[0].planned);
    assert!(!blocks(&pilot, &hotspot, date(2023, 5, 1), &[&short], &[])[0].planned);
}

#[test]
fn two_shifts_of_twenty_minutes_in_one_block_do_not_plan_it() {
    let pilot = pilot(date(2023, 5, 1), date(2023, 5, 31));
    let hotspot = hotspot(time(10, 0), time(11, 0));
    let first = shift(
        ShiftId(1),
        local(2023, 5, 1, 10, 0),
        local(2023, 5, 1, 10, 20),
        &[HotspotId(1)],
        &[],
    );
    let second = shift(
        ShiftId(2),
        local(2023, 5, 1, 10, 30),
        local(2023, 5, 1, 10, 50),
        &[HotspotId(1)],
        &[],
    );
    assert!(!blocks(&pilot, &hotspot, date(2023, 5, 1), &[&first, &second], &[])[0].planned);
}

#[test]
fn cancelled_shifts_and_shifts_directed_elsewhere_plan_nothing() {
    let pilot = pilot(date(2023, 5, 1), date(2023, 5, 31));
    let hotspot = hotspot(time(10, 0), time(12, 0));
    let mut cancelled = shift(
        ShiftId(1),
        local(2023, 5, 1, 9, 0),
        local(2023, 5, 1, 13, 0),
        &[HotspotId(1)],
        &[],
    );
    cancelled.cancelled = true;
    let elsewhere = shift(
        ShiftId(2),
        local(2023, 5, 1, 9, 0),
        local(2023, 5, 1, 13, 0),
        &[HotspotId(2)],
        &[],
    );
    let days = hotspot_days(
        &pilot,
        &hotspot,
        date(2023, 5, 1),
        date(2023, 5, 1),
        &[&cancelled, &elsewhere],
        &[],
    );
    assert_eq!((days[0].1.blocks, days[0].1.planned_blocks), (2, 0));
}

#[test]
fn koper_pass_through_and_delivery_boundaries_are_inclusive_where_design_says() {
    let pilot = pilot(date(2023, 5, 1), date(2023, 5, 31));
    let hotspot = hotspot(time(8, 0), time(20, 0));
    // One visit an hour from 08:00, dwelling 9:59, 10:00, 16:00, 16:01, 1:59 and 2:00.
    let dwells = [599, 600, 960, 961, 119, 120];
    let visits: Vec<Visit> = dwells
        .iter()
        .zip(8..)
        .map(|(dwell, hour)| {
            let arrived = local(2023, 5, 1, hour, 0);
            visit(arrived, arrived + TimeDelta::seconds(*dwell), 1)
        })
        .collect();
    let days = hotspot_days(
        &pilot,
        &hotspot,
        date(2023, 5, 1),
        date(2023, 5, 1),
        &[],
        &refs(&visits),
    );
    assert_eq!(days[0].1.visits, 6);
    assert_eq!(days[0].1.koper_visits, 2, "10:00 and 16:00 only");
    assert_eq!(days[0].1.pass_throughs, 1, "1:59 only");
    assert_eq!(days[0].1.delivered_blocks, 3, "10:00, 16:00 and 16:01");
    let delivered: Vec<bool> = blocks(&pilot, &hotspot, date(2023, 5, 1), &[], &refs(&visits))
        .iter()
        .take(4)
        .map(|block| block.delivered)
        .collect();
    assert_eq!(
        delivered,
        vec![false, true, true, true],
        "9:59 delivers nothing"
    );
    assert_eq!(days[0].1.officer_seconds, dwells.iter().sum::<i64>());
}

#[test]
fn a_visit_arriving_at_a_block_end_delivers_the_next_block_and_visits_elsewhere_are_ignored() {
    let pilot = pilot(date(2023, 5, 1), date(2023, 5, 31));
    let hotspot = hotspot(time(8, 0), time(10, 0));
    let at_nine = visit(local(2023, 5, 1, 9, 0), local(2023, 5, 1, 9, 10), 1);
    let mut elsewhere = visit(local(2023, 5, 1, 8, 0), local(2023, 5, 1, 8, 30), 1);
    elsewhere.hotspot_id = HotspotId(2);
    let visits = [&at_nine, &elsewhere];
    let delivered: Vec<bool> = blocks(&pilot, &hotspot, date(2023, 5, 1), &[], &visits)
        .iter()
        .map(|block| block.delivered)
        .collect();
    assert_eq!(delivered, vec![false, true]);
    let days = hotspot_days(
        &pilot,
        &hotspot,
        date(2023, 5, 1),
        date(2023, 5, 1),
        &[],
        &visits,
    );
    assert_eq!(
        (days[0].1.visits, days[0].1.patrol_seconds),
        (1, 10 * MINUTE)
    );
}
