//! The roster week: days × teams with each shift, the week's hours and the blocks left to fill.

use std::sync::Arc;

use crate::web::path::Path;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, Uri};
use axum::response::IntoResponse;
use chrono::NaiveDate;
use serde::Deserialize;

use super::auth::SignedIn;
use super::format;
use super::page::{Layout, Page};
use super::roster_cards::{AddLink, DayCell, DayHead, TeamRow, card, legend};
use super::roster_filter::{RosterFilter, TEAMS_PER_PAGE};
use super::scope::{FilterQuery, Scope};
use super::view_cache::ViewKey;
use crate::coverage;
use crate::db::roster;
use crate::db::{agencies, districts, hours};
use crate::domain::ids::{HotspotId, ShiftId, TeamId};
use crate::domain::shift_warnings::shift_warnings;
use crate::domain::week::Week;
use crate::error::{AppError, AppResult};
use crate::service::roster::{RosterPilot, WriteError};
use crate::state::AppState;

/// How many unplanned blocks of the week are listed.
const GAPS_LISTED: usize = 25;

#[derive(Deserialize)]
pub struct WeekQuery {
    week: Option<String>,
    notice: Option<String>,
    shift: Option<ShiftId>,
    team: Option<String>,
    district: Option<String>,
    page: Option<String>,
}

#[derive(Template)]
#[template(path = "roster/week.html", whitespace = "minimize")]
pub struct WeekPage {
    layout: Layout,
    slug: String,
    pilot_name: String,
    week: String,
    previous: Option<String>,
    next: Option<String>,
    weeks: WeekBounds,
    days: Vec<DayHead>,
    teams: Vec<TeamRow>,
    /// The filter's choices, its part of the week links (`&team=…`), and the teams' pages.
    district_options: Vec<(String, String, bool)>,
    team_options: Vec<(TeamId, String, bool)>,
    filter_query: String,
    filtered: bool,
    shown: String,
    earlier_teams: Option<String>,
    later_teams: Option<String>,
    can_edit: bool,
    /// Why the week cannot be changed, when it lies outside the pilot.
    read_only: Option<String>,
    notice: Option<String>,
    /// What the shift just saved may lack (no hotspots, a joint team of one agency).
    warnings: Vec<String>,
    hours: Vec<(String, String)>,
    /// What the labels on the cards stand for.
    legend: String,
    unplanned: String,
    gaps: Vec<(String, String)>,
}

/// The weeks of a pilot's first and last days: the `min` and `max` of its week inputs.
pub struct WeekBounds {
    pub first: String,
    pub last: String,
}

impl WeekBounds {
    pub fn of(starts_on: NaiveDate, ends_on: NaiveDate) -> WeekBounds {
        WeekBounds {
            first: Week::containing(starts_on).to_string(),
            last: Week::containing(ends_on).to_string(),
        }
    }
}

/// The week asked for, or the one holding today (clamped into the pilot).
pub fn week_of(scope: &Scope, asked: Option<&str>) -> AppResult<Week> {
    match asked.map(str::trim).filter(|w| !w.is_empty()) {
        None => Ok(Week::containing(scope.today())),
        Some(text) => Week::parse(text).ok_or_else(|| {
            AppError::BadRequest(format!("{text:?} is not a week; write it like 2023-W11."))
        }),
    }
}

/// The scope's pilot, as the roster's writes take it.
pub fn roster_pilot(scope: &Scope) -> RosterPilot {
    RosterPilot {
        id: scope.pilot.id,
        zone: scope.zone,
        starts_on: scope.pilot.starts_on,
        ends_on: scope.pilot.ends_on,
    }
}

/// The error page for a refused write of the roster that no form field can show.
pub fn write_error(error: WriteError) -> AppError {
    match error {
        WriteError::NotFound => AppError::NotFound,
        WriteError::Db(e) => e.into(),
        WriteError::Internal(e) => e.into(),
        other => AppError::Conflict(other.to_string()),
    }
}

crate::text_enum! {
    /// What the roster week confirms after a save, carried in its address (`notice=`).
    pub enum Notice("notice") {
        Created = "created",
        Updated = "updated",
        Cancelled = "cancelled",
    }
}

fn notice_text(notice: Option<&str>, shift: Option<ShiftId>) -> Option<String> {
    let shift = shift
        .map(|id| format!(" (shift #{id})"))
        .unwrap_or_default();
    Some(match notice?.parse().ok()? {
        Notice::Created => format!("Shift created{shift}."),
        Notice::Updated => format!("Shift saved{shift}."),
        Notice::Cancelled => format!("Shift cancelled{shift}."),
    })
}

