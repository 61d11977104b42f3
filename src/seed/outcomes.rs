//! What the demo shifts did: visits to their hotspots and the activities they logged.

use chrono::{DateTime, Duration, NaiveTime, Utc};
use chrono_tz::Tz;

use super::places::HotspotDef;
use super::rng::Rng;
use super::roster::ShiftDef;

/// A visit, ready to insert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitDef {
    /// Index into the shift list.
    pub shift: usize,
    /// Index into the hotspot list; one of the shift's hotspots.
    pub hotspot: usize,
    /// Arrival instant, inside the shift.
    pub arrived_at: DateTime<Utc>,
    /// Departure instant, after the arrival and inside the shift.
    pub departed_at: DateTime<Utc>,
    /// `report` or `avl`.
    pub source: &'static str,
}

/// An activity, ready to insert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityDef {
    /// Index into the shift list.
    pub shift: usize,
    /// Index into the hotspot list, when the activity happened during a visit.
    pub hotspot: Option<usize>,
    /// When it happened, inside the shift.
    pub occurred_at: DateTime<Utc>,
    /// One of [`KINDS`].
    pub kind: &'static str,
    /// At least 1.
    pub count: i32,
    /// A short note, often empty.
    pub note: &'static str,
}

/// Every activity kind the schema allows, with its relative frequency in the demo and notes.
pub const KINDS: [(&str, u32, &[&str]); 10] = [
    (
        "proactive_engagement",
        480,
        &[
            "Checked in with business owners.",
            "Talked with people at the platform.",
            "",
        ],
    ),
    (
        "community_referral",
        110,
        &[
            "Referred to the Calgary Drop-In Centre.",
            "Connected with outreach workers.",
            "",
        ],
    ),
    (
        "mental_health_referral",
        70,
        &[
            "Referred to the police and crisis team.",
            "Person accepted a mental-health referral.",
        ],
    ),
    (
        "addiction_referral",
        60,
        &[
            "Referred to addiction services.",
            "Given detox intake information.",
        ],
    ),
    (
        "call_for_service",
        130,
        &[
            "Disturbance call nearby.",
            "Assisted with a theft report.",
            "",
        ],
    ),
    (
        "warrant_executed",
        20,
        &["Outstanding warrant executed after a check."],
    ),
    (
        "charge_laid",
        40,
        &[
            "Charge laid after an assault.",
            "Charge laid for possession of stolen property.",
        ],
    ),
    (
        "ticket",
        50,
        &["Transit bylaw ticket.", "Provincial offence ticket.", ""],
    ),
    (
        "naloxone_administered",
        15,
        &[
            "Naloxone given; EMS attended.",
            "Overdose reversed before EMS arrived.",
        ],
    ),
    (
        "other",
        25,
        &["Found property returned.", "Welfare check.", ""],
    ),
];

/// How long a visit lasts: mostly 5–20 minutes, about one in eight a pass-through under two
/// minutes, some long stays of half an hour or more.
pub fn dwell(rng: &mut Rng) -> Duration {
    let r = rng.unit();
    if r < 0.12 {
        Duration::seconds(rng.range(30, 110))
    } else if r < 0.20 {
        Duration::minutes(rng.range(30, 90))
    } else if r < 0.26 {
        Duration::minutes(rng.range(21, 29))
    } else {
        Duration::minutes(rng.range(5, 20))
    }
}

/// Whether local time `t` falls in the hotspot's daily watch window.
fn in_window(hotspot: &HotspotDef, t: NaiveTime) -> bool {
    let (start, end) = (hotspot.window_start, hotspot.window_end);
    if start < end {
        start <= t && t < end
    } else {
        t >= start || t < end
    }
}

/// Rounds an instant up to the next whole minute.
fn ceil_minute(t: DateTime<Utc>) -> DateTime<Utc> {
    let extra = t.timestamp().rem_euclid(60);
    if extra == 0 {
        t
    } else {
        t + Duration::seconds(60 - extra)
    }
}

