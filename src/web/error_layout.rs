//! Error pages with the signed-in user's header: an error is answered before anyone looks the
//! user up, so a 403 or 404 would lose the menu and the sign-out button. This layer draws such a
//! page again for the user whose session the request carries.

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;

use super::auth::{session_token, token_hash};
use super::page::{ErrorPage, ErrorShown};
use crate::db::sessions;
use crate::state::AppState;

/// Redraws an error page of the routes with the user's header when the request is signed in.
pub async fn with_signed_in_layout(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let token = session_token(&parts);
    let response = next.run(Request::from_parts(parts, body)).await;
    let (Some(shown), Some(token)) = (response.extensions().get::<ErrorShown>(), token) else {
        return response;
    };
    let user = match sessions::find_user(&state.db, &token_hash(&token)).await {
        Ok(Some(user)) => user,
        // Signed out, or the database is away: the page as it was says enough.
        _ => return response,
    };
    let message = shown.message.clone();
    let (parts, _) = response.into_parts();
    let mut redrawn = ErrorPage::render(parts.status, message, Some(&user));
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            redrawn.headers_mut().insert(name.clone(), value.clone());
        }
    }
    redrawn
}
