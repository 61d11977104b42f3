//! The roster of the city-scale benchmark pilot: every team, every day of the year, each crew on
//! one of three fixed 8-hour slots, directed to hotspots of the team's district. Pure, from the
//! plan's random generator.

use anyhow::{Context, bail};
use chrono::{DateTime, NaiveDate, NaiveTime, Timelike, Utc};
use chrono_tz::Tz;

use super::places::HotspotDef;
use super::rng::Rng;
use super::roster::local_instant;
use super::scale_plan::{GRID, TEAMS, Team};
use crate::domain::ShiftStatus;

/// Chance that a crew works its slot on a given day (the rest are days off): about 250,000
/// shifts a year.
const WORK_CHANCE: f64 = 0.76;
/// Chance that a shift is cancelled.
const CANCEL_CHANCE: f64 = 0.03;
/// The three 8-hour slots, as local start and end hours.
const SLOTS: [(u32, u32); 3] = [(6, 14), (14, 22), (22, 6)];
/// The note of a cancelled shift, one picked at random.
const CANCELLED_NOTES: [&str; 3] = [
    "Cancelled: members redeployed to a priority call.",
    "Cancelled: short-staffed after illness.",
    "Cancelled: members reassigned to an event.",
];

/// A shift; `team`, `members` and `hotspots` index the plan's lists.
#[derive(Debug, Clone)]
pub struct Shift {
    pub team: u32,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub status: ShiftStatus,
    pub notes: &'static str,
    pub members: Vec<u32>,
    pub hotspots: Vec<u16>,
}

/// Every team, every day: each of its three crews works one slot (rotating weekly) unless off,
/// sometimes with a third member from another crew of the team.
pub(super) fn shifts(
    tz: Tz,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    teams: &[Team],
    hotspots: &[HotspotDef],
    rng: &mut Rng,
) -> anyhow::Result<Vec<Shift>> {
    let by_district: Vec<Vec<usize>> = (0..GRID.0 * GRID.1)
        .map(|d| {
            (0..hotspots.len())
                .filter(|&h| hotspots[h].district == d)
                .collect()
        })
        .collect();
    let days = (ends_on - starts_on).num_days() as usize + 1;
    let mut out = Vec::with_capacity(days * TEAMS * 3 * 4 / 5);
    for (index, day) in starts_on.iter_days().take(days).enumerate() {
        let next_day = day.succ_opt().context("date overflow")?;
        let at = |d: NaiveDate, h: u32| {
            local_instant(
                tz,
                d,
                NaiveTime::from_hms_opt(h, 0, 0).unwrap_or(NaiveTime::MIN),
            )
        };
        let instants: Vec<(DateTime<Utc>, DateTime<Utc>)> = SLOTS
            .iter()
            .map(|&(s, e)| Ok((at(day, s)?, at(if e < s { next_day } else { day }, e)?)))
            .collect::<anyhow::Result<_>>()?;
        for (t, team) in teams.iter().enumerate() {
            for (slot, &(starts_at, ends_at)) in instants.iter().enumerate() {
                if !rng.chance(WORK_CHANCE) {
                    continue;
                }
                let crew = (slot + t + index / 7) % 3;
                let mut members = vec![team.members[2 * crew], team.members[2 * crew + 1]];
                if rng.chance(0.25) {
                    let other = (crew + 1 + rng.range(0, 1) as usize) % 3;
                    members.push(team.members[2 * other + rng.range(0, 1) as usize]);
                }
                members.sort_unstable();
                let cancelled = rng.chance(CANCEL_CHANCE);
                let directed = pick_hotspots(&by_district[team.district], hotspots, day, slot, rng);
                if directed.is_empty() {
                    bail!("no hotspot of {} is active on {day}", team.name);
                }
                out.push(Shift {
                    team: t as u32,
                    starts_at,
                    ends_at,
                    status: if cancelled {
                        ShiftStatus::Cancelled
                    } else {
                        ShiftStatus::Completed
                    },
                    notes: if cancelled {
                        CANCELLED_NOTES[rng.range(0, 2) as usize]
                    } else {
                        ""
                    },
                    members: members.into_iter().map(|m| m as u32).collect(),
                    hotspots: directed,
                });
            }
        }
    }
    Ok(out)
}

/// One to three of the district's hotspots active on `day` whose window overlaps the slot by an
/// hour or more (any active one if none does), higher priority more likely.
fn pick_hotspots(
    candidates: &[usize],
    hotspots: &[HotspotDef],
    day: NaiveDate,
    slot: usize,
    rng: &mut Rng,
) -> Vec<u16> {
    let active: Vec<usize> = candidates
        .iter()
        .copied()
        .filter(|&h| hotspots[h].active_on(day))
        .collect();
    let overlapping: Vec<usize> = active
        .iter()
        .copied()
        .filter(|&h| overlap_minutes(&hotspots[h], SLOTS[slot]) >= 60)
        .collect();
    let pool = if overlapping.is_empty() {
        active
    } else {
        overlapping
    };
    let weights: Vec<u32> = pool
        .iter()
        .map(|&h| 4 - hotspots[h].watch.priority.clamp(1, 3) as u32)
        .collect();
    let k = rng.weighted(&[3, 4, 3]).map_or(1, |i| i + 1);
    let mut chosen: Vec<u16> = rng
        .weighted_sample(&weights, k)
        .into_iter()
        .map(|i| pool[i] as u16)
        .collect();
    chosen.sort_unstable();
    chosen
}

/// Wall-clock minutes a slot and the hotspot's window overlap (window of the same day, the day
/// before or the day after).
fn overlap_minutes(hotspot: &HotspotDef, (start, end): (u32, u32)) -> i64 {
    let span = |a: i64, b: i64| if b <= a { (a, b + 1440) } else { (a, b) };
    let (s0, s1) = span(i64::from(start) * 60, i64::from(end) * 60);
    let minutes = |t: NaiveTime| i64::from(t.num_seconds_from_midnight()) / 60;
    let (w0, w1) = span(
        minutes(hotspot.watch.window_start),
        minutes(hotspot.watch.window_end),
    );
    [-1440, 0, 1440]
        .iter()
        .map(|shift| (s1.min(w1 + shift) - s0.max(w0 + shift)).max(0))
        .sum()
}
