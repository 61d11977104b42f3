//! `GET /exports/evaluation_monthly.csv?pilot=SLUG`: the evaluation's monthly series, crime then
//! disorder, for whoever may export (supervisors and up, like every export).

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::db::pilots;
use crate::domain::community_stats::Dataset;
use crate::error::{AppError, AppResult};
use crate::export::evaluation::{write_header, write_rows};
use crate::state::AppState;
use crate::web::auth::AsSupervisor;

/// The query as typed in the URL.
#[derive(Deserialize)]
pub struct MonthlyQuery {
    pub pilot: Option<String>,
}

/// The monthly series of every dataset of the pilot's evaluation.
#[tracing::instrument(skip_all, fields(user = %user.username))]
pub async fn monthly(
    AsSupervisor(user): AsSupervisor,
    State(state): State<AppState>,
    Query(query): Query<MonthlyQuery>,
) -> AppResult<Response> {
    let slug = query
        .pilot
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| {
            AppError::BadRequest(
                "Say which pilot to export: add pilot= and its short name to the address.".into(),
            )
        })?;
    let versioned = pilots::find_versioned(&state.db, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut out = Vec::new();
    write_header(&mut out);
    for dataset in Dataset::ALL {
        let study = super::study(&state, &versioned, dataset).await?;
        write_rows(&mut out, dataset, &study);
    }
    let disposition = format!(
        "attachment; filename=\"patrolboard-{}-evaluation_monthly.csv\"",
        versioned.pilot.slug
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        out,
    )
        .into_response())
}
