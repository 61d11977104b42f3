//! A district: its hotspots, their figures, its dosage day by day and its community's statistics.

use crate::web::path::Path;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::IntoResponse;

use super::auth::SignedIn;
use super::charts::{self, Map, MapArea, Trend};
use super::community::{self, Community};
use super::dashboard::DistrictOption;
use super::page::{Layout, Page};
use super::scope::{FilterQuery, Scope};
use super::views::{self, AreaRow, DailyRow, Stat};
use crate::db::{activities, districts, figures, hotspots, hours};
use crate::domain::City;
use crate::domain::Role;
use crate::domain::ids::HotspotId;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "pilots/district.html")]
pub struct DistrictPage {
    layout: Layout,
    pilot_name: String,
    pilot_href: String,
    name: String,
    code: String,
    /// The edit page, for those who may edit districts.
    edit_href: Option<String>,
    from: String,
    to: String,
    /// The pilot's first and last days: the `min` and `max` of the date inputs.
    first_day: String,
    last_day: String,
    district_options: Vec<DistrictOption>,
    headline: Vec<Stat>,
    map: Map,
    rows_heading: &'static str,
    rows: Vec<AreaRow>,
    daily: Vec<DailyRow>,
    trend: Trend,
    community: Option<Community>,
}

/// `GET /pilots/{slug}/districts/{code}?from=&to=`.
pub async fn show(
    SignedIn(user): SignedIn,
    State(state): State<AppState>,
    Path((slug, code)): Path<(String, String)>,
    Query(query): Query<FilterQuery>,
) -> AppResult<impl IntoResponse> {
    let scope = Scope::load(&state.db, &slug, &query).await?;
    let (pilot, range) = (&scope.pilot, scope.range);
    let mut conn = state.db.acquire().await?;
    let district = districts::list(&mut *conn, pilot.id)
        .await?
        .into_iter()
        .find(|d| d.code == code)
        .ok_or(AppError::NotFound)?;
    let report = figures::report(&mut conn, pilot.id, range.from, range.to).await?;
    let total = report
        .districts
        .iter()
        .find(|d| d.id == district.id)
        .map(|d| d.figures)
        .unwrap_or_default();
    let zone = pilot.time_zone.as_str();
    let agency_hours = hours::by_agency(
        &mut *conn,
        pilot.id,
        range.from,
        range.to,
        Some(district.id),
    )
    .await?;
    let activity = activities::by_kind(
        &mut *conn,
        pilot.id,
        zone,
        range.from,
        range.to,
        Some(district.id),
        None,
    )
    .await?;
    let days = figures::by_day(
        &mut *conn,
        pilot.id,
        range.from,
        range.to,
        Some(district.id),
        None,
    )
    .await?;
    let all_hotspots = hotspots::list(&mut *conn, pilot.id).await?;
    let mine: Vec<_> = report
        .hotspots
        .iter()
        .filter(|h| h.district_id == district.id)
        .collect();
    let hotspot_href = |id: HotspotId| {
        format!(
            "/pilots/{}/hotspots/{}{}",
            pilot.slug,
            id,
            scope.query(None)
        )
    };
    let coverage_of = |f: &crate::coverage::DayFigures| (f.blocks > 0).then(|| f.planned_pct());
    let areas = [MapArea {
        name: district.name.clone(),
        href: format!(
            "/pilots/{}/districts/{}{}",
            pilot.slug,
            district.code,
            scope.query(None)
        ),
        geometry: &district.boundary,
        coverage_pct: coverage_of(&total),
        current: false,
    }];
    let hotspot_areas: Vec<MapArea> = all_hotspots
        .iter()
        .filter(|h| h.district_id == district.id)
        .map(|h| MapArea {
            name: h.name.clone(),
            href: hotspot_href(h.id),
            geometry: &h.boundary,
            coverage_pct: mine
                .iter()
                .find(|r| r.id == h.id)
                .and_then(|r| coverage_of(&r.figures)),
            current: false,
        })
        .collect();
    let community = community::comparison(
        &mut conn,
        &City::stored(&pilot.city),
        &district.name,
        &[district.name.clone(), district.code.clone()],
        pilot.starts_on,
        pilot.ends_on,
    )
    .await?;
    Ok(Page(DistrictPage {
        layout: Layout::new(format!("{} · {}", district.name, pilot.name), Some(&user))
            .for_pilot(&pilot.slug, &pilot.name)
            .with_notice(scope.notice.clone()),
        pilot_name: pilot.name.clone(),
        pilot_href: format!("/pilots/{}{}", pilot.slug, scope.query(None)),
        headline: views::headline(&total, &agency_hours, &activity),
        map: charts::map(
            "Planned coverage of the district",
            "Planned coverage",
            &areas,
            &hotspot_areas,
        ),
        rows_heading: "Hotspots",
        rows: views::hotspot_rows(&mine, hotspot_href),
        trend: charts::weekly_trend("Coverage by week", &views::weekly(&days)),
        daily: views::daily(&days),
        community,
        edit_href: user
            .role
            .includes(Role::Analyst)
            .then(|| format!("/districts/{}/edit", district.id)),
        name: district.name,
        code: district.code,
        from: range.from.to_string(),
        to: range.to.to_string(),
        first_day: pilot.starts_on.to_string(),
        last_day: pilot.ends_on.to_string(),
        district_options: Vec::new(),
    }))
}
