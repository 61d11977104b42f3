//! Accounts in the browser: the administrators' page of every account, where they add one,
//! change its role or whether it is active, and set its password (`admin.rs`); and every user's
//! own change of password (`own_password.rs`). Each change is one function of
//! [`crate::service::accounts`]; hashing a password waits for a turn of
//! [`crate::web::login::PasswordChecks`], like signing in.

mod admin;
mod own_password;

pub use own_password::own_password_path;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use super::auth::AsAdmin;
use super::login::Turn;
use super::page::{Layout, Page};
use crate::db::users::{self, User};
use crate::domain::Role;
use crate::domain::account_form::NewAccountForm;
use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::UserId;
use crate::error::{AppError, AppResult};
use crate::service::accounts::AccountError;
use crate::state::AppState;

/// The routes of accounts: the administrators' page and its forms, and one's own password.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(list).post(admin::create))
        .route("/admin/users/{id}", post(admin::change))
        .route("/admin/users/{id}/password", post(admin::set_password))
        .route(
            "/account/password",
            get(own_password::form).post(own_password::submit),
        )
}

/// A role offered by a select, and whether it is the one chosen.
pub struct RoleChoice {
    pub value: &'static str,
    pub selected: bool,
}

/// Every role, with `chosen` selected.
fn role_choices(chosen: &str) -> Vec<RoleChoice> {
    Role::ALL
        .iter()
        .map(|role| RoleChoice {
            value: role.as_str(),
            selected: role.as_str() == chosen.trim(),
        })
        .collect()
}

/// An account's row: its forms, and the problems of the one last sent, if any.
pub struct Row {
    user: User,
    roles: Vec<RoleChoice>,
    errors: FieldErrors,
    /// The administrator's own account: their password is changed on their own page.
    is_me: bool,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
pub struct AccountsPage {
    layout: Layout,
    rows: Vec<Row>,
    new_account: NewAccountForm,
    new_roles: Vec<RoleChoice>,
    new_errors: FieldErrors,
    /// Where the form that came back with problems is: the anchor of its section or row.
    refused_at: Option<String>,
}

/// A form sent back with its problems: the new account as typed (without its password), or the
/// row of account `id`.
pub enum Refused {
    NewAccount(NewAccountForm, FieldErrors),
    Row(UserId, FieldErrors),
}

/// `GET /admin/users`: every account, its role and status, with a form for each, and the form to
/// add one.
pub async fn list(AsAdmin(admin): AsAdmin, State(state): State<AppState>) -> AppResult<Response> {
    page(&state, &admin, None).await
}

/// The page, with `refused` shown again when a form came back (422 or 409, else 200).
async fn page(
    state: &AppState,
    admin: &User,
    refused: Option<(StatusCode, Refused)>,
) -> AppResult<Response> {
    let (status, refused) = refused.unzip();
    let refused_at = refused.as_ref().map(|refused| match refused {
        Refused::Row(id, _) => format!("user-{id}"),
        Refused::NewAccount(..) => "add-heading".to_string(),
    });
    let (row_errors, (new_account, new_errors)) = match refused {
        Some(Refused::Row(id, errors)) => (Some((id, errors)), Default::default()),
        Some(Refused::NewAccount(form, errors)) => (None, (form, errors)),
        None => (None, Default::default()),
    };
    let new_account = NewAccountForm {
        password: String::new(),
        ..new_account
    };
    let rows = users::list(&state.db)
        .await?
        .into_iter()
        .map(|user| Row {
            roles: role_choices(user.role.as_str()),
            errors: match &row_errors {
                Some((id, errors)) if *id == user.id => errors.clone(),
                _ => FieldErrors::new(),
            },
            is_me: user.id == admin.id,
            user,
        })
        .collect();
    let default_role = match new_account.role.as_str() {
        "" => Role::Viewer.as_str(),
        typed => typed,
    };
    let page = Page(AccountsPage {
        layout: Layout::new("Accounts", Some(admin)),
        rows,
        new_roles: role_choices(default_role),
        new_account,
        new_errors,
        refused_at,
    });
    Ok((status.unwrap_or(StatusCode::OK), page).into_response())
}

/// A turn to hash or check a password, or the 503 to answer when none comes soon.
async fn password_turn(state: &AppState) -> AppResult<Turn> {
    state.password_checks.turn().await.map_err(|_| {
        tracing::warn!("password change refused: all password checks busy");
        AppError::Unavailable(
            "Too many passwords are being checked right now, so nothing was changed. Please try \
             again in a few seconds."
                .into(),
        )
    })
}

impl From<AccountError> for AppError {
    /// Problems a form shows beside its fields are handled by the handlers; what is left is the
    /// account missing or a failure.
    fn from(error: AccountError) -> AppError {
        match error {
            AccountError::NotFound => AppError::NotFound,
            AccountError::Db(e) => AppError::Db(e),
            AccountError::Internal(e) => AppError::Internal(e),
            other => AppError::Conflict(other.to_string()),
        }
    }
}
