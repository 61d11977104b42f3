//! The JSON API under `/api/v1`, for other tools: the same figures as the pages.

use crate::web::path::Path;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::auth::SignedIn;
use super::view_cache::{self, ViewKey};
use crate::coverage::DayFigures;
use crate::db::{figures, pilots};
use crate::domain::DateRange;
use crate::domain::ids::HotspotId;
use crate::error::AppError;
use crate::state::AppState;

/// An API failure: a status and a sentence, as JSON. Internal details are logged, never sent.
pub struct ApiError(StatusCode, String);

impl ApiError {
    /// An answer of `status` saying `message`.
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError(status, message.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let response = (self.0, Json(serde_json::json!({ "error": self.1 }))).into_response();
        crate::error::with_retry_after(response)
    }
}

/// The same status and sentence as the pages would show, as JSON.
impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        if let AppError::SignInRequired { .. } = error {
            return ApiError(
                StatusCode::UNAUTHORIZED,
                "sign in first: this API needs a session cookie".into(),
            );
        }
        let (status, message) = error.status_and_message();
        if status.is_server_error() {
            tracing::error!(%error, "API request failed");
        }
        ApiError(status, message)
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        AppError::Db(error).into()
    }
}

/// `from` and `to` as typed in the URL.
#[derive(Deserialize)]
pub struct RangeQuery {
    pub from: Option<String>,
    pub to: Option<String>,
}

/// The figures of docs/coverage.md for one area and range.
#[derive(Serialize)]
pub struct Figures {
    pub planned_coverage_pct: f64,
    pub delivered_coverage_pct: f64,
    pub patrol_minutes: f64,
    pub officer_minutes: f64,
    pub visits: i64,
    pub koper_visits: i64,
    pub pass_throughs: i64,
    pub hotspot_blocks: i64,
    pub planned_blocks: i64,
    pub delivered_blocks: i64,
    pub dosage_pct: f64,
    pub longest_gap_minutes: f64,
}

impl From<&DayFigures> for Figures {
    fn from(f: &DayFigures) -> Self {
        Figures {
            planned_coverage_pct: round2(f.planned_pct()),
            delivered_coverage_pct: round2(f.delivered_pct()),
            patrol_minutes: round2(f.patrol_minutes()),
            officer_minutes: round2(f.officer_minutes()),
            visits: f.visits,
            koper_visits: f.koper_visits,
            pass_throughs: f.pass_throughs,
            hotspot_blocks: f.blocks,
            planned_blocks: f.planned_blocks,
            delivered_blocks: f.delivered_blocks,
            dosage_pct: round2(f.dosage_pct()),
            longest_gap_minutes: round2(f.longest_gap_minutes()),
        }
    }
}

fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

#[derive(Serialize)]
pub struct DistrictJson {
    code: String,
    name: String,
    #[serde(flatten)]
    figures: Figures,
}

#[derive(Serialize)]
pub struct HotspotJson {
    id: HotspotId,
    name: String,
    district_code: String,
    priority: i16,
    #[serde(flatten)]
    figures: Figures,
}

#[derive(Serialize)]
pub struct CoverageJson {
    pilot: String,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    #[serde(flatten)]
    figures: Figures,
    districts: Vec<DistrictJson>,
    hotspots: Vec<HotspotJson>,
}

/// `GET /api/v1/pilots/{slug}/coverage?from=&to=`. The JSON is the same for every user and
/// depends on no date but the range's: it is kept by pilot data version and range.
pub async fn coverage(
    user: Result<SignedIn, AppError>,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<RangeQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    // Taken as a result so that a failure to check the session is answered in JSON too.
    let SignedIn(_user) = user?;
    let versioned = pilots::find_versioned(&state.db, &slug)
        .await?
        .ok_or_else(|| ApiError(StatusCode::NOT_FOUND, format!("there is no pilot {slug:?}")))?;
    let pilot = versioned.pilot;
    let range = DateRange::parse(
        query.from.as_deref(),
        query.to.as_deref(),
        pilot.starts_on,
        pilot.ends_on,
    )
    .map_err(|e| ApiError(StatusCode::BAD_REQUEST, e.to_string()))?;
    let key = ViewKey {
        pilot: pilot.id,
        version: versioned.data_version,
        view: format!("coverage?from={}&to={}", range.from, range.to),
        today: None,
    };
    let etag = key.etag(None);
    if view_cache::is_fresh(&headers, &etag) {
        return Ok(view_cache::not_modified(etag));
    }
    let body = match state.coverage_api.get(&key) {
        Some(body) => body,
        None => {
            let mut conn = state.db.acquire().await?;
            let report = figures::report(&mut conn, pilot.id, range.from, range.to).await?;
            let json = serde_json::to_vec(&coverage_json(pilot.slug, range, &report))
                .map_err(|e| AppError::Internal(e.into()))?;
            let body = Bytes::from(json);
            state.coverage_api.insert(key, body.clone());
            body
        }
    };
    let response = ([(header::CONTENT_TYPE, "application/json")], body).into_response();
    Ok(view_cache::validated(response, etag))
}

/// The API's answer for `report`, of pilot `slug` over `range`.
fn coverage_json(slug: String, range: DateRange, report: &figures::Report) -> CoverageJson {
    CoverageJson {
        pilot: slug,
        from: range.from,
        to: range.to,
        figures: Figures::from(&report.total),
        districts: report
            .districts
            .iter()
            .map(|d| DistrictJson {
                code: d.code.clone(),
                name: d.name.clone(),
                figures: Figures::from(&d.figures),
            })
            .collect(),
        hotspots: report
            .hotspots
            .iter()
            .map(|h| HotspotJson {
                id: h.id,
                name: h.name.clone(),
                district_code: h.district_code.clone(),
                priority: h.priority,
                figures: Figures::from(&h.figures),
            })
            .collect(),
    }
}
