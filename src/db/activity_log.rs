//! The shift log's activities: the rows, written through [`LogRow`], and the list a shift's log
//! page shows.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgExecutor;

use super::visit_log::{LogRow, RowQuery};
use crate::domain::activity_draft::{ActivityDraft, ActivityKind};
use crate::domain::ids::{ActivityId, HotspotId, ShiftId};

/// A row of `activities`, exactly as stored: also what the audit log keeps as before and after.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Serialize)]
pub struct Activity {
    pub id: ActivityId,
    pub shift_id: ShiftId,
    pub hotspot_id: Option<HotspotId>,
    pub occurred_at: DateTime<Utc>,
    pub kind: ActivityKind,
    pub count: i32,
    pub note: String,
}

impl LogRow for Activity {
    type Id = ActivityId;
    type Draft = ActivityDraft;
    const TABLE: &'static str = "activities";
    const DRAFT_COLUMNS: &'static [&'static str] =
        &["hotspot_id", "occurred_at", "kind", "count", "note"];

    fn bind_draft<'q>(query: RowQuery<'q, Self>, draft: &'q ActivityDraft) -> RowQuery<'q, Self> {
        query
            .bind(draft.hotspot_id)
            .bind(draft.occurred_at)
            .bind(draft.kind)
            .bind(draft.count)
            .bind(draft.note.as_str())
    }

    fn id(&self) -> ActivityId {
        self.id
    }

    fn shift_id(&self) -> ShiftId {
        self.shift_id
    }
}

/// An activity as the shift log lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ActivityEntry {
    pub id: ActivityId,
    pub hotspot_id: Option<HotspotId>,
    pub hotspot: Option<String>,
    pub occurred_at: DateTime<Utc>,
    pub kind: ActivityKind,
    pub count: i32,
    pub note: String,
}

/// The activities of a shift, in time order.
pub async fn for_shift(
    db: impl PgExecutor<'_>,
    shift_id: ShiftId,
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
