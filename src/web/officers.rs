//! Officers of a pilot: who worked how many hours with which team, and their shifts.

use std::sync::Arc;

use crate::web::path::Path;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::auth::SignedIn;
use super::dashboard::DistrictOption;
use super::format;
use super::page::{Layout, Page};
use super::pager::{PageQuery, Pager};
use super::people;
use super::people::assignments::{AssignmentLine, Refused};
use super::scope::{FilterQuery, Scope};
use super::view_cache::ViewKey;
use crate::db::users::User;
use crate::db::{agencies, officers};
use crate::domain::Role;
use crate::domain::ids::OfficerId;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub struct OfficerLine {
    pub href: String,
    pub name: String,
    pub badge: String,
    pub rank: String,
    /// The agency's full name.
    pub agency: String,
    pub team: String,
    pub shifts: i64,
    pub hours: String,
}

#[derive(Template)]
#[template(path = "pilots/officers.html")]
pub struct OfficersPage {
    layout: Layout,
    pilot_name: String,
    pilot_href: String,
    from: String,
    to: String,
    /// The pilot's first and last days: the `min` and `max` of the date inputs.
    first_day: String,
    last_day: String,
    district_options: Vec<DistrictOption>,
    officers: Vec<OfficerLine>,
    /// "Officers 101 to 200 of 1,800" when the list takes more than a page.
    shown: String,
    earlier_href: Option<String>,
    later_href: Option<String>,
    /// Each agency with officers on the list: its name, officers and hours.
    totals: Vec<(String, usize, String)>,
    slug: String,
    /// Whether the viewer may add officers.
    can_edit: bool,
}

/// Officers listed on one page: a city's 1,800 make 18 pages rather than one of a megabyte.
const OFFICERS_PER_PAGE: i64 = 100;

/// `GET /pilots/{slug}/officers?from=&to=&page=`.
pub async fn list(
    SignedIn(user): SignedIn,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<FilterQuery>,
    Query(page): Query<PageQuery>,
) -> AppResult<impl IntoResponse> {
    let pager =
        Pager::parse(page.page.as_deref(), OFFICERS_PER_PAGE).map_err(AppError::BadRequest)?;
    let scope = Scope::load(&state.db, &slug, &query).await?;
    let (pilot, range) = (&scope.pilot, scope.range);
    // A city's year of shifts takes a second to sum by officer: summed once per data version.
    let key = ViewKey {
        pilot: pilot.id,
        version: scope.version,
        view: format!("officers?from={}&to={}", range.from, range.to),
        today: None,
    };
    let rows = match state.officer_lists.get(&key) {
        Some(rows) => rows,
        None => {
            let rows = Arc::new(
                officers::list(&state.db, pilot.id, &pilot.time_zone, range.from, range.to).await?,
            );
            state.officer_lists.insert(key, Arc::clone(&rows));
            rows
        }
    };
    let listed = rows.len() as i64;
    let page_href = |page: i64| {
        format!(
            "/pilots/{}/officers{}&page={page}",
            pilot.slug,
            scope.query(None)
        )
    };
    let agencies = agencies::list(&state.db).await?;
    let totals = agencies
        .iter()
        .filter_map(|agency| {
            let mine: Vec<_> = rows.iter().filter(|o| o.agency == agency.code).collect();
            (!mine.is_empty()).then(|| {
                let hours = format::hours(mine.iter().map(|o| o.seconds).sum());
                (agency.name.clone(), mine.len(), hours)
            })
        })
        .collect();
    Ok(Page(OfficersPage {
        layout: Layout::new(format!("Officers · {}", pilot.name), Some(&user))
            .for_pilot(&pilot.slug, &pilot.name)
            .with_notice(scope.notice.clone()),
        pilot_name: pilot.name.clone(),
        pilot_href: format!("/pilots/{}{}", pilot.slug, scope.query(None)),
        from: range.from.to_string(),
        to: range.to.to_string(),
        first_day: pilot.starts_on.to_string(),
        last_day: pilot.ends_on.to_string(),
        district_options: Vec::new(),
        shown: match listed > OFFICERS_PER_PAGE {
            true => format!(
                "Officers {} to {} of {listed}",
                pager.offset() + 1,
                (pager.offset() + OFFICERS_PER_PAGE).min(listed)
            ),
            false => String::new(),
        },
        earlier_href: (pager.page > 1).then(|| page_href(pager.page - 1)),
        later_href: (pager.offset() + OFFICERS_PER_PAGE < listed)
            .then(|| page_href(pager.page + 1)),
        officers: rows
            .iter()
            .skip(pager.offset() as usize)
            .take(OFFICERS_PER_PAGE as usize)
            .cloned()
            .map(|o| OfficerLine {
                href: format!(
                    "/pilots/{}/officers/{}{}",
                    pilot.slug,
                    o.id,
                    scope.query(None)
                ),
                agency: agencies.name(&o.agency).to_string(),
                team: o.team.unwrap_or_else(|| "—".into()),
                hours: format::hours(o.seconds),
                name: o.name,
                badge: o.badge_number,
                rank: o.rank,
                shifts: o.shifts,
            })
            .collect(),
        totals,
        slug: pilot.slug.clone(),
        can_edit: user.role.includes(Role::Analyst),
    }))
}

