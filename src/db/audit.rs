//! The audit log: one entry per change, written in the change's own transaction.

use serde::Serialize;
use serde_json::Value;
use sqlx::PgExecutor;

use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::ids::{PilotId, UserId};

/// One change as the audit log keeps it: who did what to which row, and the row before and after.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    /// `None` when the system made the change (seeding, the command line without an account).
    pub user_id: Option<UserId>,
    pub action: AuditAction,
    pub entity: AuditEntity,
    /// The row's id, of whichever table `entity` names.
    pub entity_id: Option<i64>,
    /// The pilot whose pages the change alters; `None` for a change that is not one pilot's (an
    /// agency, an account, a city's communities), which alters every pilot's. Committing the
    /// entry bumps the data version of that pilot, or of every pilot (docs/architecture.md).
    pub pilot_id: Option<PilotId>,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

impl AuditEntry {
    /// An entry for `action` on `entity` `entity_id` by `user_id`, with nothing before or after yet.
    pub fn new(
        user_id: Option<UserId>,
        action: AuditAction,
        entity: AuditEntity,
        entity_id: Option<i64>,
    ) -> AuditEntry {
        AuditEntry {
            user_id,
            action,
            entity,
            entity_id,
            pilot_id: None,
            before: None,
            after: None,
        }
    }

    /// The same entry as a change of pilot `pilot_id` only.
    pub fn of_pilot(mut self, pilot_id: PilotId) -> AuditEntry {
        self.pilot_id = Some(pilot_id);
        self
    }

    /// The same entry with `before` as the row before the change.
    pub fn before(mut self, before: &impl Serialize) -> Result<AuditEntry, serde_json::Error> {
        self.before = Some(serde_json::to_value(before)?);
        Ok(self)
    }

    /// The same entry with `after` as the row after the change.
    pub fn after(mut self, after: &impl Serialize) -> Result<AuditEntry, serde_json::Error> {
        self.after = Some(serde_json::to_value(after)?);
        Ok(self)
    }
}

/// Records a change. Pass the transaction that makes the change, so that one cannot exist without
/// the other.
pub async fn record(db: impl PgExecutor<'_>, entry: &AuditEntry) -> Result<(), sqlx::Error> {
    sqlx::query(
        r#"insert into audit_log (user_id, action, entity, entity_id, before, after, pilot_id)
           values ($1, $2, $3, $4, $5, $6, $7)"#,
    )
    .bind(entry.user_id)
    .bind(entry.action)
    .bind(entry.entity)
    .bind(entry.entity_id)
    .bind(&entry.before)
    .bind(&entry.after)
    .bind(entry.pilot_id)
    .execute(db)
    .await?;
    Ok(())
}

/// Records many changes in one statement, for an import that changes thousands of rows.
pub async fn record_all(
    db: impl PgExecutor<'_>,
    entries: &[AuditEntry],
) -> Result<(), sqlx::Error> {
    sqlx::query(
        r#"insert into audit_log (user_id, action, entity, entity_id, before, after, pilot_id)
           select * from unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::jsonb[],
                                $6::jsonb[], $7::bigint[])"#,
    )
    .bind(entries.iter().map(|e| e.user_id).collect::<Vec<_>>())
    .bind(entries.iter().map(|e| e.action).collect::<Vec<_>>())
    .bind(entries.iter().map(|e| e.entity).collect::<Vec<_>>())
    .bind(entries.iter().map(|e| e.entity_id).collect::<Vec<_>>())
    .bind(
        entries
            .iter()
            .map(|e| e.before.as_ref())
            .collect::<Vec<_>>(),
    )
    .bind(entries.iter().map(|e| e.after.as_ref()).collect::<Vec<_>>())
    .bind(entries.iter().map(|e| e.pilot_id).collect::<Vec<_>>())
    .execute(db)
    .await?;
    Ok(())
}
