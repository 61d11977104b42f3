//! Officer-hours (DESIGN section 3): members' shift hours of non-cancelled shifts that start on a
//! local date in the range, by agency, and by district (split evenly among the districts of the
//! hotspots a shift was directed to).

use chrono::NaiveDate;
use sqlx::PgExecutor;

/// Seconds of officer time per agency (`alberta_sheriffs`, `cps`).
pub async fn by_agency(
    db: impl PgExecutor<'_>,
    pilot_id: i64,
    time_zone: &str,
    from: NaiveDate,
    to: NaiveDate,
    district_id: Option<i64>,
) -> Result<Vec<(String, f64)>, sqlx::Error> {
    sqlx::query_as(
        r#"with shift_share as (
               -- The share of each shift that belongs to the district asked for (1 for all).
               select s.id, s.starts_at, s.ends_at,
                      case when $5::int8 is null then 1.0
                           else (select count(distinct h.district_id) filter (where h.district_id = $5)::float8
                                        / nullif(count(distinct h.district_id), 0)
                                   from shift_hotspots sh join hotspots h on h.id = sh.hotspot_id
                                  where sh.shift_id = s.id)
                      end as share
                 from shifts s
                where s.pilot_id = $1 and s.status <> 'cancelled'
                  and (s.starts_at at time zone $2)::date between $3 and $4)
           select o.agency, coalesce(sum(extract(epoch from ss.ends_at - ss.starts_at)::float8 * coalesce(ss.share, 0)), 0)
             from shift_share ss
             join shift_members m on m.shift_id = ss.id
             join officers o on o.id = m.officer_id
            group by o.agency
            order by o.agency"#,
    )
    .bind(pilot_id)
    .bind(time_zone)
    .bind(from)
    .bind(to)
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
    sqlx::query_as(
        r#"with shift_districts as (
               select s.id, s.starts_at, s.ends_at, h.district_id,
                      count(*) over (partition by s.id) as districts
                 from shifts s
                 join (select distinct sh.shift_id, h.district_id
                         from shift_hotspots sh join hotspots h on h.id = sh.hotspot_id) h
                   on h.shift_id = s.id
                where s.pilot_id = $1 and s.status <> 'cancelled'
                  and (s.starts_at at time zone $2)::date between $3 and $4)
           select sd.district_id,
                  sum(extract(epoch from sd.ends_at - sd.starts_at)::float8 / sd.districts)
             from shift_districts sd
             join shift_members m on m.shift_id = sd.id
            group by sd.district_id"#,
    )
    .bind(pilot_id)
    .bind(time_zone)
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await
}
