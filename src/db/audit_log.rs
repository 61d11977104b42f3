//! Reading the audit log back: filtered, newest first, a page at a time.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;
use sqlx::{PgExecutor, Postgres, QueryBuilder};

#[cfg(doc)]
use crate::domain::audit::{AuditAction, AuditEntity};

/// Whose changes to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Who {
    /// Everyone's, and the system's.
    Anyone,
    /// Only changes made by no signed-in user (seeding, the command line).
    System,
    /// Only those of the account with this username.
    User(String),
}

/// Which entries to show.
#[derive(Debug, Clone)]
pub struct AuditFilter {
    pub who: Who,
    pub entity: Option<String>,
    /// Entries at or after this instant.
    pub since: Option<DateTime<Utc>>,
    /// Entries before this instant.
    pub before: Option<DateTime<Utc>>,
}

/// An audit entry, with what it takes to link to the entity's page.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LoggedEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    /// `None` when the system made the change.
    pub username: Option<String>,
    /// An [`AuditAction`]'s name; read as text, so that entries of names this version does not
    /// know still show.
    pub action: String,
    /// An [`AuditEntity`]'s name, read as text like `action`.
    pub entity: String,
    pub entity_id: Option<i64>,
    pub before: Option<Value>,
    pub after: Option<Value>,
    /// The pilot of a hotspot, district or pilot entry, while it still exists.
    pub pilot_slug: Option<String>,
    /// The code of a district entry, while it still exists.
    pub district_code: Option<String>,
}

/// Up to `limit` entries matching `filter`, newest first, skipping the first `offset`.
pub async fn entries(
    db: impl PgExecutor<'_>,
    filter: &AuditFilter,
    limit: i64,
    offset: i64,
) -> Result<Vec<LoggedEntry>, sqlx::Error> {
    let mut query: QueryBuilder<Postgres> = QueryBuilder::new(
        r#"select a.id, a.at, u.username, a.action, a.entity, a.entity_id, a.before, a.after,
                  coalesce(hp.slug, dp.slug, pp.slug) as pilot_slug, d.code as district_code
             from audit_log a
             left join users u on u.id = a.user_id
             left join hotspots h on a.entity = 'hotspot' and h.id = a.entity_id
             left join pilots hp on hp.id = h.pilot_id
             left join districts d on a.entity = 'district' and d.id = a.entity_id
             left join pilots dp on dp.id = d.pilot_id
             left join pilots pp on a.entity = 'pilot' and pp.id = a.entity_id
            where true"#,
    );
    match &filter.who {
        Who::Anyone => {}
        Who::System => {
            query.push(" and a.user_id is null");
        }
        Who::User(username) => {
            query.push(" and u.username = ").push_bind(username.clone());
        }
    }
    if let Some(entity) = &filter.entity {
        query.push(" and a.entity = ").push_bind(entity.clone());
    }
    if let Some(since) = filter.since {
        query.push(" and a.at >= ").push_bind(since);
    }
    if let Some(before) = filter.before {
        query.push(" and a.at < ").push_bind(before);
    }
    query
        .push(" order by a.at desc, a.id desc limit ")
        .push_bind(limit)
        .push(" offset ")
        .push_bind(offset);
    query.build_query_as().fetch_all(db).await
}

/// The entities the log has entries for, for the filter.
pub async fn entities(db: impl PgExecutor<'_>) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("select distinct entity from audit_log order by entity")
        .fetch_all(db)
        .await
}

/// Every username, for the filter.
pub async fn usernames(db: impl PgExecutor<'_>) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("select username from users order by username")
        .fetch_all(db)
        .await
}

/// The UTC day of the log's first entry, the earliest a filter can find anything from.
pub async fn first_day(db: impl PgExecutor<'_>) -> Result<Option<NaiveDate>, sqlx::Error> {
    sqlx::query_scalar("select min(at at time zone 'UTC')::date from audit_log")
        .fetch_one(db)
        .await
}
