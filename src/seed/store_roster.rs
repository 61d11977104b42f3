//! Storing the demo roster and what came of it through `db::seed_roster`: the plan refers to
//! teams, officers, shifts and hotspots by index, the rows by the ids they were stored under.

use anyhow::Context;
use sqlx::PgConnection;

use super::outcomes::{ActivityDef, VisitDef};
use super::people::TeamDef;
use super::roster::ShiftDef;
use crate::db::seed_roster::{self, ActivityRow, ShiftLink, ShiftRow, VisitRow};

/// Inserts the shifts; their ids in the order given.
pub async fn insert_shifts(
    conn: &mut PgConnection,
    pilot_id: i64,
    shifts: &[ShiftDef],
    teams: &[TeamDef],
    team_ids: &[i64],
) -> anyhow::Result<Vec<i64>> {
    let rows = shifts
        .iter()
        .map(|s| {
            let (team_id, team) = team_ids
                .get(s.team)
                .copied()
                .zip(teams.get(s.team))
                .context("shift of an unknown team")?;
            Ok(ShiftRow {
                team_id,
                starts_at: s.starts_at,
                ends_at: s.ends_at,
                mode: team.mode,
                status: s.status,
                notes: s.notes,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    seed_roster::insert_shifts(conn, pilot_id, &rows).await
}

/// Inserts each shift's members and the hotspots it is directed to.
pub async fn insert_shift_links(
    conn: &mut PgConnection,
    shifts: &[ShiftDef],
    shift_ids: &[i64],
    officer_ids: &[i64],
    hotspot_ids: &[i64],
) -> anyhow::Result<()> {
    let links = |ids: &[i64], of: fn(&ShiftDef) -> &[usize]| -> anyhow::Result<Vec<ShiftLink>> {
        let mut out = Vec::new();
        for (shift, &shift_id) in shifts.iter().zip(shift_ids) {
            for &i in of(shift) {
                let other_id = *ids
                    .get(i)
                    .context("shift refers to an unknown officer or hotspot")?;
                out.push(ShiftLink { shift_id, other_id });
            }
        }
        Ok(out)
    };
    seed_roster::insert_shift_members(conn, &links(officer_ids, |s| &s.members)?).await?;
    seed_roster::insert_shift_hotspots(conn, &links(hotspot_ids, |s| &s.hotspots)?).await
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
    let rows = visits
        .iter()
        .map(|v| {
            Ok(VisitRow {
                shift_id: id_at(shift_ids, v.shift, "shift")?,
                hotspot_id: id_at(hotspot_ids, v.hotspot, "hotspot")?,
                arrived_at: v.arrived_at,
                departed_at: v.departed_at,
                source: v.source,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    seed_roster::insert_visits(conn, &rows).await
}

/// Inserts the activities.
pub async fn insert_activities(
    conn: &mut PgConnection,
    activities: &[ActivityDef],
    shift_ids: &[i64],
    hotspot_ids: &[i64],
) -> anyhow::Result<()> {
    let rows = activities
        .iter()
        .map(|a| {
            Ok(ActivityRow {
                shift_id: id_at(shift_ids, a.shift, "shift")?,
                hotspot_id: a
                    .hotspot
                    .map(|h| id_at(hotspot_ids, h, "hotspot"))
                    .transpose()?,
                occurred_at: a.occurred_at,
                kind: a.kind,
                count: a.count,
                note: a.note,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    seed_roster::insert_activities(conn, &rows).await
}
