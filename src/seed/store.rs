//! Bulk inserts of a seeded pilot, its places and people, statistics and audit entry: one
//! statement per table, arrays bound with `unnest`. The demo and the city-scale seed both store
//! their places and people here, each lending its own types as the borrowed rows below.

use std::collections::HashMap;
use std::fmt::Debug;
use std::hash::Hash;

use anyhow::{Context, bail};
use serde_json::Value;
use sqlx::PgConnection;

use super::demo::DemoSummary;
use super::places::HotspotDef;
use super::roster::PilotDates;
use super::stats::StatRow;
use crate::db::audit::{self, AuditEntry};
use crate::domain::Mode;
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::hotspot::Watch;

/// Inserts the pilot unless its slug exists; its id when this call created it.
pub async fn insert_pilot(
    conn: &mut PgConnection,
    slug: &str,
    name: &str,
    city: &str,
    time_zone: &str,
    dates: PilotDates,
    block_minutes: i32,
) -> anyhow::Result<Option<i64>> {
    // A concurrent loader waits here for the first to commit, then finds the slug taken.
    sqlx::query_scalar(
        r"insert into pilots (slug, name, city, time_zone, starts_on, ends_on, block_minutes)
          values ($1, $2, $3, $4, $5, $6, $7)
          on conflict on constraint pilots_slug_key do nothing
          returning id",
    )
    .bind(slug)
    .bind(name)
    .bind(city)
    .bind(time_zone)
    .bind(dates.starts_on)
    .bind(dates.ends_on)
    .bind(block_minutes)
    .fetch_optional(&mut *conn)
    .await
    .context("inserting the demo pilot")
}

/// The id of the pilot with `slug`.
pub async fn pilot_id(conn: &mut PgConnection, slug: &str) -> anyhow::Result<i64> {
    sqlx::query_scalar("select id from pilots where slug = $1")
        .bind(slug)
        .fetch_one(&mut *conn)
        .await
        .with_context(|| format!("looking up pilot {slug}"))
}

/// The ids of `keys` in order, from rows of (id, key) a statement returned.
pub fn ids_in_order<K: Hash + Eq + Debug>(
    rows: Vec<(i64, K)>,
    keys: impl IntoIterator<Item = K>,
    what: &str,
) -> anyhow::Result<Vec<i64>> {
    let by_key: HashMap<K, i64> = rows.into_iter().map(|(id, key)| (key, id)).collect();
    keys.into_iter()
        .map(|key| match by_key.get(&key) {
            Some(&id) => Ok(id),
            None => bail!("no id came back for {what} {key:?}"),
        })
        .collect()
}

/// A district as `districts` takes it.
#[derive(Debug, Clone, Copy)]
pub struct DistrictRow<'a> {
    pub code: &'a str,
    pub name: &'a str,
    /// A GeoJSON MultiPolygon geometry object.
    pub boundary: &'a Value,
}

/// An officer as `officers` takes it, with the role of their assignment to the pilot.
#[derive(Debug, Clone, Copy)]
pub struct OfficerRow<'a> {
    pub agency: &'a str,
    pub badge_number: &'a str,
    pub name: &'a str,
    pub rank: &'a str,
    pub home_unit: &'a str,
    pub role: &'a str,
}

/// A team as `teams` takes it.
#[derive(Debug, Clone, Copy)]
pub struct TeamRow<'a> {
    pub name: &'a str,
    pub agency: &'a str,
    pub mode: Mode,
}

/// Inserts the districts; their ids in the order given.
pub async fn insert_districts(
    conn: &mut PgConnection,
    pilot_id: i64,
    districts: &[DistrictRow<'_>],
) -> anyhow::Result<Vec<i64>> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        r"insert into districts (pilot_id, code, name, boundary)
          select $1, u.code, u.name, u.boundary
            from unnest($2::text[], $3::text[], $4::jsonb[]) as u (code, name, boundary)
          returning id, code",
    )
    .bind(pilot_id)
    .bind(districts.iter().map(|d| d.code).collect::<Vec<_>>())
    .bind(districts.iter().map(|d| d.name).collect::<Vec<_>>())
    .bind(
        districts
            .iter()
            .map(|d| d.boundary.clone())
            .collect::<Vec<Value>>(),
    )
    .fetch_all(&mut *conn)
    .await
    .context("inserting districts")?;
    ids_in_order(
        rows,
        districts.iter().map(|d| d.code.to_owned()),
        "district",
    )
}

