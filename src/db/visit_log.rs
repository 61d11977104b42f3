//! The shift log: a shift with what its log page shows; the statements that read and write any
//! entry of the log, visit or activity ([`LogRow`]); and the visits.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::query::QueryAs;
use sqlx::{FromRow, PgExecutor, Postgres};

use crate::domain::ids::{HotspotId, PilotId, ShiftId, VisitId};
use crate::domain::visit_draft::{VisitDraft, VisitSource};
use crate::domain::{Mode, ShiftStatus};

/// A shift as its log page shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LoggedShift {
    pub id: ShiftId,
    pub pilot_id: PilotId,
    pub pilot_slug: String,
    pub pilot_name: String,
    pub time_zone: String,
    pub team: String,
    pub mode: Mode,
    pub status: ShiftStatus,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub notes: String,
    /// The hotspots the shift is directed to, by id.
    pub hotspot_ids: Vec<HotspotId>,
    /// Members as "Name (badge, agency's label)", by name.
    pub members: Vec<String>,
}

/// The shift `id`, or `None`.
pub async fn shift(
    db: impl PgExecutor<'_>,
    id: ShiftId,
) -> Result<Option<LoggedShift>, sqlx::Error> {
    sqlx::query_as(
        r#"select s.id, s.pilot_id, p.slug as pilot_slug, p.name as pilot_name, p.time_zone,
                  t.name as team, s.mode, s.status, s.starts_at, s.ends_at, s.notes,
                  coalesce((select array_agg(sh.hotspot_id order by sh.hotspot_id)
                              from shift_hotspots sh where sh.shift_id = s.id), '{}') as hotspot_ids,
                  coalesce((select array_agg(o.name || ' (' || o.badge_number || ', ' || g.label || ')'
                                             order by o.name)
                              from shift_members sm join officers o on o.id = sm.officer_id
                              join agencies g on g.code = o.agency
                             where sm.shift_id = s.id), '{}') as members
             from shifts s
             join pilots p on p.id = s.pilot_id
             join teams t on t.id = s.team_id
            where s.id = $1"#,
    )
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Holds the shift `id` steady until the transaction ends, so that it cannot be cancelled or moved
/// between checking an entry against it and storing the entry. False when there is no such shift.
pub async fn lock_shift(db: impl PgExecutor<'_>, id: ShiftId) -> Result<bool, sqlx::Error> {
    let found: Option<ShiftId> =
        sqlx::query_scalar("select id from shifts where id = $1 for share")
            .bind(id)
            .fetch_optional(db)
            .await?;
    Ok(found.is_some())
}

/// A hotspot of a pilot as the log's forms offer it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HotspotChoice {
    pub id: HotspotId,
    pub name: String,
    pub active_from: NaiveDate,
    pub active_to: Option<NaiveDate>,
}

/// Every hotspot of a pilot, by name.
pub async fn hotspots(
    db: impl PgExecutor<'_>,
    pilot_id: PilotId,
) -> Result<Vec<HotspotChoice>, sqlx::Error> {
    sqlx::query_as(
        r#"select id, name, active_from, active_to
             from hotspots
            where pilot_id = $1
            order by name"#,
    )
    .bind(pilot_id)
    .fetch_all(db)
    .await
}

/// An entry of the shift log as stored, a visit or an activity: a row with an `id`, the
/// `shift_id` of the shift it belongs to, and the columns its draft writes. The statements that
/// read and write entries ([`shift_of`], [`lock`], [`insert`], [`update`], [`delete`]) are written
/// once from these.
pub trait LogRow: Send + Unpin + for<'r> FromRow<'r, PgRow> {
    /// The id of an entry.
    type Id: Copy
        + Send
        + Sync
        + Into<i64>
        + sqlx::Type<Postgres>
        + for<'q> sqlx::Encode<'q, Postgres>
        + 'static;
    /// The checked input an entry is written from.
    type Draft;
    /// The table the entries are stored in.
    const TABLE: &'static str;
    /// The columns a draft writes, in the order [`LogRow::bind_draft`] binds them.
    const DRAFT_COLUMNS: &'static [&'static str];

    /// `query` with the draft's values bound, one for each of [`LogRow::DRAFT_COLUMNS`].
    fn bind_draft<'q>(query: RowQuery<'q, Self>, draft: &'q Self::Draft) -> RowQuery<'q, Self>;

    /// The entry's id.
    fn id(&self) -> Self::Id;

    /// The id of the entry's shift.
    fn shift_id(&self) -> ShiftId;
}

/// A statement that returns rows of `R`.
pub type RowQuery<'q, R> = QueryAs<'q, Postgres, R, PgArguments>;

/// Every column of a row: what the statements return.
fn row_columns<R: LogRow>() -> String {
    format!("id, shift_id, {}", R::DRAFT_COLUMNS.join(", "))
}

/// The columns a draft writes and their parameters, `$2` on (`$1` is the shift's or the entry's
/// id).
fn draft_columns<R: LogRow>() -> (String, String) {
    let parameters: Vec<String> = (2..R::DRAFT_COLUMNS.len() + 2)
        .map(|n| format!("${n}"))
        .collect();
    (R::DRAFT_COLUMNS.join(", "), parameters.join(", "))
}

