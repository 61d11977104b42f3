//! Coverage figures for a range, summed from the stored roll-ups: the range's whole months,
//! weeks and days (`Pieces`) from `hotspot_months`, `hotspot_weeks` and `hotspot_days` (or the
//! `district_` ones), and days of districts from `district_days`.

use chrono::NaiveDate;
use sqlx::PgExecutor;

use super::pieces::Pieces;
use crate::coverage::DayFigures;
use crate::domain::ids::{DistrictId, HotspotId, PilotId};

/// A hotspot with its district and its figures for a range.
#[derive(Debug, Clone)]
pub struct HotspotFigures {
    pub id: HotspotId,
    pub name: String,
    pub priority: i16,
    pub district_id: DistrictId,
    pub district_code: String,
    pub district_name: String,
    pub figures: DayFigures,
}

/// The figure columns of `hotspot_days hd`, summed (the longest gap is the longest of the days).
macro_rules! sums {
    () => {
        r#"coalesce(sum(hd.blocks), 0)::int8 as blocks,
           coalesce(sum(hd.planned_blocks), 0)::int8 as planned_blocks,
           coalesce(sum(hd.delivered_blocks), 0)::int8 as delivered_blocks,
           coalesce(sum(hd.patrol_seconds), 0)::int8 as patrol_seconds,
           coalesce(sum(hd.officer_seconds), 0)::int8 as officer_seconds,
           coalesce(sum(hd.visits), 0)::int8 as visits,
           coalesce(sum(hd.koper_visits), 0)::int8 as koper_visits,
           coalesce(sum(hd.pass_throughs), 0)::int8 as pass_throughs,
           coalesce(max(hd.longest_gap_seconds), 0)::int8 as longest_gap_seconds,
           coalesce(sum(hd.window_seconds), 0)::int8 as window_seconds,
           coalesce(sum(hd.target_seconds), 0)::int8 as target_seconds,
           coalesce(sum(hd.capped_patrol_seconds), 0)::int8 as capped_patrol_seconds"#
    };
}
pub(crate) use sums;

/// The rows of a pilot's hotspots or districts (`$key` as `key`, and the columns named) covering
/// a range once each: its months `$2` from `{$level}_months`, its weeks `$3` from
/// `{$level}_weeks`, its days `$4` from `{$level}_days` (see `Pieces`).
macro_rules! stored_pieces {
    ($level:literal, $key:literal, $columns:expr) => {
        concat!(
            "select p.",
            $key,
            " as key, ",
            $columns,
            " from ",
            $level,
            "_months p join ",
            $level,
            "s o on o.id = p.",
            $key,
            " where o.pilot_id = $1 and p.month = any($2)
             union all
             select p.",
            $key,
            " as key, ",
            $columns,
            " from ",
            $level,
            "_weeks p join ",
            $level,
            "s o on o.id = p.",
            $key,
            " where o.pilot_id = $1 and p.week = any($3)
             union all
             select p.",
            $key,
            " as key, ",
            $columns,
            " from ",
            $level,
            "_days p join ",
            $level,
            "s o on o.id = p.",
            $key,
            " where o.pilot_id = $1 and p.day = any($4)"
        )
    };
}

/// The figure columns shared by `hotspot_days` and `hotspot_months`.
macro_rules! figure_columns {
    () => {
        "blocks, planned_blocks, delivered_blocks, patrol_seconds, officer_seconds, visits,
         koper_visits, pass_throughs, longest_gap_seconds, window_seconds, target_seconds,
         capped_patrol_seconds"
    };
}

#[derive(sqlx::FromRow)]
struct Sums {
    blocks: i64,
    planned_blocks: i64,
    delivered_blocks: i64,
    patrol_seconds: i64,
    officer_seconds: i64,
    visits: i64,
    koper_visits: i64,
    pass_throughs: i64,
    longest_gap_seconds: i64,
    window_seconds: i64,
    target_seconds: i64,
    capped_patrol_seconds: i64,
}

impl From<Sums> for DayFigures {
    fn from(s: Sums) -> Self {
        DayFigures {
            blocks: s.blocks,
            planned_blocks: s.planned_blocks,
            delivered_blocks: s.delivered_blocks,
            patrol_seconds: s.patrol_seconds,
            officer_seconds: s.officer_seconds,
            visits: s.visits,
            koper_visits: s.koper_visits,
            pass_throughs: s.pass_throughs,
            longest_gap_seconds: s.longest_gap_seconds,
            window_seconds: s.window_seconds,
            target_seconds: s.target_seconds,
            capped_patrol_seconds: s.capped_patrol_seconds,
        }
    }
}

#[derive(sqlx::FromRow)]
struct HotspotRow {
    id: HotspotId,
    name: String,
    priority: i16,
    district_id: DistrictId,
    district_code: String,
    district_name: String,
    #[sqlx(flatten)]
    sums: Sums,
}

#[derive(sqlx::FromRow)]
struct DayRow {
    day: NaiveDate,
    #[sqlx(flatten)]
    sums: Sums,
}

