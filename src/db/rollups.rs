//! Roll-ups kept beside `hotspot_days` (migration 0010): its sums per hotspot and per district
//! over months, ISO weeks and (for districts) days, officer-hours per day and activities per day. `refresh` rewrites them for a
//! span of days in the transaction that changed the rows they come from, so pages read a few
//! thousand rows however large the pilot is.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use sqlx::postgres::PgHasArrayType;
use sqlx::{Encode, PgConnection, PgPool, Postgres, Type};

use super::day_bounds;
use super::figures::sums;
pub use super::rollup_changes::Changed;
use crate::domain::ids::{DistrictId, HotspotId, PilotId};

/// The first day of `day`'s month.
pub fn month_of(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// The Monday of `day`'s ISO week.
pub fn week_of(day: NaiveDate) -> NaiveDate {
    day.week(Weekday::Mon).first_day()
}

/// Rewrites the roll-ups of a pilot built on what `changed` for local dates `from..=to`, and the
/// weekly and monthly ones for every week and month those dates touch; when `only` names
/// hotspots, the sums of `hotspot_days` only for them and their districts. `hotspot_days` must
/// already be current for those weeks and months.
pub async fn refresh(
    conn: &mut PgConnection,
    pilot_id: PilotId,
    time_zone: &str,
    (from, to): (NaiveDate, NaiveDate),
    only: Option<&[HotspotId]>,
    changed: Changed,
) -> Result<(), sqlx::Error> {
    if changed.sums() {
        refresh_sums(conn, pilot_id, from, to, only).await?;
    }
    if changed.officers() {
        refresh_officer_days(conn, pilot_id, time_zone, from, to).await?;
    }
    if changed.shifts() {
        refresh_shift_days(conn, pilot_id, time_zone, from, to).await?;
    }
    if changed.activities() {
        refresh_activity_days(conn, pilot_id, time_zone, from, to).await?;
    }
    Ok(())
}

/// Rewrites the sums of `hotspot_days` per hotspot and district over the months, weeks and days
/// that `from..=to` touches (for `only` and their districts, when given).
async fn refresh_sums(
    conn: &mut PgConnection,
    pilot_id: PilotId,
    from: NaiveDate,
    to: NaiveDate,
    only: Option<&[HotspotId]>,
) -> Result<(), sqlx::Error> {
    let districts: Option<Vec<DistrictId>> = match only {
        None => None,
        Some(hotspots) => Some(
            sqlx::query_scalar("select distinct district_id from hotspots where id = any($1)")
                .bind(hotspots)
                .fetch_all(&mut *conn)
                .await?,
        ),
    };
    let after = to.checked_add_days(Days::new(1)).unwrap_or(to);
    let first_month = month_of(from);
    let after_month = month_of(to)
        .checked_add_months(Months::new(1))
        .unwrap_or(after);
    let first_week = week_of(from);
    let after_week = week_of(to).checked_add_days(Days::new(7)).unwrap_or(after);
    for (rollup, first, after) in [
        (Sums::HotspotMonths, first_month, after_month),
        (Sums::HotspotWeeks, first_week, after_week),
        (Sums::DistrictMonths, first_month, after_month),
        (Sums::DistrictWeeks, first_week, after_week),
        (Sums::DistrictDays, from, after),
    ] {
        if rollup.per_hotspot() {
            rollup.rewrite(conn, pilot_id, first, after, only).await?;
        } else {
            let keys = districts.as_deref();
            rollup.rewrite(conn, pilot_id, first, after, keys).await?;
        }
    }
    Ok(())
}

/// Deletes a pilot's roll-up rows of days, and of weeks and months, wholly outside local dates
/// `from..=to`: the pilot's dates moved and nothing of them is inside it any more. The week and
/// month holding `from` or `to` are left to [`refresh`].
pub async fn forget_outside(
    conn: &mut PgConnection,
    pilot_id: PilotId,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(), sqlx::Error> {
    for (table, key, period, owners, length) in [
        (
            "hotspot_months",
            "hotspot_id",
            "month",
            "hotspots",
            "1 month",
        ),
        ("hotspot_weeks", "hotspot_id", "week", "hotspots", "7 days"),
        (
            "district_months",
            "district_id",
            "month",
            "districts",
            "1 month",
        ),
        (
            "district_weeks",
            "district_id",
            "week",
            "districts",
            "7 days",
        ),
        ("district_days", "district_id", "day", "districts", "1 day"),
    ] {
        sqlx::query(&format!(
            "delete from {table} t using {owners} o
              where o.id = t.{key} and o.pilot_id = $1
                and (t.{period} + interval '{length}' <= $2 or t.{period} > $3)"
        ))
        .bind(pilot_id)
        .bind(from)
        .bind(to)
        .execute(&mut *conn)
        .await?;
    }
    for table in ["officer_days", "activity_days", "shift_days"] {
        sqlx::query(&format!(
            "delete from {table} where pilot_id = $1 and (day < $2 or day > $3)"
        ))
        .bind(pilot_id)
        .bind(from)
        .bind(to)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Fills the roll-ups of every pilot that has `hotspot_days` but no roll-ups yet: the pilots of a
/// database created before migration 0010. Does nothing once they are filled.
pub async fn backfill(pool: &PgPool) -> anyhow::Result<()> {
    let pilots: Vec<(PilotId, String, NaiveDate, NaiveDate)> = sqlx::query_as(
        r#"select p.id, p.time_zone, p.starts_on, p.ends_on
             from pilots p
            where exists (select 1 from hotspot_days hd join hotspots h on h.id = hd.hotspot_id
                           where h.pilot_id = p.id)
              and not exists (select 1 from district_days dd join districts d on d.id = dd.district_id
                               where d.pilot_id = p.id)"#,
    )
    .fetch_all(pool)
    .await?;
    for (pilot_id, time_zone, starts_on, ends_on) in pilots {
        let mut tx = pool.begin().await?;
        refresh(
            &mut tx,
            pilot_id,
            &time_zone,
            (starts_on, ends_on),
            None,
            Changed::Everything,
        )
        .await?;
        tx.commit().await?;
        tracing::info!(pilot_id = pilot_id.0, "filled in the coverage roll-ups");
    }
    Ok(())
}

/// The roll-ups that sum `hotspot_days` (figures and hour-of-week slots).
#[derive(Clone, Copy)]
enum Sums {
    HotspotMonths,
    HotspotWeeks,
    DistrictMonths,
    DistrictWeeks,
    DistrictDays,
}

impl Sums {
    /// Whether the rows are per hotspot (rather than per district).
    fn per_hotspot(self) -> bool {
        matches!(self, Sums::HotspotMonths | Sums::HotspotWeeks)
    }

    /// (table, key column, expression of the key, period column, expression of the period,
    /// table of the key with its pilot).
    fn shape(
        self,
    ) -> (
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
    ) {
        const MONTH: &str = "date_trunc('month', hd.day)::date";
        const WEEK: &str = "date_trunc('week', hd.day)::date";
        match self {
            Sums::HotspotMonths => (
                "hotspot_months",
                "hotspot_id",
                "hd.hotspot_id",
                "month",
                MONTH,
                "hotspots",
            ),
            Sums::HotspotWeeks => (
                "hotspot_weeks",
                "hotspot_id",
                "hd.hotspot_id",
                "week",
                WEEK,
                "hotspots",
            ),
            Sums::DistrictWeeks => (
                "district_weeks",
                "district_id",
                "h.district_id",
                "week",
                WEEK,
                "districts",
            ),
            Sums::DistrictDays => (
                "district_days",
                "district_id",
                "h.district_id",
                "day",
                "hd.day",
                "districts",
            ),
            Sums::DistrictMonths => (
                "district_months",
                "district_id",
                "h.district_id",
                "month",
                MONTH,
                "districts",
            ),
        }
    }

    /// Rewrites this roll-up's rows of a pilot (of the hotspots or districts `keys`, when given)
    /// for the periods starting in `first..after`, from the `hotspot_days` rows of those periods.
    async fn rewrite<K>(
        self,
        conn: &mut PgConnection,
        pilot_id: PilotId,
        first: NaiveDate,
        after: NaiveDate,
        keys: Option<&[K]>,
    ) -> Result<(), sqlx::Error>
    where
        K: Type<Postgres> + PgHasArrayType + for<'q> Encode<'q, Postgres> + Sync,
    {
        let (table, key, key_of, period, period_of, owners) = self.shape();
        sqlx::query(&format!(
            "delete from {table} t using {owners} o
              where o.id = t.{key} and o.pilot_id = $1 and t.{period} >= $2 and t.{period} < $3
                and ($4::int8[] is null or t.{key} = any($4))"
        ))
        .bind(pilot_id)
        .bind(first)
        .bind(after)
        .bind(keys)
        .execute(&mut *conn)
        .await?;
        let insert = format!(
            concat!(
                "insert into {table} ({key}, {period}, blocks, planned_blocks, delivered_blocks,
                     patrol_seconds, officer_seconds, visits, koper_visits, pass_throughs,
                     longest_gap_seconds, window_seconds, target_seconds, capped_patrol_seconds,
                     slot_hours, slot_blocks, slot_planned)
                 with days as (
                     select hd.*, {key_of} as key, {period_of} as period
                       from hotspot_days hd
                       join hotspots h on h.id = hd.hotspot_id
                      where h.pilot_id = $1 and hd.day >= $2 and hd.day < $3
                        and ($4::int8[] is null or {key_of} = any($4))),
                 totals as (
                     select hd.key, hd.period, ",
                sums!(),
                "     from days hd
                      group by hd.key, hd.period),
                 slots as (
                     select d.key, d.period, s.hour, sum(s.blocks)::smallint as blocks,
                            sum(s.planned)::smallint as planned
                       from days d
                      cross join lateral unnest(d.slot_hours, d.slot_blocks, d.slot_planned)
                            as s(hour, blocks, planned)
                      group by d.key, d.period, s.hour),
                 slot_arrays as (
                     select key, period, array_agg(hour order by hour) as hours,
                            array_agg(blocks order by hour) as blocks,
                            array_agg(planned order by hour) as planned
                       from slots
                      group by key, period)
                 select t.*, coalesce(a.hours, '{{}}'), coalesce(a.blocks, '{{}}'),
                        coalesce(a.planned, '{{}}')
                   from totals t
                   left join slot_arrays a using (key, period)"
            ),
            table = table,
            key = key,
            key_of = key_of,
            period = period,
            period_of = period_of,
        );
        sqlx::query(&insert)
            .bind(pilot_id)
            .bind(first)
            .bind(after)
            .bind(keys)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }
}

/// `officer_days` for shifts starting on local dates `from..=to`.
async fn refresh_officer_days(
    conn: &mut PgConnection,
    pilot_id: PilotId,
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
           -- Members counted per shift and agency in a lateral aggregate, which the planner
           -- reads through the shift_members index; as a plain join it hashed the whole table
           -- (560,000 rows at city scale) for a few days' shifts.
           select $1, sh.day, m.agency, sh.district_id, sum(sh.seconds / sh.districts * m.members)
             from shares sh
             cross join lateral (
                   select o.agency, count(*) as members
                     from shift_members sm join officers o on o.id = sm.officer_id
                    where sm.shift_id = sh.id
                    group by o.agency) m
            group by sh.day, m.agency, sh.district_id"#;
    rewrite_days(conn, "officer_days", insert, pilot_id, time_zone, from, to).await
}

/// `activity_days` for activities logged on local dates `from..=to`.
async fn refresh_activity_days(
    conn: &mut PgConnection,
    pilot_id: PilotId,
    time_zone: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(), sqlx::Error> {
    let insert = r#"insert into activity_days (pilot_id, day, kind, district_id, count, rows)
           select $1, (a.occurred_at at time zone $2)::date, a.kind, h.district_id, sum(a.count),
                  count(*)
             from activities a
             join shifts s on s.id = a.shift_id
             left join hotspots h on h.id = a.hotspot_id
            where s.pilot_id = $1 and a.occurred_at >= $3 and a.occurred_at < $4
            group by 2, 3, 4"#;
    rewrite_days(conn, "activity_days", insert, pilot_id, time_zone, from, to).await
}

/// `shift_days` for shifts starting on local dates `from..=to`: the rows the shifts and
/// shift-members exports have, for the whole pilot and for each district.
async fn refresh_shift_days(
    conn: &mut PgConnection,
    pilot_id: PilotId,
    time_zone: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(), sqlx::Error> {
    let insert = r#"insert into shift_days (pilot_id, day, district_id, shifts, members)
           with pilot_shifts as (
               select s.id, (s.starts_at at time zone $2)::date as day,
                      (select count(*) from shift_members sm where sm.shift_id = s.id) as members
                 from shifts s
                where s.pilot_id = $1 and s.starts_at >= $3 and s.starts_at < $4)
           select $1, ps.day, null::bigint, count(*), sum(ps.members)
             from pilot_shifts ps
            group by ps.day
           union all
           select $1, ps.day, d.district_id, count(*), sum(ps.members)
             from pilot_shifts ps
             join lateral (select distinct h.district_id
                             from shift_hotspots sh join hotspots h on h.id = sh.hotspot_id
                            where sh.shift_id = ps.id) d on true
            group by ps.day, d.district_id"#;
    rewrite_days(conn, "shift_days", insert, pilot_id, time_zone, from, to).await
}

/// Deletes a pilot's rows of `table` for local dates `from..=to` and runs `insert`, whose
/// parameters are the pilot, its time zone and the instants bounding those dates.
async fn rewrite_days(
    conn: &mut PgConnection,
    table: &str,
    insert: &str,
    pilot_id: PilotId,
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
