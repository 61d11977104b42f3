//! The teams of a pilot: every signed-in user sees them; analysts and admins add one and change
//! one's name, agency and mode. A change answers 303 back to the page, or the page again with
//! the form's problems beside its fields (422) and nothing stored. A team's new mode is what
//! its next shifts start with: the shifts already on the roster keep theirs.

use crate::web::path::Path;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::{agency_choices, mode_choices};
use crate::db::users::User;
use crate::db::{agencies, teams};
use crate::domain::Role;
use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::TeamId;
use crate::domain::team_draft::{TeamDraft, TeamForm};
use crate::error::{AppError, AppResult};
use crate::service::people::{self, PeopleError};
use crate::state::AppState;
use crate::web::auth::{AsAnalyst, SignedIn};
use crate::web::imports::Choice;
use crate::web::page::{Layout, Page};
use crate::web::scope::{FilterQuery, Scope};

/// A team as listed, with its form when the viewer may change it.
pub struct TeamLine {
    pub id: TeamId,
    pub name: String,
    pub agency: String,
    pub mode: String,
    pub members: i64,
    pub shifts: i64,
    pub form: TeamForm,
    pub agencies: Vec<Choice>,
    pub modes: Vec<Choice>,
    pub errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "people/teams.html")]
pub struct TeamsPage {
    layout: Layout,
    slug: String,
    pilot_name: String,
    teams: Vec<TeamLine>,
    /// Whether the viewer may add and change teams.
    can_edit: bool,
    new_team: TeamForm,
    new_agencies: Vec<Choice>,
    new_modes: Vec<Choice>,
    new_errors: FieldErrors,
    /// Where the form that came back with problems is.
    refused_at: Option<String>,
}

/// A form sent back with its problems: a new team, or the change of team `id`.
enum Refused {
    NewTeam(TeamForm, FieldErrors),
    Row(TeamId, TeamForm, FieldErrors),
}

/// The page; `refused` shown again, with 422, when a form came back.
async fn page(
    state: &AppState,
    user: &User,
    scope: &Scope,
    refused: Option<Refused>,
) -> AppResult<Response> {
    let on_file = agencies::list(&state.db).await?;
    let listed = teams::list(&state.db, scope.pilot.id).await?;
    let refused_at = refused.as_ref().map(|refused| match refused {
        Refused::Row(id, ..) => format!("team-{id}"),
        Refused::NewTeam(..) => "add-heading".to_string(),
    });
    let status = match refused {
        Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
        None => StatusCode::OK,
    };
    let (row, (new_team, new_errors)) = match refused {
        Some(Refused::Row(id, form, errors)) => (Some((id, form, errors)), Default::default()),
        Some(Refused::NewTeam(form, errors)) => (None, (form, errors)),
        None => (None, Default::default()),
    };
    let teams = listed
        .into_iter()
        .map(|listed| {
            let team = listed.team;
            let (form, errors) = match &row {
                Some((id, form, errors)) if *id == team.id => (form.clone(), errors.clone()),
                _ => (team.details.form(), FieldErrors::new()),
            };
            TeamLine {
                id: team.id,
                agency: on_file.team_label(&team.details.agency).to_string(),
                mode: team.details.mode.to_string(),
                name: team.details.name,
                members: listed.members,
                shifts: listed.shifts,
                agencies: agency_choices(&on_file, &form.agency, true),
                modes: mode_choices(&form.mode),
                form,
                errors,
            }
        })
        .collect();
    let default_mode = match new_team.mode.as_str() {
        "" => "foot",
        typed => typed,
    };
    let page = Page(TeamsPage {
        layout: Layout::new(format!("Teams · {}", scope.pilot.name), Some(user))
            .for_pilot(&scope.pilot.slug, &scope.pilot.name),
        slug: scope.pilot.slug.clone(),
        pilot_name: scope.pilot.name.clone(),
        teams,
        can_edit: user.role.includes(Role::Analyst),
        new_agencies: agency_choices(&on_file, &new_team.agency, true),
        new_modes: mode_choices(default_mode),
        new_team,
        new_errors,
        refused_at,
    });
    Ok((status, page).into_response())
}

/// `GET /pilots/{slug}/teams`: the pilot's teams, with forms for analysts and admins.
pub async fn list(
    SignedIn(user): SignedIn,
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let scope = Scope::load(&state.db, &slug, &FilterQuery::default()).await?;
    page(&state, &user, &scope, None).await
}

/// `POST /pilots/{slug}/teams` (`name`, `agency` as a code or `joint`, `mode`): adds a team.
pub async fn create(
    AsAnalyst(user): AsAnalyst,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Form(form): Form<TeamForm>,
) -> AppResult<Response> {
    let scope = Scope::load(&state.db, &slug, &FilterQuery::default()).await?;
    let errors = match TeamDraft::parse(&form) {
        Ok(draft) => match people::create_team(&state.db, user.id, scope.pilot.id, &draft).await {
            Ok(team) => {
                tracing::info!(team_id = %team.id, by = %user.id, "team added");
                return Ok(Redirect::to(&format!("/pilots/{slug}/teams")).into_response());
            }
            Err(PeopleError::Invalid(errors)) => errors,
            Err(e) => return Err(e.into()),
        },
        Err(errors) => errors,
    };
    page(&state, &user, &scope, Some(Refused::NewTeam(form, errors))).await
}

/// `POST /pilots/{slug}/teams/{id}` (`name`, `agency`, `mode`): changes a team.
pub async fn update(
    AsAnalyst(user): AsAnalyst,
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, TeamId)>,
    Form(form): Form<TeamForm>,
) -> AppResult<Response> {
    let scope = Scope::load(&state.db, &slug, &FilterQuery::default()).await?;
    teams::find(&state.db, scope.pilot.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let errors = match TeamDraft::parse(&form) {
        Ok(draft) => {
            let author = user.id;
            match people::update_team(&state.db, author, scope.pilot.id, id, &draft).await {
                Ok(_) => {
                    tracing::info!(team_id = %id, by = %user.id, "team changed");
                    return Ok(Redirect::to(&format!("/pilots/{slug}/teams")).into_response());
                }
                Err(PeopleError::Invalid(errors)) => errors,
                Err(e) => return Err(e.into()),
            }
        }
        Err(errors) => errors,
    };
    page(&state, &user, &scope, Some(Refused::Row(id, form, errors))).await
}
