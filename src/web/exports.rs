//! CSV exports: the exports page (filters, row counts, data dictionary) and the downloads.

use crate::web::path::Path;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use sqlx::PgPool;

use super::auth::AsSupervisor;
use super::dashboard::DistrictOption;
use super::format;
use super::login::encode_next as encode;
use super::page::{Layout, Page};
use super::scope::{FilterQuery, Scope};
use crate::db::agencies;
use crate::db::districts::{self, District};
use crate::db::pilots;
use crate::domain::agency::Agencies;
use crate::error::{AppError, AppResult};
use crate::export::{self, DATASETS, Dataset, Filter, stream};
use crate::state::AppState;

/// The routes of this feature.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/exports", get(index))
        .route("/exports/{file}", get(download))
}

/// The filter of the exports, as typed in the URL.
#[derive(Debug, Default, Deserialize)]
pub struct ExportQuery {
    pub pilot: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub district: Option<String>,
    pub bom: Option<String>,
    /// The pilot the exports page showed when its form was sent.
    pub shown: Option<String>,
}

/// `Some` of the trimmed text when it is not empty.
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// A pilot, range and district asked for, checked against the database.
struct Chosen {
    scope: Scope,
    districts: Vec<District>,
    district: Option<District>,
}

impl Chosen {
    /// 404 for an unknown pilot; 400 for bad dates or a district the pilot does not have.
    async fn load(db: &PgPool, slug: &str, query: &ExportQuery) -> AppResult<Chosen> {
        let range = FilterQuery {
            from: query.from.clone(),
            to: query.to.clone(),
            district: None,
        };
        let scope = Scope::load_exact(db, slug, &range).await?;
        let districts = districts::list(db, scope.pilot.id).await?;
        let district = match given(&query.district) {
            None => None,
            Some(code) => Some(
                districts
                    .iter()
                    .find(|d| d.code == code)
                    .cloned()
                    .ok_or_else(|| {
                        AppError::BadRequest(format!(
                            "There is no district {code:?} in the pilot {}. Choose one from the \
                             list on the exports page.",
                            scope.pilot.name
                        ))
                    })?,
            ),
        };
        Ok(Chosen {
            scope,
            districts,
            district,
        })
    }

    fn filter(&self) -> Filter {
        Filter {
            pilot_id: self.scope.pilot.id,
            zone: self.scope.zone,
            range: self.scope.range,
            district_id: self.district.as_ref().map(|d| d.id),
        }
    }

    /// The query string that carries this choice into a download link.
    fn query(&self) -> String {
        let mut query = format!(
            "?pilot={}&from={}&to={}",
            encode(&self.scope.pilot.slug),
            self.scope.range.from,
            self.scope.range.to
        );
        if let Some(district) = &self.district {
            query.push_str("&district=");
            query.push_str(&encode(&district.code));
        }
        query
    }

    /// `patrolboard-calgary-2023-visits-2023-03-01-to-2023-03-31.csv`: what and when. The
    /// district and the dates are named only when they limit the dataset.
    fn filename(&self, dataset: &Dataset) -> String {
        let mut name = format!("patrolboard-{}-{}", self.scope.pilot.slug, dataset.name);
        if let (Some(district), Some(_)) = (&self.district, dataset.by_district) {
            name.push('-');
            name.extend(district.code.chars().map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            }));
        }
        if dataset.by_range.is_some() {
            let range = self.scope.range;
            name.push_str(&format!("-{}-to-{}", range.from, range.to));
        }
        name.push_str(".csv");
        name
    }
}

/// `bom=1` asks for the byte-order mark Excel needs to read UTF-8.
fn wants_bom(query: &ExportQuery) -> AppResult<bool> {
    match given(&query.bom) {
        None | Some("0") => Ok(false),
        Some("1") => Ok(true),
        Some(other) => Err(AppError::BadRequest(format!(
            "bom must be 1 (add a byte-order mark for Excel) or 0, not {other:?}."
        ))),
    }
}

/// `GET /exports/{dataset}.csv?pilot=&from=&to=&district=&bom=`: the dataset as CSV, streamed.
#[tracing::instrument(skip_all, fields(file = %file, user = %user.username))]
pub async fn download(
    AsSupervisor(user): AsSupervisor,
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(query): Query<ExportQuery>,
) -> AppResult<Response> {
    let dataset = file
        .strip_suffix(".csv")
        .and_then(export::find)
        .ok_or(AppError::NotFound)?;
    let slug = given(&query.pilot).ok_or_else(|| {
        AppError::BadRequest(
            "Say which pilot to export: add pilot= and its short name to the address, or start \
             from the exports page."
                .into(),
        )
    })?;
    let bom = wants_bom(&query)?;
    let chosen = Chosen::load(&state.db, slug, &query).await?;
    let slot = state.exports.try_take().ok_or_else(|| {
        AppError::Unavailable(format!(
            "Too many exports are running at once (at most {}). Please try again in a minute.",
            stream::MAX_RUNNING
        ))
    })?;
    let disposition = format!("attachment; filename=\"{}\"", chosen.filename(dataset));
    let body = stream::body(state.db.clone(), dataset, chosen.filter(), bom, slot);
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        body,
    )
        .into_response())
}

