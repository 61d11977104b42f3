//! A hotspot's edit page, for analysts and admins: its attributes, the day it is retired on, and
//! a new outline from a GeoJSON file. Each form is one function of [`crate::service::hotspots`];
//! a saved change answers 303 to the hotspot's page, a refused one shows this page again (422,
//! or 409 for a form filled from an older version) with each problem beside its field, and
//! nothing stored.

use crate::web::path::Path;
use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::multipart::MultipartError;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;

use super::auth::AsAnalyst;
use super::page::{Layout, Page};
use crate::db::hotspots::{self, StoredHotspot};
use crate::db::pilots::Pilot;
use crate::db::users::User;
use crate::domain::field_errors::FieldErrors;
use crate::domain::hotspot::PilotDays;
use crate::domain::hotspot_form::{HotspotForm, RetireForm, default_retire_day};
use crate::domain::ids::HotspotId;
use crate::error::{AppError, AppResult};
use crate::service::hotspots::{self as service, PlaceError};
use crate::state::AppState;

/// The routes of the edit page and its three forms.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/hotspots/{id}/edit", get(edit))
        .route("/hotspots/{id}", post(update))
        .route("/hotspots/{id}/retire", post(retire))
        .route("/hotspots/{id}/outline", post(outline))
}

/// What a refused form was about to say again, or nothing refused.
enum Refused {
    None,
    /// The attributes form as typed, its problems, and the hotspot as stored now when the form
    /// was filled from an older version.
    Attributes(Box<HotspotForm>, FieldErrors, Option<Box<StoredHotspot>>),
    Retire(RetireForm, FieldErrors),
    Outline(FieldErrors),
}

#[derive(Template)]
#[template(path = "hotspots/edit.html")]
pub struct EditPage {
    layout: Layout,
    pilot_name: String,
    pilot_href: String,
    hotspot_href: String,
    id: HotspotId,
    /// The name as stored.
    name: String,
    first_day: String,
    last_day: String,
    form: HotspotForm,
    errors: FieldErrors,
    /// The hotspot as stored now, for an analyst whose form was filled from an older version.
    current: Option<String>,
    retire_day: String,
    retire_errors: FieldErrors,
    outline_errors: FieldErrors,
    /// The anchor of the form that came back with problems.
    refused_at: Option<&'static str>,
}

/// `GET /hotspots/{id}/edit`: the hotspot's forms, filled with what is stored.
pub async fn edit(
    AsAnalyst(user): AsAnalyst,
    State(state): State<AppState>,
    Path(id): Path<HotspotId>,
) -> AppResult<Response> {
    page(&state, &user, id, Refused::None).await
}

