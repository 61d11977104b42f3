//! Accounts, for administrators.

use askama::Template;
use axum::extract::State;
use axum::response::IntoResponse;

use super::auth::AsAdmin;
use super::page::{Layout, Page};
use crate::db::users::{self, User};
use crate::error::AppResult;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "accounts/list.html")]
pub struct AccountsPage {
    layout: Layout,
    users: Vec<User>,
}

/// `GET /admin/users`: every account and its role.
pub async fn list(
    AsAdmin(user): AsAdmin,
    State(state): State<AppState>,
) -> AppResult<impl IntoResponse> {
    Ok(Page(AccountsPage {
        layout: Layout::new("Accounts", Some(&user)),
        users: users::list(&state.db).await?,
    }))
}
