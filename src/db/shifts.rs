//! Shifts as stored, with their members and hotspots: reading, locking and writing them. The
//! order of a change, its checks and its audit entry are the roster's write path
//! (`service::roster`).

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use sqlx::postgres::PgArguments;
use sqlx::query::QueryScalar;
use sqlx::{PgConnection, PgExecutor, Postgres};

use crate::domain::ids::{HotspotId, OfficerId, PilotId, ShiftId, TeamId, UserId};
use crate::domain::shift_draft::ShiftDraft;
use crate::domain::{Mode, ShiftStatus};

/// A shift as stored, with its members and hotspots: what the audit log records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ShiftRecord {
    pub id: ShiftId,
    pub pilot_id: PilotId,
    pub team_id: TeamId,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub mode: Mode,
    pub status: ShiftStatus,
    pub notes: String,
    pub version: i32,
    /// Why it was cancelled; empty unless it was, and for cancellations that gave none.
    pub cancel_reason: String,
    pub officer_ids: Vec<OfficerId>,
    pub hotspot_ids: Vec<HotspotId>,
}

macro_rules! record_where {
    ($condition:literal) => {
        concat!(
            r#"select s.id, s.pilot_id, s.team_id, s.starts_at, s.ends_at, s.mode, s.status, s.notes, s.version,
       s.cancel_reason,
       coalesce((select array_agg(m.officer_id order by m.officer_id) from shift_members m where m.shift_id = s.id), '{}') as officer_ids,
       coalesce((select array_agg(h.hotspot_id order by h.hotspot_id) from shift_hotspots h where h.shift_id = s.id), '{}') as hotspot_ids
  from shifts s where "#,
            $condition
        )
    };
}

