//! Coverage: loading the engine's inputs from the raw tables, keeping `hotspot_days` up to date,
//! and reading figures back for a range.

use std::collections::HashMap;

use anyhow::Context;
use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use sqlx::{PgConnection, PgExecutor};

use super::rollups::Changed;
use crate::coverage::{self, DayFigures, hour_of_week};
use crate::domain::ShiftStatus;
use crate::domain::agency::AgencyCode;
use crate::domain::hotspot::Watch;
use crate::domain::ids::{DistrictId, HotspotId, PilotId, ShiftId, TeamId};

/// A pilot's hotspots, and the shifts and visits that touch a span of time.
pub struct Inputs {
    pub pilot: coverage::Pilot,
    pub hotspots: Vec<coverage::Hotspot>,
    pub shifts: Vec<coverage::Shift>,
    pub visits: Vec<coverage::Visit>,
}

/// The shifts directed to each hotspot, and the visits to each.
pub type ByHotspot<'a> = (
    HashMap<HotspotId, Vec<&'a coverage::Shift>>,
    HashMap<HotspotId, Vec<&'a coverage::Visit>>,
);

impl Inputs {
    /// The shifts directed to each hotspot and the visits to each, for handing to the engine.
    pub fn by_hotspot(&self) -> ByHotspot<'_> {
        let mut shifts: HashMap<HotspotId, Vec<&coverage::Shift>> = HashMap::new();
        for shift in &self.shifts {
            for hotspot in &shift.hotspot_ids {
                shifts.entry(*hotspot).or_default().push(shift);
            }
        }
        let mut visits: HashMap<HotspotId, Vec<&coverage::Visit>> = HashMap::new();
        for visit in &self.visits {
            visits.entry(visit.hotspot_id).or_default().push(visit);
        }
        (shifts, visits)
    }
}

/// A pilot as [`pilot`] reads it.
#[derive(sqlx::FromRow)]
struct PilotRow {
    time_zone: String,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    block_minutes: i32,
}

/// The engine's view of a pilot.
pub async fn pilot(db: impl PgExecutor<'_>, pilot_id: PilotId) -> anyhow::Result<coverage::Pilot> {
    let row: PilotRow = sqlx::query_as(
        "select time_zone, starts_on, ends_on, block_minutes from pilots where id = $1",
    )
    .bind(pilot_id)
    .fetch_one(db)
    .await?;
    let zone = row.time_zone;
    Ok(coverage::Pilot {
        time_zone: zone
            .parse()
            .map_err(|_| anyhow::anyhow!("pilot {pilot_id} has an unknown time zone {zone:?}"))?,
        starts_on: row.starts_on,
        ends_on: row.ends_on,
        block_minutes: u32::try_from(row.block_minutes).context("block length")?,
    })
}

/// A hotspot as the engine reads it.
#[derive(sqlx::FromRow)]
struct HotspotRow {
    id: HotspotId,
    district_id: DistrictId,
    #[sqlx(flatten)]
    watch: Watch,
}

/// The engine's view of a pilot's hotspots, by id.
pub async fn hotspots(
    db: impl PgExecutor<'_>,
    pilot_id: PilotId,
) -> Result<Vec<coverage::Hotspot>, sqlx::Error> {
    let rows: Vec<HotspotRow> = sqlx::query_as(
        r#"select id, district_id, priority, active_from, active_to, window_start, window_end,
                  target_minutes_per_day, max_gap_minutes
             from hotspots
            where pilot_id = $1
            order by id"#,
    )
    .bind(pilot_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| coverage::Hotspot {
            id: r.id,
            district_id: r.district_id,
            watch: r.watch,
        })
        .collect())
}

/// A shift as [`shifts`] reads it.
#[derive(sqlx::FromRow)]
struct ShiftRow {
    id: ShiftId,
    team_id: TeamId,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    status: ShiftStatus,
    hotspot_ids: Vec<HotspotId>,
    agencies: Vec<AgencyCode>,
}

