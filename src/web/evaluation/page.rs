//! `GET /pilots/{slug}/evaluation`: did the pilot make a difference (docs/evaluation.md), in
//! plain words, a chart, a map and tables, beside what the patrols did; printable as a report.

use askama::Template;
use axum::extract::State;
use axum::response::IntoResponse;

use super::patrols::{self, Patrols};
use crate::db::{communities, pilots};
use crate::domain::community_stats::Dataset;
use crate::domain::{City, Role};
use crate::error::{AppError, AppResult};
use crate::evaluation::{
    Area, Month, Study, Unavailable, change_with_interval, headline, monthly, same_months_of,
};
use crate::state::AppState;
use crate::web::auth::SignedIn;
use crate::web::charts::{self, AreaMap, AreaShape, Lines, Series};
use crate::web::page::{Layout, Page};
use crate::web::path::Path;

/// The attribution the City's licence asks of anything that shows its data.
const CALGARY_ATTRIBUTION: &str =
    "Contains information licensed under the Open Government Licence – City of Calgary.";

/// What the method cannot tell, said on the page.
const LIMITS: [&str; 4] = [
    "The City counts by community and by month, not by hotspot: a hotspot is a few blocks of a \
     community, so an effect on the hotspot is diluted by the rest of its community and month.",
    "Reported crime can rise when more officers are present: patrols find and record offences \
     that would otherwise go unreported, so a rise is not by itself a failure.",
    "One pilot in a handful of communities is a small sample: read each change with its 95% \
     interval, never as a bare percentage.",
    "The comparison is the rest of the city, which had no such patrols but may have changed for \
     its own reasons (weather, events, other programmes).",
];

/// One category's line of the table.
pub struct CategoryRow {
    pub name: String,
    pub treated_pilot: String,
    pub treated_year_before: String,
    pub treated_change: String,
    pub buffer_change: String,
}

