//! Adding, editing and deleting an activity. Each change is one transaction with its audit entry
//! and the refresh of the stored activity counts (`activity_days`) of the days it touched.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;

use super::{Loaded, Retry, render, saved};
use crate::db::audit::AuditEntry;
use crate::db::{activity_log, audit};
use crate::domain::activity_draft::{ActivityDraft, ActivityForm};
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::auth::AsRosterEditor;

/// `POST /shifts/{id}/activities`: logs an activity of shift `id`.
#[tracing::instrument(skip_all, fields(shift = shift_id, user = %user.username))]
pub async fn create(
    AsRosterEditor(user): AsRosterEditor,
    State(state): State<AppState>,
    Path(shift_id): Path<i64>,
    Form(form): Form<ActivityForm>,
) -> AppResult<Response> {
    let mut tx = state.db.begin().await?;
    if !crate::db::visit_log::lock_shift(&mut *tx, shift_id).await? {
        return Err(AppError::NotFound);
    }
    let loaded = Loaded::load(&mut tx, shift_id).await?;
    let draft = match ActivityDraft::parse(&form, &loaded.rules(), loaded.zone) {
        Ok(draft) => draft,
        Err(errors) => {
            tx.rollback().await?;
            let retry = Retry::NewActivity(form, errors);
            return render(&state.db, &user, shift_id, None, Some(retry)).await;
        }
    };
    let activity = activity_log::insert(&mut *tx, shift_id, &draft).await?;
    audit::record(
        &mut *tx,
        &AuditEntry {
            user_id: Some(user.id),
            action: AuditAction::Create,
            entity: AuditEntity::Activity,
            entity_id: Some(activity.id),
            before: None,
            after: Some(serde_json::to_value(&activity).map_err(anyhow::Error::from)?),
        },
    )
    .await?;
    let at = activity.occurred_at;
    loaded.refresh_coverage(&mut tx, &[(at, at)], &[]).await?;
    tx.commit().await?;
    Ok(saved(shift_id, "activity-saved"))
}

/// `POST /activities/{id}`: replaces what activity `id` says.
#[tracing::instrument(skip_all, fields(activity = id, user = %user.username))]
pub async fn update(
    AsRosterEditor(user): AsRosterEditor,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(form): Form<ActivityForm>,
) -> AppResult<Response> {
    let mut tx = state.db.begin().await?;
    let before = activity_log::find_for_update(&mut *tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let shift_id = before.shift_id;
    crate::db::visit_log::lock_shift(&mut *tx, shift_id).await?;
    let loaded = Loaded::load(&mut tx, shift_id).await?;
    let draft = match ActivityDraft::parse(&form, &loaded.rules(), loaded.zone) {
        Ok(draft) => draft,
        Err(errors) => {
            tx.rollback().await?;
            let retry = Retry::EditActivity(id, form, errors);
            return render(&state.db, &user, shift_id, None, Some(retry)).await;
        }
    };
    let after = activity_log::update(&mut *tx, id, &draft).await?;
    audit::record(
        &mut *tx,
        &AuditEntry {
            user_id: Some(user.id),
            action: AuditAction::Update,
            entity: AuditEntity::Activity,
            entity_id: Some(id),
            before: Some(serde_json::to_value(&before).map_err(anyhow::Error::from)?),
            after: Some(serde_json::to_value(&after).map_err(anyhow::Error::from)?),
        },
    )
    .await?;
    let spans = [before.occurred_at, after.occurred_at].map(|at| (at, at));
    loaded.refresh_coverage(&mut tx, &spans, &[]).await?;
    tx.commit().await?;
    Ok(saved(shift_id, "activity-saved"))
}

/// `POST /activities/{id}/delete`: removes activity `id`, even from a cancelled shift.
#[tracing::instrument(skip_all, fields(activity = id, user = %user.username))]
pub async fn delete(
    AsRosterEditor(user): AsRosterEditor,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let mut tx = state.db.begin().await?;
    let before = activity_log::delete(&mut *tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let loaded = Loaded::load(&mut tx, before.shift_id).await?;
    let at = before.occurred_at;
    loaded.refresh_coverage(&mut tx, &[(at, at)], &[]).await?;
    audit::record(
        &mut *tx,
        &AuditEntry {
            user_id: Some(user.id),
            action: AuditAction::Delete,
            entity: AuditEntity::Activity,
            entity_id: Some(id),
            before: Some(serde_json::to_value(&before).map_err(anyhow::Error::from)?),
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(saved(before.shift_id, "activity-deleted"))
}
