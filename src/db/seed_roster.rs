//! Bulk inserts of a seeded pilot's roster and what came of it: shifts, their members and
//! hotspots, visits and activities. One statement per table, arrays bound with `unnest`; the rows
//! refer to what was inserted before by id.

use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use super::seed::ids_in_order;
use crate::domain::visit_draft::VisitSource;
use crate::domain::{Mode, ShiftStatus};

/// A shift as `shifts` takes it (at version 1).
#[derive(Debug, Clone, Copy)]
pub struct ShiftRow<'a> {
    pub team_id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// The team's mode.
    pub mode: Mode,
    pub status: ShiftStatus,
    pub notes: &'a str,
}

/// A shift and an officer working it, or a hotspot it is directed to: a row of
/// `shift_members` or of `shift_hotspots`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShiftLink {
    pub shift_id: i64,
    /// The officer's or the hotspot's id.
    pub other_id: i64,
}

/// A visit as `visits` takes it.
#[derive(Debug, Clone, Copy)]
pub struct VisitRow {
    pub shift_id: i64,
    pub hotspot_id: i64,
    pub arrived_at: DateTime<Utc>,
    pub departed_at: DateTime<Utc>,
    pub source: VisitSource,
}

/// An activity as `activities` takes it.
#[derive(Debug, Clone, Copy)]
pub struct ActivityRow<'a> {
    pub shift_id: i64,
    /// The hotspot visited when it happened, if any.
    pub hotspot_id: Option<i64>,
    pub occurred_at: DateTime<Utc>,
    pub kind: &'a str,
    pub count: i32,
    pub note: &'a str,
}

/// Inserts the shifts; their ids in the order given. A team's shifts never overlap, so
/// (team, start) identifies each one.
pub async fn insert_shifts(
    conn: &mut PgConnection,
    pilot_id: i64,
    shifts: &[ShiftRow<'_>],
) -> anyhow::Result<Vec<i64>> {
    let rows: Vec<(i64, i64, DateTime<Utc>)> = sqlx::query_as(
        r"insert into shifts (pilot_id, team_id, starts_at, ends_at, mode, status, notes, version)
          select $1, u.*, 1
            from unnest($2::bigint[], $3::timestamptz[], $4::timestamptz[], $5::text[],
                        $6::text[], $7::text[]) as u
          returning id, team_id, starts_at",
    )
    .bind(pilot_id)
    .bind(shifts.iter().map(|s| s.team_id).collect::<Vec<i64>>())
    .bind(shifts.iter().map(|s| s.starts_at).collect::<Vec<_>>())
    .bind(shifts.iter().map(|s| s.ends_at).collect::<Vec<_>>())
    .bind(shifts.iter().map(|s| s.mode).collect::<Vec<_>>())
    .bind(shifts.iter().map(|s| s.status).collect::<Vec<_>>())
    .bind(shifts.iter().map(|s| s.notes).collect::<Vec<_>>())
    .fetch_all(&mut *conn)
    .await
    .context("inserting shifts")?;
    let rows = rows
        .into_iter()
        .map(|(id, team, start)| (id, (team, start)))
        .collect();
    let keys = shifts.iter().map(|s| (s.team_id, s.starts_at));
    ids_in_order(rows, keys, "shift")
}

/// Inserts the shifts' members (`other_id` an officer's).
pub async fn insert_shift_members(
    conn: &mut PgConnection,
    members: &[ShiftLink],
) -> anyhow::Result<()> {
    // The trigger copies each shift's period onto its members; the exclusion constraint checks it.
    sqlx::query(
        r"insert into shift_members (shift_id, officer_id)
          select * from unnest($1::bigint[], $2::bigint[])",
    )
    .bind(members.iter().map(|l| l.shift_id).collect::<Vec<_>>())
    .bind(members.iter().map(|l| l.other_id).collect::<Vec<_>>())
    .execute(&mut *conn)
    .await
    .context("inserting shift members")?;
    Ok(())
}

/// Inserts the hotspots the shifts are directed to (`other_id` a hotspot's).
pub async fn insert_shift_hotspots(
    conn: &mut PgConnection,
    directed: &[ShiftLink],
) -> anyhow::Result<()> {
    sqlx::query(
        r"insert into shift_hotspots (shift_id, hotspot_id)
          select * from unnest($1::bigint[], $2::bigint[])",
    )
    .bind(directed.iter().map(|l| l.shift_id).collect::<Vec<_>>())
    .bind(directed.iter().map(|l| l.other_id).collect::<Vec<_>>())
    .execute(&mut *conn)
    .await
    .context("inserting shift hotspots")?;
    Ok(())
}

/// Inserts the visits.
pub async fn insert_visits(conn: &mut PgConnection, visits: &[VisitRow]) -> anyhow::Result<()> {
    sqlx::query(
        r"insert into visits (shift_id, hotspot_id, arrived_at, departed_at, source)
          select * from unnest($1::bigint[], $2::bigint[], $3::timestamptz[], $4::timestamptz[], $5::text[])",
    )
    .bind(visits.iter().map(|v| v.shift_id).collect::<Vec<_>>())
    .bind(visits.iter().map(|v| v.hotspot_id).collect::<Vec<_>>())
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
    activities: &[ActivityRow<'_>],
) -> anyhow::Result<()> {
    sqlx::query(
        r"insert into activities (shift_id, hotspot_id, occurred_at, kind, count, note)
          select * from unnest($1::bigint[], $2::bigint[], $3::timestamptz[], $4::text[],
                               $5::integer[], $6::text[])",
    )
    .bind(activities.iter().map(|a| a.shift_id).collect::<Vec<_>>())
    .bind(activities.iter().map(|a| a.hotspot_id).collect::<Vec<_>>())
    .bind(activities.iter().map(|a| a.occurred_at).collect::<Vec<_>>())
    .bind(activities.iter().map(|a| a.kind).collect::<Vec<_>>())
    .bind(activities.iter().map(|a| a.count).collect::<Vec<i32>>())
    .bind(activities.iter().map(|a| a.note).collect::<Vec<_>>())
    .execute(&mut *conn)
    .await
    .context("inserting activities")?;
    Ok(())
}
