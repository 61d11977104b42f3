//! Officer-hours (DESIGN section 3): members' shift hours of non-cancelled shifts that start on a
//! local date in the range, by agency, and by district (split evenly among the districts of the
//! hotspots a shift was directed to).

use chrono::NaiveDate;
use sqlx::PgExecutor;

use super::day_bounds;

/// Seconds of officer time per agency (`alberta_sheriffs`, `cps`).
pub async fn by_agency(
    db: impl PgExecutor<'_>,
    pilot_id: i64,
    time_zone: &str,
    from: NaiveDate,
    to: NaiveDate,
    district_id: Option<i64>,
) -> Result<Vec<(String, f64)>, sqlx::Error> {
    let (start, end) = day_bounds(time_zone, from, to);
    sqlx::query_as(
        r#"with shift_share as (
               -- The share of each shift that belongs to the district asked for (1 for all).
               select s.id, s.starts_at, s.ends_at,
                      case when $4::int8 is null then 1.0
                           else (select count(distinct h.district_id) filter (where h.district_id = $4)::float8
                                        / nullif(count(distinct h.district_id), 0)
                                   from shift_hotspots sh join hotspots h on h.id = sh.hotspot_id
                                  where sh.shift_id = s.id)
                      end as share
                 from shifts s
                where s.pilot_id = $1 and s.status <> 'cancelled'
                  and s.starts_at >= $2 and s.starts_at < $3)
           select o.agency, coalesce(sum(extract(epoch from ss.ends_at - ss.starts_at)::float8 * coalesce(ss.share, 0)), 0)
             from shift_share ss
             join shift_members m on m.shift_id = ss.id
             join officers o on o.id = m.officer_id
            group by o.agency
            order by o.agency"#,
    )
    .bind(pilot_id)
    .bind(start)
    .bind(end)
    .bind(district_id)
    .fetch_all(db)
    .await
}

/// Seconds of officer time per district id, split evenly among each shift's districts.
pub async fn by_district(
    db: impl PgExecutor<'_>,
    pilot_id: i64,
    time_zone: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(i64, f64)>, sqlx::Error> {
    let (start, end) = day_bounds(time_zone, from, to);
    sqlx::query_as(
        r#"with pilot_shifts as (
               select s.id, s.starts_at, s.ends_at
                 from shifts s
                where s.pilot_id = $1 and s.status <> 'cancelled'
                  and s.starts_at >= $2 and s.starts_at < $3),
           shift_districts as (
               select distinct ps.id, ps.starts_at, ps.ends_at, h.district_id
                 from pilot_shifts ps
                 join shift_hotspots sh on sh.shift_id = ps.id
                 join hotspots h on h.id = sh.hotspot_id),
           weighted as (
               select sd.*, count(*) over (partition by sd.id) as districts from shift_districts sd)
           select w.district_id,
                  sum(extract(epoch from w.ends_at - w.starts_at)::float8 / w.districts)
             from weighted w
             join shift_members m on m.shift_id = w.id
            group by w.district_id"#,
    )
    .bind(pilot_id)
    .bind(start)
    .bind(end)
    .fetch_all(db)
    .await
}
