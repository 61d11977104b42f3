//! A hotspot: its figures, dosage over time, visits, longest gaps and its community's statistics.

use crate::web::path::Path;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use chrono_tz::Tz;

use super::auth::SignedIn;
use super::charts::{self, Trend};
use super::community::{self, Community};
use super::dashboard::DistrictOption;
use super::format;
use super::page::{Layout, Page};
use super::pager::{PageQuery, Pager};
use super::scope::{FilterQuery, Scope};
use super::views::{self, DailyRow, Stat};
use crate::coverage::Dwell;
use crate::db::visits::VisitRow;

use crate::db::{activities, districts, figures, hotspots, visits};
use crate::domain::City;
use crate::domain::Role;
use crate::domain::ids::HotspotId;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// How many of the longest gaps the page lists.
const LONGEST_GAPS: usize = 10;

/// A visit as listed.
pub struct VisitLine {
    pub arrived: String,
    pub departed: String,
    pub dwell: String,
    pub kind: &'static str,
    pub team: String,
    pub members: i64,
    pub source: String,
}

impl VisitLine {
    fn new(visit: &VisitRow, zone: Tz) -> VisitLine {
        let dwell = visit.departed_at - visit.arrived_at;
        let kind = match Dwell::of(dwell) {
            Dwell::PassThrough => "pass-through",
            Dwell::Koper => "Koper",
            Dwell::Other => "",
        };
        VisitLine {
            arrived: format::local(visit.arrived_at.with_timezone(&zone).naive_local()),
            departed: visit
                .departed_at
                .with_timezone(&zone)
                .format("%H:%M")
                .to_string(),
            dwell: format::minutes((dwell.num_seconds() as f64 / 6.0).round() / 10.0),
            kind,
            team: visit.team.clone(),
            members: visit.members,
            source: visit.source.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "pilots/hotspot.html")]
pub struct HotspotPage {
    layout: Layout,
    pilot_name: String,
    pilot_href: String,
    district_name: String,
    district_href: String,
    name: String,
    /// The edit page, for those who may edit hotspots.
    edit_href: Option<String>,
    facts: Vec<(&'static str, String)>,
    from: String,
    to: String,
    /// The pilot's first and last days: the `min` and `max` of the date inputs.
    first_day: String,
    last_day: String,
    district_options: Vec<DistrictOption>,
    headline: Vec<Stat>,
    daily: Vec<DailyRow>,
    trend: Trend,
    gaps: Vec<DailyRow>,
    visits: Vec<VisitLine>,
    /// All visits of the range, of which `visits` is one page.
    visits_total: i64,
    /// The place of the first of `visits` among them, counted from 1.
    visits_first: i64,
    earlier_href: Option<String>,
    later_href: Option<String>,
    community: Option<Community>,
}

/// Visits listed on one page of a hotspot: enough for a month of daily patrols, few enough to
/// keep the page light at city scale.
const VISITS_PER_PAGE: i64 = 100;

/// `GET /pilots/{slug}/hotspots/{id}?from=&to=`.
pub async fn show(
    SignedIn(user): SignedIn,
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, HotspotId)>,
    Query(query): Query<FilterQuery>,
    Query(visits_query): Query<PageQuery>,
) -> AppResult<impl IntoResponse> {
    let pager = Pager::parse(visits_query.page.as_deref(), VISITS_PER_PAGE)
        .map_err(AppError::BadRequest)?;
    let scope = Scope::load(&state.db, &slug, &query).await?;
    let (pilot, range) = (&scope.pilot, scope.range);
    let mut conn = state.db.acquire().await?;
    let hotspot = hotspots::list(&mut *conn, pilot.id)
        .await?
        .into_iter()
        .find(|h| h.id == id)
        .ok_or(AppError::NotFound)?;
    let district = districts::list(&mut *conn, pilot.id)
        .await?
        .into_iter()
        .find(|d| d.id == hotspot.district_id)
        .ok_or(AppError::NotFound)?;
    let zone = pilot.time_zone.as_str();
    let days = figures::by_day(&mut *conn, pilot.id, range.from, range.to, None, Some(id)).await?;
    let mut total = crate::coverage::DayFigures::default();
    for (_, f) in &days {
        total += *f;
    }
    let activity = activities::by_kind(
        &mut *conn,
        pilot.id,
        zone,
        range.from,
        range.to,
        None,
        Some(id),
    )
    .await?;
    let days_range = (range.from, range.to);
    let visits_total = visits::count_for_hotspot(&mut *conn, id, zone, days_range).await?;
    let mut visit_rows = visits::for_hotspot(
        &mut *conn,
        id,
        zone,
        days_range,
        (pager.fetch(), pager.offset()),
    )
    .await?;
    let more_visits = pager.keep(&mut visit_rows);
    let page_href = |page: i64| {
        format!(
            "/pilots/{}/hotspots/{id}{}&page={page}#visits-heading",
            pilot.slug,
            scope.query(None)
        )
    };
    let mut by_gap: Vec<_> = days.iter().filter(|(_, f)| f.blocks > 0).cloned().collect();
    by_gap.sort_by_key(|(day, f)| (std::cmp::Reverse(f.longest_gap_seconds), *day));
    by_gap.truncate(LONGEST_GAPS);
    let community = community::comparison(
        &mut conn,
        &City::stored(&pilot.city),
        &district.name,
        &[district.name.clone(), district.code.clone()],
        pilot.starts_on,
        pilot.ends_on,
    )
    .await?;
    let window = format!(
        "{}–{}{}",
        hotspot.watch.window_start.format("%H:%M"),
        hotspot.watch.window_end.format("%H:%M"),
        if hotspot.watch.window_end <= hotspot.watch.window_start {
            " (crosses midnight)"
        } else {
            ""
        }
    );
    let active = match hotspot.watch.active_to {
        Some(to) => format!(
            "{} to {}",
            format::day(hotspot.watch.active_from),
            format::day(to)
        ),
        None => format!("from {}", format::day(hotspot.watch.active_from)),
    };
    Ok(Page(HotspotPage {
        layout: Layout::new(format!("{} · {}", hotspot.name, pilot.name), Some(&user))
            .for_pilot(&pilot.slug, &pilot.name)
            .with_notice(scope.notice.clone()),
        pilot_name: pilot.name.clone(),
        pilot_href: format!("/pilots/{}{}", pilot.slug, scope.query(None)),
        district_href: format!(
            "/pilots/{}/districts/{}{}",
            pilot.slug,
            district.code,
            scope.query(None)
        ),
        district_name: district.name,
        facts: vec![
            (
                "Priority",
                format!("{} (1 is highest)", hotspot.watch.priority),
            ),
            ("Watch window", window),
            ("Active", active),
            (
                "Target",
                format!(
                    "{} patrol minutes a day",
                    hotspot.watch.target_minutes_per_day
                ),
            ),
            (
                "Longest gap aimed for",
                format!("{} minutes", hotspot.watch.max_gap_minutes),
            ),
            ("Why it is a hotspot", hotspot.reason.clone()),
        ],
        name: hotspot.name,
        edit_href: user
            .role
            .includes(Role::Analyst)
            .then(|| format!("/hotspots/{id}/edit")),
        from: range.from.to_string(),
        to: range.to.to_string(),
        first_day: pilot.starts_on.to_string(),
        last_day: pilot.ends_on.to_string(),
        district_options: Vec::new(),
        headline: views::headline(&total, &[], &activity)
            .into_iter()
            .filter(|s| s.label != "Patrol hours")
            .collect(),
        trend: charts::weekly_trend("Coverage by week", &views::weekly(&days)),
        daily: views::daily(&days),
        gaps: views::daily(&by_gap),
        visits: visit_rows
            .iter()
            .map(|v| VisitLine::new(v, scope.zone))
            .collect(),
        visits_total,
        visits_first: pager.offset() + 1,
        earlier_href: (pager.page > 1).then(|| page_href(pager.page - 1)),
        later_href: more_visits.then(|| page_href(pager.page + 1)),
        community,
    }))
}
