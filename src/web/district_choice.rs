//! Choosing a pilot's districts among its city's communities, for analysts: a checkbox for each
//! community of the city that is not yet a district of the pilot, grouped by the City's sectors;
//! the chosen ones become districts (`service::district_choice`).

use crate::web::path::Path;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::auth::AsAnalyst;
use super::page::{Layout, Page};
use super::scope::{FilterQuery, Scope};
use crate::db::communities::{self, Community};
use crate::db::pilots::Pilot;
use crate::db::users::User;
use crate::domain::City;
use crate::error::{AppError, AppResult};
use crate::service::district_choice::{ChoiceError, add_districts};
use crate::state::AppState;

/// The communities of one of the City's sectors.
pub struct Sector {
    pub name: String,
    pub communities: Vec<Choice>,
}

/// A community to tick.
pub struct Choice {
    pub code: String,
    pub name: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "pilots/district_choice.html")]
pub struct ChoicePage {
    layout: Layout,
    slug: String,
    pilot_name: String,
    city: String,
    sectors: Vec<Sector>,
    /// Why nothing was added, shown beside the checkboxes.
    error: Option<String>,
    /// After adding: how many districts were added.
    added: Option<usize>,
}

#[derive(Deserialize)]
pub struct AddedQuery {
    added: Option<usize>,
}

/// The communities by sector, those in `checked` ticked.
fn sectors(communities: Vec<Community>, checked: &[String]) -> Vec<Sector> {
    let mut sectors: Vec<Sector> = Vec::new();
    for c in communities {
        let name = c.sector.unwrap_or_else(|| "No sector".into());
        let choice = Choice {
            checked: checked.iter().any(|code| code.trim() == c.code),
            code: c.code,
            name: c.name,
        };
        match sectors.last_mut() {
            Some(last) if last.name == name => last.communities.push(choice),
            _ => sectors.push(Sector {
                name,
                communities: vec![choice],
            }),
        }
    }
    sectors
}

async fn page(
    state: &AppState,
    user: &User,
    pilot: &Pilot,
    checked: &[String],
    error: Option<String>,
    added: Option<usize>,
) -> AppResult<Page<ChoicePage>> {
    let city = City::stored(&pilot.city);
    let left = communities::not_districts(&state.db, &city, pilot.id).await?;
    Ok(Page(ChoicePage {
        layout: Layout::new(
            format!("Districts from communities · {}", pilot.name),
            Some(user),
        )
        .for_pilot(&pilot.slug, &pilot.name),
        slug: pilot.slug.clone(),
        pilot_name: pilot.name.clone(),
        city: pilot.city.clone(),
        sectors: sectors(left, checked),
        error,
        added,
    }))
}

/// `GET /pilots/{slug}/districts/from-communities`: the city's communities that are not yet
/// districts of the pilot, to tick.
pub async fn form(
    AsAnalyst(user): AsAnalyst,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<AddedQuery>,
) -> AppResult<impl IntoResponse> {
    let scope = Scope::load(&state.db, &slug, &FilterQuery::default()).await?;
    page(&state, &user, &scope.pilot, &[], None, query.added).await
}

/// `POST /pilots/{slug}/districts/from-communities` with repeated `codes`: adds a district for
/// each, then 303 back to the page saying how many; 422 with the page again, the ticks kept,
/// when a code is no community of the city, is already a district, or none is ticked.
pub async fn add(
    AsAnalyst(user): AsAnalyst,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    body: Bytes,
) -> AppResult<Response> {
    let scope = Scope::load(&state.db, &slug, &FilterQuery::default()).await?;
    let pilot = &scope.pilot;
    let codes: Vec<String> = form_urlencoded::parse(&body)
        .filter(|(name, _)| name == "codes")
        .map(|(_, value)| value.into_owned())
        .collect();
    match add_districts(&state.db, user.id, pilot, &codes).await {
        Ok(added) => Ok(Redirect::to(&format!(
            "/pilots/{}/districts/from-communities?added={}",
            pilot.slug,
            added.len()
        ))
        .into_response()),
        Err(ChoiceError::Db(e)) => Err(e.into()),
        Err(ChoiceError::Internal(e)) => Err(AppError::Internal(e)),
        Err(refused) => {
            let message = format!("Nothing was added: {refused}.");
            let page = page(&state, &user, pilot, &codes, Some(message), None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