/// Inserts the hotspots, whose districts are indices into `district_ids`; their ids in the order
/// given.
pub async fn insert_hotspots(
    conn: &mut PgConnection,
    pilot_id: i64,
    hotspots: &[HotspotDef],
    district_ids: &[i64],
) -> anyhow::Result<Vec<i64>> {
    let district_of = hotspots
        .iter()
        .map(|h| {
            district_ids
                .get(h.district)
                .copied()
                .with_context(|| format!("district of {}", h.name))
        })
        .collect::<anyhow::Result<Vec<i64>>>()?;
    let rows: Vec<(i64, String)> = sqlx::query_as(
        r"insert into hotspots (pilot_id, district_id, name, priority, active_from, active_to,
                                window_start, window_end, target_minutes_per_day, max_gap_minutes,
                                reason, boundary)
          select $1, u.*
            from unnest($2::bigint[], $3::text[], $4::smallint[], $5::date[], $6::date[],
                        $7::time[], $8::time[], $9::integer[], $10::integer[], $11::text[],
                        $12::jsonb[]) as u
          returning id, name",
    )
    .bind(pilot_id)
    .bind(district_of)
    .bind(hotspots.iter().map(|h| h.name.as_str()).collect::<Vec<_>>())
    .bind(column(hotspots, |w| w.priority))
    .bind(column(hotspots, |w| w.active_from))
    .bind(column(hotspots, |w| w.active_to))
    .bind(column(hotspots, |w| w.window_start))
    .bind(column(hotspots, |w| w.window_end))
    .bind(column(hotspots, |w| w.target_minutes_per_day))
    .bind(column(hotspots, |w| w.max_gap_minutes))
    .bind(
        hotspots
            .iter()
            .map(|h| h.reason.as_str())
            .collect::<Vec<_>>(),
    )
    .bind(
        hotspots
            .iter()
            .map(|h| h.boundary.clone())
            .collect::<Vec<Value>>(),
    )
    .fetch_all(&mut *conn)
    .await
    .context("inserting hotspots")?;
    ids_in_order(rows, hotspots.iter().map(|h| h.name.clone()), "hotspot")
}

/// One column of the hotspots' watches, to bind as an array.
fn column<T>(hotspots: &[HotspotDef], pick: fn(&Watch) -> T) -> Vec<T> {
    hotspots.iter().map(|h| pick(&h.watch)).collect()
}

/// Inserts the officers that are not there yet (officers are shared by all pilots); the ids of
/// all of them in the order given.
pub async fn insert_officers(
    conn: &mut PgConnection,
    officers: &[OfficerRow<'_>],
) -> anyhow::Result<Vec<i64>> {
    let agencies: Vec<&str> = officers.iter().map(|o| o.agency).collect();
    let badges: Vec<&str> = officers.iter().map(|o| o.badge_number).collect();
    sqlx::query(
        r"insert into officers (agency, badge_number, name, rank, home_unit)
          select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
          on conflict on constraint officers_agency_badge_key do nothing",
    )
    .bind(&agencies)
    .bind(&badges)
    .bind(officers.iter().map(|o| o.name).collect::<Vec<_>>())
    .bind(officers.iter().map(|o| o.rank).collect::<Vec<_>>())
    .bind(officers.iter().map(|o| o.home_unit).collect::<Vec<_>>())
    .execute(&mut *conn)
    .await
    .context("inserting officers")?;
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        r"select o.id, o.agency, o.badge_number
            from officers o
            join unnest($1::text[], $2::text[]) as u (agency, badge_number)
              on u.agency = o.agency and u.badge_number = o.badge_number",
    )
    .bind(&agencies)
    .bind(&badges)
    .fetch_all(&mut *conn)
    .await
    .context("looking up officer ids")?;
    let rows = rows
        .into_iter()
        .map(|(id, agency, badge)| (id, (agency, badge)))
        .collect();
    let keys = officers
        .iter()
        .map(|o| (o.agency.to_owned(), o.badge_number.to_owned()));
    ids_in_order(rows, keys, "officer")
}