/// After a save the form's 303 leads here with `#shift-ID`, which a browser scrolls to. htmx
/// follows the 303 itself and never sees the fragment, so a request from htmx is told the
/// address to show (with the fragment) and the card to scroll to.
fn shift_in_view(request: &HeaderMap, uri: &Uri, query: &WeekQuery) -> HeaderMap {
    let mut headers = HeaderMap::new();
    let from_htmx = request.contains_key("hx-request");
    if let (true, Some(_), Some(id)) = (from_htmx, &query.notice, query.shift) {
        let address = format!("{uri}#shift-{id}");
        let swap = format!("innerHTML show:#shift-{id}:top");
        for (name, value) in [("hx-push-url", address), ("hx-reswap", swap)] {
            if let Ok(value) = HeaderValue::from_str(&value) {
                headers.insert(name, value);
            }
        }
    }
    headers
}

/// `GET /pilots/{slug}/roster?week=YYYY-Www`.
pub async fn week(
    SignedIn(user): SignedIn,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<WeekQuery>,
    uri: Uri,
    request: HeaderMap,
) -> AppResult<impl IntoResponse> {
    let scope = Scope::load(&state.db, &slug, &FilterQuery::default()).await?;
    let pilot = &scope.pilot;
    let week = week_of(&scope, query.week.as_deref())?;
    let filter = RosterFilter::parse(
        query.team.as_deref(),
        query.district.as_deref(),
        query.page.as_deref(),
    )
    .map_err(AppError::BadRequest)?;
    // What the week reads from the database, kept per pilot data version: a city's week of
    // 5,000 shifts took 200 ms to read.
    let key = ViewKey {
        pilot: pilot.id,
        version: scope.version,
        view: format!("roster?week={week}"),
        today: None,
    };
    let data = match state.roster_weeks.get(&key) {
        Some(data) => data,
        None => {
            let mut conn = state.db.acquire().await?;
            let data = Arc::new(load_week(&mut conn, &scope, week).await?);
            state.roster_weeks.insert(key, Arc::clone(&data));
            data
        }
    };
    let agencies = agencies::list(&state.db).await?;
    let WeekData {
        teams,
        districts,
        shifts,
        agency_hours,
        unplanned,
        gaps,
    } = &*data;
    let saved = matches!(
        query.notice.as_deref().map(str::parse),
        Some(Ok(Notice::Created | Notice::Updated))
    );
    let warnings = shifts
        .iter()
        .find(|s| saved && Some(s.id) == query.shift)
        .and_then(|s| Some((s, teams.iter().find(|t| t.id == s.team_id)?)))
        .map_or_else(Vec::new, |(s, team)| {
            let found = shift_warnings(
                &team.name,
                &team.agency,
                s.hotspots.len(),
                &s.member_agencies,
                &agencies,
            );
            found.iter().map(ToString::to_string).collect()
        });
    let days = week.days();
    let in_pilot = week.sunday() >= pilot.starts_on && week.monday() <= pilot.ends_on;
    // Nothing can be added to a week outside the pilot: it is shown read-only.
    let can_edit = user.role.edits_rosters() && in_pilot;
    let selection = filter.select(teams, shifts, query.shift);
    let rows = selection
        .teams
        .iter()
        .map(|team| TeamRow {
            name: team.name.clone(),
            kind: format!("{} · {}", agencies.team_label(&team.agency), team.mode),
            id: team.id,
            days: days
                .iter()
                .map(|day| DayCell {
                    shifts: selection
                        .shifts
                        .iter()
                        .filter(|s| {
                            s.team_id == team.id
                                && s.starts_at.with_timezone(&scope.zone).date_naive() == *day
                        })
                        .map(|s| card(s, &scope, &agencies, query.shift))
                        .collect(),
                    add: (can_edit && (pilot.starts_on..=pilot.ends_on).contains(day)).then(|| {
                        AddLink {
                            href: format!(
                                "/pilots/{}/shifts/new?team_id={}&day={day}",
                                pilot.slug, team.id
                            ),
                            label: format!(
                                "New shift for {} on {}",
                                team.name,
                                day.format("%a %-d %b")
                            ),
                        }
                    }),
                })
                .collect(),
        })
        .collect();
    let in_range = |w: Week| w.sunday() >= pilot.starts_on && w.monday() <= pilot.ends_on;
    let filter_query = filter.query();
    let teams_page = |page: i64| {
        format!(
            "/pilots/{}/roster?week={week}{filter_query}&page={page}",
            pilot.slug
        )
    };
    let shown_teams = selection.teams.len();
    let first_shown = (selection.page - 1) * TEAMS_PER_PAGE + 1;
    let headers = shift_in_view(&request, &uri, &query);
    Ok((
        headers,
        Page(WeekPage {
            layout: Layout::new(format!("Roster {week} · {}", pilot.name), Some(&user))
                .for_pilot(&pilot.slug, &pilot.name),
            slug: pilot.slug.clone(),
            pilot_name: pilot.name.clone(),
            week: week.to_string(),
            previous: in_range(week.plus(-1)).then(|| week.plus(-1).to_string()),
            next: in_range(week.plus(1)).then(|| week.plus(1).to_string()),
            weeks: WeekBounds::of(pilot.starts_on, pilot.ends_on),
            days: days
                .iter()
                .map(|d| {
                    let live = selection
                        .shifts
                        .iter()
                        .filter(|s| {
                            s.status.counts()
                                && s.starts_at.with_timezone(&scope.zone).date_naive() == *d
                        })
                        .count();
                    let pilot_days = pilot.starts_on..=pilot.ends_on;
                    DayHead::new(*d, &pilot.slug, pilot_days, live as i64)
                })
                .collect(),
            teams: rows,
            district_options: districts
                .iter()
                .map(|(code, name)| {
                    let chosen = filter.district.as_deref() == Some(code.as_str());
                    (code.clone(), name.clone(), chosen)
                })
                .collect(),
            team_options: teams
                .iter()
                .map(|t| (t.id, t.name.clone(), filter.team == Some(t.id)))
                .collect(),
            filtered: filter.team.is_some() || filter.district.is_some(),
            shown: match (shown_teams, selection.pages) {
                (0, _) => "No team has a shift here this week.".to_string(),
                (n, 1) => format!("{} team{}", n, if n == 1 { "" } else { "s" }),
                (n, _) => format!(
                    "Teams {first_shown} to {} of {}",
                    first_shown + n as i64 - 1,
                    selection.matching
                ),
            },
            earlier_teams: (selection.page > 1).then(|| teams_page(selection.page - 1)),
            later_teams: (selection.page < selection.pages).then(|| teams_page(selection.page + 1)),
            filter_query,
            can_edit,
            read_only: (!in_pilot).then(|| {
                format!(
                    "Week {week} is outside the pilot ({} to {}): it is shown read-only.",
                    format::day(pilot.starts_on),
                    format::day(pilot.ends_on)
                )
            }),
            notice: notice_text(query.notice.as_deref(), query.shift),
            warnings,
            hours: agency_hours
                .iter()
                .map(|h| (h.agency.name.clone(), format::hours(h.seconds)))
                .collect(),
            legend: legend(&agencies, &selection.shifts),
            unplanned: unplanned.clone(),
            gaps: gaps.clone(),
        }),
    ))
}

