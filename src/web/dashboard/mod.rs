//! The pilot dashboard: is every hotspot getting the patrol presence it should?
//!
//! The figures and charts are computed once per pilot data version, range, district and local
//! day ([`view::compute`]), kept in the server's cache, and put in the layout of each user.

mod view;

use std::ops::Deref;
use std::sync::Arc;

use crate::web::path::Path;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

use super::auth::SignedIn;
use super::page::{Layout, Page};
use super::scope::{FilterQuery, Scope};
use super::view_cache::{self, ViewKey};
use crate::db::districts;
use crate::domain::{City, Role};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub use view::{DashboardView, DistrictOption};

#[derive(Template)]
#[template(path = "pilots/dashboard.html")]
pub struct DashboardPage {
    layout: Layout,
    /// Whether the user may add districts from the city's communities (analysts and admins).
    chooses_districts: bool,
    view: Arc<DashboardView>,
}

/// The template reads the view's fields as the page's own.
impl Deref for DashboardPage {
    type Target = DashboardView;

    fn deref(&self) -> &DashboardView {
        &self.view
    }
}

/// `GET /pilots/{slug}?from=&to=&district=`.
pub async fn show(
    SignedIn(user): SignedIn,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<FilterQuery>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let scope = Scope::load(&state.db, &slug, &query).await?;
    let code = query
        .district
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let key = ViewKey {
        pilot: scope.pilot.id,
        version: scope.version,
        view: format!(
            "dashboard?from={}&to={}&district={}",
            scope.range.from,
            scope.range.to,
            code.unwrap_or("")
        ),
        today: Some(scope.local_date()),
    };
    // The page names the user and shows what their role may do, so its ETag is theirs.
    let etag = key.etag(Some(&user));
    if view_cache::is_fresh(&headers, &etag) {
        return Ok(view_cache::not_modified(etag));
    }
    let view = match state.dashboards.get(&key) {
        Some(view) => view,
        None => {
            let view = Arc::new(compute(&state, &scope, code).await?);
            state.dashboards.insert(key, Arc::clone(&view));
            view
        }
    };
    let page = Page(DashboardPage {
        layout: Layout::new(scope.pilot.name.clone(), Some(&user))
            .for_pilot(&scope.pilot.slug, &scope.pilot.name)
            .with_notice(scope.notice.clone()),
        chooses_districts: user.role.includes(Role::Analyst),
        view,
    });
    Ok(view_cache::validated(page.into_response(), etag))
}

/// The dashboard of `scope` for the district with `code`, or for the whole pilot.
async fn compute(state: &AppState, scope: &Scope, code: Option<&str>) -> AppResult<DashboardView> {
    let all_districts = districts::list(&state.db, scope.pilot.id).await?;
    let district = match code {
        None => None,
        Some(code) => Some(
            all_districts
                .iter()
                .find(|d| d.code == code)
                .ok_or_else(|| {
                    AppError::BadRequest(format!(
                        "There is no district {code:?} in this pilot. Choose one from the list."
                    ))
                })?,
        ),
    };
    let city = City::stored(&scope.pilot.city);
    let outlines = state.city_outlines.of(&state.db, &city).await?;
    view::compute(&state.db, scope, &all_districts, district, &outlines).await
}
