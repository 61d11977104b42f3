//! The demo roster: which team works when, with whom, directed to which hotspots.
//!
//! Pure functions of the pilot's dates, the teams and the hotspots, driven by a seeded [`Rng`].

use anyhow::{Context, bail};
use chrono::{DateTime, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::people::{OfficerDef, SHERIFFS, TeamDef};
use super::places::HotspotDef;
use super::rng::Rng;
use crate::domain::ShiftStatus;

/// The three kinds of shift the demo teams work, in local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShiftKind {
    /// 07:00–17:00.
    Day,
    /// 15:00–01:00. It ends at 01:00, not 02:00, so no shift ever ends inside a spring-forward gap.
    Evening,
    /// 22:00–06:00; the night of 11→12 March 2023 lasts 7 real hours.
    Night,
}

impl ShiftKind {
    /// Local start and end hours; the end is on the next day when it is not after the start.
    pub fn hours(self) -> (u32, u32) {
        match self {
            ShiftKind::Day => (7, 17),
            ShiftKind::Evening => (15, 1),
            ShiftKind::Night => (22, 6),
        }
    }
}

/// The dates and zone of the pilot the roster is for.
#[derive(Debug, Clone, Copy)]
pub struct PilotDates {
    /// First local day, inclusive.
    pub starts_on: NaiveDate,
    /// Last local day, inclusive.
    pub ends_on: NaiveDate,
    /// The pilot's IANA time zone.
    pub tz: Tz,
}

/// One shift of the roster, ready to insert.
#[derive(Debug, Clone)]
pub struct ShiftDef {
    /// Index into the team list.
    pub team: usize,
    /// Start instant.
    pub starts_at: DateTime<Utc>,
    /// End instant, after the start.
    pub ends_at: DateTime<Utc>,
    /// `completed` or `cancelled`: the pilot is over.
    pub status: ShiftStatus,
    /// Mostly empty.
    pub notes: &'static str,
    /// Indices into the officer list, 2 to 4 of the team's members.
    pub members: Vec<usize>,
    /// Indices into the hotspot list, 1 to 3 hotspots active on `day`.
    pub hotspots: Vec<usize>,
}

/// The instant of a local date and time in `tz`. A repeated local time is taken at its first
/// occurrence; a local time inside a spring-forward gap is an error, because the roster never
/// uses one.
pub fn local_instant(tz: Tz, day: NaiveDate, time: NaiveTime) -> anyhow::Result<DateTime<Utc>> {
    match tz.from_local_datetime(&day.and_time(time)) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Ok(t.with_timezone(&Utc)),
        LocalResult::None => bail!("{day} {time} does not exist in {tz}"),
    }
}

/// The start and end instants of a shift of `kind` starting on local date `day`.
pub fn shift_instants(
    tz: Tz,
    day: NaiveDate,
    kind: ShiftKind,
) -> anyhow::Result<(DateTime<Utc>, DateTime<Utc>)> {
    let (start_hour, end_hour) = kind.hours();
    let at = |h: u32| NaiveTime::from_hms_opt(h, 0, 0).context("shift hour out of range");
    let end_day = if end_hour <= start_hour {
        day.succ_opt().context("date overflow")?
    } else {
        day
    };
    Ok((
        local_instant(tz, day, at(start_hour)?)?,
        local_instant(tz, end_day, at(end_hour)?)?,
    ))
}

const CANCELLED_NOTES: [&str; 4] = [
    "Cancelled: members redeployed to a District 1 priority call.",
    "Cancelled: court attendance for two members.",
    "Cancelled: short-staffed after illness.",
    "Cancelled: members reassigned to an event at the Saddledome.",
];

const SHIFT_NOTES: [&str; 6] = [
    "Walked with the outreach team for the first hour.",
    "Started late after briefing ran long.",
    "Quiet shift; few people outdoors.",
    "Transit peace officers joined at the 7 Avenue platforms.",
    "One member left early for court.",
    "Event crowd downtown in the evening.",
];