/// The visits of a completed shift: one after another, each to a shift hotspot whose watch
/// window is open at the arrival, with travel, calls and breaks in between.
pub fn visits(
    shift_index: usize,
    shift: &ShiftDef,
    hotspots: &[HotspotDef],
    tz: Tz,
    rng: &mut Rng,
) -> Vec<VisitDef> {
    let mut out = Vec::new();
    if shift.status != "completed" {
        return out;
    }
    let last_departure = shift.ends_at - Duration::minutes(5);
    let mut t = shift.starts_at + Duration::minutes(rng.range(15, 40));
    let mut previous: Option<usize> = None;
    while t < last_departure {
        let local = t.with_timezone(&tz).time();
        let open: Vec<usize> = shift
            .hotspots
            .iter()
            .copied()
            .filter(|&h| hotspots.get(h).is_some_and(|hs| in_window(hs, local)))
            .collect();
        if open.is_empty() {
            t += Duration::minutes(30);
            continue;
        }
        // Move between hotspots rather than staying at one, when there is a choice.
        let weights: Vec<u32> = open
            .iter()
            .map(|&h| {
                if Some(h) == previous && open.len() > 1 {
                    1
                } else {
                    4
                }
            })
            .collect();
        let Some(hotspot) = rng.weighted(&weights).map(|i| open[i]) else {
            break;
        };
        let departed_at = t + dwell(rng);
        if departed_at > last_departure {
            break;
        }
        out.push(VisitDef {
            shift: shift_index,
            hotspot,
            arrived_at: t,
            departed_at,
            source: if rng.chance(0.12) { "avl" } else { "report" },
        });
        previous = Some(hotspot);
        let away = if rng.chance(0.12) {
            rng.range(45, 100)
        } else {
            rng.range(10, 35)
        };
        t = ceil_minute(departed_at + Duration::minutes(away));
    }
    out
}

/// The activities a completed shift logged: most during one of its visits, at that hotspot; the
/// rest elsewhere during the shift, with no hotspot.
pub fn activities(
    shift_index: usize,
    shift: &ShiftDef,
    visits: &[VisitDef],
    rng: &mut Rng,
) -> Vec<ActivityDef> {
    let mut out = Vec::new();
    if shift.status != "completed" {
        return out;
    }
    let n = rng.weighted(&[1, 3, 4, 4, 3, 2, 1]).unwrap_or(0);
    let weights: Vec<u32> = KINDS.iter().map(|k| k.1).collect();
    for _ in 0..n {
        let Some(&(kind, _, notes)) = rng.weighted(&weights).and_then(|i| KINDS.get(i)) else {
            continue;
        };
        let at_visit = if visits.is_empty() || !rng.chance(0.75) {
            None
        } else {
            visits.get(rng.range(0, visits.len() as i64 - 1) as usize)
        };
        let (hotspot, occurred_at) = match at_visit {
            Some(v) => {
                let dwell = (v.departed_at - v.arrived_at).num_seconds();
                let offset = Duration::seconds(rng.range(0, dwell - 1));
                (Some(v.hotspot), v.arrived_at + offset)
            }
            None => {
                let minutes = (shift.ends_at - shift.starts_at).num_minutes();
                (
                    None,
                    shift.starts_at + Duration::minutes(rng.range(0, minutes - 1)),
                )
            }
        };
        let count = match kind {
            "proactive_engagement" => rng.range(1, 6),
            "community_referral" | "ticket" => rng.range(1, 2),
            _ => 1,
        } as i32;
        let note = notes
            .get(rng.range(0, notes.len() as i64 - 1) as usize)
            .copied()
            .unwrap_or("");
        out.push(ActivityDef {
            shift: shift_index,
            hotspot,
            occurred_at,
            kind,
            count,
            note,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::demo::plan;
    use super::*;

    fn demo_outcomes() -> (Vec<ShiftDef>, Vec<VisitDef>, Vec<ActivityDef>) {
        let plan = plan().expect("demo plan");
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
            assert_eq!(s.status, "completed");
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
        assert!(visits.iter().any(|v| v.source == "avl"));
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
        assert!(visits.iter().all(|v| shifts[v.shift].status == "completed"));
        assert!(
            activities
                .iter()
                .all(|a| shifts[a.shift].status == "completed")
        );
    }
}
