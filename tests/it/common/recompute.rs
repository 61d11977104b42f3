//! Coverage figures recomputed straight from the raw tables, for tests that check the stored
//! figures and the API against them.

use chrono::NaiveDate;
use sqlx::PgPool;

/// Figures recomputed straight from the raw tables in SQL, reading docs/coverage.md afresh:
/// blocks from the local wall clock, the half-block rule per shift, visits by arrival date,
/// patrol time as the union of visits inside each window (multiranges).
pub async fn recompute(
    db: &PgPool,
    from: NaiveDate,
    to: NaiveDate,
) -> (i64, i64, i64, i64, i64, f64, f64) {
    sqlx::query_as(
        r#"with p as (select id, time_zone as tz, make_interval(mins => block_minutes) as block
                        from pilots where slug = 'calgary-2023'),
           days as (
             select h.id as hotspot_id, d::date as day, p.tz, p.block,
                    d::date + h.window_start as open_local,
                    (case when h.window_end > h.window_start then d::date else d::date + 1 end) + h.window_end as close_local
               from p join hotspots h on h.pilot_id = p.id
               cross join generate_series($1::date, $2::date, interval '1 day') d
              where d::date between h.active_from and coalesce(h.active_to, 'infinity'::date)),
           blocks as (
             select hotspot_id, (b at time zone tz) as starts_at,
                    (least(b + block, close_local) at time zone tz) as ends_at
               from days cross join generate_series(open_local, close_local - interval '1 microsecond', block) b),
           real_blocks as (select * from blocks where ends_at > starts_at),
           judged as (
             select b.*,
                    exists (select 1 from shift_hotspots sh join shifts s on s.id = sh.shift_id
                             where sh.hotspot_id = b.hotspot_id and s.status <> 'cancelled'
                               and least(s.ends_at, b.ends_at) - greatest(s.starts_at, b.starts_at)
                                   >= (b.ends_at - b.starts_at) / 2) as planned,
                    exists (select 1 from visits v
                             where v.hotspot_id = b.hotspot_id and v.departed_at - v.arrived_at >= interval '10 minutes'
                               and v.arrived_at >= b.starts_at and v.arrived_at < b.ends_at) as delivered
               from real_blocks b),
           in_range as (
             select v.*, extract(epoch from v.departed_at - v.arrived_at) as dwell,
                    (select count(*) from shift_members m where m.shift_id = v.shift_id) as members
               from visits v join hotspots h on h.id = v.hotspot_id join p on p.id = h.pilot_id
              where (v.arrived_at at time zone p.tz)::date between $1 and $2),
           patrol as (
             select coalesce(sum(extract(epoch from upper(r) - lower(r))), 0) as seconds
               from days d
               cross join lateral (
                 select range_agg(tstzrange(v.arrived_at, v.departed_at))
                        * tstzmultirange(tstzrange(d.open_local at time zone d.tz, d.close_local at time zone d.tz)) as covered
                   from visits v where v.hotspot_id = d.hotspot_id) u
               cross join lateral unnest(coalesce(u.covered, '{}'::tstzmultirange)) r)
         select (select count(*) from judged), (select count(*) filter (where planned) from judged),
                (select count(*) filter (where delivered) from judged), (select count(*) from in_range),
                (select count(*) filter (where dwell between 600 and 960) from in_range),
                (select coalesce(sum(dwell * members), 0)::float8 / 60 from in_range),
                (select seconds::float8 / 60 from patrol)"#,
    )
    .bind(from)
    .bind(to)
    .fetch_one(db)
    .await
    .unwrap()
}
