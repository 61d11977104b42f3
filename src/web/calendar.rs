//! Private iCalendar feeds of shifts, one per officer and per team, and the page where
//! supervisors create and revoke their links.
//!
//! Calendar apps cannot sign in, so a feed's URL carries a random secret (256 bits) instead; the
//! database keeps only its SHA-256, like session tokens. An unknown and a revoked token get the
//! same 404, so the answer tells nothing about which tokens ever existed.

mod ics;
mod links;

use crate::web::path::Path;
use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use super::auth::token_hash;
use crate::db::{self, calendar::Subject, roster::ShiftView};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
pub use ics::{Event, MAX_LINE_OCTETS, calendar, escape_text, fold};

/// The feeds (no sign-in) and the links page (supervisors and up).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/calendar", get(links::page))
        .route("/calendar/tokens", post(links::create))
        .route("/calendar/tokens/{id}/revoke", post(links::revoke))
        .route("/calendar/officers/{file}", get(officer_feed))
        .route("/calendar/teams/{file}", get(team_feed))
}

// ----- feeds ---------------------------------------------------------------------------------

/// The token of `{token}.ics`, when it has the shape of one (64 hex digits).
fn token_of(file: &str) -> Option<&str> {
    let token = file.strip_suffix(".ics")?;
    (token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())).then_some(token)
}

/// `GET /calendar/officers/{token}.ics`: every shift the officer is (or was) on.
pub async fn officer_feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> AppResult<Response> {
    feed(&state, &file, |s| matches!(s, Subject::Officer(_))).await
}

/// `GET /calendar/teams/{token}.ics`: every shift of the team.
pub async fn team_feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> AppResult<Response> {
    feed(&state, &file, |s| matches!(s, Subject::Team(_))).await
}

async fn feed(
    state: &AppState,
    file: &str,
    kind_matches: impl Fn(Subject) -> bool,
) -> AppResult<Response> {
    let token = token_of(file).ok_or(AppError::NotFound)?;
    let mut conn = state.db.acquire().await?;
    let subject = db::calendar::find_active(&mut *conn, &token_hash(token))
        .await?
        .filter(|s| kind_matches(*s))
        .ok_or(AppError::NotFound)?;
    let (name, shifts) = db::calendar::feed(&mut conn, subject)
        .await?
        .ok_or(AppError::NotFound)?;
    let events: Vec<Event> = shifts.iter().map(|s| event(s, subject)).collect();
    let body = calendar(&format!("Shifts · {name}"), &events);
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, max-age=300"),
            (
                header::CONTENT_DISPOSITION,
                "inline; filename=\"patrolboard-shifts.ics\"",
            ),
        ],
        body,
    )
        .into_response())
}

/// "foot patrol", "bike patrol", "vehicle patrol".
pub(crate) fn mode_label(mode: impl std::fmt::Display) -> String {
    format!("{mode} patrol")
}

/// The event of one shift: team and mode as the summary; pilot, hotspots and the other officers
/// on it as the description.
fn event(shift: &ShiftView, subject: Subject) -> Event {
    let cancelled = !shift.status.counts();
    let mut lines = vec![format!("Pilot: {}", shift.pilot)];
    if cancelled {
        lines.insert(0, "This shift is cancelled.".into());
    }
    let list = |names: &[String]| {
        if names.is_empty() {
            "none".to_string()
        } else {
            names.join(", ")
        }
    };
    lines.push(format!("Hotspots: {}", list(&shift.hotspots)));
    match subject {
        Subject::Officer(me) => {
            let partners: Vec<String> = shift
                .member_ids
                .iter()
                .zip(&shift.members)
                .filter(|(id, _)| **id != me)
                .map(|(_, name)| name.clone())
                .collect();
            lines.push(format!("Partners: {}", list(&partners)));
        }
        Subject::Team(_) => lines.push(format!("Officers: {}", list(&shift.members))),
    }
    if !shift.notes.trim().is_empty() {
        lines.push(format!("Notes: {}", shift.notes.trim()));
    }
    Event {
        uid: format!("shift-{}@patrolboard", shift.id),
        stamp: shift.updated_at,
        created: shift.created_at,
        starts_at: shift.starts_at,
        ends_at: shift.ends_at,
        summary: format!(
            "{}{} ({})",
            if cancelled { "Cancelled: " } else { "" },
            shift.team,
            mode_label(shift.mode)
        ),
        description: lines.join("\n"),
        location: shift.hotspots.join(", "),
        cancelled,
        sequence: shift.version,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_token_shaped_file_name_is_looked_up() {
        let token = "ab".repeat(32);
        assert_eq!(token_of(&format!("{token}.ics")), Some(token.as_str()));
        assert_eq!(token_of(&token), None);
        assert_eq!(token_of("abc.ics"), None);
        assert_eq!(token_of(&format!("{}.ics", "zz".repeat(32))), None);
    }
}
