//! The page where supervisors make and revoke the private calendar links of a pilot's officers
//! and teams. A new link's URL is shown once, right after it is made; every make and revoke has
//! an audit entry.

use crate::web::path::Path;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::mode_label;
use crate::db::calendar::{self, Subject};
use crate::db::{agencies, pilots, roster, users::User};
use crate::domain::ids::{OfficerId, TeamId};
use crate::error::{AppError, AppResult};
use crate::service::roster::{create_calendar_link, revoke_calendar_link};
use crate::state::AppState;
use crate::web::auth::{AsRosterEditor, new_token, token_hash};
use crate::web::format;
use crate::web::page::{Layout, Page};
use crate::web::roster::write_error;

/// A pilot in the selector.
pub struct PilotChoice {
    pub slug: String,
    pub name: String,
    pub selected: bool,
}

/// An active link, as listed (never its URL: that is shown once, when made).
pub struct LinkLine {
    pub id: i64,
    pub created: String,
}

/// An officer or team and its active links.
pub struct SubjectLine {
    pub kind: &'static str,
    /// The officer's or the team's id, as `kind` says.
    pub id: i64,
    pub name: String,
    pub detail: String,
    pub links: Vec<LinkLine>,
}

/// The officers or the teams of the pilot.
pub struct Section {
    pub heading: &'static str,
    pub id: &'static str,
    pub lines: Vec<SubjectLine>,
}

/// The link just made: shown once.
pub struct NewLink {
    pub subject: String,
    pub url: String,
}

#[derive(Template)]
#[template(path = "calendar/index.html")]
pub struct CalendarPage {
    layout: Layout,
    pilots: Vec<PilotChoice>,
    pilot_slug: String,
    pilot_name: String,
    sections: Vec<Section>,
    new_link: Option<NewLink>,
}

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    pub pilot: Option<String>,
}

/// The pilot asked for, or the most recent one.
async fn chosen_pilot(
    state: &AppState,
    slug: Option<&str>,
) -> AppResult<Vec<(pilots::Pilot, bool)>> {
    let all = pilots::list(&state.db).await?;
    let wanted = match slug.filter(|s| !s.is_empty()) {
        Some(slug) => {
            if !all.iter().any(|p| p.slug == slug) {
                return Err(AppError::NotFound);
            }
            slug.to_string()
        }
        None => all.first().map(|p| p.slug.clone()).unwrap_or_default(),
    };
    Ok(all
        .into_iter()
        .map(|p| {
            let selected = p.slug == wanted;
            (p, selected)
        })
        .collect())
}

async fn render(
    state: &AppState,
    user: &User,
    slug: Option<&str>,
    new_link: Option<NewLink>,
) -> AppResult<Page<CalendarPage>> {
    let pilots = chosen_pilot(state, slug).await?;
    let current = pilots.iter().find(|(_, s)| *s).map(|(p, _)| p.clone());
    let (mut officers, mut teams) = (Vec::new(), Vec::new());
    if let Some(pilot) = &current {
        let zone = pilot.zone();
        let tokens = calendar::active_tokens(&state.db, pilot.id).await?;
        let links_of = |officer: Option<OfficerId>, team: Option<TeamId>| -> Vec<LinkLine> {
            tokens
                .iter()
                .filter(|t| {
                    (officer.is_some() && t.officer_id == officer)
                        || (team.is_some() && t.team_id == team)
                })
                .map(|t| LinkLine {
                    id: t.id,
                    created: format!(
                        "made {} by {}",
                        format::local(t.created_at.with_timezone(&zone).naive_local()),
                        t.created_by.as_deref().unwrap_or("—")
                    ),
                })
                .collect()
        };
        let agencies = agencies::list(&state.db).await?;
        officers = roster::officers(&state.db, pilot.id)
            .await?
            .into_iter()
            .map(|officer| SubjectLine {
                kind: "officer",
                id: officer.id.0,
                detail: format!(
                    "{} {}",
                    agencies.label(&officer.agency),
                    officer.badge_number
                ),
                name: officer.name,
                links: links_of(Some(officer.id), None),
            })
            .collect();
        teams = roster::teams(&state.db, pilot.id)
            .await?
            .into_iter()
            .map(|team| SubjectLine {
                kind: "team",
                id: team.id.0,
                name: team.name,
                detail: mode_label(team.mode),
                links: links_of(None, Some(team.id)),
            })
            .collect();
    }
    Ok(Page(CalendarPage {
        layout: Layout::new("Calendar feeds", Some(user)),
        pilot_slug: current.as_ref().map(|p| p.slug.clone()).unwrap_or_default(),
        pilot_name: current.as_ref().map(|p| p.name.clone()).unwrap_or_default(),
        pilots: pilots
            .into_iter()
            .map(|(p, selected)| PilotChoice {
                slug: p.slug,
                name: p.name,
                selected,
            })
            .collect(),
        sections: if current.is_some() {
            vec![
                Section {
                    heading: "Officers",
                    id: "officers",
                    lines: officers,
                },
                Section {
                    heading: "Teams",
                    id: "teams",
                    lines: teams,
                },
            ]
        } else {
            Vec::new()
        },
        new_link,
    }))
}

