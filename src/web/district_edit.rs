//! A district's edit page, for analysts and admins: its name. The rename is
//! [`crate::service::districts::rename`]; saved, it answers 303 to the district's page, refused,
//! this page again (422) with the problem beside the name and nothing stored.

use crate::web::path::Path;
use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::auth::AsAnalyst;
use super::page::{Layout, Page};
use crate::db::districts::{self, StoredDistrict};
use crate::domain::district_form::DistrictForm;
use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::DistrictId;
use crate::error::{AppError, AppResult};
use crate::service::districts::rename;
use crate::service::hotspots::PlaceError;
use crate::state::AppState;

/// The routes of the edit page and its form.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/districts/{id}/edit", get(edit))
        .route("/districts/{id}", post(update))
}

#[derive(Template)]
#[template(path = "districts/edit.html")]
pub struct EditPage {
    layout: Layout,
    pilot_name: String,
    pilot_href: String,
    district_href: String,
    id: DistrictId,
    code: String,
    /// The name as stored.
    name: String,
    form: DistrictForm,
    errors: FieldErrors,
}

/// `GET /districts/{id}/edit`: the rename form, filled with the stored name.
pub async fn edit(
    AsAnalyst(user): AsAnalyst,
    State(state): State<AppState>,
    Path(id): Path<DistrictId>,
) -> AppResult<Response> {
    let district = find(&state, id).await?;
    let form = DistrictForm {
        name: district.name.clone(),
    };
    Ok(page(&user, district, form, FieldErrors::new()).into_response())
}

/// `POST /districts/{id}` (`name`): renames the district.
pub async fn update(
    AsAnalyst(user): AsAnalyst,
    State(state): State<AppState>,
    Path(id): Path<DistrictId>,
    Form(form): Form<DistrictForm>,
) -> AppResult<Response> {
    match rename(&state.db, user.id, id, &form).await {
        Ok(saved) => Ok(Redirect::to(&href(&saved)).into_response()),
        Err(PlaceError::Invalid(errors)) => {
            let district = find(&state, id).await?;
            let page = page(&user, district, form, errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn find(state: &AppState, id: DistrictId) -> AppResult<StoredDistrict> {
    districts::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The district's own page.
fn href(district: &StoredDistrict) -> String {
    format!(
        "/pilots/{}/districts/{}",
        district.pilot_slug, district.code
    )
}

fn page(
    user: &crate::db::users::User,
    district: StoredDistrict,
    form: DistrictForm,
    errors: FieldErrors,
) -> Page<EditPage> {
    Page(EditPage {
        layout: Layout::new(
            format!("Edit {} · {}", district.name, district.pilot_name),
            Some(user),
        )
        .for_pilot(&district.pilot_slug, &district.pilot_name),
        pilot_href: format!("/pilots/{}", district.pilot_slug),
        district_href: href(&district),
        pilot_name: district.pilot_name,
        id: district.id,
        code: district.code,
        name: district.name,
        form,
        errors,
    })
}
