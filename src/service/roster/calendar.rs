//! Making and revoking the private calendar links of a pilot's officers and teams, each with its
//! audit entry. The audit log never holds a token or its hash.

use serde_json::json;
use sqlx::PgPool;

use super::WriteError;
use crate::db::audit::{self, AuditEntry};
use crate::db::calendar::{self, Subject};
use crate::db::pilots::Pilot;
use crate::db::retry::retrying;
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::ids::{PilotId, UserId};

/// Stores a link to the feed of `subject`, one of the pilot's officers or teams, by `user_id`:
/// the subject's name. Only the token's hash is given, and stored. `NotFound` when the subject
/// is not the pilot's.
pub async fn create_calendar_link(
    pool: &PgPool,
    pilot: &Pilot,
    subject: Subject,
    token_hash: &[u8],
    user_id: UserId,
) -> Result<String, WriteError> {
    retrying(move || async move {
        let mut tx = pool.begin().await?;
        let name = calendar::subject_name(&mut *tx, pilot.id, subject)
            .await?
            .ok_or(WriteError::NotFound)?;
        let token = calendar::insert(&mut *tx, token_hash, subject, user_id).await?;
        let entry = AuditEntry::new(
            Some(user_id),
            AuditAction::Create,
            AuditEntity::CalendarToken,
            Some(token.id),
        )
        .of_pilot(pilot.id)
        .after(&json!({
            "officer_id": token.officer_id,
            "team_id": token.team_id,
            "pilot": pilot.slug,
            "created_at": token.created_at,
        }))
        .map_err(anyhow::Error::from)?;
        audit::record(&mut *tx, &entry).await?;
        tx.commit().await?;
        Ok(name)
    })
    .await
}

/// Revokes the active link `id` of one of the pilot's officers or teams, by `user_id`: the link
/// stops working at once. `NotFound` when the pilot has no such active link.
pub async fn revoke_calendar_link(
    pool: &PgPool,
    pilot_id: PilotId,
    id: i64,
    user_id: UserId,
) -> Result<(), WriteError> {
    retrying(move || async move {
        let mut tx = pool.begin().await?;
        let before = calendar::lock_active(&mut tx, id, pilot_id)
            .await?
            .ok_or(WriteError::NotFound)?;
        let after = calendar::revoke(&mut *tx, id).await?;
        let entry = AuditEntry::new(
            Some(user_id),
            AuditAction::Revoke,
            AuditEntity::CalendarToken,
            Some(id),
        )
        .of_pilot(pilot_id)
        .before(&before)
        .and_then(|entry| entry.after(&after))
        .map_err(anyhow::Error::from)?;
        audit::record(&mut *tx, &entry).await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}