/// `GET /calendar?pilot=`: the officers and teams of a pilot and their feed links.
pub async fn page(
    AsRosterEditor(user): AsRosterEditor,
    State(state): State<AppState>,
    Query(query): Query<PageQuery>,
) -> AppResult<impl IntoResponse> {
    render(&state, &user, query.pilot.as_deref(), None).await
}

#[derive(Debug, Deserialize)]
pub struct CreateForm {
    pub pilot: String,
    pub officer_id: Option<OfficerId>,
    pub team_id: Option<TeamId>,
}

/// The feed's URL, absolute when the request says which host it reached.
fn feed_url(state: &AppState, headers: &HeaderMap, subject: Subject, token: &str) -> String {
    let path = match subject {
        Subject::Officer(_) => format!("/calendar/officers/{token}.ics"),
        Subject::Team(_) => format!("/calendar/teams/{token}.ics"),
    };
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        });
    match host {
        Some(host) => {
            let scheme = if state.config.secure_cookies {
                "https"
            } else {
                "http"
            };
            format!("{scheme}://{host}{path}")
        }
        None => path,
    }
}

/// `POST /calendar/tokens` (`pilot`, and `officer_id` or `team_id`): makes a link and shows its
/// URL, once.
pub async fn create(
    AsRosterEditor(user): AsRosterEditor,
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<CreateForm>,
) -> AppResult<Response> {
    let pilot = pilots::find(&state.db, &form.pilot)
        .await?
        .ok_or(AppError::NotFound)?;
    let subject = match (form.officer_id, form.team_id) {
        (Some(id), None) => Subject::Officer(id),
        (None, Some(id)) => Subject::Team(id),
        _ => {
            return Err(AppError::BadRequest(
                "Choose one officer or one team to make a calendar link for.".into(),
            ));
        }
    };
    let token = new_token();
    let name = create_calendar_link(&state.db, &pilot, subject, &token_hash(&token), user.id)
        .await
        .map_err(write_error)?;
    let new_link = NewLink {
        subject: name,
        url: feed_url(&state, &headers, subject, &token),
    };
    let page = render(&state, &user, Some(&pilot.slug), Some(new_link)).await?;
    Ok((
        StatusCode::CREATED,
        // The page holds a secret: no cache may keep it.
        [(header::CACHE_CONTROL, "no-store")],
        page,
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
pub struct RevokeForm {
    pub pilot: String,
}

/// `POST /calendar/tokens/{id}/revoke` (`pilot`): the link stops working at once.
pub async fn revoke(
    AsRosterEditor(user): AsRosterEditor,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<RevokeForm>,
) -> AppResult<Response> {
    let pilot = pilots::find(&state.db, &form.pilot)
        .await?
        .ok_or(AppError::NotFound)?;
    revoke_calendar_link(&state.db, pilot.id, id, user.id)
        .await
        .map_err(write_error)?;
    Ok(Redirect::to(&format!("/calendar?pilot={}", pilot.slug)).into_response())
}