/// Shifts of a pilot that overlap `[from, to)` (directed to one of `only`, when given), with
/// their hotspots and members' agencies.
pub async fn shifts(
    db: impl PgExecutor<'_>,
    pilot_id: PilotId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    only: Option<&[HotspotId]>,
) -> Result<Vec<coverage::Shift>, sqlx::Error> {
    let rows: Vec<ShiftRow> = sqlx::query_as(
        r#"select s.id, s.team_id, s.starts_at, s.ends_at, s.status,
                  coalesce(h.ids, '{}') as hotspot_ids, coalesce(m.agencies, '{}') as agencies
             from shifts s
             left join lateral (select array_agg(sh.hotspot_id order by sh.hotspot_id) as ids
                                  from shift_hotspots sh where sh.shift_id = s.id) h on true
             left join lateral (select array_agg(o.agency order by o.id) as agencies
                                  from shift_members sm join officers o on o.id = sm.officer_id
                                 where sm.shift_id = s.id) m on true
            where s.pilot_id = $1 and s.ends_at > $2 and s.starts_at < $3
              -- No shift lasts over 16 hours (shifts_at_most_16_hours), which bounds the index scan.
              and s.starts_at >= $2 - interval '16 hours'
              and ($4::int8[] is null or exists (
                     select 1 from shift_hotspots sh
                      where sh.shift_id = s.id and sh.hotspot_id = any($4)))
            order by s.starts_at, s.id"#,
    )
    .bind(pilot_id)
    .bind(from)
    .bind(to)
    .bind(only)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| coverage::Shift {
            id: row.id,
            team_id: row.team_id,
            starts_at: row.starts_at,
            ends_at: row.ends_at,
            cancelled: !row.status.counts(),
            hotspot_ids: row.hotspot_ids,
            members: row.agencies,
        })
        .collect())
}

/// A visit as [`visits`] reads it.
#[derive(sqlx::FromRow)]
struct VisitRow {
    shift_id: ShiftId,
    hotspot_id: HotspotId,
    arrived_at: DateTime<Utc>,
    departed_at: DateTime<Utc>,
    members: i64,
}

/// Visits of a pilot that overlap `[from, to)` (at one of `only`, when given), with the member
/// count of the visiting shift.
pub async fn visits(
    db: impl PgExecutor<'_>,
    pilot_id: PilotId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    only: Option<&[HotspotId]>,
) -> Result<Vec<coverage::Visit>, sqlx::Error> {
    let rows: Vec<VisitRow> = sqlx::query_as(
        r#"select v.shift_id, v.hotspot_id, v.arrived_at, v.departed_at,
                  (select count(*) from shift_members sm where sm.shift_id = v.shift_id) as members
             from visits v
             join shifts s on s.id = v.shift_id
            where s.pilot_id = $1 and v.departed_at > $2 and v.arrived_at < $3
              and ($4::int8[] is null or v.hotspot_id = any($4))
            order by v.arrived_at, v.id"#,
    )
    .bind(pilot_id)
    .bind(from)
    .bind(to)
    .bind(only)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| coverage::Visit {
            shift_id: row.shift_id,
            hotspot_id: row.hotspot_id,
            arrived_at: row.arrived_at,
            departed_at: row.departed_at,
            members: u32::try_from(row.members).unwrap_or(u32::MAX),
        })
        .collect())
}

/// Everything the engine needs for local dates `from..=to` of a pilot (of its hotspots `only`,
/// when given). Shifts and visits are
/// loaded with a margin, since a window that opens on `to` may close the next day.
pub async fn inputs(
    conn: &mut PgConnection,
    pilot_id: PilotId,
    from: NaiveDate,
    to: NaiveDate,
    only: Option<&[HotspotId]>,
) -> anyhow::Result<Inputs> {
    let pilot = pilot(&mut *conn, pilot_id).await?;
    let mut hotspots = hotspots(&mut *conn, pilot_id).await?;
    if let Some(only) = only {
        hotspots.retain(|h| only.contains(&h.id));
    }
    let (start, end) = margin(&pilot, from, to);
    let shifts = shifts(&mut *conn, pilot_id, start, end, only).await?;
    let visits = visits(&mut *conn, pilot_id, start, end, only).await?;
    Ok(Inputs {
        pilot,
        hotspots,
        shifts,
        visits,
    })
}

