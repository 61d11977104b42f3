//! The shift log: a shift with what its log page shows, and its visits written one by one.

use crate::domain::{Mode, ShiftStatus};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::PgExecutor;

use crate::domain::visit_draft::VisitDraft;

/// A shift as its log page shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LoggedShift {
    pub id: i64,
    pub pilot_id: i64,
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
    pub hotspot_ids: Vec<i64>,
    /// Members as "Name (badge, agency)", by name.
    pub members: Vec<String>,
}

/// The shift `id`, or `None`.
pub async fn shift(db: impl PgExecutor<'_>, id: i64) -> Result<Option<LoggedShift>, sqlx::Error> {
    sqlx::query_as(
        r#"select s.id, s.pilot_id, p.slug as pilot_slug, p.name as pilot_name, p.time_zone,
                  t.name as team, s.mode, s.status, s.starts_at, s.ends_at, s.notes,
                  coalesce((select array_agg(sh.hotspot_id order by sh.hotspot_id)
                              from shift_hotspots sh where sh.shift_id = s.id), '{}') as hotspot_ids,
                  coalesce((select array_agg(o.name || ' (' || o.badge_number || ', '
                                             || case o.agency when 'cps' then 'CPS'
                                                              else 'Alberta Sheriffs' end || ')'
                                             order by o.name)
                              from shift_members sm join officers o on o.id = sm.officer_id
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
pub async fn lock_shift(db: impl PgExecutor<'_>, id: i64) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar("select id from shifts where id = $1 for share")
        .bind(id)
        .fetch_optional(db)
        .await?;
    Ok(found.is_some())
}

/// A hotspot of a pilot as the log's forms offer it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HotspotChoice {
    pub id: i64,
    pub name: String,
    pub active_from: NaiveDate,
    pub active_to: Option<NaiveDate>,
}

/// Every hotspot of a pilot, by name.
pub async fn hotspots(
    db: impl PgExecutor<'_>,
    pilot_id: i64,
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

/// A row of `visits`, exactly as stored: also what the audit log keeps as before and after.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Serialize)]
pub struct Visit {
    pub id: i64,
    pub shift_id: i64,
    pub hotspot_id: i64,
    pub arrived_at: DateTime<Utc>,
    pub departed_at: DateTime<Utc>,
    pub source: String,
}

/// A visit as the shift log lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VisitEntry {
    pub id: i64,
    pub hotspot_id: i64,
    pub hotspot: String,
    pub arrived_at: DateTime<Utc>,
    pub departed_at: DateTime<Utc>,
    pub source: String,
}

/// The visits of a shift, in time order.
pub async fn for_shift(
    db: impl PgExecutor<'_>,
    shift_id: i64,
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

/// The visit `id`, locked for the rest of the transaction.
pub async fn find_for_update(
    db: impl PgExecutor<'_>,
    id: i64,
) -> Result<Option<Visit>, sqlx::Error> {
    sqlx::query_as(
        r#"select id, shift_id, hotspot_id, arrived_at, departed_at, source
             from visits
            where id = $1
              for update"#,
    )
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Stores a new visit of shift `shift_id`.
pub async fn insert(
    db: impl PgExecutor<'_>,
    shift_id: i64,
    draft: &VisitDraft,
) -> Result<Visit, sqlx::Error> {
    sqlx::query_as(
        r#"insert into visits (shift_id, hotspot_id, arrived_at, departed_at, source)
           values ($1, $2, $3, $4, $5)
           returning id, shift_id, hotspot_id, arrived_at, departed_at, source"#,
    )
    .bind(shift_id)
    .bind(draft.hotspot_id)
    .bind(draft.arrived_at)
    .bind(draft.departed_at)
    .bind(draft.source.as_str())
    .fetch_one(db)
    .await
}

/// Replaces what visit `id` says with `draft`.
pub async fn update(
    db: impl PgExecutor<'_>,
    id: i64,
    draft: &VisitDraft,
) -> Result<Visit, sqlx::Error> {
    sqlx::query_as(
        r#"update visits
              set hotspot_id = $2, arrived_at = $3, departed_at = $4, source = $5
            where id = $1
        returning id, shift_id, hotspot_id, arrived_at, departed_at, source"#,
    )
    .bind(id)
    .bind(draft.hotspot_id)
    .bind(draft.arrived_at)
    .bind(draft.departed_at)
    .bind(draft.source.as_str())
    .fetch_one(db)
    .await
}

/// Removes visit `id`; the row as it was, or `None` when there was none.
pub async fn delete(db: impl PgExecutor<'_>, id: i64) -> Result<Option<Visit>, sqlx::Error> {
    sqlx::query_as(
        r#"delete from visits
            where id = $1
        returning id, shift_id, hotspot_id, arrived_at, departed_at, source"#,
    )
    .bind(id)
    .fetch_optional(db)
    .await
}