/// Assigns every officer to the pilot for its whole length.
pub async fn insert_assignments(
    conn: &mut PgConnection,
    pilot_id: i64,
    officers: &[OfficerRow<'_>],
    officer_ids: &[i64],
    dates: PilotDates,
) -> anyhow::Result<()> {
    sqlx::query(
        r"insert into assignments (officer_id, pilot_id, starts_on, ends_on, role)
          select u.officer_id, $2, $3, $4, u.role
            from unnest($1::bigint[], $5::text[]) as u (officer_id, role)",
    )
    .bind(officer_ids)
    .bind(pilot_id)
    .bind(dates.starts_on)
    .bind(dates.ends_on)
    .bind(officers.iter().map(|o| o.role).collect::<Vec<_>>())
    .execute(&mut *conn)
    .await
    .context("inserting assignments")?;
    Ok(())
}

/// Inserts the teams; their ids in the order given.
pub async fn insert_teams(
    conn: &mut PgConnection,
    pilot_id: i64,
    teams: &[TeamRow<'_>],
) -> anyhow::Result<Vec<i64>> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        r"insert into teams (pilot_id, name, agency, mode)
          select $1, u.* from unnest($2::text[], $3::text[], $4::text[]) as u
          returning id, name",
    )
    .bind(pilot_id)
    .bind(teams.iter().map(|t| t.name).collect::<Vec<_>>())
    .bind(teams.iter().map(|t| t.agency).collect::<Vec<_>>())
    .bind(teams.iter().map(|t| t.mode).collect::<Vec<_>>())
    .fetch_all(&mut *conn)
    .await
    .context("inserting teams")?;
    ids_in_order(rows, teams.iter().map(|t| t.name.to_owned()), "team")
}

/// Inserts the statistics rows not yet present; rows already there (from an earlier seed or an
/// import) are kept.
pub async fn insert_community_stats(
    conn: &mut PgConnection,
    rows: &[StatRow],
) -> anyhow::Result<u64> {
    let done = sqlx::query(
        r"insert into community_stats (community, category, year, month, count, dataset)
          select * from unnest($1::text[], $2::text[], $3::integer[], $4::integer[],
                               $5::integer[], $6::text[])
          on conflict do nothing",
    )
    .bind(
        rows.iter()
            .map(|r| r.community.as_str())
            .collect::<Vec<_>>(),
    )
    .bind(rows.iter().map(|r| r.category.as_str()).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.year).collect::<Vec<i32>>())
    .bind(rows.iter().map(|r| r.month).collect::<Vec<i32>>())
    .bind(rows.iter().map(|r| r.count).collect::<Vec<i32>>())
    .bind(rows.iter().map(|r| r.dataset).collect::<Vec<_>>())
    .execute(&mut *conn)
    .await
    .context("inserting community statistics")?;
    Ok(done.rows_affected())
}

/// Records the seed in the audit log (no user: the system did it).
pub async fn insert_audit(
    conn: &mut PgConnection,
    pilot_id: i64,
    after: Value,
) -> anyhow::Result<()> {
    let entry = AuditEntry {
        after: Some(after),
        ..AuditEntry::new(None, AuditAction::Seed, AuditEntity::Pilot, Some(pilot_id))
    };
    audit::record(&mut *conn, &entry)
        .await
        .context("writing the audit entry")?;
    Ok(())
}

/// What the database holds for the pilot now.
pub async fn summary(
    conn: &mut PgConnection,
    pilot_id: i64,
    pilot_created: bool,
) -> anyhow::Result<DemoSummary> {
    let (districts, hotspots, officers, shifts, visits, activities, community_stats): (
        i64,
        i64,
        i64,
        i64,
        i64,
        i64,
        i64,
    ) = sqlx::query_as(
        r"select (select count(*) from districts where pilot_id = $1),
                 (select count(*) from hotspots where pilot_id = $1),
                 (select count(distinct officer_id) from assignments where pilot_id = $1),
                 (select count(*) from shifts where pilot_id = $1),
                 (select count(*) from visits v join shifts s on s.id = v.shift_id where s.pilot_id = $1),
                 (select count(*) from activities a join shifts s on s.id = a.shift_id where s.pilot_id = $1),
                 (select count(*) from community_stats)",
    )
    .bind(pilot_id)
    .fetch_one(&mut *conn)
    .await
    .context("counting the demo pilot's rows")?;
    Ok(DemoSummary {
        pilot_created,
        districts,
        hotspots,
        officers,
        shifts,
        visits,
        activities,
        community_stats,
    })
}
