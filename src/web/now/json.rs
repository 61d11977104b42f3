//! `GET /api/v1/pilots/{slug}/now[?at=YYYY-MM-DDTHH:MM]`: the moment as JSON, for other systems
//! to poll (docs/interface.md). Instants are RFC 3339 with the pilot's offset at that instant.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, SecondsFormat, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use super::{Asked, NowQuery};
use crate::db::{now, pilots};
use crate::domain::ids::{HotspotId, OfficerId, ShiftId};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::api::ApiError;
use crate::web::auth::SignedIn;
use crate::web::path::Path;

#[derive(Serialize)]
struct OnDutyJson<'a> {
    shift_id: ShiftId,
    team: &'a str,
    officer_ids: &'a [OfficerId],
    hotspot_ids: &'a [HotspotId],
}

#[derive(Serialize)]
struct OpenJson {
    hotspot_id: HotspotId,
    name: String,
    priority: i16,
    minutes_since: i64,
    max_gap_minutes: i64,
    overdue: bool,
    last_visit_arrived_at: Option<String>,
}

#[derive(Serialize)]
struct UnplannedJson {
    hotspot_id: HotspotId,
    block_start: String,
    block_end: String,
}

#[derive(Serialize)]
struct NowJson<'a> {
    pilot: &'a str,
    at: String,
    on_duty: Vec<OnDutyJson<'a>>,
    open: Vec<OpenJson>,
    unplanned_next_4h: Vec<UnplannedJson>,
}

/// `instant` as RFC 3339 with the offset of `zone` then, to the second.
fn rfc3339(zone: Tz, instant: DateTime<Utc>) -> String {
    instant
        .with_timezone(&zone)
        .to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// The handler. Nothing is cached: the present moves on.
pub async fn show(
    user: Result<SignedIn, AppError>,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<NowQuery>,
) -> Result<Response, ApiError> {
    let SignedIn(_user) = user?;
    let pilot = pilots::find(&state.db, &slug).await?.ok_or_else(|| {
        ApiError::new(StatusCode::NOT_FOUND, format!("there is no pilot {slug:?}"))
    })?;
    let asked = Asked::parse(query.at.as_deref())
        .map_err(|message| ApiError::new(StatusCode::BAD_REQUEST, message))?;
    let zone = pilot.zone();
    let mut conn = state.db.acquire().await?;
    let moment = now::moment(&mut conn, pilot.id, asked.instant(zone, Utc::now()))
        .await
        .map_err(AppError::Internal)?;
    let answer = NowJson {
        pilot: &pilot.slug,
        at: rfc3339(zone, moment.at),
        on_duty: moment
            .on_duty
            .iter()
            .map(|s| OnDutyJson {
                shift_id: s.shift_id,
                team: &s.team,
                officer_ids: &s.officer_ids,
                hotspot_ids: &s.hotspot_ids,
            })
            .collect(),
        open: moment
            .open
            .iter()
            .map(|h| OpenJson {
                hotspot_id: h.hotspot_id,
                name: moment.hotspot_name(h.hotspot_id),
                priority: h.priority,
                minutes_since: h.minutes_since(),
                max_gap_minutes: h.max_gap.num_minutes(),
                overdue: h.is_overdue(),
                last_visit_arrived_at: h.last_visit_arrived_at.map(|a| rfc3339(zone, a)),
            })
            .collect(),
        unplanned_next_4h: moment
            .unplanned
            .iter()
            .map(|(hotspot_id, block)| UnplannedJson {
                hotspot_id: *hotspot_id,
                block_start: rfc3339(zone, block.starts_at),
                block_end: rfc3339(zone, block.ends_at),
            })
            .collect(),
    };
    Ok(Json(answer).into_response())
}
