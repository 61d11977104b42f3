//! Adding, editing and deleting an entry of the shift log, a visit or an activity: each handler
//! reads the request, asks [`crate::service::log`] to make the change, and answers with the log
//! page, or with the form again and its problems.

use crate::web::path::Path;
use axum::Form;
use axum::extract::State;
use axum::response::Response;
use serde::de::DeserializeOwned;

use super::{Retry, render, saved};
use crate::db::activity_log::Activity;
use crate::db::users::User;
use crate::db::visit_log::Visit;
use crate::domain::activity_draft::ActivityForm;
use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::{ActivityId, ShiftId, VisitId};
use crate::domain::visit_draft::VisitForm;
use crate::error::{AppError, AppResult};
use crate::service::log::{self, LogEntry, LogError};
use crate::state::AppState;
use crate::web::auth::AsRosterEditor;

/// What the log page knows of a kind of entry beyond its write path.
pub trait Logged: LogEntry<Form: DeserializeOwned + Send, Id: DeserializeOwned + Send> {
    /// "visit" or "activity": the name in the notices.
    const NAME: &'static str;

    /// The form of entry `id` (a new one when `None`) to show again with its problems.
    fn retry(id: Option<Self::Id>, form: Self::Form, errors: FieldErrors) -> Retry;
}

impl Logged for Visit {
    const NAME: &'static str = "visit";

    fn retry(id: Option<VisitId>, form: VisitForm, errors: FieldErrors) -> Retry {
        Retry::Visit(id, form, errors)
    }
}

impl Logged for Activity {
    const NAME: &'static str = "activity";

    fn retry(id: Option<ActivityId>, form: ActivityForm, errors: FieldErrors) -> Retry {
        Retry::Activity(id, form, errors)
    }
}

/// `POST /shifts/{id}/visits` and `/shifts/{id}/activities`: logs an entry of shift `id`.
#[tracing::instrument(skip_all, fields(kind = E::NAME, shift = shift_id.0, user = %user.username))]
pub async fn create<E: Logged>(
    AsRosterEditor(user): AsRosterEditor,
    State(state): State<AppState>,
    Path(shift_id): Path<ShiftId>,
    Form(form): Form<E::Form>,
) -> AppResult<Response> {
    let result = log::add::<E>(&state.db, user.id, shift_id, &form).await;
    answer(&state, &user, result, |errors| E::retry(None, form, errors)).await
}

/// `POST /visits/{id}` and `/activities/{id}`: replaces what entry `id` says.
#[tracing::instrument(skip_all, fields(kind = E::NAME, id = Into::<i64>::into(id), user = %user.username))]
pub async fn update<E: Logged>(
    AsRosterEditor(user): AsRosterEditor,
    State(state): State<AppState>,
    Path(id): Path<E::Id>,
    Form(form): Form<E::Form>,
) -> AppResult<Response> {
    let result = log::change::<E>(&state.db, user.id, id, &form).await;
    answer(&state, &user, result, |errors| {
        E::retry(Some(id), form, errors)
    })
    .await
}

/// `POST /visits/{id}/delete` and `/activities/{id}/delete`: removes entry `id`, even from a
/// cancelled shift.
#[tracing::instrument(skip_all, fields(kind = E::NAME, id = Into::<i64>::into(id), user = %user.username))]
pub async fn delete<E: Logged>(
    AsRosterEditor(user): AsRosterEditor,
    State(state): State<AppState>,
    Path(id): Path<E::Id>,
) -> AppResult<Response> {
    let before = log::delete::<E>(&state.db, user.id, id).await?;
    Ok(saved(before.shift_id(), &format!("{}-deleted", E::NAME)))
}

/// Back to the log with the entry saved, or the log page with the form again and its problems.
async fn answer<E: Logged>(
    state: &AppState,
    user: &User,
    result: Result<E, LogError>,
    retry: impl FnOnce(FieldErrors) -> Retry,
) -> AppResult<Response> {
    match result {
        Ok(saved_entry) => Ok(saved(saved_entry.shift_id(), &format!("{}-saved", E::NAME))),
        Err(LogError::Invalid { shift_id, errors }) => {
            render(&state.db, user, shift_id, None, Some(retry(errors))).await
        }
        Err(e) => Err(e.into()),
    }
}

impl From<LogError> for AppError {
    /// A form's problems are shown beside its fields by [`answer`]; here, where no form is at
    /// hand, they are a bad request.
    fn from(error: LogError) -> AppError {
        match error {
            LogError::Invalid { errors, .. } => {
                AppError::BadRequest(errors.into_messages().collect::<Vec<_>>().join(" "))
            }
            LogError::NotFound => AppError::NotFound,
            LogError::Db(e) => AppError::Db(e),
            LogError::Internal(e) => AppError::Internal(e),
        }
    }
}