pub struct PilotOption {
    pub slug: String,
    pub name: String,
    pub selected: bool,
}

/// A column in the data dictionary.
pub struct ColumnLine {
    pub name: &'static str,
    pub kind: &'static str,
    pub unit: &'static str,
    pub meaning: &'static str,
}

/// A dataset as the exports page lists it.
pub struct DatasetLine {
    pub name: &'static str,
    pub row: &'static str,
    pub rows: i64,
    pub rows_text: String,
    pub limits: String,
    pub href: String,
    pub excel_href: String,
    pub columns: Vec<ColumnLine>,
}

#[derive(Template)]
#[template(path = "exports/index.html")]
pub struct ExportsPage {
    layout: Layout,
    pilot_options: Vec<PilotOption>,
    pilot_slug: String,
    pilot_name: String,
    from: String,
    to: String,
    first_day: String,
    last_day: String,
    district_options: Vec<DistrictOption>,
    district_name: Option<String>,
    zone: String,
    /// The agencies on file, to say what the agency codes in the files stand for.
    agencies: Agencies,
    datasets: Vec<DatasetLine>,
}

/// What the range and district do to a dataset, in words.
fn limits(dataset: &Dataset) -> String {
    match (dataset.by_range, dataset.by_district) {
        (Some(range), Some(district)) => format!("Dates: {range}. District: {district}."),
        (Some(range), None) => format!("Dates: {range}. Not limited by district."),
        (None, Some(district)) => format!("Not limited by dates. District: {district}."),
        (None, None) => "The whole pilot, whatever the dates and district.".into(),
    }
}

/// `GET /exports?pilot=&from=&to=&district=`: the filter, each dataset with its row count and
/// download links, and the data dictionary.
#[tracing::instrument(skip_all, fields(user = %user.username))]
pub async fn index(
    AsSupervisor(user): AsSupervisor,
    State(state): State<AppState>,
    Query(query): Query<ExportQuery>,
) -> AppResult<impl IntoResponse> {
    let all = pilots::list(&state.db).await?;
    // Without a choice, the most recent pilot; with none at all, there is nothing to export.
    let slug = match given(&query.pilot) {
        Some(slug) => slug.to_string(),
        None => match all.first() {
            Some(pilot) => pilot.slug.clone(),
            None => return Err(AppError::NotFound),
        },
    };
    // Another pilot picked in the form: its own dates and districts, not those of the last one.
    let query = if given(&query.shown).is_some_and(|shown| shown != slug) {
        ExportQuery::default()
    } else {
        query
    };
    let chosen = Chosen::load(&state.db, &slug, &query).await?;
    let filter = chosen.filter();
    let link_query = chosen.query();
    let mut conn = state.db.acquire().await?;
    let mut datasets = Vec::with_capacity(DATASETS.len());
    for dataset in DATASETS {
        let rows = export::count(&mut *conn, dataset, &filter).await?;
        let href = format!("/exports/{}.csv{link_query}", dataset.name);
        datasets.push(DatasetLine {
            name: dataset.name,
            row: dataset.row,
            rows,
            rows_text: format::count(rows),
            limits: limits(dataset),
            excel_href: format!("{href}&bom=1"),
            href,
            columns: dataset
                .columns
                .iter()
                .map(|c| ColumnLine {
                    name: c.name,
                    kind: c.kind.describe(),
                    unit: c.unit,
                    meaning: c.meaning,
                })
                .collect(),
        });
    }
    let agencies = agencies::list(&mut *conn).await?;
    let pilot = &chosen.scope.pilot;
    Ok(Page(ExportsPage {
        layout: Layout::new(format!("Exports · {}", pilot.name), Some(&user))
            .for_pilot(&pilot.slug, &pilot.name),
        pilot_options: all
            .iter()
            .map(|p| PilotOption {
                slug: p.slug.clone(),
                name: p.name.clone(),
                selected: p.id == pilot.id,
            })
            .collect(),
        pilot_slug: pilot.slug.clone(),
        pilot_name: pilot.name.clone(),
        from: chosen.scope.range.from.to_string(),
        to: chosen.scope.range.to.to_string(),
        first_day: pilot.starts_on.to_string(),
        last_day: pilot.ends_on.to_string(),
        district_options: chosen
            .districts
            .iter()
            .map(|d| DistrictOption {
                code: d.code.clone(),
                name: d.name.clone(),
                selected: chosen.district.as_ref().is_some_and(|c| c.id == d.id),
            })
            .collect(),
        district_name: chosen.district.as_ref().map(|d| d.name.clone()),
        zone: pilot.time_zone.clone(),
        agencies,
        datasets,
    }))
}
