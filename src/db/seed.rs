//! Bulk inserts of a seeded pilot (the demo's or the city-scale one): the pilot, its places and
//! people. One statement per table, arrays bound with `unnest`. The
//! rows are borrowed plain values; `seed` builds them from its plans.

use std::collections::HashMap;
use std::fmt::Debug;
use std::hash::Hash;

use anyhow::{Context, bail};
use chrono::NaiveDate;
use serde_json::Value;
use sqlx::PgConnection;

pub use super::pilots::PilotRow;
use crate::domain::Mode;
use crate::domain::hotspot::Watch;

/// A district as `districts` takes it.
#[derive(Debug, Clone, Copy)]
pub struct DistrictRow<'a> {
    pub code: &'a str,
    pub name: &'a str,
    /// A GeoJSON MultiPolygon geometry object.
    pub boundary: &'a Value,
}

/// A hotspot as `hotspots` takes it.
#[derive(Debug, Clone, Copy)]
pub struct HotspotRow<'a> {
    pub district_id: i64,
    /// Unique within the pilot.
    pub name: &'a str,
    /// When it is watched and what is aimed for.
    pub watch: &'a Watch,
    pub reason: &'a str,
    /// A GeoJSON Polygon geometry object.
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

/// Inserts the pilot unless its slug exists; its id when this call created it.
pub async fn insert_pilot(
    conn: &mut PgConnection,
    pilot: &PilotRow<'_>,
) -> anyhow::Result<Option<i64>> {
    // A concurrent loader waits here for the first to commit, then finds the slug taken.
    sqlx::query_scalar(
        r"insert into pilots (slug, name, city, time_zone, starts_on, ends_on, block_minutes)
          values ($1, $2, $3, $4, $5, $6, $7)
          on conflict on constraint pilots_slug_key do nothing
          returning id",
    )
    .bind(pilot.slug)
    .bind(pilot.name)
    .bind(pilot.city)
    .bind(pilot.time_zone)
    .bind(pilot.starts_on)
    .bind(pilot.ends_on)
    .bind(pilot.block_minutes)
    .fetch_optional(&mut *conn)
    .await
    .with_context(|| format!("inserting pilot {}", pilot.slug))
}

/// The ids of `keys` in order, from rows of (id, key) a statement returned.
pub(super) fn ids_in_order<K: Hash + Eq + Debug>(
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

/// Inserts the hotspots; their ids in the order given.
pub async fn insert_hotspots(
    conn: &mut PgConnection,
    pilot_id: i64,
    hotspots: &[HotspotRow<'_>],
) -> anyhow::Result<Vec<i64>> {
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
    .bind(hotspots.iter().map(|h| h.district_id).collect::<Vec<_>>())
    .bind(hotspots.iter().map(|h| h.name).collect::<Vec<_>>())
    .bind(column(hotspots, |w| w.priority))
    .bind(column(hotspots, |w| w.active_from))
    .bind(column(hotspots, |w| w.active_to))
    .bind(column(hotspots, |w| w.window_start))
    .bind(column(hotspots, |w| w.window_end))
    .bind(column(hotspots, |w| w.target_minutes_per_day))
    .bind(column(hotspots, |w| w.max_gap_minutes))
    .bind(hotspots.iter().map(|h| h.reason).collect::<Vec<_>>())
    .bind(
        hotspots
            .iter()
            .map(|h| h.boundary.clone())
            .collect::<Vec<Value>>(),
    )
    .fetch_all(&mut *conn)
    .await
    .context("inserting hotspots")?;
    ids_in_order(rows, hotspots.iter().map(|h| h.name.to_owned()), "hotspot")
}

/// One column of the hotspots' watches, to bind as an array.
fn column<T>(hotspots: &[HotspotRow<'_>], pick: fn(&Watch) -> T) -> Vec<T> {
    hotspots.iter().map(|h| pick(h.watch)).collect()
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

/// Assigns every officer (`officer_ids`, in the order of `officers`) to the pilot from
/// `starts_on` to `ends_on`, each with the role of their row.
pub async fn insert_assignments(
    conn: &mut PgConnection,
    pilot_id: i64,
    officers: &[OfficerRow<'_>],
    officer_ids: &[i64],
    starts_on: NaiveDate,
    ends_on: NaiveDate,
) -> anyhow::Result<()> {
    sqlx::query(
        r"insert into assignments (officer_id, pilot_id, starts_on, ends_on, role)
          select u.officer_id, $2, $3, $4, u.role
            from unnest($1::bigint[], $5::text[]) as u (officer_id, role)",
    )
    .bind(officer_ids)
    .bind(pilot_id)
    .bind(starts_on)
    .bind(ends_on)
    .bind(officers.iter().map(|o| o.role).collect::<Vec<_>>())
    .execute(&mut *conn)
    .await
    .context("inserting assignments")?;
    Ok(())
}

/// Puts each officer's assignment to the pilot in their team: `members` holds (officer id, team
/// id) pairs.
pub async fn set_assignment_teams(
    conn: &mut PgConnection,
    pilot_id: i64,
    members: &[(i64, i64)],
) -> anyhow::Result<()> {
    sqlx::query(
        r"update assignments a set team_id = u.team_id
            from unnest($2::bigint[], $3::bigint[]) as u (officer_id, team_id)
           where a.pilot_id = $1 and a.officer_id = u.officer_id",
    )
    .bind(pilot_id)
    .bind(members.iter().map(|m| m.0).collect::<Vec<_>>())
    .bind(members.iter().map(|m| m.1).collect::<Vec<_>>())
    .execute(&mut *conn)
    .await
    .context("putting assignments in their teams")?;
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
