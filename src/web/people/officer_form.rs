//! Adding an officer to a pilot (found by agency and badge number, or created, then assigned)
//! and editing an officer's details. Each answers 303 to the officer's page, or the form again
//! with each problem beside its field (422) and nothing stored.

use crate::web::path::Path;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{agency_choices, frame, team_choices};
use crate::db::users::User;
use crate::db::{agencies, officers, teams};
use crate::domain::assignment_draft::{AssignmentDraft, AssignmentForm};
use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::OfficerId;
use crate::domain::officer_draft::{OfficerDraft, OfficerForm};
use crate::error::{AppError, AppResult};
use crate::service::people::{self, PeopleError};
use crate::state::AppState;
use crate::web::auth::AsAnalyst;
use crate::web::imports::Choice;
use crate::web::page::{Layout, Page};
use crate::web::scope::{FilterQuery, Scope};

/// The "add an officer" form as typed: the officer, and their assignment to the pilot.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct NewOfficerForm {
    #[serde(flatten)]
    pub officer: OfficerForm,
    #[serde(flatten)]
    pub assignment: AssignmentForm,
}

#[derive(Template)]
#[template(path = "people/officer_form.html")]
pub struct OfficerFormPage {
    layout: Layout,
    pilot_name: String,
    heading: String,
    action: String,
    /// Where the form leads back to without saving.
    back_href: String,
    officer: OfficerForm,
    /// The assignment's fields, on the "add" form only.
    assignment: Option<AssignmentForm>,
    agencies: Vec<Choice>,
    teams: Vec<Choice>,
    /// The pilot's first and last day, the bounds of the date fields.
    first_day: String,
    last_day: String,
    errors: FieldErrors,
}

/// Which form, for which pilot.
struct Target<'a> {
    scope: &'a Scope,
    /// The officer being edited; `None` on the "add" form.
    officer: Option<(OfficerId, &'a str)>,
}

