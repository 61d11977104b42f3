//! Who is signed in: the session cookie, and extractors that refuse the wrong role.

use axum::extract::{FromRequestParts, MatchedPath};
use axum::http::request::Parts;
use axum::http::{Method, header};
use sha2::{Digest, Sha256};

use crate::db::{sessions, users::User};
use crate::domain::Role;
use crate::domain::ids::OfficerId;
use crate::error::AppError;
use crate::state::AppState;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "patrolboard_session";

/// A new random session token (hex of 32 bytes) for the cookie.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).expect("the operating system's random source is available");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What the database stores instead of the token.
pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// The session token from the request's cookies.
pub fn session_token(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_string())
}

/// The `Set-Cookie` value for a session token; `None` clears the cookie.
pub fn session_cookie(token: Option<&str>, max_age_secs: u64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    match token {
        Some(token) => format!(
            "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}"
        ),
        None => format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    }
}

/// The signed-in user and their session, even a user who must change their password first.
/// Only the change-password page takes this; every other page takes [`SignedIn`] or a role.
pub struct Session {
    pub user: User,
    /// What the database stores for the session's token.
    pub token_hash: Vec<u8>,
}

/// The path and query asked for, to return to after signing in or changing the password.
fn asked_for(parts: &Parts) -> String {
    parts
        .uri
        .path_and_query()
        .map_or("/".to_string(), |pq| pq.as_str().to_string())
}

impl FromRequestParts<AppState> for Session {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let Some(token) = session_token(parts) else {
            return Err(AppError::SignInRequired {
                next: asked_for(parts),
            });
        };
        let token_hash = token_hash(&token);
        match sessions::find_user(&state.db, &token_hash).await? {
            Some(user) => Ok(Session { user, token_hash }),
            None => Err(AppError::SignInRequired {
                next: asked_for(parts),
            }),
        }
    }
}

/// The signed-in user, whatever their role. Anonymous page requests are sent to `/login`, and a
/// user whose password an administrator set is sent to change it.
pub struct SignedIn(pub User);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let Session { user, .. } = Session::from_request_parts(parts, state).await?;
        if user.must_change_password {
            // Back to the page asked for afterwards; a form sent meanwhile is not sent again.
            let next = match parts.method == Method::GET {
                true => asked_for(parts),
                false => "/".to_string(),
            };
            return Err(AppError::PasswordChangeRequired { next });
        }
        if user.role == Role::Officer && !officer_may_open(parts) {
            return Err(AppError::Forbidden);
        }
        Ok(SignedIn(user))
    }
}

/// The routes an officer may use: their own page and its buttons, the now board and its JSON, and
/// the home page (which sends them to their own). Every other page answers them 403, so a page
/// added later is closed to officers until it is listed here.
pub const OFFICER_ROUTES: &[&str] = &[
    "/",
    "/me",
    "/me/arrived",
    "/me/left",
    "/me/activities",
    "/me/visits/{id}",
    "/pilots/{slug}/now",
    "/api/v1/pilots/{slug}/now",
];

/// Whether the route matched for `parts` is one of [`OFFICER_ROUTES`].
fn officer_may_open(parts: &Parts) -> bool {
    parts
        .extensions
        .get::<MatchedPath>()
        .is_some_and(|matched| OFFICER_ROUTES.contains(&matched.as_str()))
}

/// Extractors for what a role may do: each refuses any other signed-in user with 403.
macro_rules! role_extractor {
    ($(#[$doc:meta])* $name:ident, $allowed:expr) => {
        $(#[$doc])*
        pub struct $name(pub User);

        impl FromRequestParts<AppState> for $name {
            type Rejection = AppError;

            async fn from_request_parts(
                parts: &mut Parts,
                state: &AppState,
            ) -> Result<Self, AppError> {
                let SignedIn(user) = SignedIn::from_request_parts(parts, state).await?;
                let allowed: fn(Role) -> bool = $allowed;
                if allowed(user.role) {
                    Ok($name(user))
                } else {
                    Err(AppError::Forbidden)
                }
            }
        }
    };
}

role_extractor!(
    /// A supervisor, analyst or admin: may export and read the audit log.
    AsSupervisor,
    |role| role.includes(Role::Supervisor)
);
role_extractor!(
    /// A supervisor or admin: may change rosters, visits and activities (analysts may not).
    AsRosterEditor,
    Role::edits_rosters
);
role_extractor!(
    /// An analyst or admin.
    AsAnalyst,
    |role| role.includes(Role::Analyst)
);
role_extractor!(
    /// An admin.
    AsAdmin,
    |role| role.includes(Role::Admin)
);

/// An officer's account and the officer it belongs to: their own page and its buttons.
pub struct AsOfficer(pub User, pub OfficerId);

impl FromRequestParts<AppState> for AsOfficer {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let SignedIn(user) = SignedIn::from_request_parts(parts, state).await?;
        match (user.role, user.officer_id) {
            (Role::Officer, Some(officer)) => Ok(AsOfficer(user, officer)),
            _ => Err(AppError::Forbidden),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_hex_and_hash_to_32_bytes() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(token_hash(&a).len(), 32);
    }

    #[test]
    fn the_session_cookie_is_http_only_and_same_site_lax() {
        let cookie = session_cookie(Some("abc"), 60, false);
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
        assert!(!cookie.contains("Secure"));
        assert!(session_cookie(Some("abc"), 60, true).ends_with("; Secure"));
    }

    #[test]
    fn the_token_is_found_among_other_cookies() {
        let request = axum::http::Request::builder()
            .header(
                header::COOKIE,
                "theme=dark; patrolboard_session=tok123; x=1",
            )
            .body(())
            .unwrap();
        let (parts, _) = request.into_parts();
        assert_eq!(session_token(&parts).as_deref(), Some("tok123"));
    }
}
