//! The one error type of the web layer, and how each error is shown.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use crate::db::retry::Transient;
use crate::web::page::ErrorPage;

/// Everything a handler can fail with. Each variant knows its status and its message for people;
/// internal details are logged, never shown.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not signed in")]
    SignInRequired { next: String },
    /// An administrator set the password; its owner must change it before going on to `next`.
    #[error("must change the password first")]
    PasswordChangeRequired { next: String },
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("too many requests: {0}")]
    TooManyRequests(String),
    /// Busy for a moment (too many exports at once, a request that took too long): try again.
    #[error("unavailable: {0}")]
    Unavailable(String),
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("internal error: {0:#}")]
    Internal(#[from] anyhow::Error),
}

/// Seconds a 503 asks the client to wait before trying again.
pub const RETRY_AFTER_SECONDS: u32 = 10;

impl AppError {
    /// The status and the sentence a user sees.
    pub fn status_and_message(&self) -> (StatusCode, String) {
        match self {
            AppError::SignInRequired { .. } => {
                (StatusCode::UNAUTHORIZED, "Please sign in to see this page.".into())
            }
            AppError::PasswordChangeRequired { .. } => (
                StatusCode::FORBIDDEN,
                "An administrator set your password: change it at /account/password first.".into(),
            ),
            AppError::Forbidden => (
                StatusCode::FORBIDDEN,
                "Your account's role does not allow this. Ask an administrator if you need it."
                    .into(),
            ),
            AppError::NotFound => (
                StatusCode::NOT_FOUND,
                "There is nothing at this address. Check the link, or start again from the home page."
                    .into(),
            ),
            AppError::BadRequest(message) => (StatusCode::BAD_REQUEST, message.clone()),
            AppError::Conflict(message) => (StatusCode::CONFLICT, message.clone()),
            AppError::TooManyRequests(message) => (StatusCode::TOO_MANY_REQUESTS, message.clone()),
            AppError::Unavailable(message) => (StatusCode::SERVICE_UNAVAILABLE, message.clone()),
            error if error.database_unreachable() => (
                StatusCode::SERVICE_UNAVAILABLE,
                "The database is not answering right now. Please try again in a minute.".into(),
            ),
            // Still a lock conflict after the writer's own retries: busy, not broken.
            AppError::Db(e) if crate::db::retry::is_transient(e) => busy(),
            AppError::Internal(e) if e.is_transient() => busy(),
            AppError::Db(_) | AppError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong on our side and nothing was changed. Please try again; if it keeps happening, tell an administrator."
                    .into(),
            ),
        }
    }

    /// The database could not be reached, here or anywhere in the error's chain of causes: a
    /// passing condition, unlike a query the database refused.
    fn database_unreachable(&self) -> bool {
        match self {
            AppError::Db(error) => crate::db::unreachable(error),
            AppError::Internal(error) => error
                .chain()
                .filter_map(|cause| cause.downcast_ref::<sqlx::Error>())
                .any(crate::db::unreachable),
            _ => false,
        }
    }
}

fn busy() -> (StatusCode, String) {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        "Many changes arrived at the same moment and this one could not be saved; nothing was changed. Please try again."
            .into(),
    )
}

/// Adds `Retry-After` to a 503, so clients and proxies know the failure passes.
pub fn with_retry_after(mut response: Response) -> Response {
    if response.status() == StatusCode::SERVICE_UNAVAILABLE {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECONDS));
    }
    response
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::SignInRequired { next } = &self {
            // Other tools cannot follow a sign-in page; they get a status they can act on.
            if next.starts_with("/api/") {
                let body = serde_json::json!({ "error": "sign in first: this API needs a session cookie" });
                return (StatusCode::UNAUTHORIZED, axum::Json(body)).into_response();
            }
            let target = format!("/login?next={}", crate::web::login::encode_next(next));
            return Redirect::to(&target).into_response();
        }
        if let AppError::PasswordChangeRequired { next } = &self
            && !next.starts_with("/api/")
        {
            let target = crate::web::accounts::own_password_path(next);
            return Redirect::to(&target).into_response();
        }
        let (status, message) = self.status_and_message();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        with_retry_after(ErrorPage::render(status, message, None))
    }
}

/// A handler's result.
pub type AppResult<T> = Result<T, AppError>;