/// The form page, with `errors` beside their fields (422 when there are some).
async fn page(
    state: &AppState,
    user: &User,
    target: Target<'_>,
    officer: OfficerForm,
    assignment: Option<AssignmentForm>,
    errors: FieldErrors,
) -> AppResult<Response> {
    let pilot = &target.scope.pilot;
    let officers_href = format!("/pilots/{}/officers", pilot.slug);
    let (heading, action, back_href) = match target.officer {
        None => (
            format!("Add an officer to {}", pilot.name),
            officers_href.clone(),
            officers_href,
        ),
        Some((id, name)) => (
            format!("Edit {name}"),
            format!("{officers_href}/{id}"),
            format!("{officers_href}/{id}"),
        ),
    };
    let listed = teams::list(&state.db, target.scope.pilot.id).await?;
    let chosen_team = assignment.as_ref().map_or("", |a| a.team_id.as_str());
    let status = match errors.is_empty() {
        true => StatusCode::OK,
        false => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let page = Page(OfficerFormPage {
        layout: Layout::new(heading.clone(), Some(user)).for_pilot(&pilot.slug, &pilot.name),
        pilot_name: pilot.name.clone(),
        heading,
        action,
        back_href,
        agencies: agency_choices(&agencies::list(&state.db).await?, &officer.agency, false),
        teams: team_choices(&listed, chosen_team),
        officer,
        assignment,
        first_day: pilot.starts_on.to_string(),
        last_day: pilot.ends_on.to_string(),
        errors,
    });
    Ok((status, page).into_response())
}

/// `GET /pilots/{slug}/officers/new`: the form adding an officer to the pilot, for its whole
/// length until said otherwise.
pub async fn new(
    AsAnalyst(user): AsAnalyst,
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let scope = Scope::load(&state.db, &slug, &FilterQuery::default()).await?;
    let assignment = AssignmentForm {
        starts_on: scope.pilot.starts_on.to_string(),
        ends_on: scope.pilot.ends_on.to_string(),
        ..AssignmentForm::default()
    };
    let target = Target {
        scope: &scope,
        officer: None,
    };
    let officer = OfficerForm::default();
    page(
        &state,
        &user,
        target,
        officer,
        Some(assignment),
        FieldErrors::new(),
    )
    .await
}

/// `POST /pilots/{slug}/officers` (`agency`, `badge_number`, `name`, `rank`, `home_unit`,
/// `starts_on`, `ends_on`, `role`, `team_id`): assigns the officer of that agency and badge
/// number to the pilot, creating them when they are not on file, or giving them these details
/// when they are; 303 to their page.
pub async fn create(
    AsAnalyst(user): AsAnalyst,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Form(form): Form<NewOfficerForm>,
) -> AppResult<Response> {
    let scope = Scope::load(&state.db, &slug, &FilterQuery::default()).await?;
    let listed = teams::list(&state.db, scope.pilot.id).await?;
    let officer = OfficerDraft::parse(&form.officer);
    let assignment = AssignmentDraft::parse(&form.assignment, &frame(&scope, &listed));
    let errors = match (officer, assignment) {
        (Ok(officer), Ok(assignment)) => {
            let added =
                people::add_to_pilot(&state.db, user.id, scope.pilot.id, &officer, &assignment)
                    .await;
            match added {
                Ok(added) => {
                    tracing::info!(officer_id = %added.officer.id, assignment_id = %added.assignment.id, by = %user.id, "officer assigned");
                    let to = format!("/pilots/{slug}/officers/{}", added.officer.id);
                    return Ok(Redirect::to(&to).into_response());
                }
                Err(PeopleError::Invalid(errors)) => errors,
                Err(e) => return Err(e.into()),
            }
        }
        (officer, assignment) => {
            let mut errors = officer.err().unwrap_or_default();
            for (field, message) in assignment.err().unwrap_or_default().iter() {
                errors.add(field, message);
            }
            errors
        }
    };
    let target = Target {
        scope: &scope,
        officer: None,
    };
    page(
        &state,
        &user,
        target,
        form.officer,
        Some(form.assignment),
        errors,
    )
    .await
}

/// The officer `id` of the pilot in `scope`, as stored; 404 when not assigned to it.
async fn officer_of(
    state: &AppState,
    scope: &Scope,
    id: OfficerId,
) -> AppResult<officers::Officer> {
    officers::find(&state.db, scope.pilot.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    officers::get(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// `GET /pilots/{slug}/officers/{id}/edit`: the form changing an officer's details.
pub async fn edit(
    AsAnalyst(user): AsAnalyst,
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, OfficerId)>,
) -> AppResult<Response> {
    let scope = Scope::load(&state.db, &slug, &FilterQuery::default()).await?;
    let stored = officer_of(&state, &scope, id).await?;
    let target = Target {
        scope: &scope,
        officer: Some((id, &stored.details.name)),
    };
    let form = stored.details.form();
    page(&state, &user, target, form, None, FieldErrors::new()).await
}

/// `POST /pilots/{slug}/officers/{id}` (`agency`, `badge_number`, `name`, `rank`,
/// `home_unit`): changes an officer's details; a new agency moves their hours to it in every
/// pilot. 303 to their page.
pub async fn update(
    AsAnalyst(user): AsAnalyst,
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, OfficerId)>,
    Form(form): Form<OfficerForm>,
) -> AppResult<Response> {
    let scope = Scope::load(&state.db, &slug, &FilterQuery::default()).await?;
    let stored = officer_of(&state, &scope, id).await?;
    let errors = match OfficerDraft::parse(&form) {
        Ok(draft) => match people::update_officer(&state.db, user.id, id, &draft).await {
            Ok(_) => {
                tracing::info!(officer_id = %id, by = %user.id, "officer changed");
                let to = format!("/pilots/{slug}/officers/{id}");
                return Ok(Redirect::to(&to).into_response());
            }
            Err(PeopleError::Invalid(errors)) => errors,
            Err(e) => return Err(e.into()),
        },
        Err(errors) => errors,
    };
    let target = Target {
        scope: &scope,
        officer: Some((id, &stored.details.name)),
    };
    page(&state, &user, target, form, None, errors).await
}