/// Every hotspot of a pilot with its figures for local dates `from..=to`, by district and name.
pub async fn by_hotspot(
    db: impl PgExecutor<'_>,
    pilot_id: PilotId,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<HotspotFigures>, sqlx::Error> {
    let pieces = Pieces::of(from, to);
    let rows: Vec<HotspotRow> = sqlx::query_as(concat!(
        "with stored as (",
        stored_pieces!("hotspot", "hotspot_id", figure_columns!()),
        ")
         select h.id, h.name, h.priority, d.id as district_id, d.code as district_code,
                d.name as district_name, ",
        sums!(),
        " from hotspots h
          join districts d on d.id = h.district_id
          left join stored hd on hd.key = h.id
         where h.pilot_id = $1
         group by h.id, d.id
         order by d.name, h.priority, h.name"
    ))
    .bind(pilot_id)
    .bind(&pieces.months)
    .bind(&pieces.weeks)
    .bind(&pieces.days)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| HotspotFigures {
            id: r.id,
            name: r.name,
            priority: r.priority,
            district_id: r.district_id,
            district_code: r.district_code,
            district_name: r.district_name,
            figures: r.sums.into(),
        })
        .collect())
}

/// Figures per local day for `from..=to`, of the hotspots of one district or of the whole pilot.
pub async fn by_day(
    db: impl PgExecutor<'_>,
    pilot_id: PilotId,
    from: NaiveDate,
    to: NaiveDate,
    district_id: Option<DistrictId>,
    hotspot_id: Option<HotspotId>,
) -> Result<Vec<(NaiveDate, DayFigures)>, sqlx::Error> {
    // One hotspot's days are few; anything wider reads the districts' days.
    let query = match hotspot_id {
        Some(_) => sqlx::query_as(concat!(
            "select hd.day, ",
            sums!(),
            " from hotspot_days hd
              join hotspots h on h.id = hd.hotspot_id
             where h.pilot_id = $1 and hd.day between $2 and $3
               and ($4::int8 is null or h.district_id = $4) and h.id = $5
             group by hd.day
             order by hd.day"
        )),
        None => sqlx::query_as(concat!(
            "select hd.day, ",
            sums!(),
            " from district_days hd
              join districts d on d.id = hd.district_id
             where d.pilot_id = $1 and hd.day between $2 and $3
               and ($4::int8 is null or d.id = $4) and $5::int8 is null
             group by hd.day
             order by hd.day"
        )),
    };
    let rows: Vec<DayRow> = query
        .bind(pilot_id)
        .bind(from)
        .bind(to)
        .bind(district_id)
        .bind(hotspot_id)
        .fetch_all(db)
        .await?;
    Ok(rows.into_iter().map(|r| (r.day, r.sums.into())).collect())
}

/// The hour-of-week slots of one hotspot or district over a day or a month (see
/// `hotspot_days.slot_hours`).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SlotRow {
    /// The hotspot's or the district's id.
    pub key: i64,
    pub slot_hours: Vec<i16>,
    pub slot_blocks: Vec<i16>,
    pub slot_planned: Vec<i16>,
}

/// Hour-of-week slots over the range, a month, week or day to a row, rows without blocks left out:
/// of each district of the pilot, or, given a district, of each of its hotspots.
pub async fn slots(
    db: impl PgExecutor<'_>,
    pilot_id: PilotId,
    from: NaiveDate,
    to: NaiveDate,
    district_id: Option<DistrictId>,
) -> Result<Vec<SlotRow>, sqlx::Error> {
    let pieces = Pieces::of(from, to);
    let query = match district_id {
        None => sqlx::query_as(concat!(
            "select key, slot_hours, slot_blocks, slot_planned from (",
            stored_pieces!(
                "district",
                "district_id",
                "blocks, slot_hours, slot_blocks, slot_planned"
            ),
            ") stored where blocks > 0 and $5::int8 is null"
        )),
        Some(_) => sqlx::query_as(concat!(
            "select key, slot_hours, slot_blocks, slot_planned from (",
            stored_pieces!(
                "hotspot",
                "hotspot_id",
                "blocks, slot_hours, slot_blocks, slot_planned"
            ),
            ") stored join hotspots h on h.id = stored.key
              where stored.blocks > 0 and h.district_id = $5"
        )),
    };
    query
        .bind(pilot_id)
        .bind(&pieces.months)
        .bind(&pieces.weeks)
        .bind(&pieces.days)
        .bind(district_id)
        .fetch_all(db)
        .await
}

/// A district with its figures for a range: the sums over its hotspots' blocks.
#[derive(Debug, Clone)]
pub struct DistrictFigures {
    pub id: DistrictId,
    pub code: String,
    pub name: String,
    pub hotspots: usize,
    pub figures: DayFigures,
}

/// A pilot's figures for a range, rolled up from hotspots to districts to the whole pilot.
#[derive(Debug, Clone)]
pub struct Report {
    pub total: DayFigures,
    pub districts: Vec<DistrictFigures>,
    pub hotspots: Vec<HotspotFigures>,
}

/// The report of a pilot for local dates `from..=to`. Every district of the pilot is listed, even
/// one without hotspots.
pub async fn report(
    conn: &mut sqlx::PgConnection,
    pilot_id: PilotId,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Report, sqlx::Error> {
    let hotspots = by_hotspot(&mut *conn, pilot_id, from, to).await?;
    let all: Vec<(DistrictId, String, String)> =
        sqlx::query_as("select id, code, name from districts where pilot_id = $1 order by name")
            .bind(pilot_id)
            .fetch_all(&mut *conn)
            .await?;
    let mut total = DayFigures::default();
    let districts = all
        .into_iter()
        .map(|(id, code, name)| {
            let mut figures = DayFigures::default();
            let mut count = 0;
            for hotspot in hotspots.iter().filter(|h| h.district_id == id) {
                figures += hotspot.figures;
                count += 1;
            }
            total += figures;
            DistrictFigures {
                id,
                code,
                name,
                hotspots: count,
                figures,
            }
        })
        .collect();
    Ok(Report {
        total,
        districts,
        hotspots,
    })
}