/// The shift with this id.
pub async fn get(db: impl PgExecutor<'_>, id: ShiftId) -> Result<Option<ShiftRecord>, sqlx::Error> {
    sqlx::query_as(record_where!("s.id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await
}

/// The shifts of the pilot among `ids`, locked for update until the transaction ends, in id
/// order (so two writers lock them in the same order).
pub async fn lock_many(
    conn: &mut PgConnection,
    pilot_id: PilotId,
    ids: &[ShiftId],
) -> Result<Vec<ShiftRecord>, sqlx::Error> {
    sqlx::query(
        "select id from shifts where pilot_id = $1 and id = any($2) order by id for update",
    )
    .bind(pilot_id)
    .bind(ids)
    .execute(&mut *conn)
    .await?;
    sqlx::query_as(record_where!(
        "s.pilot_id = $1 and s.id = any($2) order by s.id"
    ))
    .bind(pilot_id)
    .bind(ids)
    .fetch_all(&mut *conn)
    .await
}

/// Locks the shift's row until the transaction ends: its version, or `None` when there is no
/// such shift.
pub async fn lock_version(
    conn: &mut PgConnection,
    id: ShiftId,
) -> Result<Option<i32>, sqlx::Error> {
    sqlx::query_scalar("select version from shifts where id = $1 for update")
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// A shift's team and times: how a roster file's row without an id finds its shift.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ShiftKey {
    pub team_id: TeamId,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

impl ShiftRecord {
    /// The shift's team and times.
    pub fn key(&self) -> ShiftKey {
        ShiftKey {
            team_id: self.team_id,
            starts_at: self.starts_at,
            ends_at: self.ends_at,
        }
    }
}

/// The pilot's shifts with any of these teams and times.
pub async fn ids_with_keys(
    db: impl PgExecutor<'_>,
    pilot_id: PilotId,
    keys: &[ShiftKey],
) -> Result<Vec<ShiftId>, sqlx::Error> {
    sqlx::query_scalar(
        r#"select s.id from shifts s
             join unnest($2::int8[], $3::timestamptz[], $4::timestamptz[]) as k (team_id, starts_at, ends_at)
               on k.team_id = s.team_id and k.starts_at = s.starts_at and k.ends_at = s.ends_at
            where s.pilot_id = $1"#,
    )
    .bind(pilot_id)
    .bind(keys.iter().map(|k| k.team_id).collect::<Vec<_>>())
    .bind(keys.iter().map(|k| k.starts_at).collect::<Vec<_>>())
    .bind(keys.iter().map(|k| k.ends_at).collect::<Vec<_>>())
    .fetch_all(db)
    .await
}

/// The pilot's shifts that are not cancelled and start on the local dates `from..=to` of `zone`,
/// in time order.
pub async fn ids_starting_between(
    db: impl PgExecutor<'_>,
    pilot_id: PilotId,
    zone: Tz,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<ShiftId>, sqlx::Error> {
    // The instants bound the index scan; the local dates decide.
    let (start, end) = super::day_bounds(zone.name(), from, to);
    sqlx::query_scalar(
        r#"select id from shifts where pilot_id = $1 and status <> 'cancelled'
              and starts_at >= $5 and starts_at < $6
              and (starts_at at time zone $2)::date between $3 and $4 order by starts_at, id"#,
    )
    .bind(pilot_id)
    .bind(zone.name())
    .bind(from)
    .bind(to)
    .bind(start)
    .bind(end)
    .fetch_all(db)
    .await
}

/// Inserts a shift with its members and hotspots: its id.
pub async fn insert(
    conn: &mut PgConnection,
    pilot_id: PilotId,
    draft: &ShiftDraft,
    status: ShiftStatus,
    user_id: Option<UserId>,
) -> Result<ShiftId, sqlx::Error> {
    let id = with_fields(
        sqlx::query_scalar(
            r#"insert into shifts (pilot_id, team_id, starts_at, ends_at, mode, notes, created_by, updated_by, status)
               values ($1, $2, $3, $4, $5, $6, $7, $7, $8) returning id"#,
        )
        .bind(pilot_id),
        draft,
        status,
        user_id,
    )
    .fetch_one(&mut *conn)
    .await?;
    link(conn, id, draft).await?;
    Ok(id)
}

/// Rewrites shift `id` as `draft` with `status`, its members and hotspots too, and counts a new
/// version.
pub async fn update(
    conn: &mut PgConnection,
    id: ShiftId,
    draft: &ShiftDraft,
    status: ShiftStatus,
    user_id: Option<UserId>,
) -> Result<(), sqlx::Error> {
    // Memberships go first: moving the shift must not drag officers who are leaving it into a
    // clash at its new time.
    remove_members(&mut *conn, &[id]).await?;
    sqlx::query("delete from shift_hotspots where shift_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    with_fields(
        sqlx::query_scalar(
            r#"update shifts set team_id = $2, starts_at = $3, ends_at = $4, mode = $5, notes = $6,
                      updated_by = $7, status = $8, version = version + 1, updated_at = now()
                where id = $1 returning id"#,
        )
        .bind(id),
        draft,
        status,
        user_id,
    )
    .fetch_one(&mut *conn)
    .await?;
    link(conn, id, draft).await
}

/// `query` with a shift's fields bound as `$2` to `$8`: team, start, end, mode, notes, the user
/// who writes it, status.
fn with_fields<'q>(
    query: QueryScalar<'q, Postgres, ShiftId, PgArguments>,
    draft: &'q ShiftDraft,
    status: ShiftStatus,
    user_id: Option<UserId>,
) -> QueryScalar<'q, Postgres, ShiftId, PgArguments> {
    query
        .bind(draft.team_id)
        .bind(draft.starts_at)
        .bind(draft.ends_at)
        .bind(draft.mode)
        .bind(&draft.notes)
        .bind(user_id)
        .bind(status)
}

/// Cancels shift `id` for `reason`, by `user_id`.
pub async fn cancel(
    db: impl PgExecutor<'_>,
    id: ShiftId,
    reason: &str,
    user_id: Option<UserId>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        r#"update shifts set status = $4, cancel_reason = $3, version = version + 1,
                  updated_by = $2, updated_at = now()
            where id = $1"#,
    )
    .bind(id)
    .bind(user_id)
    .bind(reason)
    .bind(ShiftStatus::Cancelled)
    .execute(db)
    .await?;
    Ok(())
}

/// Takes every officer off the shifts `ids`.
pub async fn remove_members(db: impl PgExecutor<'_>, ids: &[ShiftId]) -> Result<(), sqlx::Error> {
    sqlx::query("delete from shift_members where shift_id = any($1)")
        .bind(ids)
        .execute(db)
        .await?;
    Ok(())
}

async fn link(conn: &mut PgConnection, id: ShiftId, draft: &ShiftDraft) -> Result<(), sqlx::Error> {
    sqlx::query("insert into shift_members (shift_id, officer_id) select $1, unnest($2::int8[])")
        .bind(id)
        .bind(&draft.officer_ids)
        .execute(&mut *conn)
        .await?;
    sqlx::query("insert into shift_hotspots (shift_id, hotspot_id) select $1, unnest($2::int8[])")
        .bind(id)
        .bind(&draft.hotspot_ids)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