/// `POST /hotspots/{id}` (`name`, `priority`, `active_from`, `active_to`, `window_start`,
/// `window_end`, `target_minutes_per_day`, `max_gap_minutes`, `reason`, `version`).
pub async fn update(
    AsAnalyst(user): AsAnalyst,
    State(state): State<AppState>,
    Path(id): Path<HotspotId>,
    Form(form): Form<HotspotForm>,
) -> AppResult<Response> {
    match service::edit(&state.db, user.id, id, &form).await {
        Ok(saved) => saved_to(&state, saved).await,
        Err(PlaceError::Invalid(errors)) => {
            page(
                &state,
                &user,
                id,
                Refused::Attributes(Box::new(form), errors, None),
            )
            .await
        }
        Err(PlaceError::Stale(current)) => {
            let form = HotspotForm {
                version: current.version.to_string(),
                ..form
            };
            let refused = Refused::Attributes(Box::new(form), FieldErrors::new(), Some(current));
            page(&state, &user, id, refused).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /hotspots/{id}/retire` (`active_to`): the last day the hotspot is watched.
pub async fn retire(
    AsAnalyst(user): AsAnalyst,
    State(state): State<AppState>,
    Path(id): Path<HotspotId>,
    Form(form): Form<RetireForm>,
) -> AppResult<Response> {
    match service::retire(&state.db, user.id, id, &form).await {
        Ok(saved) => saved_to(&state, saved).await,
        Err(PlaceError::Invalid(errors)) => {
            page(&state, &user, id, Refused::Retire(form, errors)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /hotspots/{id}/outline` (multipart, `file`): a new outline from a GeoJSON file.
pub async fn outline(
    AsAnalyst(user): AsAnalyst,
    State(state): State<AppState>,
    Path(id): Path<HotspotId>,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let refuse = |message: String| {
        let mut errors = FieldErrors::new();
        errors.add("file", message);
        page(&state, &user, id, Refused::Outline(errors))
    };
    let file = match read_file(&mut multipart).await {
        Ok(file) if file.is_empty() => {
            return refuse("Choose a GeoJSON file with the new outline.".into()).await;
        }
        Ok(file) => file,
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            let limit = state.config.body_limit / 1024;
            let message = format!(
                "The file is larger than {limit} KB; a hotspot's outline needs far less. Simplify it and try again."
            );
            return refuse(message).await;
        }
        Err(_) => {
            return Err(AppError::BadRequest(
                "The upload could not be read; please send the form again.".into(),
            ));
        }
    };
    match service::replace_outline(&state.db, user.id, id, &file).await {
        Ok(saved) => saved_to(&state, saved).await,
        Err(PlaceError::Invalid(errors)) => page(&state, &user, id, Refused::Outline(errors)).await,
        Err(e) => Err(e.into()),
    }
}

/// The bytes of the form's `file` (none when it has no file).
async fn read_file(multipart: &mut Multipart) -> Result<Vec<u8>, MultipartError> {
    let mut file = Vec::new();
    while let Some(field) = multipart.next_field().await? {
        if field.name() == Some("file") {
            file = field.bytes().await?.to_vec();
        }
    }
    Ok(file)
}

/// 303 to the page of the hotspot just saved.
async fn saved_to(state: &AppState, saved: StoredHotspot) -> AppResult<Response> {
    let pilot = pilot_of(state, saved.id).await?;
    let href = format!("/pilots/{}/hotspots/{}", pilot.slug, saved.id);
    Ok(Redirect::to(&href).into_response())
}

async fn pilot_of(state: &AppState, id: HotspotId) -> AppResult<Pilot> {
    hotspots::pilot_of(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The page, with the form in `refused` shown again (422, or 409 when stale; else 200).
async fn page(
    state: &AppState,
    user: &User,
    id: HotspotId,
    refused: Refused,
) -> AppResult<Response> {
    let hotspot = hotspots::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let pilot = pilot_of(state, id).await?;
    let zone = pilot.zone();
    let days = PilotDays {
        first: pilot.starts_on,
        last: pilot.ends_on,
    };
    let today = Utc::now().with_timezone(&zone).date_naive();
    let retire_day = default_retire_day(&hotspot.watch, days, today).to_string();
    let stored = HotspotForm::of(
        &hotspot.name,
        &hotspot.watch,
        &hotspot.reason,
        hotspot.version,
    );
    let mut page = EditPage {
        layout: Layout::new(
            format!("Edit {} · {}", hotspot.name, pilot.name),
            Some(user),
        )
        .for_pilot(&pilot.slug, &pilot.name),
        pilot_href: format!("/pilots/{}", pilot.slug),
        hotspot_href: format!("/pilots/{}/hotspots/{id}", pilot.slug),
        pilot_name: pilot.name,
        id,
        name: hotspot.name.clone(),
        first_day: days.first.to_string(),
        last_day: days.last.to_string(),
        form: stored,
        errors: FieldErrors::new(),
        current: None,
        retire_day,
        retire_errors: FieldErrors::new(),
        outline_errors: FieldErrors::new(),
        refused_at: None,
    };
    let status = match refused {
        Refused::None => StatusCode::OK,
        Refused::Attributes(form, errors, current) => {
            page.form = *form;
            page.errors = errors;
            page.refused_at = Some("attributes-heading");
            match current {
                Some(current) => {
                    page.current = Some(describe(&current));
                    StatusCode::CONFLICT
                }
                None => StatusCode::UNPROCESSABLE_ENTITY,
            }
        }
        Refused::Retire(form, errors) => {
            page.retire_day = form.active_to;
            page.retire_errors = errors;
            page.refused_at = Some("retire-heading");
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Refused::Outline(errors) => {
            page.outline_errors = errors;
            page.refused_at = Some("outline-heading");
            StatusCode::UNPROCESSABLE_ENTITY
        }
    };
    Ok((status, Page(page)).into_response())
}

/// A hotspot's attributes in a sentence, for an analyst whose form was filled from an older
/// version.
fn describe(hotspot: &StoredHotspot) -> String {
    let watch = &hotspot.watch;
    format!(
        "Now (version {}): {}, priority {}, watched {} to {}, {}–{}, {} patrol minutes a day, \
         gaps of at most {} minutes; reason: {}",
        hotspot.version,
        hotspot.name,
        watch.priority,
        watch.active_from,
        watch
            .active_to
            .map_or("open-ended".to_string(), |d| d.to_string()),
        watch.window_start.format("%H:%M"),
        watch.window_end.format("%H:%M"),
        watch.target_minutes_per_day,
        watch.max_gap_minutes,
        if hotspot.reason.is_empty() {
            "none"
        } else {
            &hotspot.reason
        },
    )
}

impl From<PlaceError> for AppError {
    /// Problems a form shows beside its fields are handled by the handlers; what is left is the
    /// hotspot missing or a failure.
    fn from(error: PlaceError) -> AppError {
        match error {
            PlaceError::NotFound => AppError::NotFound,
            PlaceError::Db(e) => AppError::Db(e),
            PlaceError::Internal(e) => AppError::Internal(e),
            other => AppError::Conflict(other.to_string()),
        }
    }
}
