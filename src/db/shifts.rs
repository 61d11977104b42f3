//! The roster's write path: creating, changing and cancelling shifts, each in one transaction with
//! its audit entry and the refreshed coverage, so a change cannot exist without either. The `_in`
//! variants write inside a caller's transaction (the roster import), which refreshes coverage
//! once for all its writes.

use chrono::{DateTime, Days, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use sqlx::{PgConnection, PgExecutor, PgPool};

use super::audit::AuditEntry;
use super::retry::retrying;
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::shift_draft::{RosterRules, ShiftDraft};
use crate::domain::{Mode, ShiftStatus};

pub use super::shift_checks::{Clash, MIN_REST, find_clash, lock_officers, rest_warnings};
use super::shift_checks::{check, explain_clash};
pub use super::shift_copy::{CopyReport, copy_week};

/// A shift as stored, with its members and hotspots: what the audit log records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ShiftRecord {
    pub id: i64,
    pub pilot_id: i64,
    pub team_id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub mode: Mode,
    pub status: ShiftStatus,
    pub notes: String,
    pub version: i32,
    pub officer_ids: Vec<i64>,
    pub hotspot_ids: Vec<i64>,
}

/// Why a write did not happen.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("an officer is already on an overlapping shift")]
    Clash(Clash),
    #[error("the shift was changed by someone else")]
    Stale(Box<ShiftRecord>),
    #[error("less rest than the minimum between shifts")]
    NeedsRestReason(Vec<String>),
    #[error("no such shift")]
    NotFound,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

macro_rules! record_where {
    ($condition:literal) => {
        concat!(
            r#"select s.id, s.pilot_id, s.team_id, s.starts_at, s.ends_at, s.mode, s.status, s.notes, s.version,
       coalesce((select array_agg(m.officer_id order by m.officer_id) from shift_members m where m.shift_id = s.id), '{}') as officer_ids,
       coalesce((select array_agg(h.hotspot_id order by h.hotspot_id) from shift_hotspots h where h.shift_id = s.id), '{}') as hotspot_ids
  from shifts s where "#,
            $condition
        )
    };
}

