use super::super::demo::plan;
use super::*;

fn demo_outcomes() -> (Vec<ShiftDef>, Vec<VisitDef>, Vec<ActivityDef>) {
    let plan =
        plan(&super::super::districts::communities().expect("communities")).expect("demo plan");
    (plan.shifts, plan.visits, plan.activities)
}

#[test]
fn visits_lie_inside_their_shift_in_order_and_at_its_hotspots() {
    let (shifts, visits, _) = demo_outcomes();
    assert!(visits.len() > 1000);
    for pair in visits.windows(2) {
        if pair[0].shift == pair[1].shift {
            assert!(pair[0].departed_at < pair[1].arrived_at, "{pair:?}");
        }
    }
    for v in &visits {
        let s = &shifts[v.shift];
        assert_eq!(s.status, ShiftStatus::Completed);
        assert!(s.hotspots.contains(&v.hotspot));
        assert!(
            s.starts_at <= v.arrived_at
                && v.arrived_at < v.departed_at
                && v.departed_at <= s.ends_at
        );
    }
}

#[test]
fn dwell_times_have_a_realistic_spread() {
    let (_, visits, _) = demo_outcomes();
    let n = visits.len() as f64;
    let share = |f: &dyn Fn(i64) -> bool| {
        visits
            .iter()
            .filter(|v| f((v.departed_at - v.arrived_at).num_seconds()))
            .count() as f64
            / n
    };
    let pass_through = share(&|s| s < 120);
    let typical = share(&|s| (300..=1200).contains(&s));
    let long = share(&|s| s >= 1800);
    assert!(
        (0.10..=0.15).contains(&pass_through),
        "pass-throughs {pass_through}"
    );
    assert!(typical > 0.6, "5–20 minutes {typical}");
    assert!((0.05..=0.12).contains(&long), "long stays {long}");
    assert!(visits.iter().any(|v| v.source == VisitSource::Avl));
}

#[test]
fn every_activity_kind_appears_inside_its_shift() {
    let (shifts, _, activities) = demo_outcomes();
    for (kind, _, _) in KINDS {
        assert!(
            activities.iter().any(|a| a.kind == kind),
            "{kind} never logged"
        );
    }
    let engagements = activities
        .iter()
        .filter(|a| a.kind == "proactive_engagement")
        .count();
    assert!(
        engagements * 3 > activities.len(),
        "mostly proactive engagements"
    );
    assert!(
        activities.iter().any(|a| a.hotspot.is_none())
            && activities.iter().any(|a| a.hotspot.is_some())
    );
    for a in &activities {
        let s = &shifts[a.shift];
        assert!(a.count >= 1);
        assert!(s.starts_at <= a.occurred_at && a.occurred_at < s.ends_at);
    }
}

#[test]
fn cancelled_shifts_have_no_outcomes() {
    let (shifts, visits, activities) = demo_outcomes();
    assert!(
        visits
            .iter()
            .all(|v| shifts[v.shift].status == ShiftStatus::Completed)
    );
    assert!(
        activities
            .iter()
            .all(|a| shifts[a.shift].status == ShiftStatus::Completed)
    );
}

#[test]
fn a_watch_window_across_midnight_is_open_on_both_sides_of_it() {
    let at = |h| NaiveTime::from_hms_opt(h, 0, 0).expect("time");
    assert!(window_open(at(22), at(2), at(23)));
    assert!(window_open(at(22), at(2), at(1)));
    assert!(!window_open(at(22), at(2), at(2)));
    assert!(!window_open(at(22), at(2), at(12)));
    assert!(window_open(at(7), at(19), at(7)));
    assert!(!window_open(at(7), at(19), at(19)));
}
