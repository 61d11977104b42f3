//! Adding, editing and deleting a visit. Each change is one transaction: the visit, its audit
//! entry and the stored coverage of the days it touches.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;

use super::{Loaded, Retry, render, saved};
use crate::db::audit::AuditEntry;
use crate::db::{audit, visit_log};
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::visit_draft::{VisitDraft, VisitForm};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::auth::AsRosterEditor;

/// `POST /shifts/{id}/visits`: logs a visit of shift `id`.
#[tracing::instrument(skip_all, fields(shift = shift_id, user = %user.username))]
pub async fn create(
    AsRosterEditor(user): AsRosterEditor,
    State(state): State<AppState>,
    Path(shift_id): Path<i64>,
    Form(form): Form<VisitForm>,
) -> AppResult<Response> {
    let mut tx = state.db.begin().await?;
    if !visit_log::lock_shift(&mut *tx, shift_id).await? {
        return Err(AppError::NotFound);
    }
    let loaded = Loaded::load(&mut tx, shift_id).await?;
    let draft = match VisitDraft::parse(&form, &loaded.rules(), loaded.zone) {
        Ok(draft) => draft,
        Err(errors) => {
            tx.rollback().await?;
            let retry = Retry::NewVisit(form, errors);
            return render(&state.db, &user, shift_id, None, Some(retry)).await;
        }
    };
    let visit = visit_log::insert(&mut *tx, shift_id, &draft).await?;
    audit::record(
        &mut *tx,
        &AuditEntry {
            user_id: Some(user.id),
            action: AuditAction::Create,
            entity: AuditEntity::Visit,
            entity_id: Some(visit.id),
            before: None,
            after: Some(serde_json::to_value(&visit).map_err(anyhow::Error::from)?),
        },
    )
    .await?;
    loaded
        .refresh_coverage(
            &mut tx,
            &[(visit.arrived_at, visit.departed_at)],
            &[visit.hotspot_id],
        )
        .await?;
    tx.commit().await?;
    Ok(saved(shift_id, "visit-saved"))
}

/// `POST /visits/{id}`: replaces what visit `id` says.
#[tracing::instrument(skip_all, fields(visit = id, user = %user.username))]
pub async fn update(
    AsRosterEditor(user): AsRosterEditor,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(form): Form<VisitForm>,
) -> AppResult<Response> {
    let mut tx = state.db.begin().await?;
    let before = visit_log::find_for_update(&mut *tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let shift_id = before.shift_id;
    visit_log::lock_shift(&mut *tx, shift_id).await?;
    let loaded = Loaded::load(&mut tx, shift_id).await?;
    let draft = match VisitDraft::parse(&form, &loaded.rules(), loaded.zone) {
        Ok(draft) => draft,
        Err(errors) => {
            tx.rollback().await?;
            let retry = Retry::EditVisit(id, form, errors);
            return render(&state.db, &user, shift_id, None, Some(retry)).await;
        }
    };
    let after = visit_log::update(&mut *tx, id, &draft).await?;
    audit::record(
        &mut *tx,
        &AuditEntry {
            user_id: Some(user.id),
            action: AuditAction::Update,
            entity: AuditEntity::Visit,
            entity_id: Some(id),
            before: Some(serde_json::to_value(&before).map_err(anyhow::Error::from)?),
            after: Some(serde_json::to_value(&after).map_err(anyhow::Error::from)?),
        },
    )
    .await?;
    loaded
        .refresh_coverage(
            &mut tx,
            &[
                (before.arrived_at, before.departed_at),
                (after.arrived_at, after.departed_at),
            ],
            &[before.hotspot_id, after.hotspot_id],
        )
        .await?;
    tx.commit().await?;
    Ok(saved(shift_id, "visit-saved"))
}

/// `POST /visits/{id}/delete`: removes visit `id`, even from a cancelled shift.
#[tracing::instrument(skip_all, fields(visit = id, user = %user.username))]
pub async fn delete(
    AsRosterEditor(user): AsRosterEditor,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let mut tx = state.db.begin().await?;
    let before = visit_log::delete(&mut *tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let loaded = Loaded::load(&mut tx, before.shift_id).await?;
    audit::record(
        &mut *tx,
        &AuditEntry {
            user_id: Some(user.id),
            action: AuditAction::Delete,
            entity: AuditEntity::Visit,
            entity_id: Some(id),
            before: Some(serde_json::to_value(&before).map_err(anyhow::Error::from)?),
            after: None,
        },
    )
    .await?;
    loaded
        .refresh_coverage(
            &mut tx,
            &[(before.arrived_at, before.departed_at)],
            &[before.hotspot_id],
        )
        .await?;
    tx.commit().await?;
    Ok(saved(before.shift_id, "visit-deleted"))
}
