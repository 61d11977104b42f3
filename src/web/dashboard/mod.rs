//! The pilot dashboard: is every hotspot getting the patrol presence it should?
//!
//! The figures and charts are computed once per pilot data version, range, district, map
//! shading and local day ([`view::compute`]), kept in the server's cache, and put in the layout
//! of each user.

mod shade_by;
mod view;

use std::ops::Deref;
use std::sync::Arc;

use crate::web::path::Path;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::auth::SignedIn;
use super::page::{Layout, Page};
use super::scope::{FilterQuery, Scope};
use super::view_cache::{self, ViewKey};
use crate::db::districts;
use crate::domain::{City, Role};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub use shade_by::ShadeBy;
pub use view::{DashboardView, DistrictOption};

/// The dashboard's address: the pilot pages' filter and the map's shading.
#[derive(Debug, Default, Deserialize)]
pub struct DashboardQuery {
    #[serde(flatten)]
    pub filter: FilterQuery,
    pub shade: Option<String>,
}

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

/// `GET /pilots/{slug}?from=&to=&district=&shade=`.
pub async fn show(
    SignedIn(user): SignedIn,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(DashboardQuery {
        filter: query,
        shade,
    }): Query<DashboardQuery>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let scope = Scope::load(&state.db, &slug, &query).await?;
    let (shade, shade_notice) = ShadeBy::chosen(shade.as_deref());
    let code = query
        .district
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let key = ViewKey {
        pilot: scope.pilot.id,
        version: scope.version,
        view: format!(
            "dashboard?from={}&to={}&district={}&shade={shade}",
            scope.range.from,
            scope.range.to,
            code.unwrap_or("")
        ),
        today: Some(scope.local_date()),
    };
    // The page names the user and shows what their role may do, so its ETag is theirs.
    let notice = [scope.notice.clone(), shade_notice]
        .into_iter()
        .flatten()
        .reduce(|a, b| format!("{a} {b}"));
    // The notice is not part of the key: an unknown shading is shown as delivered, and says so.
    let etag = key.etag(Some(&user));
    if view_cache::is_fresh(&headers, &etag) {
        return Ok(view_cache::not_modified(etag));
    }
    let view = match state.dashboards.get(&key) {
        Some(view) => view,
        None => {
            let view = Arc::new(compute(&state, &scope, code, shade).await?);
            state.dashboards.insert(key, Arc::clone(&view));
            view
        }
    };
    let page = Page(DashboardPage {
        layout: Layout::new(scope.pilot.name.clone(), Some(&user))
            .for_pilot(&scope.pilot.slug, &scope.pilot.name)
            .with_notice(notice),
        chooses_districts: user.role.includes(Role::Analyst),
        view,
    });
    Ok(view_cache::validated(page.into_response(), etag))
}

/// The dashboard of `scope` for the district with `code`, or for the whole pilot.
async fn compute(
    state: &AppState,
    scope: &Scope,
    code: Option<&str>,
    shade: ShadeBy,
) -> AppResult<DashboardView> {
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
    view::compute(&state.db, scope, &all_districts, district, shade, &outlines).await
}
