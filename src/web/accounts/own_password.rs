//! Changing one's own password: any signed-in user, with the current password. A user whose
//! password an administrator set is sent here after signing in, and from every other page, until
//! they have chosen their own.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::password_turn;
use crate::db::users::{self, User};
use crate::domain::account_form::PasswordChangeForm;
use crate::domain::field_errors::FieldErrors;
use crate::domain::password::MIN_PASSWORD_LEN;
use crate::error::{AppError, AppResult};
use crate::service::accounts::{self, AccountError};
use crate::state::AppState;
use crate::web::auth::Session;
use crate::web::login::{encode_next, safe_next};
use crate::web::page::{Layout, Page};

/// The page's address.
const PATH: &str = "/account/password";

/// The page's address, returning to `next` once the password is changed.
pub fn own_password_path(next: &str) -> String {
    format!("{PATH}?next={}", encode_next(next))
}

#[derive(Template)]
#[template(path = "account/password.html")]
pub struct PasswordPage {
    layout: Layout,
    username: String,
    must_change: bool,
    changed: bool,
    next: String,
    min_len: usize,
    errors: FieldErrors,
}

impl PasswordPage {
    fn new(user: &User, next: String, changed: bool, errors: FieldErrors) -> Page<PasswordPage> {
        Page(PasswordPage {
            layout: Layout::new("Change your password", Some(user)),
            username: user.username.clone(),
            must_change: user.must_change_password,
            changed,
            next,
            min_len: MIN_PASSWORD_LEN,
            errors,
        })
    }
}

#[derive(Deserialize)]
pub struct PasswordQuery {
    next: Option<String>,
    changed: Option<String>,
}

/// `GET /account/password`: the form; `next` is where to go once it is sent.
pub async fn form(Session { user, .. }: Session, Query(query): Query<PasswordQuery>) -> Response {
    let next = query.next.as_deref().map(|next| safe_next(Some(next)));
    let changed = query.changed.is_some();
    PasswordPage::new(&user, next.unwrap_or_default(), changed, FieldErrors::new()).into_response()
}

/// `POST /account/password` (`current_password`, `new_password`, `confirm_password`, `next`):
/// changes the password, ends the user's other sessions and keeps this one.
pub async fn submit(
    Session { user, token_hash }: Session,
    State(state): State<AppState>,
    Form(form): Form<PasswordChangeForm>,
) -> AppResult<Response> {
    let next = match form.next.as_str() {
        "" => String::new(),
        next => safe_next(Some(next)),
    };
    let refuse = |errors| {
        let page = PasswordPage::new(&user, next.clone(), false, errors);
        Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
    };
    let change = match form.parse() {
        Ok(change) => change,
        Err(errors) => return refuse(errors),
    };
    let wrong = || {
        let mut errors = FieldErrors::new();
        errors.add("current_password", "That is not your current password.");
        errors
    };
    let turn = password_turn(&state).await?;
    let stored = users::password_hash(&state.db, user.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let checked = turn
        .verify_then_hash(change.current, stored.clone(), change.new)
        .await?;
    let Some(new_hash) = checked else {
        tracing::info!(
            user_id = user.id.0,
            "password change refused: wrong current password"
        );
        return refuse(wrong());
    };
    match accounts::change_own_password(&state.db, user.id, &stored, &new_hash, &token_hash).await {
        Ok(_) => {
            tracing::info!(user_id = user.id.0, "password changed by its owner");
            let to = match next.as_str() {
                "" => format!("{PATH}?changed=1"),
                next => next.to_string(),
            };
            Ok(Redirect::to(&to).into_response())
        }
        Err(AccountError::WrongPassword) => refuse(wrong()),
        Err(e) => Err(e.into()),
    }
}
