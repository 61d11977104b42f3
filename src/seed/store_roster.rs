//! Bulk inserts of the demo roster and what came of it: one statement per table, arrays bound
//! with `unnest`.

use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use super::outcomes::{ActivityDef, VisitDef};
use super::people::TeamDef;
use super::roster::ShiftDef;
use super::store::ids_in_order;

/// Inserts the shifts; their ids in the order given. A team's shifts never overlap, so
/// (team, start) identifies each one.
pub async fn insert_shifts(
    conn: &mut PgConnection,
    pilot_id: i64,
    shifts: &[ShiftDef],
    teams: &[TeamDef],
    team_ids: &[i64],
) -> anyhow::Result<Vec<i64>> {
    let lookup = |i: usize| {
        team_ids
            .get(i)
            .copied()
            .zip(teams.get(i))
            .context("shift of an unknown team")
    };
    let team_of = shifts
        .iter()
        .map(|s| lookup(s.team))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let rows: Vec<(i64, i64, DateTime<Utc>)> = sqlx::query_as(
        r"insert into shifts (pilot_id, team_id, starts_at, ends_at, mode, status, notes, version)
          select $1, u.*, 1
            from unnest($2::bigint[], $3::timestamptz[], $4::timestamptz[], $5::text[],
                        $6::text[], $7::text[]) as u
          returning id, team_id, starts_at",
    )
    .bind(pilot_id)
    .bind(team_of.iter().map(|t| t.0).collect::<Vec<i64>>())
    .bind(shifts.iter().map(|s| s.starts_at).collect::<Vec<_>>())
    .bind(shifts.iter().map(|s| s.ends_at).collect::<Vec<_>>())
    .bind(team_of.iter().map(|t| t.1.mode).collect::<Vec<_>>())
    .bind(shifts.iter().map(|s| s.status).collect::<Vec<_>>())
    .bind(shifts.iter().map(|s| s.notes).collect::<Vec<_>>())
    .fetch_all(&mut *conn)
    .await
    .context("inserting shifts")?;
    let rows = rows
        .into_iter()
        .map(|(id, team, start)| (id, (team, start)))
        .collect();
    let keys = team_of.iter().zip(shifts).map(|(t, s)| (t.0, s.starts_at));
    ids_in_order(rows, keys, "shift")
}

/// Inserts each shift's members and the hotspots it is directed to.
pub async fn insert_shift_links(
    conn: &mut PgConnection,
    shifts: &[ShiftDef],
    shift_ids: &[i64],
    officer_ids: &[i64],
    hotspot_ids: &[i64],
) -> anyhow::Result<()> {
    let pairs =
        |ids: &[i64], of: fn(&ShiftDef) -> &[usize]| -> anyhow::Result<(Vec<i64>, Vec<i64>)> {
            let mut left = Vec::new();
            let mut right = Vec::new();
            for (shift, &shift_id) in shifts.iter().zip(shift_ids) {
                for &i in of(shift) {
                    left.push(shift_id);
                    right.push(
                        *ids.get(i)
                            .context("shift refers to an unknown officer or hotspot")?,
                    );
                }
            }
            Ok((left, right))
        };
    let (member_shifts, members) = pairs(officer_ids, |s| &s.members)?;
    // The trigger copies each shift's period onto its members; the exclusion constraint checks it.
    sqlx::query(
        r"insert into shift_members (shift_id, officer_id)
          select * from unnest($1::bigint[], $2::bigint[])",
    )
    .bind(member_shifts)
    .bind(members)
    .execute(&mut *conn)
    .await
    .context("inserting shift members")?;
    let (hotspot_shifts, hotspots) = pairs(hotspot_ids, |s| &s.hotspots)?;
    sqlx::query(
        r"insert into shift_hotspots (shift_id, hotspot_id)
          select * from unnest($1::bigint[], $2::bigint[])",
    )
    .bind(hotspot_shifts)
    .bind(hotspots)
    .execute(&mut *conn)
    .await
    .context("inserting shift hotspots")?;
    Ok(())
}

/// The id at `index` of `ids`, or an error naming what was looked up.
fn id_at(ids: &[i64], index: usize, what: &str) -> anyhow::Result<i64> {
    ids.get(index)
        .copied()
        .with_context(|| format!("unknown {what} {index}"))
}

/// Inserts the visits.
pub async fn insert_visits(
    conn: &mut PgConnection,
    visits: &[VisitDef],
    shift_ids: &[i64],
    hotspot_ids: &[i64],
) -> anyhow::Result<()> {
    let shifts = visits
        .iter()
        .map(|v| id_at(shift_ids, v.shift, "shift"))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let hotspots = visits
        .iter()
        .map(|v| id_at(hotspot_ids, v.hotspot, "hotspot"))
        .collect::<anyhow::Result<Vec<_>>>()?;
    sqlx::query(
        r"insert into visits (shift_id, hotspot_id, arrived_at, departed_at, source)
          select * from unnest($1::bigint[], $2::bigint[], $3::timestamptz[], $4::timestamptz[], $5::text[])",
    )
    .bind(shifts)
    .bind(hotspots)
    .bind(visits.iter().map(|v| v.arrived_at).collect::<Vec<_>>())
    .bind(visits.iter().map(|v| v.departed_at).collect::<Vec<_>>())
    .bind(visits.iter().map(|v| v.source).collect::<Vec<_>>())
    .execute(&mut *conn)
    .await
    .context("inserting visits")?;
    Ok(())
}

/// Inserts the activities.
pub async fn insert_activities(
    conn: &mut PgConnection,
    activities: &[ActivityDef],
    shift_ids: &[i64],
    hotspot_ids: &[i64],
) -> anyhow::Result<()> {
    let shifts = activities
        .iter()
        .map(|a| id_at(shift_ids, a.shift, "shift"))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let hotspots = activities
        .iter()
        .map(|a| {
            a.hotspot
                .map(|h| id_at(hotspot_ids, h, "hotspot"))
                .transpose()
        })
        .collect::<anyhow::Result<Vec<Option<i64>>>>()?;
    sqlx::query(
        r"insert into activities (shift_id, hotspot_id, occurred_at, kind, count, note)
          select * from unnest($1::bigint[], $2::bigint[], $3::timestamptz[], $4::text[],
                               $5::integer[], $6::text[])",
    )
    .bind(shifts)
    .bind(hotspots)
    .bind(activities.iter().map(|a| a.occurred_at).collect::<Vec<_>>())
    .bind(activities.iter().map(|a| a.kind).collect::<Vec<_>>())
    .bind(activities.iter().map(|a| a.count).collect::<Vec<i32>>())
    .bind(activities.iter().map(|a| a.note).collect::<Vec<_>>())
    .execute(&mut *conn)
    .await
    .context("inserting activities")?;
    Ok(())
}
