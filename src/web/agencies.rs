//! The administrators' page of agencies: every agency with its number of officers, a form per row
//! to change its name and label, and a form to add one. Each change is
//! [`crate::service::agencies::add`]; bad input answers 422 with the page shown again, the input
//! kept and each problem beside its field, and nothing stored.

use crate::web::path::Path;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use super::auth::AsAdmin;
use super::page::{Layout, Page};
use crate::db::agencies;
use crate::db::users::User;
use crate::domain::agency::{Agency, AgencyCode, AgencyForm};
use crate::domain::field_errors::FieldErrors;
use crate::error::{AppError, AppResult};
use crate::service::agencies::{AgencyError, add};
use crate::state::AppState;

/// Where every change returns.
const AGENCIES: &str = "/admin/agencies";

/// The routes of the agencies page.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(AGENCIES, get(list).post(create))
        .route("/admin/agencies/{code}", post(change))
}

/// An agency's row: its form (as stored, or as typed when it came back) and its problems.
pub struct Row {
    code: String,
    form: AgencyForm,
    officers: i64,
    errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "admin/agencies.html")]
pub struct AgenciesPage {
    layout: Layout,
    rows: Vec<Row>,
    new_agency: AgencyForm,
    new_errors: FieldErrors,
    /// The anchor of the form that came back with problems.
    refused_at: Option<String>,
}

/// A form sent back with its problems: the new agency, or the row of an agency on file.
enum Refused {
    NewAgency(AgencyForm, FieldErrors),
    Row(AgencyForm, FieldErrors),
}

/// A row's form as typed: the code is in the address.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RowForm {
    pub name: String,
    pub label: String,
}

/// `GET /admin/agencies`.
async fn list(AsAdmin(admin): AsAdmin, State(state): State<AppState>) -> AppResult<Response> {
    page(&state, &admin, None).await
}

/// `POST /admin/agencies` (`code`, `name`, `label`): adds an agency, or renames the one with the
/// code.
async fn create(
    AsAdmin(admin): AsAdmin,
    State(state): State<AppState>,
    Form(form): Form<AgencyForm>,
) -> AppResult<Response> {
    match Agency::parse(&form) {
        Ok(agency) => save(&state, &admin, &agency).await,
        Err(errors) => page(&state, &admin, Some(Refused::NewAgency(form, errors))).await,
    }
}

/// `POST /admin/agencies/{code}` (`name`, `label`): changes the name and label of an agency on
/// file; 404 for a code not on file.
async fn change(
    AsAdmin(admin): AsAdmin,
    State(state): State<AppState>,
    Path(code): Path<String>,
    Form(row): Form<RowForm>,
) -> AppResult<Response> {
    let code = AgencyCode::parse(&code).map_err(|_| AppError::NotFound)?;
    agencies::find(&state.db, &code)
        .await?
        .ok_or(AppError::NotFound)?;
    let form = AgencyForm {
        code: code.to_string(),
        name: row.name,
        label: row.label,
    };
    match Agency::parse(&form) {
        Ok(agency) => save(&state, &admin, &agency).await,
        Err(errors) => page(&state, &admin, Some(Refused::Row(form, errors))).await,
    }
}

/// Stores `agency` and returns to the list.
async fn save(state: &AppState, admin: &User, agency: &Agency) -> AppResult<Response> {
    let outcome = add(&state.db, Some(admin.id), agency).await?;
    tracing::info!(code = %agency.code, by = admin.id.0, ?outcome, "agency saved");
    Ok(Redirect::to(AGENCIES).into_response())
}

/// The page; 422 with `refused` shown again when a form came back.
async fn page(state: &AppState, admin: &User, refused: Option<Refused>) -> AppResult<Response> {
    let refused_at = refused.as_ref().map(|refused| match refused {
        Refused::Row(form, _) => format!("agency-{}", form.code),
        Refused::NewAgency(..) => "add-heading".to_string(),
    });
    let (mut row_refused, (new_agency, new_errors)) = match refused {
        Some(Refused::Row(form, errors)) => (Some((form, errors)), Default::default()),
        Some(Refused::NewAgency(form, errors)) => (None, (form, errors)),
        None => (None, Default::default()),
    };
    let rows = agencies::list_with_officers(&state.db)
        .await?
        .into_iter()
        .map(|listed| {
            let Agency { code, name, label } = listed.agency;
            let code = code.to_string();
            let (form, errors) = match row_refused.take_if(|(form, _)| form.code == code) {
                Some(refused) => refused,
                None => {
                    let code = code.clone();
                    (AgencyForm { code, name, label }, FieldErrors::new())
                }
            };
            Row {
                code,
                form,
                officers: listed.officers,
                errors,
            }
        })
        .collect();
    let status = match refused_at {
        Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
        None => StatusCode::OK,
    };
    let page = Page(AgenciesPage {
        layout: Layout::new("Agencies", Some(admin)),
        rows,
        new_agency,
        new_errors,
        refused_at,
    });
    Ok((status, page).into_response())
}

impl From<AgencyError> for AppError {
    fn from(error: AgencyError) -> AppError {
        match error {
            AgencyError::Db(e) => AppError::Db(e),
            AgencyError::Internal(e) => AppError::Internal(e),
        }
    }
}
