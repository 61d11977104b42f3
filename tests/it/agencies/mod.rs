//! Agencies as data: `patrolboard agency add`, the administrators' page, and figures by agency
//! for any number of agencies.

mod command;
mod figures;
mod page;

use serde_json::Value;
use sqlx::PgPool;

/// The agencies as stored: code, name and label, by code.
async fn stored(db: &PgPool) -> Vec<(String, String, String)> {
    sqlx::query_as("select code, name, label from agencies order by code")
        .fetch_all(db)
        .await
        .unwrap()
}

/// An audit entry about an agency: author, action, before and after.
#[derive(Debug, sqlx::FromRow)]
struct Entry {
    user_id: Option<i64>,
    action: String,
    entity_id: Option<i64>,
    before: Option<Value>,
    after: Option<Value>,
}

/// The audit entries about agencies, in order.
async fn audited(db: &PgPool) -> Vec<Entry> {
    sqlx::query_as(
        "select user_id, action, entity_id, before, after
           from audit_log where entity = 'agency' order by id",
    )
    .fetch_all(db)
    .await
    .unwrap()
}

/// The triple as stored.
fn agency(code: &str, name: &str, label: &str) -> (String, String, String) {
    (code.into(), name.into(), label.into())
}
