//! The audit log: one entry per change, written in the change's own transaction.

use serde_json::Value;
use sqlx::PgExecutor;

/// Records a change. Pass the transaction that makes the change, so that one cannot exist without
/// the other.
pub async fn record(
    db: impl PgExecutor<'_>,
    user_id: Option<i64>,
    action: &str,
    entity: &str,
    entity_id: Option<i64>,
    before: Option<Value>,
    after: Option<Value>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        r#"insert into audit_log (user_id, action, entity, entity_id, before, after)
           values ($1, $2, $3, $4, $5, $6)"#,
    )
    .bind(user_id)
    .bind(action)
    .bind(entity)
    .bind(entity_id)
    .bind(before)
    .bind(after)
    .execute(db)
    .await?;
    Ok(())
}