/// Instants from the start of the day before `from` to the end of the second day after `to`.
fn margin(
    pilot: &coverage::Pilot,
    from: NaiveDate,
    to: NaiveDate,
) -> (DateTime<Utc>, DateTime<Utc>) {
    let before = from.checked_sub_days(Days::new(1)).unwrap_or(from);
    let after = to.checked_add_days(Days::new(3)).unwrap_or(to);
    (
        coverage::resolve_local(pilot.time_zone, before, NaiveTime::MIN),
        coverage::resolve_local(pilot.time_zone, after, NaiveTime::MIN),
    )
}

/// Recomputes the `hotspot_days` rows of every hotspot of a pilot for local dates `from..=to`
/// (clamped to the pilot), and the roll-ups built on them and on the raw officer and activity
/// rows (`db::rollups`). Call it inside the transaction that changed shifts, visits, activities
/// or hotspots.
pub async fn refresh(
    conn: &mut PgConnection,
    pilot_id: PilotId,
    from: NaiveDate,
    to: NaiveDate,
) -> anyhow::Result<u64> {
    refresh_hotspots(conn, pilot_id, (from, to), None, Changed::Everything).await
}

/// `refresh` for the hotspots `only` (when given), after a change of the rows `changed` says: a
/// change to shifts or visits alters the figures of the hotspots they were directed to or made
/// at, and nothing else; the officer, shift and activity roll-ups of the days are rewritten when
/// `changed` is what they are built on, whatever `only` says. `Some(&[])` suits a change that
/// touches no hotspot's figures (an activity).
pub async fn refresh_hotspots(
    conn: &mut PgConnection,
    pilot_id: PilotId,
    (from, to): (NaiveDate, NaiveDate),
    only: Option<&[HotspotId]>,
    changed: Changed,
) -> anyhow::Result<u64> {
    let pilot = pilot(&mut *conn, pilot_id).await?;
    let (from, to) = (from.max(pilot.starts_on), to.min(pilot.ends_on));
    if to < from {
        return Ok(0);
    }
    // One refresh of a pilot at a time: a second transaction waits here until the first has
    // committed, then reads the raw rows afresh and so sees both changes. Without it, two
    // supervisors saving shifts of the same day would each store figures missing the other's.
    sqlx::query("select pg_advisory_xact_lock(hashtext('patrolboard.coverage'), $1::int4)")
        .bind(i32::try_from(pilot_id.0).unwrap_or(i32::MAX))
        .execute(&mut *conn)
        .await?;
    let inputs = inputs(&mut *conn, pilot_id, from, to, only).await?;
    let rows = compute_rows(&inputs, from, to);
    let hotspot_ids: Vec<HotspotId> = inputs.hotspots.iter().map(|h| h.id).collect();
    sqlx::query("delete from hotspot_days where hotspot_id = any($1) and day between $2 and $3")
        .bind(&hotspot_ids)
        .bind(from)
        .bind(to)
        .execute(&mut *conn)
        .await?;
    store(conn, &rows).await?;
    let only = only.map(|_| hotspot_ids.as_slice());
    let zone = pilot.time_zone.name();
    super::rollups::refresh(conn, pilot_id, zone, (from, to), only, changed).await?;
    Ok(rows.len() as u64)
}

/// Deletes a pilot's stored coverage (`hotspot_days` and its roll-ups) of local dates outside
/// `from..=to`, the pilot's new dates; [`refresh`] then rewrites what is inside.
pub async fn forget_outside(
    conn: &mut PgConnection,
    pilot_id: PilotId,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "delete from hotspot_days hd using hotspots h
          where h.id = hd.hotspot_id and h.pilot_id = $1 and (hd.day < $2 or hd.day > $3)",
    )
    .bind(pilot_id)
    .bind(from)
    .bind(to)
    .execute(&mut *conn)
    .await?;
    super::rollups::forget_outside(conn, pilot_id, from, to).await
}

/// One `hotspot_days` row.
pub struct DayRow {
    pub hotspot_id: HotspotId,
    pub day: NaiveDate,
    pub figures: DayFigures,
    pub slot_hours: Vec<i16>,
    pub slot_blocks: Vec<i16>,
    pub slot_planned: Vec<i16>,
}

