//! Roll-ups kept beside `hotspot_days` (migration 0010): per hotspot-month, per district-day,
//! officer-hours per day and activities per day. `refresh` rewrites them for a span of days in
//! the transaction that changed the rows they come from, so pages read a few thousand rows
//! however large the pilot is.

use chrono::{Datelike, Months, NaiveDate};
use sqlx::PgConnection;

use super::day_bounds;
use super::figures::sums;

/// The first day of `day`'s month.
pub fn month_of(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// Rewrites every roll-up of a pilot for local dates `from..=to`, and the `hotspot_months` of
/// every month those dates touch. `hotspot_days` must already be current for those months.
pub async fn refresh(
    conn: &mut PgConnection,
    pilot_id: i64,
    time_zone: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(), sqlx::Error> {
    refresh_months(conn, pilot_id, month_of(from), month_of(to)).await?;
    refresh_district_days(conn, pilot_id, from, to).await?;
    refresh_officer_days(conn, pilot_id, time_zone, from, to).await?;
    refresh_activity_days(conn, pilot_id, time_zone, from, to).await
}

/// `hotspot_months` for the months `first..=last` (first days of months).
async fn refresh_months(
    conn: &mut PgConnection,
    pilot_id: i64,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<(), sqlx::Error> {
    let after = last.checked_add_months(Months::new(1)).unwrap_or(last);
    sqlx::query(
        r#"delete from hotspot_months hm using hotspots h
            where h.id = hm.hotspot_id and h.pilot_id = $1 and hm.month between $2 and $3"#,
    )
    .bind(pilot_id)
    .bind(first)
    .bind(last)
    .execute(&mut *conn)
    .await?;
    sqlx::query(concat!(
        r#"insert into hotspot_months (hotspot_id, month, blocks, planned_blocks,
               delivered_blocks, patrol_seconds, officer_seconds, visits, koper_visits,
               pass_throughs, longest_gap_seconds, window_seconds, target_seconds,
               capped_patrol_seconds, slot_hours, slot_blocks, slot_planned)
           with days as (
               select hd.*, date_trunc('month', hd.day)::date as month
                 from hotspot_days hd
                 join hotspots h on h.id = hd.hotspot_id
                where h.pilot_id = $1 and hd.day >= $2 and hd.day < $3),
           totals as (
               select hd.hotspot_id, hd.month, "#,
        sums!(),
        r#"   from days hd
                group by hd.hotspot_id, hd.month),
           slots as (
               select d.hotspot_id, d.month, s.hour, sum(s.blocks)::smallint as blocks,
                      sum(s.planned)::smallint as planned
                 from days d
                cross join lateral unnest(d.slot_hours, d.slot_blocks, d.slot_planned)
                      as s(hour, blocks, planned)
                group by d.hotspot_id, d.month, s.hour),
           slot_arrays as (
               select hotspot_id, month, array_agg(hour order by hour) as hours,
                      array_agg(blocks order by hour) as blocks,
                      array_agg(planned order by hour) as planned
                 from slots
                group by hotspot_id, month)
           select t.*, coalesce(a.hours, '{}'), coalesce(a.blocks, '{}'), coalesce(a.planned, '{}')
             from totals t
             left join slot_arrays a using (hotspot_id, month)"#
    ))
    .bind(pilot_id)
    .bind(first)
    .bind(after)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// `district_days` for `from..=to`.
async fn refresh_district_days(
    conn: &mut PgConnection,
    pilot_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        r#"delete from district_days dd using districts d
            where d.id = dd.district_id and d.pilot_id = $1 and dd.day between $2 and $3"#,
    )
    .bind(pilot_id)
    .bind(from)
    .bind(to)
    .execute(&mut *conn)
    .await?;
    sqlx::query(concat!(
        r#"insert into district_days (district_id, day, blocks, planned_blocks,
               delivered_blocks, patrol_seconds, officer_seconds, visits, koper_visits,
               pass_throughs, longest_gap_seconds, window_seconds, target_seconds,
               capped_patrol_seconds)
           select h.district_id, hd.day, "#,
        sums!(),
        r#" from hotspot_days hd
             join hotspots h on h.id = hd.hotspot_id
            where h.pilot_id = $1 and hd.day between $2 and $3
            group by h.district_id, hd.day"#
    ))
    .bind(pilot_id)
    .bind(from)
    .bind(to)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// `officer_days` for shifts starting on local dates `from..=to`.
async fn refresh_officer_days(
    conn: &mut PgConnection,
    pilot_id: i64,
    time_zone: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(), sqlx::Error> {
    let insert = r#"insert into officer_days (pilot_id, day, agency, district_id, seconds)
           with pilot_shifts as (
               select s.id, (s.starts_at at time zone $2)::date as day,
                      extract(epoch from s.ends_at - s.starts_at)::float8 as seconds
                 from shifts s
                where s.pilot_id = $1 and s.status <> 'cancelled'
                  and s.starts_at >= $3 and s.starts_at < $4),
           shares as (
               -- One row per district the shift was directed to (one with no district when it
               -- was directed to no hotspot), each with an even share of the shift.
               select ps.id, ps.day, ps.seconds, d.district_id,
                      greatest(count(d.district_id) over (partition by ps.id), 1) as districts
                 from pilot_shifts ps
                 left join lateral (
                     select distinct h.district_id
                       from shift_hotspots sh join hotspots h on h.id = sh.hotspot_id
                      where sh.shift_id = ps.id) d on true)
           select $1, sh.day, o.agency, sh.district_id, sum(sh.seconds / sh.districts)
             from shares sh
             join shift_members m on m.shift_id = sh.id
             join officers o on o.id = m.officer_id
            group by sh.day, o.agency, sh.district_id"#;
    rewrite_days(conn, "officer_days", insert, pilot_id, time_zone, from, to).await
}

/// `activity_days` for activities logged on local dates `from..=to`.
async fn refresh_activity_days(
    conn: &mut PgConnection,
    pilot_id: i64,
    time_zone: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(), sqlx::Error> {
    let insert = r#"insert into activity_days (pilot_id, day, kind, district_id, count)
           select $1, (a.occurred_at at time zone $2)::date, a.kind, h.district_id, sum(a.count)
             from activities a
             join shifts s on s.id = a.shift_id
             left join hotspots h on h.id = a.hotspot_id
            where s.pilot_id = $1 and a.occurred_at >= $3 and a.occurred_at < $4
            group by 2, 3, 4"#;
    rewrite_days(conn, "activity_days", insert, pilot_id, time_zone, from, to).await
}

/// Deletes a pilot's rows of `table` for local dates `from..=to` and runs `insert`, whose
/// parameters are the pilot, its time zone and the instants bounding those dates.
async fn rewrite_days(
    conn: &mut PgConnection,
    table: &str,
    insert: &str,
    pilot_id: i64,
    time_zone: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "delete from {table} where pilot_id = $1 and day between $2 and $3"
    ))
    .bind(pilot_id)
    .bind(from)
    .bind(to)
    .execute(&mut *conn)
    .await?;
    let (start, end) = day_bounds(time_zone, from, to);
    sqlx::query(insert)
        .bind(pilot_id)
        .bind(time_zone)
        .bind(start)
        .bind(end)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
