//! Creating, editing and cancelling a shift with plain forms (docs/interface.md, roster forms).

mod cancel;
mod page;

pub use cancel::{cancel, cancel_form};

use crate::web::path::Path;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use chrono_tz::Tz;
use serde::Deserialize;

use super::auth::AsRosterEditor;
use super::roster::{Notice, roster_pilot, week_of};
use super::scope::{FilterQuery, Scope};
use crate::db::{pilots, shifts, shifts::ShiftRecord};
use crate::domain::ids::{ShiftId, TeamId};
use crate::domain::shift_draft::ShiftForm;
use crate::domain::week::Week;
use crate::domain::{Mode, ShiftStatus};
use crate::error::{AppError, AppResult};
use crate::service::roster::{create_shift, update_shift};
use crate::state::AppState;
use page::{FormContext, Problems, Target, form_of};

fn read_form(body: &Bytes) -> ShiftForm {
    ShiftForm::from_pairs(form_urlencoded::parse(body).into_owned())
}

/// Where a saved shift is shown: its week of the roster, with a confirmation.
fn saved(slug: &str, record: &ShiftRecord, zone: Tz, notice: Notice) -> Response {
    let week = Week::containing(record.starts_at.with_timezone(&zone).date_naive());
    Redirect::to(&format!(
        "/pilots/{slug}/roster?week={week}&notice={notice}&shift={}#shift-{}",
        record.id, record.id
    ))
    .into_response()
}

/// The pilot `slug` with no range asked for.
async fn scope_of(state: &AppState, slug: &str) -> AppResult<Scope> {
    Scope::load(&state.db, slug, &FilterQuery::default()).await
}

/// The pilot of shift `id`.
async fn scope_of_shift(state: &AppState, id: ShiftId) -> AppResult<Scope> {
    let slug = pilots::slug_of_shift(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    scope_of(state, &slug).await
}

#[derive(Deserialize)]
pub struct NewQuery {
    team_id: Option<TeamId>,
    week: Option<String>,
    /// The day the roster's "+" was chosen on (`YYYY-MM-DD`); one outside the pilot, or not a
    /// date, is ignored for the week's first day.
    day: Option<String>,
}

/// `GET /pilots/{slug}/shifts/new`: an empty form, starting in the week shown.
pub async fn new(
    AsRosterEditor(user): AsRosterEditor,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<NewQuery>,
) -> AppResult<impl IntoResponse> {
    let ctx = FormContext::load(&state, scope_of(&state, &slug).await?).await?;
    let pilot = &ctx.scope.pilot;
    let chosen = query
        .day
        .as_deref()
        .and_then(|day| NaiveDate::parse_from_str(day, "%Y-%m-%d").ok())
        .filter(|day| (pilot.starts_on..=pilot.ends_on).contains(day));
    let day = match chosen {
        Some(day) => day,
        None => {
            let week = week_of(&ctx.scope, query.week.as_deref())?;
            week.monday().clamp(pilot.starts_on, pilot.ends_on)
        }
    };
    let team = query.team_id.and_then(|id| ctx.rules.team(id));
    let form = ShiftForm {
        team_id: team.map(|t| t.id.to_string()).unwrap_or_default(),
        starts_at: format!("{day}T07:00"),
        ends_at: format!("{day}T17:00"),
        mode: team.map_or(Mode::Foot, |t| t.mode).to_string(),
        ..ShiftForm::default()
    };
    let target = Target::new_shift(&pilot.slug);
    Ok(ctx.page(&user, target, form, Problems::default()))
}

/// `POST /pilots/{slug}/shifts`: stores a new shift, or shows the form again with what is wrong.
pub async fn create(
    AsRosterEditor(user): AsRosterEditor,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    body: Bytes,
) -> AppResult<Response> {
    let scope = scope_of(&state, &slug).await?;
    let form = read_form(&body);
    match create_shift(&state.db, &roster_pilot(&scope), &form, user.id).await {
        Ok(record) => Ok(saved(&slug, &record, scope.zone, Notice::Created)),
        Err(error) => {
            let target = Target::new_shift(&scope.pilot.slug);
            let ctx = FormContext::load(&state, scope).await?;
            ctx.refused(&user, target, form, error)
        }
    }
}

/// `GET /shifts/{id}/edit`.
pub async fn edit(
    AsRosterEditor(user): AsRosterEditor,
    State(state): State<AppState>,
    Path(id): Path<ShiftId>,
) -> AppResult<impl IntoResponse> {
    let record = shifts::get(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let ctx = FormContext::load(&state, scope_of_shift(&state, id).await?).await?;
    let form = form_of(&record, ctx.scope.zone);
    let target = Target::edit(id, record.status, &record.cancel_reason);
    let warnings = ctx.warnings_of(&record);
    Ok(ctx.page(&user, target, form, Problems::warned(warnings)))
}

/// `POST /shifts/{id}`: saves an edit made from the form's `version`.
pub async fn update(
    AsRosterEditor(user): AsRosterEditor,
    State(state): State<AppState>,
    Path(id): Path<ShiftId>,
    body: Bytes,
) -> AppResult<Response> {
    let scope = scope_of_shift(&state, id).await?;
    let form = read_form(&body);
    match update_shift(&state.db, &roster_pilot(&scope), id, &form, user.id).await {
        Ok(record) => Ok(saved(
            &scope.pilot.slug,
            &record,
            scope.zone,
            Notice::Updated,
        )),
        Err(error) => {
            let ctx = FormContext::load(&state, scope).await?;
            let target = Target::edit(id, ShiftStatus::Planned, "");
            ctx.refused(&user, target, form, error)
        }
    }
}
