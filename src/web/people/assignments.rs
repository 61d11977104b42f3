//! An officer's assignments to a pilot on the officer's page: each with, for analysts and
//! admins, a form changing its days, role and team and one ending it early. A change answers
//! 303 back to the officer's page, or the page again with the form's problems beside its fields
//! (422) and nothing stored.

use crate::web::path::Path;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use super::{frame, team_choices};
use crate::db::{assignments, teams};
use crate::domain::assignment_draft::{AssignmentDraft, AssignmentForm, EndForm};
use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::{AssignmentId, OfficerId};
use crate::error::{AppError, AppResult};
use crate::service::people::{self, PeopleError};
use crate::state::AppState;
use crate::web::auth::AsAnalyst;
use crate::web::imports::Choice;
use crate::web::officers;
use crate::web::scope::{FilterQuery, Scope};

/// An assignment as the officer's page lists it, with its forms.
pub struct AssignmentLine {
    pub id: AssignmentId,
    pub first: String,
    pub last: String,
    pub role: String,
    pub team: String,
    /// The edit form's fields: as stored, or as sent when it came back.
    pub form: AssignmentForm,
    pub teams: Vec<Choice>,
    /// The end form's day: the last day, or as sent when it came back.
    pub end: String,
    /// Problems of the edit form.
    pub errors: FieldErrors,
    /// Problems of the end form.
    pub end_errors: FieldErrors,
}

/// A form of an assignment sent back with its problems.
pub enum Refused {
    Edit(AssignmentId, AssignmentForm, FieldErrors),
    End(AssignmentId, EndForm, FieldErrors),
}

impl Refused {
    /// The assignment whose form came back.
    pub fn id(&self) -> AssignmentId {
        match self {
            Refused::Edit(id, ..) | Refused::End(id, ..) => *id,
        }
    }
}

/// The officer's assignments to the pilot in `scope`, in date order, with `refused` shown in
/// its forms.
pub async fn lines(
    state: &AppState,
    scope: &Scope,
    officer_id: OfficerId,
    refused: Option<Refused>,
) -> AppResult<Vec<AssignmentLine>> {
    let stored = assignments::of_officer(&state.db, scope.pilot.id, officer_id).await?;
    let listed = teams::list(&state.db, scope.pilot.id).await?;
    let mut refused = refused;
    Ok(stored
        .into_iter()
        .map(|row| {
            let a = row.assignment;
            let mut form = a.details.form();
            let mut end = a.details.ends_on.to_string();
            let (mut errors, mut end_errors) = (FieldErrors::new(), FieldErrors::new());
            match refused.take_if(|r| r.id() == a.id) {
                Some(Refused::Edit(_, sent, problems)) => (form, errors) = (sent, problems),
                Some(Refused::End(_, sent, problems)) => {
                    (end, end_errors) = (sent.ends_on, problems)
                }
                None => {}
            }
            AssignmentLine {
                id: a.id,
                first: crate::web::format::day(a.details.starts_on),
                last: crate::web::format::day(a.details.ends_on),
                role: a.details.role,
                team: row.team.unwrap_or_else(|| "—".into()),
                teams: team_choices(&listed, &form.team_id),
                form,
                end,
                errors,
                end_errors,
            }
        })
        .collect())
}

/// The assignment `id` of the pilot in `scope`; 404 when there is none.
async fn stored(
    state: &AppState,
    scope: &Scope,
    id: AssignmentId,
) -> AppResult<assignments::Assignment> {
    assignments::find(&state.db, scope.pilot.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// `POST /pilots/{slug}/assignments/{id}` (`starts_on`, `ends_on`, `role`, `team_id`): changes
/// an assignment; 303 to the officer's page.
pub async fn update(
    AsAnalyst(user): AsAnalyst,
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, AssignmentId)>,
    Form(form): Form<AssignmentForm>,
) -> AppResult<Response> {
    let scope = Scope::load(&state.db, &slug, &FilterQuery::default()).await?;
    let before = stored(&state, &scope, id).await?;
    let listed = teams::list(&state.db, scope.pilot.id).await?;
    let errors = match AssignmentDraft::parse(&form, &frame(&scope, &listed)) {
        Ok(draft) => {
            let author = user.id;
            match people::update_assignment(&state.db, author, scope.pilot.id, id, &draft).await {
                Ok(_) => return Ok(back(&slug, before.officer_id)),
                Err(PeopleError::Invalid(errors)) => errors,
                Err(e) => return Err(e.into()),
            }
        }
        Err(errors) => errors,
    };
    let refused = Refused::Edit(id, form, errors);
    officers::officer_page(&state, &user, scope, before.officer_id, Some(refused)).await
}

/// `POST /pilots/{slug}/assignments/{id}/end` (`ends_on`): ends an assignment on an earlier
/// day; 303 to the officer's page.
pub async fn end(
    AsAnalyst(user): AsAnalyst,
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, AssignmentId)>,
    Form(form): Form<EndForm>,
) -> AppResult<Response> {
    let scope = Scope::load(&state.db, &slug, &FilterQuery::default()).await?;
    let before = stored(&state, &scope, id).await?;
    let listed = teams::list(&state.db, scope.pilot.id).await?;
    let errors = match form.parse(&before.details, &frame(&scope, &listed)) {
        Ok(day) => {
            let author = user.id;
            match people::end_assignment(&state.db, author, scope.pilot.id, id, day).await {
                Ok(_) => return Ok(back(&slug, before.officer_id)),
                Err(PeopleError::Invalid(errors)) => errors,
                Err(e) => return Err(e.into()),
            }
        }
        Err(errors) => errors,
    };
    let refused = Refused::End(id, form, errors);
    officers::officer_page(&state, &user, scope, before.officer_id, Some(refused)).await
}

/// The 303 back to the officer's page.
fn back(slug: &str, officer_id: OfficerId) -> Response {
    Redirect::to(&format!("/pilots/{slug}/officers/{officer_id}")).into_response()
}
