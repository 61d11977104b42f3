//! `patrolboard seed scale`: a city-scale pilot for benchmarks, slug `city-scale` — 8 districts,
//! 240 hotspots, 1,800 officers and a year (2023, both clock changes) of about 250,000 shifts and
//! 1.5 million visits — loaded in one transaction in minutes. Deterministic, and idempotent: when
//! the slug exists nothing is written.

use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::{Datelike, Months, NaiveDate};
use chrono_tz::Tz;
use serde_json::json;
use sqlx::{PgConnection, PgPool};

use super::people::AGENCIES;
use super::roster::PilotDates;
use super::scale_plan::{District, Officer, Plan, Team, plan};
use super::store;
use crate::db::bulk::{Column, Table, load, reserve_ids};
use crate::db::seed;
use crate::db::seed_counts::{self, ScaleCounts};

pub use crate::db::bulk::InsertWith;

/// Slug of the city-scale pilot.
pub const SLUG: &str = "city-scale";
/// Display name of the city-scale pilot.
pub const NAME: &str = "City-scale benchmark pilot 2023";
/// Its time zone: the year spans both of 2023's clock changes.
pub const TIME_ZONE: Tz = chrono_tz::America::Edmonton;
/// Fixed, so the pilot is the same on every run and machine.
const SEED: u64 = 0x5CA1_E000_2023_1231;