/// The whole roster: every team on its 4-on-4-off rotation, each day of the pilot.
pub fn roster(
    pilot: PilotDates,
    teams: &[TeamDef],
    officers: &[OfficerDef],
    hotspots: &[HotspotDef],
    rng: &mut Rng,
) -> anyhow::Result<Vec<ShiftDef>> {
    let mut shifts = Vec::new();
    for (index, day) in pilot
        .starts_on
        .iter_days()
        .take_while(|d| *d <= pilot.ends_on)
        .enumerate()
    {
        let index = u32::try_from(index).context("pilot too long")?;
        for (t, team) in teams.iter().enumerate() {
            let Some(kind) = team_shift_on(team, index) else {
                continue;
            };
            let (starts_at, ends_at) = shift_instants(pilot.tz, day, kind)
                .with_context(|| format!("shift of {} on {day}", team.name))?;
            let cancelled = rng.chance(0.04);
            let notes = if cancelled {
                pick(rng, &CANCELLED_NOTES)
            } else if rng.chance(0.12) {
                pick(rng, &SHIFT_NOTES)
            } else {
                ""
            };
            let members = pick_members(team, officers, rng);
            let directed = pick_hotspots(hotspots, day, kind, rng);
            if directed.is_empty() {
                bail!("no hotspot is active on {day}");
            }
            shifts.push(ShiftDef {
                team: t,
                starts_at,
                ends_at,
                status: if cancelled {
                    ShiftStatus::Cancelled
                } else {
                    ShiftStatus::Completed
                },
                notes,
                members,
                hotspots: directed,
            });
        }
    }
    Ok(shifts)
}

/// The kind of shift `team` works on day number `index` of the pilot, if it works that day.
pub fn team_shift_on(team: &TeamDef, index: u32) -> Option<ShiftKind> {
    let cycle_day = index + team.offset;
    if cycle_day % 8 >= 4 || team.rotation.is_empty() {
        return None;
    }
    let block = (cycle_day / 8) as usize;
    team.rotation.get(block % team.rotation.len()).copied()
}

