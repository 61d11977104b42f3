//! Copying a week of the roster to another week, in one transaction.

use crate::web::path::Path;
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::auth::AsRosterEditor;
use super::page::{Layout, Page};
use super::roster::{WeekBounds, roster_pilot, week_of};
use super::scope::{FilterQuery, Scope};
use crate::domain::week::Week;
use crate::error::{AppError, AppResult};
use crate::service::roster::{CopiedShift, CopyReport, SkippedShift, WriteError, copy_week};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "roster/copy.html")]
pub struct CopyPage {
    layout: Layout,
    slug: String,
    pilot_name: String,
    from_week: String,
    to_week: String,
    weeks: WeekBounds,
    error: Option<String>,
    /// After a copy: the shifts copied.
    copied: Option<Vec<CopiedShift>>,
    skipped: Vec<SkippedShift>,
}

#[derive(Deserialize)]
pub struct CopyQuery {
    week: Option<String>,
}

/// `GET /pilots/{slug}/roster/copy?week=`: choose where to copy the week.
pub async fn form(
    AsRosterEditor(user): AsRosterEditor,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<CopyQuery>,
) -> AppResult<impl IntoResponse> {
    let scope = Scope::load(&state.db, &slug, &FilterQuery::default()).await?;
    let week = week_of(&scope, query.week.as_deref())?;
    Ok(Page(CopyPage {
        layout: Layout::new("Copy a week", Some(&user))
            .for_pilot(&scope.pilot.slug, &scope.pilot.name),
        slug: scope.pilot.slug.clone(),
        pilot_name: scope.pilot.name.clone(),
        from_week: week.to_string(),
        to_week: week.plus(1).to_string(),
        weeks: WeekBounds::of(scope.pilot.starts_on, scope.pilot.ends_on),
        error: None,
        copied: None,
        skipped: Vec::new(),
    }))
}

#[derive(Deserialize)]
pub struct CopyForm {
    #[serde(default)]
    from_week: String,
    #[serde(default)]
    to_week: String,
}

/// `POST /pilots/{slug}/roster/copy`: copies, then lists what was copied and what was skipped.
pub async fn copy(
    AsRosterEditor(user): AsRosterEditor,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Form(form): Form<CopyForm>,
) -> AppResult<Response> {
    let scope = Scope::load(&state.db, &slug, &FilterQuery::default()).await?;
    let pilot = &scope.pilot;
    let page = |error: Option<String>, report: Option<CopyReport>| {
        let (copied, skipped) = match report {
            Some(r) => (Some(r.copied), r.skipped),
            None => (None, Vec::new()),
        };
        Page(CopyPage {
            layout: Layout::new("Copy a week", Some(&user)).for_pilot(&pilot.slug, &pilot.name),
            slug: pilot.slug.clone(),
            pilot_name: pilot.name.clone(),
            from_week: form.from_week.clone(),
            to_week: form.to_week.clone(),
            weeks: WeekBounds::of(pilot.starts_on, pilot.ends_on),
            error,
            copied,
            skipped,
        })
    };
    let refused = |status: StatusCode, message: &str| {
        Ok((status, page(Some(message.to_string()), None)).into_response())
    };
    let (Some(from), Some(to)) = (Week::parse(&form.from_week), Week::parse(&form.to_week)) else {
        return refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Write both weeks like 2023-W11.",
        );
    };
    if from == to {
        return refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Choose a different week to copy to.",
        );
    }
    match copy_week(&state.db, &roster_pilot(&scope), from, to, user.id).await {
        Ok(report) => Ok(page(None, Some(report)).into_response()),
        Err(error) if error.is_overlap() => refused(
            StatusCode::CONFLICT,
            "Someone changed the roster of that week at the same moment; nothing was copied. Try again.",
        ),
        Err(WriteError::Db(e)) => Err(e.into()),
        Err(WriteError::Internal(e)) => Err(e.into()),
        Err(_) => Err(AppError::Conflict(
            "The week could not be copied; nothing was changed.".into(),
        )),
    }
}