#[derive(Template)]
#[template(path = "pilots/evaluation.html")]
pub struct EvaluationPage {
    layout: Layout,
    pilot_name: String,
    pilot_href: String,
    headlines: Vec<String>,
    periods: Vec<(&'static str, String)>,
    chart: Lines,
    map: AreaMap,
    categories: Vec<CategoryRow>,
    displacement: Vec<String>,
    patrols: Patrols,
    limits: [&'static str; 4],
    csv_href: Option<String>,
    footer_range: String,
    footer_sources: String,
    attribution: Option<&'static str>,
}

fn span(months: &[Month]) -> String {
    match (months.first(), months.last()) {
        (Some(a), Some(b)) if a == b => a.to_string(),
        (Some(a), Some(b)) => format!("{a} to {b}"),
        _ => "none".into(),
    }
}

/// `GET /pilots/{slug}/evaluation`, for every signed-in role.
pub async fn show(
    SignedIn(user): SignedIn,
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> AppResult<impl IntoResponse> {
    let versioned = pilots::find_versioned(&state.db, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let crime = super::study(&state, &versioned, Dataset::Crime).await?;
    let disorder = super::study(&state, &versioned, Dataset::Disorder).await?;
    let pilot = &versioned.pilot;
    let mut conn = state.db.acquire().await?;
    let patrols = patrols::load(&mut conn, pilot).await?;
    let places = communities::list(&mut *conn, &City::stored(&pilot.city)).await?;
    let shapes: Vec<AreaShape> = places
        .iter()
        .map(|c| AreaShape {
            name: c.name.clone(),
            area: crime.areas.of(&c.code),
            geometry: &c.boundary,
        })
        .collect();
    let city = pilot.city.as_str();
    let year_before = &crime.periods.year_before;
    let headlines = [("Crime", &crime), ("Disorder", &disorder)]
        .iter()
        .map(|(what, study)| {
            let all = study.evaluate(None);
            headline(
                what,
                study.areas.treated.len(),
                city,
                year_before,
                &all.treated_vs_year_before,
            )
        })
        .collect();
    let p = &crime.periods;
    Ok(Page(EvaluationPage {
        layout: Layout::new(format!("Evaluation · {}", pilot.name), Some(&user))
            .for_pilot(&pilot.slug, &pilot.name),
        pilot_name: pilot.name.clone(),
        pilot_href: format!("/pilots/{}", pilot.slug),
        headlines,
        periods: vec![
            ("Pilot months", span(&p.pilot)),
            ("Before", span(&p.before)),
            ("After", span(&p.after)),
            ("A year earlier", span(&p.year_before)),
        ],
        chart: chart(&crime),
        map: charts::area_map(
            "Patrolled communities, the buffer within 250 m and the rest of the city",
            &shapes,
        ),
        categories: category_rows(&crime),
        displacement: displacement(&crime, city),
        patrols,
        limits: LIMITS,
        csv_href: user
            .role
            .includes(Role::Supervisor)
            .then(|| format!("/exports/evaluation_monthly.csv?pilot={}", pilot.slug)),
        footer_range: format!(
            "Pilot {} to {}; counts compared over {}.",
            crate::web::format::day(pilot.starts_on),
            crate::web::format::day(pilot.ends_on),
            p.year_before.first().zip(p.after.last()).map_or_else(
                || "no months".into(),
                |(a, b)| format!(
                    "{} to {}",
                    a.first_day().format("%B %Y"),
                    b.first_day().format("%B %Y")
                )
            ),
        ),
        footer_sources: format!(
            "Sources: the City of {city}'s community crime and disorder statistics and community \
             boundaries; the pilot's roster, visits and activities in patrolboard."
        ),
        attribution: (city == "Calgary").then_some(CALGARY_ATTRIBUTION),
    }))
}

/// Crime per month before, during and after the pilot in each area, indexed to the area's
/// monthly average a year earlier.
fn chart(study: &Study) -> Lines {
    let p = &study.periods;
    let months: Vec<Month> = p
        .before
        .iter()
        .chain(&p.pilot)
        .chain(&p.after)
        .copied()
        .collect();
    let series_months: Vec<Month> = months.iter().chain(&p.year_before).copied().collect();
    let by_month = monthly(&study.counts, &study.areas, &series_months, None);
    let series = [
        (Area::Treated, "Patrolled"),
        (Area::Buffer, "Buffer"),
        (Area::Comparison, "Rest of the city"),
    ]
    .into_iter()
    .map(|(area, name)| {
        let base: i64 = p.year_before.iter().map(|m| by_month[&(*m, area)]).sum();
        let average = base as f64 / p.year_before.len().max(1) as f64;
        let counts: Vec<i64> = months.iter().map(|m| by_month[&(*m, area)]).collect();
        Series {
            name: name.to_string(),
            index: counts
                .iter()
                .map(|c| (average > 0.0).then(|| *c as f64 / average * 100.0))
                .collect(),
            counts,
        }
    })
    .collect::<Vec<_>>();
    let labels: Vec<String> = months.iter().map(Month::to_string).collect();
    charts::monthly_lines(
        &format!(
            "Crime per month, indexed to {} (100 = that average month)",
            same_months_of(&p.year_before)
        ),
        &labels,
        &series,
    )
}

fn category_rows(study: &Study) -> Vec<CategoryRow> {
    std::iter::once(None)
        .chain(study.categories.iter().map(|c| Some(c.as_str())))
        .map(|category| {
            let e = study.evaluate(category);
            CategoryRow {
                name: category.unwrap_or("All categories").to_string(),
                treated_pilot: e.counts.treated.pilot.to_string(),
                treated_year_before: e.counts.treated.year_before.to_string(),
                treated_change: change_with_interval(&e.treated_vs_year_before),
                buffer_change: change_with_interval(&e.buffer_vs_year_before),
            }
        })
        .collect()
}

fn displacement(study: &Study, city: &str) -> Vec<String> {
    let e = study.evaluate(None);
    let against = same_months_of(&study.periods.year_before);
    let buffer = format!(
        "In the {} communities within 250 m of a patrolled one, crime changed {} relative to the \
         rest of {city}, against {against}.",
        study.areas.buffer.len(),
        change_with_interval(&e.buffer_vs_year_before)
    );
    let wdq = match e.wdq {
        Ok(q) if q > 0.0 => format!(
            "Weighted displacement quotient {q:.2}: positive, so the benefit spread to the buffer \
             rather than crime moving there."
        ),
        Ok(q) if q < 0.0 => format!(
            "Weighted displacement quotient {q:.2}: negative, so some crime appears to have moved \
             into the buffer."
        ),
        Ok(q) => {
            format!("Weighted displacement quotient {q:.2}: no sign of displacement or spread.")
        }
        Err(Unavailable::TreatedDidNotImprove) => format!(
            "No weighted displacement quotient: {}.",
            Unavailable::TreatedDidNotImprove
        ),
        Err(why) => format!("No weighted displacement quotient: {why}."),
    };
    vec![buffer, wdq]
}