pub struct ShiftLine {
    pub href: String,
    pub when: String,
    pub hours: String,
    pub team: String,
    pub status: String,
    pub mode: String,
    pub hotspots: String,
    pub partners: String,
}

#[derive(Template)]
#[template(path = "pilots/officer.html")]
pub struct OfficerPage {
    layout: Layout,
    pilot_name: String,
    officers_href: String,
    name: String,
    facts: Vec<(&'static str, String)>,
    from: String,
    to: String,
    /// The pilot's first and last days: the `min` and `max` of the date inputs.
    first_day: String,
    last_day: String,
    district_options: Vec<DistrictOption>,
    shifts: Vec<ShiftLine>,
    assignments: Vec<AssignmentLine>,
    /// Where analysts and admins change the officer; `None` for everyone else.
    edit_href: Option<String>,
    slug: String,
    /// Whether a form came back with problems (its assignment's anchor).
    refused_at: Option<String>,
}

/// `GET /pilots/{slug}/officers/{id}?from=&to=`.
pub async fn show(
    SignedIn(user): SignedIn,
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, OfficerId)>,
    Query(query): Query<FilterQuery>,
) -> AppResult<Response> {
    let scope = Scope::load(&state.db, &slug, &query).await?;
    officer_page(&state, &user, scope, id, None).await
}

/// The officer's page for the range of `scope`, with a form of an assignment that came back
/// with problems (then 422).
pub async fn officer_page(
    state: &AppState,
    user: &User,
    scope: Scope,
    officer_id: OfficerId,
    refused: Option<Refused>,
) -> AppResult<Response> {
    let id = officer_id;
    let (pilot, range) = (&scope.pilot, scope.range);
    let officer = officers::find(&state.db, pilot.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let agencies = agencies::list(&state.db).await?;
    let shifts = officers::shifts(
        &state.db,
        pilot.id,
        id,
        &pilot.time_zone,
        range.from,
        range.to,
    )
    .await?;
    let refused_at = refused.as_ref().map(|r| format!("assignment-{}", r.id()));
    let status = match refused {
        Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
        None => StatusCode::OK,
    };
    let assignments = people::assignments::lines(state, &scope, officer_id, refused).await?;
    let can_edit = user.role.includes(Role::Analyst);
    let worked: f64 = shifts
        .iter()
        .filter(|s| s.status.counts())
        .map(|s| (s.ends_at - s.starts_at).num_seconds() as f64)
        .sum();
    let page = Page(OfficerPage {
        layout: Layout::new(format!("{} · {}", officer.name, pilot.name), Some(user))
            .for_pilot(&pilot.slug, &pilot.name)
            .with_notice(scope.notice.clone()),
        assignments,
        edit_href: can_edit.then(|| format!("/pilots/{}/officers/{id}/edit", pilot.slug)),
        slug: pilot.slug.clone(),
        refused_at,
        pilot_name: pilot.name.clone(),
        officers_href: format!("/pilots/{}/officers{}", pilot.slug, scope.query(None)),
        facts: vec![
            ("Agency", agencies.name(&officer.agency).to_string()),
            ("Badge", officer.badge_number),
            ("Rank", officer.rank),
            ("Home unit", officer.home_unit),
            ("Hours on shift in the range", format::hours(worked)),
        ],
        name: officer.name,
        from: range.from.to_string(),
        to: range.to.to_string(),
        first_day: pilot.starts_on.to_string(),
        last_day: pilot.ends_on.to_string(),
        district_options: Vec::new(),
        shifts: shifts
            .into_iter()
            .map(|s| ShiftLine {
                href: format!("/shifts/{}/log", s.id),
                when: format!(
                    "{}–{}",
                    format::local(s.starts_at.with_timezone(&scope.zone).naive_local()),
                    s.ends_at.with_timezone(&scope.zone).format("%H:%M")
                ),
                hours: format::hours((s.ends_at - s.starts_at).num_seconds() as f64),
                team: s.team,
                status: s.status.to_string(),
                mode: s.mode.to_string(),
                hotspots: s.hotspots.join(", "),
                partners: s.partners.join(", "),
            })
            .collect(),
    });
    Ok((status, page).into_response())
}