/// What `load_scale` did, and how long each step took.
#[derive(Debug, Clone, Default)]
pub struct ScaleSummary {
    /// Whether this call created the pilot (false when `city-scale` already existed).
    pub pilot_created: bool,
    /// The rows the pilot holds.
    pub counts: ScaleCounts,
    /// Wall time of each step, in order.
    pub steps: Vec<(&'static str, Duration)>,
    /// Wall time of the whole load.
    pub elapsed: Duration,
}

impl ScaleSummary {
    /// The counts and timings as lines for the terminal.
    pub fn describe(&self) -> String {
        let mut out = format!(
            "city-scale pilot {}: {} districts, {} hotspots, {} officers, {} teams, {} shifts \
             ({} members, {} hotspot directions), {} visits, {} activities, {} hotspot-days",
            if self.pilot_created {
                "loaded"
            } else {
                "already present, nothing changed"
            },
            self.counts.districts,
            self.counts.hotspots,
            self.counts.officers,
            self.counts.teams,
            self.counts.shifts,
            self.counts.shift_members,
            self.counts.shift_hotspots,
            self.counts.visits,
            self.counts.activities,
            self.counts.hotspot_days,
        );
        for (step, took) in &self.steps {
            out.push_str(&format!("\n  {step:<28} {:>8.2} s", took.as_secs_f64()));
        }
        out.push_str(&format!(
            "\n  {:<28} {:>8.2} s",
            "total",
            self.elapsed.as_secs_f64()
        ));
        out
    }
}

/// The first and last day of the city-scale pilot: all of 2023.
fn pilot_dates() -> anyhow::Result<PilotDates> {
    Ok(PilotDates {
        starts_on: NaiveDate::from_ymd_opt(2023, 1, 1).context("bad start date")?,
        ends_on: NaiveDate::from_ymd_opt(2023, 12, 31).context("bad end date")?,
        tz: TIME_ZONE,
    })
}

/// Times the steps of the load.
struct Stopwatch {
    last: Instant,
    steps: Vec<(&'static str, Duration)>,
}

impl Stopwatch {
    fn lap(&mut self, step: &'static str) {
        let now = Instant::now();
        self.steps.push((step, now - self.last));
        tracing::info!(
            step,
            seconds = (now - self.last).as_secs_f64(),
            "seed scale step done"
        );
        self.last = now;
    }
}

/// Loads the city-scale pilot in one transaction, sending the large tables as `how` says, then
/// computes its `hotspot_days` for the whole year.
#[tracing::instrument(skip(pool))]
pub async fn load_scale(pool: &PgPool, how: InsertWith) -> anyhow::Result<ScaleSummary> {
    let started = Instant::now();
    let mut watch = Stopwatch {
        last: started,
        steps: Vec::new(),
    };
    let dates = pilot_dates()?;
    let mut tx = pool
        .begin()
        .await
        .context("starting the scale transaction")?;
    let created =
        store::insert_pilot(&mut tx, SLUG, NAME, "Calgary", TIME_ZONE.name(), dates, 60).await?;
    let pilot_id = match created {
        Some(id) => {
            let plan = tokio::task::spawn_blocking(move || {
                plan(dates.tz, dates.starts_on, dates.ends_on, SEED)
            })
            .await??;
            watch.lap("generate");
            store_plan(&mut tx, id, &plan, dates, how, &mut watch).await?;
            id
        }
        None => store::pilot_id(&mut tx, SLUG).await?,
    };
    let mut summary = ScaleSummary {
        pilot_created: created.is_some(),
        counts: seed_counts::scale(&mut tx, pilot_id).await?,
        ..ScaleSummary::default()
    };
    if created.is_some() {
        let after = json!({
            "slug": SLUG,
            "districts": summary.counts.districts,
            "hotspots": summary.counts.hotspots,
            "officers": summary.counts.officers,
            "shifts": summary.counts.shifts,
            "visits": summary.counts.visits,
            "activities": summary.counts.activities,
        });
        store::insert_audit(&mut tx, pilot_id, after).await?;
    }
    tx.commit()
        .await
        .context("committing the scale transaction")?;
    if created.is_some() {
        watch.lap("count and commit");
        crate::db::analyze::tables(pool, crate::db::analyze::COVERAGE_TABLES)
            .await
            .context("analysing the coverage tables after the load")?;
        watch.lap("analyze coverage");
    }
    summary.steps = watch.steps;
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// Stores a freshly generated plan under the new pilot `pilot_id`, then refreshes its
/// `hotspot_days` for the whole pilot.
async fn store_plan(
    conn: &mut PgConnection,
    pilot_id: i64,
    plan: &Plan,
    dates: PilotDates,
    how: InsertWith,
    watch: &mut Stopwatch,
) -> anyhow::Result<()> {
    let districts: Vec<_> = plan.districts.iter().map(District::row).collect();
    let district_ids = seed::insert_districts(conn, pilot_id, &districts).await?;
    let hotspot_ids = store::insert_hotspots(conn, pilot_id, &plan.hotspots, &district_ids).await?;
    // Every officer is assigned to the pilot for the whole year.
    store::insert_agencies(conn, &AGENCIES).await?;
    let officers: Vec<_> = plan.officers.iter().map(Officer::row).collect();
    let officer_ids = store::insert_assigned_officers(conn, pilot_id, &officers, dates).await?;
    let teams: Vec<_> = plan.teams.iter().map(Team::row).collect();
    let team_ids = seed::insert_teams(conn, pilot_id, &teams).await?;
    watch.lap("places, people, teams");

    let shifts = &plan.shifts;
    let shift_ids = reserve_ids(conn, "shifts", shifts.len()).await?;
    let team_modes: Vec<&str> = shifts
        .iter()
        .map(|s| plan.teams[s.team as usize].mode.as_str())
        .collect();
    let table = Table {
        name: "shifts",
        columns: vec![
            ("id", Column::Int8(shift_ids.clone())),
            ("pilot_id", Column::Int8(vec![pilot_id; shifts.len()])),
            (
                "team_id",
                Column::Int8(shifts.iter().map(|s| team_ids[s.team as usize]).collect()),
            ),
            (
                "starts_at",
                Column::Timestamptz(shifts.iter().map(|s| s.starts_at).collect()),
            ),
            (
                "ends_at",
                Column::Timestamptz(shifts.iter().map(|s| s.ends_at).collect()),
            ),
            ("mode", Column::Text(team_modes)),
            (
                "status",
                Column::Text(shifts.iter().map(|s| s.status.as_str()).collect()),
            ),
            (
                "notes",
                Column::Text(shifts.iter().map(|s| s.notes).collect()),
            ),
        ],
    };
    load(conn, &table, how).await?;
    watch.lap("shifts");

    let pairs = |of: &dyn Fn(&super::scale_roster::Shift) -> Vec<i64>| {
        let (mut left, mut right) = (Vec::new(), Vec::new());
        for (shift, &id) in shifts.iter().zip(&shift_ids) {
            for other in of(shift) {
                left.push(id);
                right.push(other);
            }
        }
        (left, right)
    };
    // The trigger copies each shift's period onto its members; the exclusion constraint checks it.
    let (member_shifts, members) =
        pairs(&|s| s.members.iter().map(|&m| officer_ids[m as usize]).collect());
    let table = Table {
        name: "shift_members",
        columns: vec![
            ("shift_id", Column::Int8(member_shifts)),
            ("officer_id", Column::Int8(members)),
        ],
    };
    load(conn, &table, how).await?;
    watch.lap("shift members");

    let (directed_shifts, directed) = pairs(&|s| {
        s.hotspots
            .iter()
            .map(|&h| hotspot_ids[usize::from(h)])
            .collect()
    });
    let table = Table {
        name: "shift_hotspots",
        columns: vec![
            ("shift_id", Column::Int8(directed_shifts)),
            ("hotspot_id", Column::Int8(directed)),
        ],
    };
    load(conn, &table, how).await?;
    watch.lap("shift hotspots");

    let visits = &plan.visits;
    let table = Table {
        name: "visits",
        columns: vec![
            (
                "shift_id",
                Column::Int8(visits.iter().map(|v| shift_ids[v.shift as usize]).collect()),
            ),
            (
                "hotspot_id",
                Column::Int8(
                    visits
                        .iter()
                        .map(|v| hotspot_ids[usize::from(v.hotspot)])
                        .collect(),
                ),
            ),
            (
                "arrived_at",
                Column::Timestamptz(visits.iter().map(|v| v.arrived_at).collect()),
            ),
            (
                "departed_at",
                Column::Timestamptz(visits.iter().map(|v| v.departed_at).collect()),
            ),
            (
                "source",
                Column::Text(visits.iter().map(|v| v.source.as_str()).collect()),
            ),
        ],
    };
    load(conn, &table, how).await?;
    watch.lap("visits");

    let activities = &plan.activities;
    let table = Table {
        name: "activities",
        columns: vec![
            (
                "shift_id",
                Column::Int8(
                    activities
                        .iter()
                        .map(|a| shift_ids[a.shift as usize])
                        .collect(),
                ),
            ),
            (
                "hotspot_id",
                Column::OptInt8(
                    activities
                        .iter()
                        .map(|a| a.hotspot.map(|h| hotspot_ids[usize::from(h)]))
                        .collect(),
                ),
            ),
            (
                "occurred_at",
                Column::Timestamptz(activities.iter().map(|a| a.occurred_at).collect()),
            ),
            (
                "kind",
                Column::Text(activities.iter().map(|a| a.kind).collect()),
            ),
            (
                "count",
                Column::Int4(activities.iter().map(|a| a.count).collect()),
            ),
            (
                "note",
                Column::Text(activities.iter().map(|a| a.note).collect()),
            ),
        ],
    };
    load(conn, &table, how).await?;
    watch.lap("activities");

    // Fresh statistics, so the refresh below plans its queries for the real sizes; they commit
    // with the load. The tables the refresh fills are analysed after the commit (`load_scale`).
    seed_counts::analyze_scale_tables(conn).await?;
    watch.lap("analyze");

    // Month by month: the same rows as one call for the year, but the engine then indexes a
    // month of each hotspot's shifts and visits for each day instead of a year's (see
    // BENCHMARKS.md), which takes seconds instead of minutes.
    let mut from = plan.starts_on;
    while from <= plan.ends_on {
        let next = from
            .checked_add_months(Months::new(1))
            .context("date overflow")?
            .with_day(1)
            .context("first of the month")?;
        let to = next.pred_opt().context("date overflow")?.min(plan.ends_on);
        crate::db::coverage::refresh(conn, crate::domain::ids::PilotId(pilot_id), from, to)
            .await
            .with_context(|| format!("computing hotspot_days for {from}..{to}"))?;
        from = next;
    }
    watch.lap("refresh hotspot_days");
    Ok(())
}
