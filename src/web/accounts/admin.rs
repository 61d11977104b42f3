//! The administrators' changes to accounts: adding one, changing its role or whether it is
//! active, and setting its password. Each answers 303 back to `/admin/users`, or the page again
//! with each problem beside its field (422, or 409 for the last administrator) and nothing stored.

use crate::web::path::Path;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::{Refused, page, password_turn};
use crate::db::users;
use crate::domain::account_form::{
    Access, AccessForm, LAST_ADMIN, NewAccount, NewAccountForm, SetPasswordForm,
};
use crate::domain::field_errors::{FORM, FieldErrors};
use crate::domain::ids::UserId;
use crate::error::{AppError, AppResult};
use crate::service::accounts::{self, AccountError};
use crate::state::AppState;
use crate::web::auth::AsAdmin;

/// Where every change returns.
const ACCOUNTS: &str = "/admin/users";

/// `POST /admin/users` (`username`, `display_name`, `role`, `password`): adds an account.
pub async fn create(
    AsAdmin(admin): AsAdmin,
    State(state): State<AppState>,
    Form(form): Form<NewAccountForm>,
) -> AppResult<Response> {
    let refuse = |form, errors| {
        Some((
            StatusCode::UNPROCESSABLE_ENTITY,
            Refused::NewAccount(form, errors),
        ))
    };
    let account = match NewAccount::parse(&form) {
        Ok(account) => account,
        Err(errors) => return page(&state, &admin, refuse(form, errors)).await,
    };
    let hash = password_turn(&state)
        .await?
        .hash(account.password.clone())
        .await?;
    match accounts::create_by(&state.db, admin.id, &account, &hash).await {
        Ok(user) => {
            tracing::info!(user_id = user.id.0, by = admin.id.0, "account created");
            Ok(Redirect::to(ACCOUNTS).into_response())
        }
        Err(AccountError::UsernameTaken(name)) => {
            let mut errors = FieldErrors::new();
            errors.add(
                "username",
                format!("The username {name} is already taken. Choose another."),
            );
            page(&state, &admin, refuse(form, errors)).await
        }
        Err(AccountError::UnknownOfficer(id)) => {
            let mut errors = FieldErrors::new();
            errors.add("officer", format!("There is no officer number {id}."));
            page(&state, &admin, refuse(form, errors)).await
        }
        Err(AccountError::OfficerTaken(id)) => {
            let mut errors = FieldErrors::new();
            errors.add(
                "officer",
                format!("Officer number {id} already has an account: change that one instead."),
            );
            page(&state, &admin, refuse(form, errors)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/users/{id}` (`role`, `active` as `true` or `false`): changes what an account may
/// do. Deactivating it signs it out at once.
pub async fn change(
    AsAdmin(admin): AsAdmin,
    State(state): State<AppState>,
    Path(id): Path<UserId>,
    Form(form): Form<AccessForm>,
) -> AppResult<Response> {
    users::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let refuse = |status, errors| Some((status, Refused::Row(id, errors)));
    let access = match Access::parse(&form) {
        Ok(access) => access,
        Err(errors) => {
            let refused = refuse(StatusCode::UNPROCESSABLE_ENTITY, errors);
            return page(&state, &admin, refused).await;
        }
    };
    match accounts::change(&state.db, admin.id, id, access).await {
        Ok(user) => {
            tracing::info!(user_id = id.0, by = admin.id.0, role = %user.role, active = user.active, "account changed");
            Ok(Redirect::to(ACCOUNTS).into_response())
        }
        Err(AccountError::LastAdmin) => {
            let mut errors = FieldErrors::new();
            errors.add(FORM, LAST_ADMIN);
            page(&state, &admin, refuse(StatusCode::CONFLICT, errors)).await
        }
        Err(AccountError::OfficerLink) => {
            let mut errors = FieldErrors::new();
            errors.add(
                "role",
                "An account becomes an officer's when it is added for that officer: add a new account with the role officer and the officer's number.",
            );
            page(
                &state,
                &admin,
                refuse(StatusCode::UNPROCESSABLE_ENTITY, errors),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/users/{id}/password` (`password`): sets an account's password, which its owner
/// must change at the next sign-in; the account's sessions end.
pub async fn set_password(
    AsAdmin(admin): AsAdmin,
    State(state): State<AppState>,
    Path(id): Path<UserId>,
    Form(form): Form<SetPasswordForm>,
) -> AppResult<Response> {
    users::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let refuse = |errors| Some((StatusCode::UNPROCESSABLE_ENTITY, Refused::Row(id, errors)));
    let checked = match id == admin.id {
        true => {
            let mut errors = FieldErrors::new();
            errors.add(
                "password",
                "Change your own password on the Change password page, which asks for the current one.",
            );
            Err(errors)
        }
        false => form.parse(),
    };
    let password = match checked {
        Ok(password) => password,
        Err(errors) => return page(&state, &admin, refuse(errors)).await,
    };
    let hash = password_turn(&state).await?.hash(password).await?;
    let user = accounts::set_password(&state.db, admin.id, id, &hash).await?;
    tracing::info!(
        user_id = user.id.0,
        by = admin.id.0,
        "password set by an administrator"
    );
    Ok(Redirect::to(ACCOUNTS).into_response())
}
