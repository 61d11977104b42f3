//! `GET /api/v1/pilots/{slug}/evaluation?dataset=crime|disorder[&category=NAME]`: the evaluation
//! as JSON, exactly as docs/evaluation.md ("As JSON") writes it.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::db::pilots;
use crate::domain::community_stats::Dataset;
use crate::error::AppError;
use crate::evaluation::{AreaCounts, Evaluation, Month, RateRatio, Study, Unavailable};
use crate::state::AppState;
use crate::web::api::ApiError;
use crate::web::auth::SignedIn;
use crate::web::path::Path;
use crate::web::view_cache::{self, ViewKey};

/// The query as typed in the URL.
#[derive(Deserialize)]
pub struct EvaluationQuery {
    /// `crime` or `disorder`; crime when absent.
    pub dataset: Option<String>,
    /// One category of the dataset; all of them when absent or empty.
    pub category: Option<String>,
}

#[derive(Serialize)]
struct MonthsJson {
    pilot: Vec<String>,
    before: Vec<String>,
    after: Vec<String>,
    year_before: Vec<String>,
}

#[derive(Serialize)]
struct AreasJson<'a> {
    treated: &'a [String],
    buffer: &'a [String],
    comparison_count: usize,
}

/// A rate ratio, or nulls and the reason there is none.
#[derive(Serialize)]
struct RatioJson {
    value: Option<f64>,
    ci95: Option<[f64; 2]>,
    reason: Option<String>,
}

#[derive(Serialize)]
struct RatiosJson {
    treated_vs_year_before: RatioJson,
    treated_vs_before: RatioJson,
    buffer_vs_year_before: RatioJson,
}

#[derive(Serialize)]
struct EvaluationJson<'a> {
    pilot: &'a str,
    dataset: Dataset,
    category: Option<&'a str>,
    months: MonthsJson,
    areas: AreasJson<'a>,
    counts: AreaCounts,
    rate_ratio: RatiosJson,
    wdq: Option<f64>,
    wdq_reason: Option<String>,
}

/// Ratios to four decimals: more would claim a precision monthly counts do not have.
fn round4(value: f64) -> f64 {
    (value * 10_000.0).round() / 10_000.0
}

fn ratio_json(ratio: &Result<RateRatio, Unavailable>) -> RatioJson {
    match ratio {
        Ok(r) => RatioJson {
            value: Some(round4(r.value)),
            ci95: Some(r.ci95.map(round4)),
            reason: None,
        },
        Err(why) => RatioJson {
            value: None,
            ci95: None,
            reason: Some(why.to_string()),
        },
    }
}

fn months(list: &[Month]) -> Vec<String> {
    list.iter().map(Month::to_string).collect()
}

/// The dataset named in the query (crime when none), or a 400 saying which are known.
pub fn dataset_of(query: Option<&str>) -> Result<Dataset, ApiError> {
    match query.map(str::trim).filter(|d| !d.is_empty()) {
        None => Ok(Dataset::Crime),
        Some(name) => name
            .parse()
            .map_err(|e: crate::domain::text_enum::UnknownName| {
                ApiError::new(StatusCode::BAD_REQUEST, e.to_string())
            }),
    }
}

/// The category named in the query as `study` stores it (`None` for all), or a 400.
pub fn category_of<'a>(
    study: &'a Study,
    dataset: Dataset,
    query: Option<&str>,
) -> Result<Option<&'a str>, ApiError> {
    match query.map(str::trim).filter(|c| !c.is_empty()) {
        None => Ok(None),
        Some(name) => study.category(name).map(Some).ok_or_else(|| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                format!(
                    "unknown category {name:?} of the {dataset} statistics: use one of {}",
                    study.categories.join("; ")
                ),
            )
        }),
    }
}

/// `GET /api/v1/pilots/{slug}/evaluation`. Every signed-in role may read it.
pub async fn show(
    user: Result<SignedIn, AppError>,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<EvaluationQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    // Taken as a result so that a failure to check the session is answered in JSON too.
    let SignedIn(_user) = user?;
    let dataset = dataset_of(query.dataset.as_deref())?;
    let versioned = pilots::find_versioned(&state.db, &slug)
        .await?
        .ok_or_else(|| {
            ApiError::new(StatusCode::NOT_FOUND, format!("there is no pilot {slug:?}"))
        })?;
    let study = super::study(&state, &versioned, dataset).await?;
    let category = category_of(&study, dataset, query.category.as_deref())?;
    let key = ViewKey {
        pilot: versioned.pilot.id,
        version: versioned.data_version,
        view: format!(
            "evaluation?dataset={dataset}&category={}",
            category.unwrap_or("")
        ),
        today: None,
    };
    let etag = key.etag(None);
    if view_cache::is_fresh(&headers, &etag) {
        return Ok(view_cache::not_modified(etag));
    }
    let evaluation = study.evaluate(category);
    let body = evaluation_json(&versioned.pilot.slug, dataset, &study, &evaluation);
    Ok(view_cache::validated(Json(body).into_response(), etag))
}

fn evaluation_json<'a>(
    slug: &'a str,
    dataset: Dataset,
    study: &'a Study,
    evaluation: &'a Evaluation,
) -> EvaluationJson<'a> {
    let periods = &study.periods;
    EvaluationJson {
        pilot: slug,
        dataset,
        category: evaluation.category.as_deref(),
        months: MonthsJson {
            pilot: months(&periods.pilot),
            before: months(&periods.before),
            after: months(&periods.after),
            year_before: months(&periods.year_before),
        },
        areas: AreasJson {
            treated: &study.areas.treated,
            buffer: &study.areas.buffer,
            comparison_count: study.comparison_count,
        },
        counts: evaluation.counts,
        rate_ratio: RatiosJson {
            treated_vs_year_before: ratio_json(&evaluation.treated_vs_year_before),
            treated_vs_before: ratio_json(&evaluation.treated_vs_before),
            buffer_vs_year_before: ratio_json(&evaluation.buffer_vs_year_before),
        },
        wdq: evaluation.wdq.as_ref().ok().map(|q| round4(*q)),
        wdq_reason: evaluation.wdq.as_ref().err().map(Unavailable::to_string),
    }
}
