//! The roster's day: one day's shifts by team, each with its members, hotspots and actions, for
//! a supervisor planning or checking a single day (the week grid is too dense on a phone).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use chrono::{Days, NaiveDate};
use serde::Deserialize;

use super::auth::SignedIn;
use super::format;
use super::page::{Layout, Page};
use super::pager::Pager;
use super::roster_cards::{ShiftCard, card, legend};
use super::scope::{FilterQuery, Scope};
use crate::db::agencies;
use crate::db::roster;
use crate::domain::week::Week;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::path::Path;

#[derive(Deserialize)]
pub struct DayQuery {
    date: Option<String>,
    page: Option<String>,
}

/// Teams listed on one page of a day: a city's 300 teams make several pages of a size a phone
/// loads, as the week's do.
const TEAMS_PER_PAGE: i64 = 50;

/// A team's shifts of the day.
pub struct TeamDay {
    pub name: String,
    pub kind: String,
    pub shifts: Vec<ShiftCard>,
}

#[derive(Template)]
#[template(path = "roster/day.html", whitespace = "minimize")]
pub struct DayPage {
    layout: Layout,
    slug: String,
    pilot_name: String,
    /// The day as read (`Mon 13 Mar 2023`) and as written in addresses (`2023-03-13`).
    day: String,
    date: String,
    week: String,
    first_day: String,
    last_day: String,
    previous: Option<String>,
    next: Option<String>,
    teams: Vec<TeamDay>,
    /// "Teams 51 to 100 of 300" when the day's teams take more than a page.
    shown: String,
    earlier_href: Option<String>,
    later_href: Option<String>,
    can_edit: bool,
    legend: String,
}

/// The address of the roster's day `date` of pilot `slug`.
pub fn day_href(slug: &str, date: NaiveDate) -> String {
    format!("/pilots/{slug}/roster/day?date={date}")
}

/// `GET /pilots/{slug}/roster/day?date=YYYY-MM-DD`: without a date, today; both clamped into
/// the pilot, with a notice when the day asked for was not in it.
pub async fn day(
    SignedIn(user): SignedIn,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<DayQuery>,
) -> AppResult<impl IntoResponse> {
    let pager =
        Pager::parse(query.page.as_deref(), TEAMS_PER_PAGE).map_err(AppError::BadRequest)?;
    let scope = Scope::load(&state.db, &slug, &FilterQuery::default()).await?;
    let pilot = &scope.pilot;
    let asked = match query
        .date
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        None => scope.today(),
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
            AppError::BadRequest(format!("{text:?} is not a day; write it like 2023-03-13."))
        })?,
    };
    // A day outside the pilot has no shifts: the nearest day is shown, as ranges are moved.
    let date = asked.clamp(pilot.starts_on, pilot.ends_on);
    let notice = (date != asked).then(|| {
        format!(
            "The pilot runs from {} to {}, so the day asked for ({}) was moved into it: this \
             page shows {}.",
            format::day(pilot.starts_on),
            format::day(pilot.ends_on),
            format::day(asked),
            format::day(date)
        )
    });
    let mut conn = state.db.acquire().await?;
    let teams = roster::teams(&mut *conn, pilot.id).await?;
    let agencies = agencies::list(&mut *conn).await?;
    let shifts = roster::shifts(&mut *conn, pilot.id, &pilot.time_zone, date, date).await?;
    let on_duty: Vec<_> = teams
        .iter()
        .filter(|team| shifts.iter().any(|s| s.team_id == team.id))
        .collect();
    let total = on_duty.len();
    let first = usize::try_from(pager.offset()).unwrap_or(usize::MAX);
    let per_page = usize::try_from(pager.per_page).unwrap_or(usize::MAX);
    let team_days: Vec<TeamDay> = on_duty
        .into_iter()
        .skip(first)
        .take(per_page)
        .filter_map(|team| {
            let cards: Vec<ShiftCard> = shifts
                .iter()
                .filter(|s| s.team_id == team.id)
                .map(|s| card(s, &scope, &agencies, None))
                .collect();
            (!cards.is_empty()).then(|| TeamDay {
                name: team.name.clone(),
                kind: format!("{} · {}", agencies.team_label(&team.agency), team.mode),
                shifts: cards,
            })
        })
        .collect();
    let page_href = |page: i64| format!("{}&page={page}", day_href(&pilot.slug, date));
    let earlier_href = (pager.page > 1).then(|| page_href(pager.page - 1));
    let later_href = (first + team_days.len() < total).then(|| page_href(pager.page + 1));
    let shown = if total > per_page {
        format!(
            "Teams {} to {} of {total}",
            first + 1,
            first + team_days.len()
        )
    } else {
        String::new()
    };
    let in_pilot = |d: NaiveDate| (pilot.starts_on..=pilot.ends_on).contains(&d);
    let previous = date.checked_sub_days(Days::new(1)).filter(|d| in_pilot(*d));
    let next = date.checked_add_days(Days::new(1)).filter(|d| in_pilot(*d));
    Ok(Page(DayPage {
        layout: Layout::new(
            format!("Roster {} · {}", format::day(date), pilot.name),
            Some(&user),
        )
        .for_pilot(&pilot.slug, &pilot.name)
        .with_notice(notice),
        slug: pilot.slug.clone(),
        pilot_name: pilot.name.clone(),
        day: format::day(date),
        date: date.to_string(),
        week: Week::containing(date).to_string(),
        first_day: pilot.starts_on.to_string(),
        last_day: pilot.ends_on.to_string(),
        previous: previous.map(|d| day_href(&pilot.slug, d)),
        next: next.map(|d| day_href(&pilot.slug, d)),
        teams: team_days,
        shown,
        earlier_href,
        later_href,
        can_edit: user.role.edits_rosters(),
        legend: legend(&agencies, &shifts.iter().collect::<Vec<_>>()),
    }))
}
