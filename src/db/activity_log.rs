//! The shift log's activities, written one by one.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgExecutor;

use crate::domain::activity_draft::ActivityDraft;

/// A row of `activities`, exactly as stored: also what the audit log keeps as before and after.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Serialize)]
pub struct Activity {
    pub id: i64,
    pub shift_id: i64,
    pub hotspot_id: Option<i64>,
    pub occurred_at: DateTime<Utc>,
    pub kind: String,
    pub count: i32,
    pub note: String,
}

/// An activity as the shift log lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ActivityEntry {
    pub id: i64,
    pub hotspot_id: Option<i64>,
    pub hotspot: Option<String>,
    pub occurred_at: DateTime<Utc>,
    pub kind: String,
    pub count: i32,
    pub note: String,
}

/// The activities of a shift, in time order.
pub async fn for_shift(
    db: impl PgExecutor<'_>,
    shift_id: i64,
) -> Result<Vec<ActivityEntry>, sqlx::Error> {
    sqlx::query_as(
        r#"select a.id, a.hotspot_id, h.name as hotspot, a.occurred_at, a.kind, a.count, a.note
             from activities a
             left join hotspots h on h.id = a.hotspot_id
            where a.shift_id = $1
            order by a.occurred_at, a.id"#,
    )
    .bind(shift_id)
    .fetch_all(db)
    .await
}

/// The activity `id`, locked for the rest of the transaction.
pub async fn find_for_update(
    db: impl PgExecutor<'_>,
    id: i64,
) -> Result<Option<Activity>, sqlx::Error> {
    sqlx::query_as(
        r#"select id, shift_id, hotspot_id, occurred_at, kind, count, note
             from activities
            where id = $1
              for update"#,
    )
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Stores a new activity of shift `shift_id`.
pub async fn insert(
    db: impl PgExecutor<'_>,
    shift_id: i64,
    draft: &ActivityDraft,
) -> Result<Activity, sqlx::Error> {
    sqlx::query_as(
        r#"insert into activities (shift_id, hotspot_id, occurred_at, kind, count, note)
           values ($1, $2, $3, $4, $5, $6)
           returning id, shift_id, hotspot_id, occurred_at, kind, count, note"#,
    )
    .bind(shift_id)
    .bind(draft.hotspot_id)
    .bind(draft.occurred_at)
    .bind(draft.kind.as_str())
    .bind(draft.count)
    .bind(&draft.note)
    .fetch_one(db)
    .await
}

/// Replaces what activity `id` says with `draft`.
pub async fn update(
    db: impl PgExecutor<'_>,
    id: i64,
    draft: &ActivityDraft,
) -> Result<Activity, sqlx::Error> {
    sqlx::query_as(
        r#"update activities
              set hotspot_id = $2, occurred_at = $3, kind = $4, count = $5, note = $6
            where id = $1
        returning id, shift_id, hotspot_id, occurred_at, kind, count, note"#,
    )
    .bind(id)
    .bind(draft.hotspot_id)
    .bind(draft.occurred_at)
    .bind(draft.kind.as_str())
    .bind(draft.count)
    .bind(&draft.note)
    .fetch_one(db)
    .await
}

/// Removes activity `id`; the row as it was, or `None` when there was none.
pub async fn delete(db: impl PgExecutor<'_>, id: i64) -> Result<Option<Activity>, sqlx::Error> {
    sqlx::query_as(
        r#"delete from activities
            where id = $1
        returning id, shift_id, hotspot_id, occurred_at, kind, count, note"#,
    )
    .bind(id)
    .fetch_optional(db)
    .await
}
