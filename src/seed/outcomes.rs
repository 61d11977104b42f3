//! What shifts did: visits to their hotspots and the activities they logged. The demo and the
//! city-scale plan both generate theirs here, each with its own pace and its own index types.

use chrono::{DateTime, Duration, NaiveTime, Utc};
use chrono_tz::Tz;

use super::places::HotspotDef;
use super::rng::Rng;
use super::roster::ShiftDef;
use crate::domain::ShiftStatus;
use crate::domain::visit_draft::VisitSource;

/// A visit, ready to insert; `S` indexes the shift list and `H` the hotspot list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visit<S, H> {
    /// Index into the shift list.
    pub shift: S,
    /// Index into the hotspot list; one of the shift's hotspots.
    pub hotspot: H,
    /// Arrival instant, inside the shift.
    pub arrived_at: DateTime<Utc>,
    /// Departure instant, after the arrival and inside the shift.
    pub departed_at: DateTime<Utc>,
    /// `report` or `avl`.
    pub source: VisitSource,
}

/// An activity, ready to insert; `S` indexes the shift list and `H` the hotspot list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activity<S, H> {
    /// Index into the shift list.
    pub shift: S,
    /// Index into the hotspot list, when the activity happened during a visit.
    pub hotspot: Option<H>,
    /// When it happened, inside the shift.
    pub occurred_at: DateTime<Utc>,
    /// One of [`KINDS`].
    pub kind: &'static str,
    /// At least 1.
    pub count: i32,
    /// A short note, often empty.
    pub note: &'static str,
}

/// A visit of the demo.
pub type VisitDef = Visit<usize, usize>;
/// An activity of the demo.
pub type ActivityDef = Activity<usize, usize>;

/// What the generators read of a shift, whichever seed planned it.
#[derive(Debug, Clone, Copy)]
pub struct Outline<'a, S, H> {
    /// Index into the shift list.
    pub shift: S,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// Only a `completed` shift has visits and activities.
    pub status: ShiftStatus,
    /// The hotspots the shift was directed to.
    pub hotspots: &'a [H],
}

/// How a seed's shifts pace their visits, in minutes.
#[derive(Debug, Clone, Copy)]
pub struct Pace {
    /// From the start of the shift to the first arrival.
    pub first_arrival: (i64, i64),
    /// The chance that the time away between two visits is long, and how long it is then.
    pub long_away: (f64, (i64, i64)),
    /// How long it is otherwise.
    pub short_away: (i64, i64),
}

/// The demo's pace: shorter times away than the city-scale plan's, so more visits a shift.
const DEMO_PACE: Pace = Pace {
    first_arrival: (15, 40),
    long_away: (0.12, (45, 100)),
    short_away: (10, 35),
};
/// Weights of a demo shift logging 0, 1, 2, … 6 activities.
const DEMO_ACTIVITIES: [u32; 7] = [1, 3, 4, 4, 3, 2, 1];

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

/// Whether local time `t` falls in the daily watch window `start..end`, which crosses midnight
/// when the end is not after the start.
pub fn window_open(start: NaiveTime, end: NaiveTime, t: NaiveTime) -> bool {
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

/// The visits of a demo shift.
pub fn visits(
    shift_index: usize,
    shift: &ShiftDef,
    hotspots: &[HotspotDef],
    tz: Tz,
    rng: &mut Rng,
) -> Vec<VisitDef> {
    let mut out = Vec::new();
    let open = |h: usize, t| {
        hotspots
            .get(h)
            .is_some_and(|hs| window_open(hs.watch.window_start, hs.watch.window_end, t))
    };
    walk(
        outline(shift_index, shift),
        open,
        tz,
        &DEMO_PACE,
        rng,
        &mut out,
    );
    out
}

/// The activities of a demo shift, from its `visits`.
pub fn activities(
    shift_index: usize,
    shift: &ShiftDef,
    visits: &[VisitDef],
    rng: &mut Rng,
) -> Vec<ActivityDef> {
    let mut out = Vec::new();
    log_activities(
        outline(shift_index, shift),
        visits,
        &DEMO_ACTIVITIES,
        rng,
        &mut out,
    );
    out
}

fn outline(shift_index: usize, shift: &ShiftDef) -> Outline<'_, usize, usize> {
    Outline {
        shift: shift_index,
        starts_at: shift.starts_at,
        ends_at: shift.ends_at,
        status: shift.status,
        hotspots: &shift.hotspots,
    }
}

/// Appends the visits of a completed shift to `out`: one after another, each to a shift hotspot
/// that `is_open` at the arrival's local time, with travel, calls and breaks in between as `pace`
/// says; the last departs 5 minutes before the shift ends.
pub fn walk<S: Copy, H: Copy + PartialEq>(
    shift: Outline<'_, S, H>,
    is_open: impl Fn(H, NaiveTime) -> bool,
    tz: Tz,
    pace: &Pace,
    rng: &mut Rng,
    out: &mut Vec<Visit<S, H>>,
) {
    if shift.status != ShiftStatus::Completed {
        return;
    }
    let last_departure = shift.ends_at - Duration::minutes(5);
    let (first_from, first_to) = pace.first_arrival;
    let mut t = shift.starts_at + Duration::minutes(rng.range(first_from, first_to));
    let mut previous: Option<H> = None;
    while t < last_departure {
        let local = t.with_timezone(&tz).time();
        let open: Vec<H> = shift
            .hotspots
            .iter()
            .copied()
            .filter(|&h| is_open(h, local))
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
        out.push(Visit {
            shift: shift.shift,
            hotspot,
            arrived_at: t,
            departed_at,
            source: if rng.chance(0.12) {
                VisitSource::Avl
            } else {
                VisitSource::Report
            },
        });
        previous = Some(hotspot);
        let (long_chance, (long_from, long_to)) = pace.long_away;
        let away = if rng.chance(long_chance) {
            rng.range(long_from, long_to)
        } else {
            rng.range(pace.short_away.0, pace.short_away.1)
        };
        // Whole minutes, like reports.
        t = ceil_minute(departed_at + Duration::minutes(away));
    }
}

/// Appends the activities a completed shift logged to `out`, as many as `how_many` (weights of
/// 0, 1, 2, … activities) draws: most during one of its `visits`, at that hotspot; the rest
/// elsewhere during the shift, with no hotspot.
pub fn log_activities<S: Copy, H: Copy>(
    shift: Outline<'_, S, H>,
    visits: &[Visit<S, H>],
    how_many: &[u32],
    rng: &mut Rng,
    out: &mut Vec<Activity<S, H>>,
) {
    if shift.status != ShiftStatus::Completed {
        return;
    }
    let n = rng.weighted(how_many).unwrap_or(0);
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
        out.push(Activity {
            shift: shift.shift,
            hotspot,
            occurred_at,
            kind,
            count,
            note,
        });
    }
}

#[cfg(test)]
#[path = "outcomes_tests.rs"]
mod tests;
