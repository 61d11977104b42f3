//! Cancelling a shift: a confirmation page that asks why (kept with the shift and in the audit
//! log), so that one click never cancels a patrol. It works without JavaScript.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::page::FormContext;
use super::{saved, scope_of_shift};
use crate::db::shifts::{self, ShiftRecord};
use crate::db::users::User;
use crate::domain::cancel_reason::{CancelReason, MAX_REASON};
use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::ShiftId;
use crate::domain::week::Week;
use crate::error::{AppError, AppResult};
use crate::service::roster::{WriteError, cancel_shift};
use crate::state::AppState;
use crate::web::auth::AsRosterEditor;
use crate::web::page::{Layout, Page};
use crate::web::path::Path;
use crate::web::roster::{Notice, roster_pilot, write_error};

#[derive(Template)]
#[template(path = "roster/cancel.html")]
pub struct CancelPage {
    layout: Layout,
    slug: String,
    pilot_name: String,
    week: String,
    id: ShiftId,
    summary: String,
    version: i32,
    reason: String,
    max_reason: usize,
    errors: FieldErrors,
    problem: Option<String>,
}

#[derive(Deserialize)]
pub struct CancelForm {
    #[serde(default)]
    version: String,
    #[serde(default)]
    reason: String,
}

/// `GET /shifts/{id}/cancel`: what will be cancelled, and a box for why.
pub async fn cancel_form(
    AsRosterEditor(user): AsRosterEditor,
    State(state): State<AppState>,
    Path(id): Path<ShiftId>,
) -> AppResult<Response> {
    let record = still_counting(&state, id).await?;
    let ctx = FormContext::load(&state, scope_of_shift(&state, id).await?).await?;
    let page = page(
        &ctx,
        &user,
        &record,
        String::new(),
        FieldErrors::new(),
        None,
    );
    Ok(page.into_response())
}

/// `POST /shifts/{id}/cancel` (`version`, `reason`): cancels the shift the supervisor saw.
pub async fn cancel(
    AsRosterEditor(user): AsRosterEditor,
    State(state): State<AppState>,
    Path(id): Path<ShiftId>,
    axum::Form(form): axum::Form<CancelForm>,
) -> AppResult<Response> {
    let scope = scope_of_shift(&state, id).await?;
    let Ok(version) = form.version.trim().parse::<i32>() else {
        return Err(AppError::BadRequest(
            "The cancel form lost track of the shift's version; open the shift again.".into(),
        ));
    };
    let reason = match CancelReason::parse(&form.reason) {
        Ok(reason) => reason,
        Err(errors) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return again(&state, &user, id, form.reason, errors, None, status).await;
        }
    };
    let pilot = roster_pilot(&scope);
    match cancel_shift(&state.db, &pilot, id, version, &reason, user.id).await {
        Ok(record) => Ok(saved(
            &scope.pilot.slug,
            &record,
            scope.zone,
            Notice::Cancelled,
        )),
        Err(WriteError::Stale(_)) => {
            let problem = "Someone changed this shift since you opened it: check it below, \
                           then cancel it again if it should still go.";
            let (errors, status) = (FieldErrors::new(), StatusCode::CONFLICT);
            again(
                &state,
                &user,
                id,
                form.reason,
                errors,
                Some(problem.into()),
                status,
            )
            .await
        }
        Err(error) => Err(write_error(error)),
    }
}

/// The confirmation page again, with what was typed and why it was not taken.
async fn again(
    state: &AppState,
    user: &User,
    id: ShiftId,
    reason: String,
    errors: FieldErrors,
    problem: Option<String>,
    status: StatusCode,
) -> AppResult<Response> {
    let record = still_counting(state, id).await?;
    let ctx = FormContext::load(state, scope_of_shift(state, id).await?).await?;
    let page = page(&ctx, user, &record, reason, errors, problem);
    Ok((status, page).into_response())
}

/// The shift, while it can still be cancelled.
async fn still_counting(state: &AppState, id: ShiftId) -> AppResult<ShiftRecord> {
    let record = shifts::get(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    match record.status.counts() {
        true => Ok(record),
        false => Err(AppError::Conflict(
            "This shift is already cancelled; it cannot be cancelled again.".into(),
        )),
    }
}

fn page(
    ctx: &FormContext,
    user: &User,
    record: &ShiftRecord,
    reason: String,
    errors: FieldErrors,
    problem: Option<String>,
) -> Page<CancelPage> {
    let pilot = &ctx.scope.pilot;
    let day = record.starts_at.with_timezone(&ctx.scope.zone).date_naive();
    Page(CancelPage {
        layout: Layout::new(format!("Cancel shift #{}", record.id), Some(user))
            .for_pilot(&pilot.slug, &pilot.name),
        slug: pilot.slug.clone(),
        pilot_name: pilot.name.clone(),
        week: Week::containing(day).to_string(),
        id: record.id,
        summary: ctx.describe(record),
        version: record.version,
        reason,
        max_reason: MAX_REASON,
        errors,
        problem,
    })
}
