//! The home page: the pilots, with their dates and progress.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;

use super::auth::SignedIn;
use super::page::{Layout, Page};
use crate::db::pilots;
use crate::domain::{Progress, Role};
use crate::error::AppResult;
use crate::state::AppState;

/// A pilot as the home page lists it.
pub struct PilotRow {
    pub slug: String,
    pub name: String,
    pub city: String,
    pub time_zone: String,
    pub dates: String,
    pub progress: String,
}

#[derive(Template)]
#[template(path = "home/index.html")]
pub struct HomePage {
    layout: Layout,
    pilots: Vec<PilotRow>,
}

/// `GET /`: every pilot.
pub async fn index(SignedIn(user): SignedIn, State(state): State<AppState>) -> AppResult<Response> {
    // An officer's home is their own shift.
    if user.role == Role::Officer {
        return Ok(Redirect::to("/me").into_response());
    }
    let now = Utc::now();
    let pilots = pilots::list(&state.db)
        .await?
        .into_iter()
        .map(|pilot| {
            // Today is the pilot's local date.
            let today = now.with_timezone(&pilot.zone()).date_naive();
            PilotRow {
                dates: format!(
                    "{} – {}",
                    pilot.starts_on.format("%-d %b %Y"),
                    pilot.ends_on.format("%-d %b %Y")
                ),
                progress: Progress::on(today, pilot.starts_on, pilot.ends_on).describe(),
                slug: pilot.slug,
                name: pilot.name,
                city: pilot.city,
                time_zone: pilot.time_zone,
            }
        })
        .collect();
    Ok(Page(HomePage {
        layout: Layout::new("Pilots", Some(&user)),
        pilots,
    })
    .into_response())
}