/// The shift with this id.
pub async fn get(db: impl PgExecutor<'_>, id: i64) -> Result<Option<ShiftRecord>, sqlx::Error> {
    sqlx::query_as(record_where!("s.id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await
}

/// The shifts of the pilot among `ids`, locked for update until the transaction ends, in id
/// order (so two writers lock them in the same order).
pub async fn lock_many(
    conn: &mut PgConnection,
    pilot_id: i64,
    ids: &[i64],
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

/// What the roster of a pilot may hold: its teams, assigned officers and hotspots.
pub async fn rules(
    conn: &mut PgConnection,
    pilot_id: i64,
    zone: Tz,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
) -> Result<RosterRules, sqlx::Error> {
    let teams = sqlx::query_as("select id, name from teams where pilot_id = $1 order by name")
        .bind(pilot_id)
        .fetch_all(&mut *conn)
        .await?;
    let assignments = sqlx::query_as(
        r#"select o.id, o.name, a.starts_on, a.ends_on from assignments a join officers o on o.id = a.officer_id
            where a.pilot_id = $1 order by o.name"#,
    )
    .bind(pilot_id)
    .fetch_all(&mut *conn)
    .await?;
    let hotspots = sqlx::query_as(
        "select id, name, active_from, active_to from hotspots where pilot_id = $1 order by priority, name",
    )
    .bind(pilot_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(RosterRules {
        zone,
        starts_on,
        ends_on,
        teams,
        assignments,
        hotspots,
    })
}

/// Who changes the roster and, if they accept short rest, why.
pub struct Author<'a> {
    pub user_id: i64,
    pub rest_reason: &'a str,
}

impl<'a> Author<'a> {
    /// The same author, as the writes inside a transaction take it.
    pub fn editor(&self) -> Editor<'a> {
        Editor {
            user_id: Some(self.user_id),
            rest_reason: self.rest_reason,
        }
    }
}

/// Who changes the roster inside a caller's transaction: a user, or no one (an import from the
/// shell); and, if they accept short rest, why.
#[derive(Debug, Clone, Copy)]
pub struct Editor<'a> {
    pub user_id: Option<i64>,
    pub rest_reason: &'a str,
}

/// Stores a new shift. Refuses a clash (checked under the officers' locks, and by the database's
/// exclusion constraint as a last line) and unexplained short rest.
pub async fn create(
    pool: &PgPool,
    pilot_id: i64,
    zone: Tz,
    draft: &ShiftDraft,
    author: &Author<'_>,
) -> Result<ShiftRecord, WriteError> {
    let result = retrying(move || async move {
        let mut tx = pool.begin().await?;
        let after = create_in(
            &mut tx,
            pilot_id,
            zone,
            draft,
            ShiftStatus::Planned,
            author.editor(),
        )
        .await?;
        refresh(&mut tx, pilot_id, zone, [&after]).await?;
        tx.commit().await?;
        Ok(after)
    })
    .await;
    explain_clash(pool, draft, None, result).await
}

/// [`create`] inside the caller's transaction, with `status`, and without refreshing coverage:
/// the caller refreshes once for all its writes. A refusal by the overlap constraint is
/// returned as it is (the transaction is then unusable).
pub async fn create_in(
    conn: &mut PgConnection,
    pilot_id: i64,
    zone: Tz,
    draft: &ShiftDraft,
    status: ShiftStatus,
    editor: Editor<'_>,
) -> Result<ShiftRecord, WriteError> {
    lock_officers(conn, &draft.officer_ids).await?;
    if status.counts() {
        check(conn, draft, None, zone, editor).await?;
    }
    let after = insert(conn, pilot_id, draft, status, editor.user_id).await?;
    record(conn, editor, AuditAction::Create, None, &after).await?;
    Ok(after)
}

/// Inserts a shift with its members and hotspots.
pub(super) async fn insert(
    tx: &mut PgConnection,
    pilot_id: i64,
    draft: &ShiftDraft,
    status: ShiftStatus,
    user_id: Option<i64>,
) -> Result<ShiftRecord, WriteError> {
    let id: i64 = sqlx::query_scalar(
        r#"insert into shifts (pilot_id, team_id, starts_at, ends_at, mode, status, notes, created_by, updated_by)
           values ($1, $2, $3, $4, $5, $8, $6, $7, $7) returning id"#,
    )
    .bind(pilot_id)
    .bind(draft.team_id)
    .bind(draft.starts_at)
    .bind(draft.ends_at)
    .bind(draft.mode)
    .bind(&draft.notes)
    .bind(user_id)
    .bind(status)
    .fetch_one(&mut *tx)
    .await?;
    link(tx, id, draft).await?;
    get(&mut *tx, id).await?.ok_or(WriteError::NotFound)
}

/// Changes a shift if it is still at `version`; otherwise `Stale` with its current state.
pub async fn update(
    pool: &PgPool,
    id: i64,
    version: i32,
    zone: Tz,
    draft: &ShiftDraft,
    author: &Author<'_>,
) -> Result<ShiftRecord, WriteError> {
    let result = retrying(move || async move {
        let mut tx = pool.begin().await?;
        let before = lock(&mut tx, id, version).await?;
        let after = update_in(
            &mut tx,
            &before,
            zone,
            draft,
            before.status,
            author.editor(),
        )
        .await?;
        refresh(&mut tx, before.pilot_id, zone, [&before, &after]).await?;
        tx.commit().await?;
        Ok(after)
    })
    .await;
    explain_clash(pool, draft, Some(id), result).await
}

/// [`update`] inside the caller's transaction, of a shift the caller has locked and read as
/// `before`, also setting its `status`, without refreshing coverage. The audit entry says
/// `cancel` when this cancels the shift, `edit` otherwise.
pub async fn update_in(
    conn: &mut PgConnection,
    before: &ShiftRecord,
    zone: Tz,
    draft: &ShiftDraft,
    status: ShiftStatus,
    editor: Editor<'_>,
) -> Result<ShiftRecord, WriteError> {
    let id = before.id;
    // The officers leaving the shift too: their removed memberships are still in the overlap
    // constraint's view until this transaction ends.
    let officers = [before.officer_ids.as_slice(), &draft.officer_ids].concat();
    lock_officers(conn, &officers).await?;
    if status.counts() {
        check(conn, draft, Some(id), zone, editor).await?;
    }
    // Memberships go first: moving the shift must not drag officers who are leaving it into a
    // clash at its new time.
    sqlx::query("delete from shift_members where shift_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("delete from shift_hotspots where shift_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        r#"update shifts set team_id = $2, starts_at = $3, ends_at = $4, mode = $5, notes = $6,
                  status = $8, version = version + 1, updated_by = $7, updated_at = now()
            where id = $1"#,
    )
    .bind(id)
    .bind(draft.team_id)
    .bind(draft.starts_at)
    .bind(draft.ends_at)
    .bind(draft.mode)
    .bind(&draft.notes)
    .bind(editor.user_id)
    .bind(status)
    .execute(&mut *conn)
    .await?;
    link(conn, id, draft).await?;
    let after = get(&mut *conn, id).await?.ok_or(WriteError::NotFound)?;
    let action = if !status.counts() && before.status.counts() {
        AuditAction::Cancel
    } else {
        AuditAction::Edit
    };
    record(conn, editor, action, Some(before), &after).await?;
    Ok(after)
}

/// Cancels a shift if it is still at `version`.
pub async fn cancel(
    pool: &PgPool,
    id: i64,
    version: i32,
    zone: Tz,
    user_id: i64,
) -> Result<ShiftRecord, WriteError> {
    retrying(move || async move {
        let mut tx = pool.begin().await?;
        let before = lock(&mut tx, id, version).await?;
        let editor = Editor {
            user_id: Some(user_id),
            rest_reason: "",
        };
        let after = cancel_in(&mut tx, &before, editor).await?;
        refresh(&mut tx, before.pilot_id, zone, [&before]).await?;
        tx.commit().await?;
        Ok(after)
    })
    .await
}

/// [`cancel`] inside the caller's transaction, of a shift the caller has locked and read as
/// `before`, without refreshing coverage.
pub async fn cancel_in(
    conn: &mut PgConnection,
    before: &ShiftRecord,
    editor: Editor<'_>,
) -> Result<ShiftRecord, WriteError> {
    lock_officers(conn, &before.officer_ids).await?;
    sqlx::query(
        "update shifts set status = $3, version = version + 1, updated_by = $2, updated_at = now() where id = $1",
    )
    .bind(before.id)
    .bind(editor.user_id)
    .bind(ShiftStatus::Cancelled)
    .execute(&mut *conn)
    .await?;
    let after = get(&mut *conn, before.id)
        .await?
        .ok_or(WriteError::NotFound)?;
    record(conn, editor, AuditAction::Cancel, Some(before), &after).await?;
    Ok(after)
}

/// Locks the shift's row and checks nobody changed it since `version` was read.
async fn lock(tx: &mut PgConnection, id: i64, version: i32) -> Result<ShiftRecord, WriteError> {
    let current: Option<i32> =
        sqlx::query_scalar("select version from shifts where id = $1 for update")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    let record = get(&mut *tx, id).await?.ok_or(WriteError::NotFound)?;
    match current {
        Some(v) if v == version => Ok(record),
        Some(_) => Err(WriteError::Stale(Box::new(record))),
        None => Err(WriteError::NotFound),
    }
}

async fn link(tx: &mut PgConnection, id: i64, draft: &ShiftDraft) -> Result<(), sqlx::Error> {
    sqlx::query("insert into shift_members (shift_id, officer_id) select $1, unnest($2::int8[])")
        .bind(id)
        .bind(&draft.officer_ids)
        .execute(&mut *tx)
        .await?;
    sqlx::query("insert into shift_hotspots (shift_id, hotspot_id) select $1, unnest($2::int8[])")
        .bind(id)
        .bind(&draft.hotspot_ids)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

async fn record(
    tx: &mut PgConnection,
    author: Editor<'_>,
    action: AuditAction,
    before: Option<&ShiftRecord>,
    after: &ShiftRecord,
) -> Result<(), WriteError> {
    let mut entry = AuditEntry::new(author.user_id, action, AuditEntity::Shift, Some(after.id))
        .after(after)
        .map_err(anyhow::Error::from)?;
    if let Some(before) = before {
        entry = entry.before(before).map_err(anyhow::Error::from)?;
    }
    if let (Some(after_json), reason) = (&mut entry.after, author.rest_reason.trim())
        && !reason.is_empty()
    {
        after_json["rest_override_reason"] = reason.into();
    }
    super::audit::record(&mut *tx, &entry).await?;
    Ok(())
}

/// Recomputes stored coverage for every local day a window touching these shifts may open on, at
/// the hotspots they are (or were) directed to.
pub async fn refresh<'a>(
    tx: &mut PgConnection,
    pilot_id: i64,
    zone: Tz,
    shifts: impl IntoIterator<Item = &'a ShiftRecord>,
) -> anyhow::Result<()> {
    let mut span: Option<(NaiveDate, NaiveDate)> = None;
    let mut hotspots: Vec<i64> = Vec::new();
    for shift in shifts {
        hotspots.extend(&shift.hotspot_ids);
        let from = shift
            .starts_at
            .with_timezone(&zone)
            .date_naive()
            .checked_sub_days(Days::new(1));
        let to = shift.ends_at.with_timezone(&zone).date_naive();
        if let Some(from) = from {
            span = Some(span.map_or((from, to), |(a, b)| (a.min(from), b.max(to))));
        }
    }
    hotspots.sort_unstable();
    hotspots.dedup();
    if let Some((from, to)) = span {
        super::coverage::refresh_hotspots(tx, pilot_id, from, to, Some(&hotspots)).await?;
    }
    Ok(())
}
