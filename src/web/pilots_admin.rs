//! The administrators' pilot pages: every pilot with the form to add one (`/admin/pilots`), and
//! one pilot's settings (`/admin/pilots/{slug}`). Each change is one function of
//! [`crate::service::pilots`]; bad input comes back with each problem beside its field (422, or
//! 409 when shifts or logged entries would fall outside the new dates) and nothing stored.

use crate::web::path::Path;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};

use super::auth::AsAdmin;
use super::page::{Layout, Page};
use crate::db::pilots::{self, Pilot};
use crate::db::users::User;
use crate::domain::field_errors::FieldErrors;
use crate::domain::pilot_form::{DEFAULT_BLOCK_MINUTES, NewPilot, PilotForm, PilotSettings};
use crate::domain::time_zones::offered_time_zones;
use crate::error::{AppError, AppResult};
use crate::service::pilots::{self as service, PilotError};
use crate::state::AppState;

/// The routes of the pilot pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/pilots", get(list).post(create))
        .route("/admin/pilots/{slug}", get(edit).post(update))
}

/// A pilot as the list shows it.
pub struct PilotLine {
    pub slug: String,
    pub name: String,
    pub city: String,
    pub dates: String,
    pub time_zone: String,
}

/// The form's fields as typed or stored, their problems, and the zones offered.
pub struct Fields {
    pub form: PilotForm,
    pub errors: FieldErrors,
    pub zones: Vec<&'static str>,
}

impl Fields {
    fn new(form: PilotForm, errors: FieldErrors) -> Fields {
        Fields {
            form,
            errors,
            zones: offered_time_zones(),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/pilots.html")]
pub struct PilotsPage {
    layout: Layout,
    pilots: Vec<PilotLine>,
    fields: Fields,
}

#[derive(Template)]
#[template(path = "admin/pilot.html")]
pub struct PilotPage {
    layout: Layout,
    slug: String,
    name: String,
    fields: Fields,
}

/// `GET /admin/pilots`: every pilot, and the form to add one.
pub async fn list(AsAdmin(admin): AsAdmin, State(state): State<AppState>) -> AppResult<Response> {
    let blank = PilotForm {
        block_minutes: DEFAULT_BLOCK_MINUTES.to_string(),
        ..PilotForm::default()
    };
    list_page(&state, &admin, StatusCode::OK, blank, FieldErrors::new()).await
}

async fn list_page(
    state: &AppState,
    admin: &User,
    status: StatusCode,
    form: PilotForm,
    errors: FieldErrors,
) -> AppResult<Response> {
    let pilots = pilots::list(&state.db)
        .await?
        .into_iter()
        .map(|pilot| PilotLine {
            dates: format!(
                "{} to {}",
                super::format::day(pilot.starts_on),
                super::format::day(pilot.ends_on)
            ),
            slug: pilot.slug,
            name: pilot.name,
            city: pilot.city,
            time_zone: pilot.time_zone,
        })
        .collect();
    let page = Page(PilotsPage {
        layout: Layout::new("Pilot setup", Some(admin)),
        pilots,
        fields: Fields::new(form, errors),
    });
    Ok((status, page).into_response())
}

/// `POST /admin/pilots` (`slug`, `name`, `city`, `time_zone`, `starts_on`, `ends_on`,
/// `block_minutes`): adds a pilot; 303 to its dashboard.
pub async fn create(
    AsAdmin(admin): AsAdmin,
    State(state): State<AppState>,
    Form(form): Form<PilotForm>,
) -> AppResult<Response> {
    let refused = StatusCode::UNPROCESSABLE_ENTITY;
    let new = match NewPilot::parse(&form) {
        Ok(new) => new,
        Err(errors) => return list_page(&state, &admin, refused, form, errors).await,
    };
    match service::create(&state.db, Some(admin.id), &new).await {
        Ok(pilot) => {
            tracing::info!(pilot = %pilot.slug, by = admin.id.0, "pilot created");
            Ok(Redirect::to(&format!("/pilots/{}", pilot.slug)).into_response())
        }
        Err(PilotError::SlugTaken(slug)) => {
            let mut errors = FieldErrors::new();
            errors.add(
                "slug",
                format!("The slug {slug} is already used by another pilot. Choose another."),
            );
            list_page(&state, &admin, refused, form, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /admin/pilots/{slug}`: the pilot's settings, to change.
pub async fn edit(
    AsAdmin(admin): AsAdmin,
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let pilot = pilots::find(&state.db, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let form = PilotForm {
        slug: pilot.slug.clone(),
        name: pilot.name.clone(),
        city: pilot.city.clone(),
        time_zone: pilot.time_zone.clone(),
        starts_on: pilot.starts_on.to_string(),
        ends_on: pilot.ends_on.to_string(),
        block_minutes: pilot.block_minutes.to_string(),
    };
    Ok(edit_page(
        &admin,
        StatusCode::OK,
        &pilot,
        form,
        FieldErrors::new(),
    ))
}

fn edit_page(
    admin: &User,
    status: StatusCode,
    pilot: &Pilot,
    form: PilotForm,
    errors: FieldErrors,
) -> Response {
    let page = Page(PilotPage {
        layout: Layout::new(format!("Settings of {}", pilot.name), Some(admin)),
        slug: pilot.slug.clone(),
        name: pilot.name.clone(),
        fields: Fields::new(form, errors),
    });
    (status, page).into_response()
}

/// `POST /admin/pilots/{slug}` (the fields of `POST /admin/pilots` but `slug`): changes the
/// pilot's settings; 303 to its dashboard.
pub async fn update(
    AsAdmin(admin): AsAdmin,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Form(form): Form<PilotForm>,
) -> AppResult<Response> {
    let pilot = pilots::find(&state.db, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let settings = match PilotSettings::parse(&form) {
        Ok(settings) => settings,
        Err(errors) => {
            let refused = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(edit_page(&admin, refused, &pilot, form, errors));
        }
    };
    match service::update(&state.db, Some(admin.id), &slug, &settings).await {
        Ok(pilot) => {
            tracing::info!(pilot = %pilot.slug, by = admin.id.0, "pilot changed");
            Ok(Redirect::to(&format!("/pilots/{}", pilot.slug)).into_response())
        }
        Err(PilotError::Stranding(errors)) => Ok(edit_page(
            &admin,
            StatusCode::CONFLICT,
            &pilot,
            form,
            errors,
        )),
        Err(e) => Err(e.into()),
    }
}

impl From<PilotError> for AppError {
    /// Problems a form shows beside its fields are handled by the handlers; what is left is the
    /// pilot missing or a failure.
    fn from(error: PilotError) -> AppError {
        match error {
            PilotError::NotFound => AppError::NotFound,
            PilotError::Db(e) => AppError::Db(e),
            PilotError::Internal(e) => AppError::Internal(e),
            other => AppError::Conflict(other.to_string()),
        }
    }
}