/// The shift of entry `id`, or `None` when there is no such entry.
pub async fn shift_of<R: LogRow>(
    db: impl PgExecutor<'_>,
    id: R::Id,
) -> Result<Option<ShiftId>, sqlx::Error> {
    let sql = format!("select shift_id from {} where id = $1", R::TABLE);
    sqlx::query_scalar(&sql).bind(id).fetch_optional(db).await
}

/// The entry `id`, locked for the rest of the transaction.
pub async fn lock<R: LogRow>(db: impl PgExecutor<'_>, id: R::Id) -> Result<Option<R>, sqlx::Error> {
    let sql = format!(
        "select {} from {} where id = $1 for update",
        row_columns::<R>(),
        R::TABLE
    );
    sqlx::query_as(&sql).bind(id).fetch_optional(db).await
}

/// Stores a new entry of shift `shift_id`.
pub async fn insert<R: LogRow>(
    db: impl PgExecutor<'_>,
    shift_id: ShiftId,
    draft: &R::Draft,
) -> Result<R, sqlx::Error> {
    let (columns, parameters) = draft_columns::<R>();
    let table = R::TABLE;
    let sql = format!("insert into {table} (shift_id, {columns}) values ($1, {parameters})");
    write(db, &sql, shift_id, draft).await
}

/// Replaces what entry `id` says with `draft`.
pub async fn update<R: LogRow>(
    db: impl PgExecutor<'_>,
    id: R::Id,
    draft: &R::Draft,
) -> Result<R, sqlx::Error> {
    let (columns, parameters) = draft_columns::<R>();
    let sql = format!(
        "update {} set ({columns}) = ({parameters}) where id = $1",
        R::TABLE
    );
    write(db, &sql, id, draft).await
}

/// Runs `statement` with `id` (an entry's or its shift's) as `$1` and the draft's values after
/// it, and returns the row written.
async fn write<R: LogRow, Id: sqlx::Type<Postgres> + for<'q> sqlx::Encode<'q, Postgres> + Send>(
    db: impl PgExecutor<'_>,
    statement: &str,
    id: Id,
    draft: &R::Draft,
) -> Result<R, sqlx::Error> {
    let sql = format!("{statement} returning {}", row_columns::<R>());
    R::bind_draft(sqlx::query_as(&sql).bind(id), draft)
        .fetch_one(db)
        .await
}

/// Removes entry `id`.
pub async fn delete<R: LogRow>(db: impl PgExecutor<'_>, id: R::Id) -> Result<(), sqlx::Error> {
    let sql = format!("delete from {} where id = $1", R::TABLE);
    sqlx::query(&sql).bind(id).execute(db).await?;
    Ok(())
}

/// A row of `visits`, exactly as stored: also what the audit log keeps as before and after.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Serialize)]
pub struct Visit {
    pub id: VisitId,
    pub shift_id: ShiftId,
    pub hotspot_id: HotspotId,
    pub arrived_at: DateTime<Utc>,
    pub departed_at: DateTime<Utc>,
    pub source: VisitSource,
}

impl LogRow for Visit {
    type Id = VisitId;
    type Draft = VisitDraft;
    const TABLE: &'static str = "visits";
    const DRAFT_COLUMNS: &'static [&'static str] =
        &["hotspot_id", "arrived_at", "departed_at", "source"];

    fn bind_draft<'q>(query: RowQuery<'q, Self>, draft: &'q VisitDraft) -> RowQuery<'q, Self> {
        query
            .bind(draft.hotspot_id)
            .bind(draft.arrived_at)
            .bind(draft.departed_at)
            .bind(draft.source)
    }

    fn id(&self) -> VisitId {
        self.id
    }

    fn shift_id(&self) -> ShiftId {
        self.shift_id
    }
}

/// A visit as the shift log lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VisitEntry {
    pub id: VisitId,
    pub hotspot_id: HotspotId,
    pub hotspot: String,
    pub arrived_at: DateTime<Utc>,
    pub departed_at: DateTime<Utc>,
    pub source: VisitSource,
}

/// The visits of a shift, in time order.
pub async fn for_shift(
    db: impl PgExecutor<'_>,
    shift_id: ShiftId,
) -> Result<Vec<VisitEntry>, sqlx::Error> {
    sqlx::query_as(
        r#"select v.id, v.hotspot_id, h.name as hotspot, v.arrived_at, v.departed_at, v.source
             from visits v
             join hotspots h on h.id = v.hotspot_id
            where v.shift_id = $1
            order by v.arrived_at, v.id"#,
    )
    .bind(shift_id)
    .fetch_all(db)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::activity_log::Activity;

    #[test]
    fn statements_return_whole_rows_and_number_the_drafts_values_from_two() {
        assert_eq!(
            row_columns::<Visit>(),
            "id, shift_id, hotspot_id, arrived_at, departed_at, source"
        );
        assert_eq!(
            draft_columns::<Activity>(),
            (
                "hotspot_id, occurred_at, kind, count, note".to_string(),
                "$2, $3, $4, $5, $6".to_string()
            )
        );
    }
}