/// The rows for every hotspot and every date `from..=to`, computed by the engine.
pub fn compute_rows(inputs: &Inputs, from: NaiveDate, to: NaiveDate) -> Vec<DayRow> {
    let (shifts, visits) = inputs.by_hotspot();
    let mut rows = Vec::new();
    for hotspot in &inputs.hotspots {
        let shifts = shifts.get(&hotspot.id).map(Vec::as_slice).unwrap_or(&[]);
        let visits = visits.get(&hotspot.id).map(Vec::as_slice).unwrap_or(&[]);
        let days =
            coverage::hotspot_days_with_blocks(&inputs.pilot, hotspot, from, to, shifts, visits);
        for (day, figures, blocks) in days {
            let hours = hour_of_week(&blocks);
            let (mut slot_hours, mut slot_blocks, mut slot_planned) =
                (Vec::new(), Vec::new(), Vec::new());
            for (index, slot) in hours.slots.iter().enumerate() {
                if slot.blocks > 0 {
                    slot_hours.push(index as i16);
                    slot_blocks.push(slot.blocks as i16);
                    slot_planned.push(slot.planned as i16);
                }
            }
            rows.push(DayRow {
                hotspot_id: hotspot.id,
                day,
                figures,
                slot_hours,
                slot_blocks,
                slot_planned,
            });
        }
    }
    rows
}

async fn store(conn: &mut PgConnection, rows: &[DayRow]) -> Result<(), sqlx::Error> {
    // Arrays of arrays cannot be bound, so the slots travel as text in PostgreSQL's array syntax.
    let array = |values: &[i16]| {
        let inner: Vec<String> = values.iter().map(i16::to_string).collect();
        format!("{{{}}}", inner.join(","))
    };
    for chunk in rows.chunks(5000) {
        let col =
            |f: fn(&DayFigures) -> i64| chunk.iter().map(|r| f(&r.figures)).collect::<Vec<i64>>();
        sqlx::query(
            r#"insert into hotspot_days (hotspot_id, day, blocks, planned_blocks, delivered_blocks,
                   patrol_seconds, officer_seconds, visits, koper_visits, pass_throughs,
                   longest_gap_seconds, window_seconds, target_seconds, capped_patrol_seconds,
                   slot_hours, slot_blocks, slot_planned)
               select hotspot_id, day, blocks, planned, delivered, patrol, officer, visits, koper,
                      pass, gap, win, target, capped,
                      hours::smallint[], slot_blocks::smallint[], slot_planned::smallint[]
                 from unnest($1::bigint[], $2::date[], $3::bigint[], $4::bigint[], $5::bigint[],
                             $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[],
                             $11::bigint[], $12::bigint[], $13::bigint[], $14::bigint[],
                             $15::text[], $16::text[], $17::text[])
                   as t(hotspot_id, day, blocks, planned, delivered, patrol, officer, visits, koper,
                        pass, gap, win, target, capped, hours, slot_blocks, slot_planned)"#,
        )
        .bind(chunk.iter().map(|r| r.hotspot_id).collect::<Vec<_>>())
        .bind(chunk.iter().map(|r| r.day).collect::<Vec<_>>())
        .bind(col(|f| f.blocks))
        .bind(col(|f| f.planned_blocks))
        .bind(col(|f| f.delivered_blocks))
        .bind(col(|f| f.patrol_seconds))
        .bind(col(|f| f.officer_seconds))
        .bind(col(|f| f.visits))
        .bind(col(|f| f.koper_visits))
        .bind(col(|f| f.pass_throughs))
        .bind(col(|f| f.longest_gap_seconds))
        .bind(col(|f| f.window_seconds))
        .bind(col(|f| f.target_seconds))
        .bind(col(|f| f.capped_patrol_seconds))
        .bind(
            chunk
                .iter()
                .map(|r| array(&r.slot_hours))
                .collect::<Vec<_>>(),
        )
        .bind(
            chunk
                .iter()
                .map(|r| array(&r.slot_blocks))
                .collect::<Vec<_>>(),
        )
        .bind(
            chunk
                .iter()
                .map(|r| array(&r.slot_planned))
                .collect::<Vec<_>>(),
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
