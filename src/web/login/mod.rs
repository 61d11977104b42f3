//! Signing in and out. An account whose password an administrator set goes from signing in
//! straight to changing it.

mod checks;
mod client;

pub use checks::{PasswordChecks, Turn};
pub use client::Peer;

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use serde::Deserialize;

use super::page::{Layout, Page};
use super::{accounts, auth};
use crate::db::{login_throttle, sessions, users};
use crate::domain::lockout::Counter;
use crate::domain::password;
use crate::error::AppResult;
use crate::state::AppState;

/// The message for any failed sign-in: it must not tell an unknown user from a wrong password.
const FAILED: &str = "That username and password do not match an active account.";
/// The message when too many sign-ins are being checked to take this one now.
const BUSY: &str =
    "Too many sign-ins are being checked right now. Please try again in a few seconds.";

#[derive(Template)]
#[template(path = "auth/login.html")]
pub struct LoginPage {
    layout: Layout,
    username: String,
    next: String,
    error: Option<String>,
}

impl LoginPage {
    fn new(username: String, next: String, error: Option<String>) -> Page<LoginPage> {
        Page(LoginPage {
            layout: Layout::new("Sign in", None),
            username,
            next,
            error,
        })
    }
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// `GET /login`: the sign-in form.
pub async fn form(Query(query): Query<NextQuery>) -> impl IntoResponse {
    LoginPage::new(String::new(), safe_next(query.next.as_deref()), None)
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

/// `POST /login`: checks the password and starts a session.
///
/// In order: a turn to check a password (before any database work, so a queue of attempts holds
/// no connection), the attempt counted on its throttle counters (before the check, so concurrent
/// attempts cannot slip past a lock-out), then the check itself.
#[tracing::instrument(skip_all, fields(username = %form.username))]
pub async fn submit(
    State(state): State<AppState>,
    Peer(address): Peer,
    Form(form): Form<LoginForm>,
) -> AppResult<Response> {
    let next = safe_next(form.next.as_deref());
    let username = form.username.trim().to_lowercase();
    let refuse = |status, message: &str, retry_after: Option<u64>| {
        let page = LoginPage::new(form.username.clone(), next.clone(), Some(message.into()));
        let mut response = (status, page).into_response();
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    };
    if username.is_empty()
        || username.len() > 64
        || form.password.len() > password::MAX_PASSWORD_BYTES
    {
        return Ok(refuse(StatusCode::UNAUTHORIZED, FAILED, None));
    }
    let Ok(turn) = state.password_checks.turn().await else {
        tracing::warn!("sign-in refused: all password checks busy");
        let retry_after = state.password_checks.retry_after_secs();
        return Ok(refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            BUSY,
            Some(retry_after),
        ));
    };
    let usual = match address {
        Some(address) => login_throttle::is_usual_address(&state.db, &username, address).await?,
        None => false,
    };
    let counters = Counter::for_attempt(&username, address, usual);
    for counter in &counters {
        if let Some(wait) = login_throttle::count_attempt(&state.db, counter).await? {
            tracing::info!(?counter, "sign-in refused: locked out");
            let message = counter.refusal(wait);
            return Ok(refuse(
                StatusCode::TOO_MANY_REQUESTS,
                &message,
                Some(wait as u64),
            ));
        }
    }
    let (user, hash) = users::find_for_login(&state.db, &username).await?.unzip();
    let matches = turn.verify(form.password.clone(), hash).await?;
    let Some(user) = user.filter(|_| matches) else {
        tracing::info!("sign-in refused");
        return Ok(refuse(StatusCode::UNAUTHORIZED, FAILED, None));
    };
    for counter in &counters {
        login_throttle::count_success(&state.db, counter).await?;
    }
    if let Some(address) = address {
        login_throttle::remember_address(&state.db, user.id, address).await?;
    }
    let token = auth::new_token();
    let ttl = state.config.session_ttl;
    let expires_at = Utc::now() + ttl;
    sessions::create(&state.db, &auth::token_hash(&token), user.id, expires_at).await?;
    tracing::info!(user_id = user.id.0, "signed in");
    let cookie = auth::session_cookie(Some(&token), ttl.as_secs(), state.config.secure_cookies);
    // A password an administrator set is changed before anything else.
    let next = match user.must_change_password {
        true => accounts::own_password_path(&next),
        false => next,
    };
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to(&next)).into_response())
}

/// `POST /logout`: ends the session, if any, and returns to the sign-in page.
pub async fn logout(State(state): State<AppState>, parts: Parts) -> AppResult<Response> {
    if let Some(token) = auth::session_token(&parts) {
        sessions::delete(&state.db, &auth::token_hash(&token)).await?;
    }
    let cookie = auth::session_cookie(None, 0, state.config.secure_cookies);
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to("/login")).into_response())
}

/// Only a path on this site may follow a sign-in; anything else (another site, `//host`) goes home.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(next)
            if next.starts_with('/')
                && !next.starts_with("//")
                && !next.contains('\\')
                && !next.chars().any(char::is_control) =>
        {
            next.to_string()
        }
        _ => "/".to_string(),
    }
}

/// Percent-encodes a path for the `next` query parameter.
pub fn encode_next(next: &str) -> String {
    next.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_may_follow_a_sign_in() {
        assert_eq!(
            safe_next(Some("/pilots/calgary-2023?from=2023-03-01")),
            "/pilots/calgary-2023?from=2023-03-01"
        );
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "evil",
            "",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad} was allowed");
        }
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn next_is_percent_encoded_but_keeps_slashes() {
        assert_eq!(encode_next("/a b?x=1&y=2"), "/a%20b%3Fx%3D1%26y%3D2");
    }
}