fn pick(rng: &mut Rng, choices: &[&'static str]) -> &'static str {
    let i = rng.range(0, choices.len() as i64 - 1) as usize;
    choices.get(i).copied().unwrap_or("")
}

/// Two to four of the team's members; a joint team sends at least one sheriff and one CPS officer.
fn pick_members(team: &TeamDef, officers: &[OfficerDef], rng: &mut Rng) -> Vec<usize> {
    let is_sheriff = |m: &usize| officers.get(*m).is_some_and(|o| o.agency == SHERIFFS);
    let mut chosen = if team.agency == "joint" {
        let (sheriffs, cps): (Vec<usize>, Vec<usize>) =
            team.members.iter().copied().partition(is_sheriff);
        let n_sheriffs = rng.range(1, 2) as usize;
        let n_cps = rng.range(1, 2) as usize;
        let mut picked = sample(rng, &sheriffs, n_sheriffs);
        picked.extend(sample(rng, &cps, n_cps));
        picked
    } else {
        let n = rng.range(2, team.members.len().min(4) as i64) as usize;
        sample(rng, team.members, n)
    };
    chosen.sort_unstable();
    chosen
}

/// Up to `n` distinct items of `pool`, uniformly.
fn sample(rng: &mut Rng, pool: &[usize], n: usize) -> Vec<usize> {
    rng.weighted_sample(&vec![1; pool.len()], n)
        .into_iter()
        .map(|i| pool[i])
        .collect()
}

/// One to three hotspots active on `day` whose watch window overlaps the shift by an hour or
/// more (any active hotspot if none does), higher priority more likely.
fn pick_hotspots(
    hotspots: &[HotspotDef],
    day: NaiveDate,
    kind: ShiftKind,
    rng: &mut Rng,
) -> Vec<usize> {
    let active: Vec<usize> = (0..hotspots.len())
        .filter(|&i| hotspots[i].active_on(day))
        .collect();
    let overlapping: Vec<usize> = active
        .iter()
        .copied()
        .filter(|&i| window_overlap_minutes(&hotspots[i], kind) >= 60)
        .collect();
    let pool = if overlapping.is_empty() {
        active
    } else {
        overlapping
    };
    let weights: Vec<u32> = pool
        .iter()
        .map(|&i| 4 - hotspots[i].watch.priority.clamp(1, 3) as u32)
        .collect();
    let k = match rng.weighted(&[3, 4, 3]) {
        Some(i) => i + 1,
        None => 1,
    };
    let mut chosen: Vec<usize> = rng
        .weighted_sample(&weights, k)
        .into_iter()
        .map(|i| pool[i])
        .collect();
    chosen.sort_unstable();
    chosen
}

/// Minutes of wall-clock overlap between a shift of `kind` and the hotspot's watch window
/// (of the same day, the day before or the day after).
fn window_overlap_minutes(hotspot: &HotspotDef, kind: ShiftKind) -> i64 {
    let span = |start: i64, end: i64| {
        if end <= start {
            (start, end + 1440)
        } else {
            (start, end)
        }
    };
    let (s0, s1) = {
        let (a, b) = kind.hours();
        span(i64::from(a) * 60, i64::from(b) * 60)
    };
    let minutes = |t: NaiveTime| i64::from(chrono::Timelike::num_seconds_from_midnight(&t)) / 60;
    let (w0, w1) = span(
        minutes(hotspot.watch.window_start),
        minutes(hotspot.watch.window_end),
    );
    [-1440, 0, 1440]
        .iter()
        .map(|shift| (s1.min(w1 + shift) - s0.max(w0 + shift)).max(0))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::super::demo::plan;
    use super::*;
    use chrono::Duration;

    /// The local date a shift starts on.
    fn day(s: &ShiftDef) -> NaiveDate {
        s.starts_at
            .with_timezone(&chrono_tz::America::Edmonton)
            .date_naive()
    }

    /// The kind of a shift, from its local start hour.
    fn kind(s: &ShiftDef) -> ShiftKind {
        let hour =
            chrono::Timelike::hour(&s.starts_at.with_timezone(&chrono_tz::America::Edmonton));
        [ShiftKind::Day, ShiftKind::Evening, ShiftKind::Night]
            .into_iter()
            .find(|k| k.hours().0 == hour)
            .expect("a known start hour")
    }

    fn demo_roster() -> (Vec<HotspotDef>, Vec<ShiftDef>) {
        let plan =
            plan(&super::super::districts::communities().expect("communities")).expect("demo plan");
        (plan.hotspots, plan.shifts)
    }

    #[test]
    fn the_spring_forward_night_shift_lasts_seven_hours() {
        let tz = chrono_tz::America::Edmonton;
        let day = NaiveDate::from_ymd_opt(2023, 3, 11).expect("date");
        let (start, end) = shift_instants(tz, day, ShiftKind::Night).expect("instants");
        assert_eq!(end - start, Duration::hours(7));
        assert_eq!(start.to_rfc3339(), "2023-03-12T05:00:00+00:00");
        let (_, shifts) = demo_roster();
        let that_night: Vec<_> = shifts
            .iter()
            .filter(|s| self::day(s) == day && kind(s) == ShiftKind::Night)
            .collect();
        assert!(
            !that_night.is_empty(),
            "some team works the night of 11→12 March"
        );
        assert!(
            that_night
                .iter()
                .all(|s| s.ends_at - s.starts_at == Duration::hours(7))
        );
    }

    #[test]
    fn a_local_time_in_the_gap_is_refused() {
        let tz = chrono_tz::America::Edmonton;
        let day = NaiveDate::from_ymd_opt(2023, 3, 12).expect("date");
        let half_past_two = NaiveTime::from_hms_opt(2, 30, 0).expect("time");
        assert!(local_instant(tz, day, half_past_two).is_err());
    }

    #[test]
    fn no_officer_is_ever_on_two_overlapping_shifts() {
        let (_, shifts) = demo_roster();
        let mut periods: Vec<(usize, DateTime<Utc>, DateTime<Utc>)> = shifts
            .iter()
            .flat_map(|s| s.members.iter().map(move |&m| (m, s.starts_at, s.ends_at)))
            .collect();
        periods.sort();
        for pair in periods.windows(2) {
            if pair[0].0 == pair[1].0 {
                assert!(
                    pair[0].2 <= pair[1].1,
                    "officer {} overlaps at {}",
                    pair[0].0,
                    pair[1].1
                );
            }
        }
    }

    #[test]
    fn shifts_have_two_to_four_members_and_one_to_three_active_hotspots() {
        let (hotspots, shifts) = demo_roster();
        for s in &shifts {
            assert!((2..=4).contains(&s.members.len()), "{s:?}");
            assert!((1..=3).contains(&s.hotspots.len()), "{s:?}");
            assert!(s.hotspots.iter().all(|&h| hotspots[h].active_on(day(s))));
            assert!(s.ends_at > s.starts_at);
        }
    }

    #[test]
    fn every_day_has_shifts_of_several_kinds_and_a_few_are_cancelled() {
        let (_, shifts) = demo_roster();
        let days: std::collections::BTreeSet<_> = shifts.iter().map(day).collect();
        assert_eq!(days.len(), 94);
        for kind in [ShiftKind::Day, ShiftKind::Evening, ShiftKind::Night] {
            assert!(
                shifts.iter().filter(|s| self::kind(s) == kind).count() > 50,
                "{kind:?}"
            );
        }
        let cancelled = shifts
            .iter()
            .filter(|s| s.status == ShiftStatus::Cancelled)
            .count() as f64;
        let share = cancelled / shifts.len() as f64;
        assert!((0.02..=0.06).contains(&share), "{share}");
    }

    #[test]
    fn the_roster_is_the_same_every_time() {
        let (_, a) = demo_roster();
        let (_, b) = demo_roster();
        let key = |s: &ShiftDef| {
            (
                s.team,
                s.starts_at,
                s.status,
                s.members.clone(),
                s.hotspots.clone(),
            )
        };
        assert!(a.iter().map(key).eq(b.iter().map(key)));
    }
}
