//! What the pilot dashboard shows, computed from the database: the same for every user, so it is
//! cached by pilot data version (`super::show`).

use std::collections::HashMap;

use askama::Template;
use sqlx::PgPool;

use super::super::answer::{self, Answer};
use super::super::charts::{self, MapArea, Surroundings};
use super::super::city_outlines::Outline;
use super::super::format;
use super::super::landmarks;
use super::super::scope::Scope;
use super::super::views::{self, AreaRow, Stat};
use super::ShadeBy;
use crate::coverage::{self, DayFigures};
use crate::db::districts::District;
use crate::db::{activities, figures, gaps, hotspots, hours};
use crate::domain::City;
use crate::domain::ids::HotspotId;
use crate::error::AppResult;

/// How many uncovered blocks the gap list shows.
const GAP_LIST_LENGTH: usize = 15;

/// A district in the filter's drop-down.
pub struct DistrictOption {
    pub code: String,
    pub name: String,
    pub selected: bool,
}

/// A choice of the map's shading: a link to the same dashboard shaded by another figure.
pub struct ShadeLink {
    pub label: &'static str,
    pub href: String,
    pub current: bool,
}

/// An uncovered hotspot-block a supervisor should fill.
pub struct GapRow {
    pub hotspot: String,
    pub href: String,
    pub priority: i16,
    pub when: String,
}

/// The figures of the area shown (the pilot, or one district) and the rows beneath it.
struct Breakdown {
    area_name: String,
    total: DayFigures,
    rows_heading: &'static str,
    rows: Vec<AreaRow>,
    /// What the rows leave out, if anything.
    rows_note: Option<String>,
    /// (label, link, row key: a district's or a hotspot's id) of each heatmap row.
    heat_rows: Vec<(String, String, i64)>,
    /// The heatmap row of each slot row (a district's or a hotspot's).
    row_of: HashMap<i64, i64>,
}

/// The dashboard of one pilot, range and district, with its charts already drawn.
pub struct DashboardView {
    pub slug: String,
    pub name: String,
    pub dates: String,
    pub progress: String,
    pub from: String,
    pub to: String,
    /// The pilot's first and last days: the `min` and `max` of the date inputs.
    pub first_day: String,
    pub last_day: String,
    pub district_options: Vec<DistrictOption>,
    pub area_name: String,
    /// Are the hotspots getting the patrol planned? `None` with no hotspot-blocks in range.
    pub answer: Option<Answer>,
    pub headline: Vec<Stat>,
    /// The map's shading as named in the address, kept by the filter form.
    pub shade: &'static str,
    pub shade_links: Vec<ShadeLink>,
    pub map: String,
    pub rows_heading: &'static str,
    pub rows: Vec<AreaRow>,
    /// What `rows` leave out, if anything.
    pub rows_note: Option<String>,
    pub trend: String,
    pub heatmap: String,
    pub gaps: Vec<GapRow>,
    pub gaps_from: String,
}