/// What the week's page reads from the database: the same for every viewer of a data version.
pub struct WeekData {
    teams: Vec<crate::domain::roster_rules::Team>,
    /// Codes and names of the districts with hotspots, for the filter.
    districts: Vec<(String, String)>,
    shifts: Vec<roster::ShiftView>,
    agency_hours: Vec<hours::AgencyHours>,
    unplanned: String,
    gaps: Vec<(String, String)>,
}

/// Reads the week `week` of the pilot in `scope`.
async fn load_week(
    conn: &mut sqlx::PgConnection,
    scope: &Scope,
    week: Week,
) -> AppResult<WeekData> {
    let pilot = &scope.pilot;
    let teams = roster::teams(&mut *conn, pilot.id).await?;
    let districts = districts::with_hotspots(&mut *conn, pilot.id).await?;
    let shifts = roster::shifts(
        &mut *conn,
        pilot.id,
        &pilot.time_zone,
        week.monday(),
        week.sunday(),
    )
    .await?;
    let (from, to) = (
        week.monday().max(pilot.starts_on),
        week.sunday().min(pilot.ends_on),
    );
    let in_pilot = from <= to;
    let agency_hours = if in_pilot {
        hours::by_agency(&mut *conn, pilot.id, from, to, None).await?
    } else {
        Vec::new()
    };
    let (unplanned, gaps) = if in_pilot {
        let week_figures =
            crate::db::figures::by_day(&mut *conn, pilot.id, from, to, None, None).await?;
        let (blocks, planned) = week_figures.iter().fold((0, 0), |(b, p), (_, f)| {
            (b + f.blocks, p + f.planned_blocks)
        });
        let engine_pilot = scope.engine_pilot();
        let listed = crate::db::hotspots::list(&mut *conn, pilot.id).await?;
        let hotspots: Vec<coverage::Hotspot> = listed.iter().map(coverage::Hotspot::from).collect();
        let names: std::collections::HashMap<HotspotId, String> =
            listed.into_iter().map(|h| (h.id, h.name)).collect();
        let gaps = crate::db::gaps::list(
            conn,
            pilot.id,
            &engine_pilot,
            &hotspots,
            from,
            to,
            GAPS_LISTED,
        )
        .await?
        .into_iter()
        .map(|gap| {
            (
                format!(
                    "{} (priority {})",
                    names.get(&gap.hotspot_id).cloned().unwrap_or_default(),
                    gap.priority
                ),
                format!(
                    "{}–{}",
                    format::local(gap.local_start),
                    gap.ends_at.with_timezone(&scope.zone).format("%H:%M")
                ),
            )
        })
        .collect();
        (
            format!(
                "{} of {} hotspot-blocks this week have no planned coverage",
                format::count(blocks - planned),
                format::count(blocks)
            ),
            gaps,
        )
    } else {
        ("This week is outside the pilot.".to_string(), Vec::new())
    };
    Ok(WeekData {
        teams,
        districts,
        shifts,
        agency_hours,
        unplanned,
        gaps,
    })
}
