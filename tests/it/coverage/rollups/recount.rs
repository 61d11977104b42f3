//! The stored figures as rows, and what the raw rows add up to, read afresh.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::America::Edmonton;
use patrolboard::coverage::DayFigures;
use sqlx::{PgPool, Row};

use crate::common::date;

pub(super) const FIGURES: &str = "blocks::int8, planned_blocks::int8, delivered_blocks::int8,
    patrol_seconds, officer_seconds, visits::int8, koper_visits::int8, pass_throughs::int8,
    longest_gap_seconds, window_seconds, target_seconds, capped_patrol_seconds";

/// Stored figures and hour-of-week slots, keyed by (hotspot or district, day or month).
pub(super) type Stored = BTreeMap<(i64, NaiveDate), (DayFigures, BTreeMap<i16, (i64, i64)>)>;

pub(super) async fn stored(db: &PgPool, sql: &str) -> Stored {
    let rows = sqlx::query(sql).fetch_all(db).await.unwrap();
    rows.iter()
        .map(|row| {
            let get = |i: usize| row.get::<i64, _>(i);
            let figures = DayFigures {
                blocks: get(2),
                planned_blocks: get(3),
                delivered_blocks: get(4),
                patrol_seconds: get(5),
                officer_seconds: get(6),
                visits: get(7),
                koper_visits: get(8),
                pass_throughs: get(9),
                longest_gap_seconds: get(10),
                window_seconds: get(11),
                target_seconds: get(12),
                capped_patrol_seconds: get(13),
            };
            let mut slots = BTreeMap::new();
            if row.len() > 14 {
                let hours: Vec<i16> = row.get(14);
                let blocks: Vec<i16> = row.get(15);
                let planned: Vec<i16> = row.get(16);
                for i in 0..hours.len() {
                    slots.insert(hours[i], (i64::from(blocks[i]), i64::from(planned[i])));
                }
            }
            ((row.get(0), row.get(1)), (figures, slots))
        })
        .collect()
}

pub(super) fn add(
    into: &mut Stored,
    key: (i64, NaiveDate),
    figures: DayFigures,
    slots: &BTreeMap<i16, (i64, i64)>,
) {
    let entry = into.entry(key).or_default();
    entry.0 += figures;
    for (hour, (blocks, planned)) in slots {
        let slot = entry.1.entry(*hour).or_default();
        slot.0 += blocks;
        slot.1 += planned;
    }
}

/// The demo pilot's days, the only ones the roll-ups (like the pages) cover.
pub(super) fn in_pilot(day: NaiveDate) -> bool {
    (date(2023, 2, 27)..=date(2023, 5, 31)).contains(&day)
}

pub(super) fn local_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Edmonton).date_naive()
}

pub(super) async fn hotspot_days(db: &PgPool) -> Stored {
    let sql = format!(
        "select hotspot_id, day, {FIGURES}, slot_hours, slot_blocks, slot_planned from hotspot_days"
    );
    stored(db, &sql).await
}

pub(super) async fn district_of(db: &PgPool) -> HashMap<i64, i64> {
    sqlx::query_as("select id, district_id from hotspots")
        .fetch_all(db)
        .await
        .unwrap()
        .into_iter()
        .collect()
}

/// Officer seconds by (local start day, agency, district), read afresh from shifts and members.
pub(crate) async fn officer_seconds(
    db: &PgPool,
) -> BTreeMap<(NaiveDate, String, Option<i64>), f64> {
    // id, starts, ends, members' agencies, districts of its hotspots
    type Shift = (i64, DateTime<Utc>, DateTime<Utc>, Vec<String>, Vec<i64>);
    let shifts: Vec<Shift> = sqlx::query_as(
        r#"select s.id, s.starts_at, s.ends_at,
                  array(select o.agency from shift_members m join officers o on o.id = m.officer_id
                         where m.shift_id = s.id),
                  array(select distinct h.district_id from shift_hotspots sh
                          join hotspots h on h.id = sh.hotspot_id where sh.shift_id = s.id)
             from shifts s join pilots p on p.id = s.pilot_id
            where p.slug = 'calgary-2023' and s.status <> 'cancelled'"#,
    )
    .fetch_all(db)
    .await
    .unwrap();
    let mut totals = BTreeMap::new();
    for (_, starts, ends, agencies, districts) in shifts {
        if !in_pilot(local_day(starts)) {
            continue;
        }
        let seconds = (ends - starts).num_seconds() as f64;
        let shares: Vec<Option<i64>> = if districts.is_empty() {
            vec![None]
        } else {
            districts.into_iter().map(Some).collect()
        };
        for agency in &agencies {
            for district in &shares {
                *totals
                    .entry((local_day(starts), agency.clone(), *district))
                    .or_default() += seconds / shares.len() as f64;
            }
        }
    }
    totals
}

/// Activity counts by (local day, kind, district), read afresh from the activities.
/// (summed count, rows) of the demo's activities by local day, kind and district.
pub(super) async fn activity_counts(
    db: &PgPool,
) -> BTreeMap<(NaiveDate, String, Option<i64>), (i64, i64)> {
    let rows: Vec<(DateTime<Utc>, String, Option<i64>, i32)> = sqlx::query_as(
        r#"select a.occurred_at, a.kind, h.district_id, a.count
             from activities a join shifts s on s.id = a.shift_id
             join pilots p on p.id = s.pilot_id
             left join hotspots h on h.id = a.hotspot_id
            where p.slug = 'calgary-2023'"#,
    )
    .fetch_all(db)
    .await
    .unwrap();
    let mut totals = BTreeMap::new();
    for (at, kind, district, count) in rows.into_iter().filter(|r| in_pilot(local_day(r.0))) {
        let (sum, rows): &mut (i64, i64) =
            totals.entry((local_day(at), kind, district)).or_default();
        *sum += i64::from(count);
        *rows += 1;
    }
    totals
}

/// (shifts, members) of the demo by the local day a shift starts: for the whole pilot (no
/// district) and for each district a shift is directed to.
pub(super) async fn shift_counts(db: &PgPool) -> BTreeMap<(NaiveDate, Option<i64>), (i64, i64)> {
    let shifts: Vec<(i64, DateTime<Utc>)> = sqlx::query_as(
        r#"select s.id, s.starts_at from shifts s join pilots p on p.id = s.pilot_id
            where p.slug = 'calgary-2023'"#,
    )
    .fetch_all(db)
    .await
    .unwrap();
    let members: Vec<(i64,)> = sqlx::query_as("select shift_id from shift_members")
        .fetch_all(db)
        .await
        .unwrap();
    let directed: Vec<(i64, i64)> = sqlx::query_as(
        "select sh.shift_id, h.district_id from shift_hotspots sh join hotspots h on h.id = sh.hotspot_id",
    )
    .fetch_all(db)
    .await
    .unwrap();
    let mut totals = BTreeMap::new();
    for (id, starts_at) in shifts {
        let day = local_day(starts_at);
        let crew = members.iter().filter(|(shift,)| *shift == id).count() as i64;
        let mut districts: Vec<i64> = directed
            .iter()
            .filter(|(shift, _)| *shift == id)
            .map(|(_, district)| *district)
            .collect();
        districts.sort_unstable();
        districts.dedup();
        for key in std::iter::once(None).chain(districts.into_iter().map(Some)) {
            let (shifts, people): &mut (i64, i64) = totals.entry((day, key)).or_default();
            *shifts += 1;
            *people += crew;
        }
    }
    totals
}