/// Computes the dashboard of `scope`, for `district` (one of `all_districts`) or the whole pilot.
pub async fn compute(
    db: &PgPool,
    scope: &Scope,
    all_districts: &[District],
    district: Option<&District>,
    shade: ShadeBy,
    city: &[Outline],
) -> AppResult<DashboardView> {
    let (pilot, range) = (&scope.pilot, scope.range);
    let mut conn = db.acquire().await?;
    let district_id = district.map(|d| d.id);
    let all_hotspots = hotspots::list(&mut *conn, pilot.id).await?;
    let report = figures::report(&mut conn, pilot.id, range.from, range.to).await?;
    let zone = pilot.time_zone.as_str();
    let agency_hours =
        hours::by_agency(&mut *conn, pilot.id, range.from, range.to, district_id).await?;
    let district_hours = hours::by_district(&mut *conn, pilot.id, range.from, range.to).await?;
    let activity = activities::by_kind(
        &mut *conn,
        pilot.id,
        zone,
        range.from,
        range.to,
        district_id,
        None,
    )
    .await?;
    let days = figures::by_day(
        &mut *conn,
        pilot.id,
        range.from,
        range.to,
        district_id,
        None,
    )
    .await?;
    let slots = figures::slots(&mut *conn, pilot.id, range.from, range.to, district_id).await?;

    let district_href = |code: &str| {
        format!(
            "/pilots/{}/districts/{}{}",
            pilot.slug,
            code,
            scope.query(None)
        )
    };
    let hotspot_href = |id: HotspotId| {
        format!(
            "/pilots/{}/hotspots/{}{}",
            pilot.slug,
            id,
            scope.query(None)
        )
    };

    let coverage_of = |f: &DayFigures| shade.figure(f);
    let district_areas: Vec<MapArea> = all_districts
        .iter()
        .map(|d| MapArea {
            name: d.name.clone(),
            href: district_href(&d.code),
            geometry: &d.boundary,
            coverage_pct: report
                .districts
                .iter()
                .find(|r| r.id == d.id)
                .and_then(|r| coverage_of(&r.figures)),
            current: district_id == Some(d.id),
        })
        .collect();
    // With a district chosen, only its hotspots, and the map closes in on it and its neighbours:
    // a city's hundreds of hotspots elsewhere weighed half the page.
    let hotspot_areas: Vec<MapArea> = all_hotspots
        .iter()
        .filter(|h| district_id.is_none_or(|id| h.district_id == id))
        .map(|h| MapArea {
            name: h.name.clone(),
            href: hotspot_href(h.id),
            geometry: &h.boundary,
            coverage_pct: report
                .hotspots
                .iter()
                .find(|r| r.id == h.id)
                .and_then(|r| coverage_of(&r.figures)),
            current: false,
        })
        .collect();
    // The city's communities that are not districts of the pilot, for bearings.
    let context: Vec<&[charts::Polygon]> = city
        .iter()
        .filter(|c| !all_districts.iter().any(|d| d.code == c.code))
        .map(|c| c.shape.as_slice())
        .collect();
    let map = charts::map_with_context(
        &format!("{} by district", shade.measure()),
        shade.measure(),
        &district_areas,
        &hotspot_areas,
        &Surroundings {
            context: &context,
            landmarks: landmarks::of(&City::stored(&pilot.city)),
        },
    )
    .render()
    .map_err(anyhow::Error::from)?;

    // A district without hotspots has no figures: listing every one of a city's would bury the
    // few that matter, so the table and heatmap hold the districts with hotspots (all of them
    // while no district has any).
    let watched: Vec<_> = match report.districts.iter().any(|d| d.hotspots > 0) {
        true => report.districts.iter().filter(|d| d.hotspots > 0).collect(),
        false => report.districts.iter().collect(),
    };
    let unwatched = report.districts.len() - watched.len();
    let breakdown = match district {
        None => Breakdown {
            area_name: pilot.name.clone(),
            total: report.total,
            rows_heading: "Districts",
            rows_note: (unwatched > 0).then(|| match unwatched {
                1 => "1 other district has no hotspots.".to_owned(),
                n => format!("{n} other districts have no hotspots."),
            }),
            rows: watched
                .iter()
                .map(|d| {
                    let hours = district_hours
                        .iter()
                        .find(|(id, _)| *id == d.id)
                        .map_or(0.0, |(_, s)| *s);
                    let note = format!(
                        "{}; {} officer-hours",
                        format::counted(d.hotspots as i64, "hotspot", "hotspots"),
                        format::hours(hours)
                    );
                    AreaRow::new(&d.name, district_href(&d.code), note, &d.figures)
                })
                .collect(),
            heat_rows: watched
                .iter()
                .map(|d| (d.name.clone(), district_href(&d.code), d.id.0))
                .collect(),
            row_of: watched.iter().map(|d| (d.id.0, d.id.0)).collect(),
        },
        Some(d) => {
            let mine: Vec<_> = report
                .hotspots
                .iter()
                .filter(|h| h.district_id == d.id)
                .collect();
            Breakdown {
                area_name: d.name.clone(),
                total: report
                    .districts
                    .iter()
                    .find(|r| r.id == d.id)
                    .map(|r| r.figures)
                    .unwrap_or_default(),
                rows_heading: "Hotspots",
                rows_note: None,
                rows: views::hotspot_rows(&mine, hotspot_href),
                heat_rows: mine
                    .iter()
                    .map(|h| (h.name.clone(), hotspot_href(h.id), h.id.0))
                    .collect(),
                row_of: mine.iter().map(|h| (h.id.0, h.id.0)).collect(),
            }
        }
    };
    let cells = views::heatmap_cells(&slots, &breakdown.row_of);
    let heatmap = charts::heatmap(
        "Planned coverage by hour of the week",
        &views::heatmap_rows(&breakdown.heat_rows, &cells),
    )
    .render()
    .map_err(anyhow::Error::from)?;
    let weeks = views::weekly(&days);
    let answer = answer::answer(&breakdown.total, &weeks);
    let trend = charts::weekly_trend("Coverage by week", &weeks)
        .render()
        .map_err(anyhow::Error::from)?;

    // The gap list looks forward from today (clamped into the pilot) to the pilot's end.
    let gaps_from = scope.today();
    let engine_pilot = scope.engine_pilot();
    let watched: Vec<coverage::Hotspot> = all_hotspots
        .iter()
        .filter(|h| district_id.is_none_or(|id| h.district_id == id))
        .map(coverage::Hotspot::from)
        .collect();
    let names: HashMap<HotspotId, &str> = all_hotspots
        .iter()
        .map(|h| (h.id, h.name.as_str()))
        .collect();
    let gaps = gaps::list(
        &mut conn,
        pilot.id,
        &engine_pilot,
        &watched,
        gaps_from,
        pilot.ends_on,
        GAP_LIST_LENGTH,
    )
    .await?
    .into_iter()
    .map(|gap| GapRow {
        hotspot: names
            .get(&gap.hotspot_id)
            .copied()
            .unwrap_or("?")
            .to_string(),
        href: hotspot_href(gap.hotspot_id),
        priority: gap.priority,
        when: format!(
            "{}–{}",
            format::local(gap.local_start),
            gap.ends_at.with_timezone(&scope.zone).format("%H:%M")
        ),
    })
    .collect();

    Ok(DashboardView {
        slug: pilot.slug.clone(),
        name: pilot.name.clone(),
        dates: format!(
            "{} to {}",
            format::day(pilot.starts_on),
            format::day(pilot.ends_on)
        ),
        progress: scope.progress(),
        from: range.from.to_string(),
        to: range.to.to_string(),
        first_day: pilot.starts_on.to_string(),
        last_day: pilot.ends_on.to_string(),
        district_options: all_districts
            .iter()
            .map(|d| DistrictOption {
                code: d.code.clone(),
                name: d.name.clone(),
                selected: district_id == Some(d.id),
            })
            .collect(),
        answer,
        headline: views::headline(&breakdown.total, &agency_hours, &activity),
        shade: shade.as_str(),
        shade_links: ShadeBy::ALL
            .into_iter()
            .map(|choice| ShadeLink {
                label: choice.measure(),
                href: format!(
                    "/pilots/{}{}&shade={choice}#map-heading",
                    pilot.slug,
                    scope.query(district.map(|d| d.code.as_str()))
                ),
                current: choice == shade,
            })
            .collect(),
        area_name: breakdown.area_name,
        map,
        rows_heading: breakdown.rows_heading,
        rows: breakdown.rows,
        rows_note: breakdown.rows_note,
        trend,
        heatmap,
        gaps,
        gaps_from: format::day(gaps_from),
    })
}
