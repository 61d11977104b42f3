//! The one routing table, read top to bottom, and the middleware around it.

use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{Extensions, HeaderMap, StatusCode, Version, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tower_http::CompressionLevel;
use tower_http::LatencyUnit;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{Predicate, SizeAbove};
use tower_http::csrf::CsrfLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use super::{
    api, assets, dashboard, district, district_choice, evaluation, health, home, hotspot, login,
    me, now, officers, people, plain_input, roster, roster_copy, roster_day, security, shift_form,
};
use crate::error::AppError;
use crate::state::AppState;

/// The whole application: every route, with its middleware.
pub fn router(state: AppState) -> Router {
    let timeout = state.config.request_timeout;
    let body_limit = state.config.body_limit;
    Router::new()
        // Anyone.
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/static/{file}", get(assets::serve))
        .route("/favicon.ico", get(assets::favicon))
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        // Viewers and up.
        .route("/", get(home::index))
        .route("/pilots/{slug}", get(dashboard::show))
        .route("/pilots/{slug}/districts/{code}", get(district::show))
        .route("/pilots/{slug}/evaluation", get(evaluation::page::show))
        // Analysts and up: a pilot's districts chosen among its city's communities.
        .route(
            "/pilots/{slug}/districts/from-communities",
            get(district_choice::form).post(district_choice::add),
        )
        .route("/pilots/{slug}/hotspots/{id}", get(hotspot::show))
        .route("/pilots/{slug}/officers", get(officers::list).post(people::officer_form::create))
        .route("/pilots/{slug}/officers/{id}", get(officers::show).post(people::officer_form::update))
        .route("/pilots/{slug}/teams", get(people::teams::list).post(people::teams::create))
        .route("/api/v1/pilots/{slug}/coverage", get(api::coverage))
        .route("/api/v1/pilots/{slug}/evaluation", get(evaluation::json::show))
        .route("/api/v1/pilots/{slug}/now", get(now::json::show))
        .route("/pilots/{slug}/now", get(now::page::show))
        // Officers: their own shift on a phone.
        .route("/me", get(me::show))
        .route("/me/arrived", post(me::arrived))
        .route("/me/left", post(me::left))
        .route("/me/activities", post(me::activity))
        .route("/me/visits/{id}", post(me::change_visit))
        // Supervisors and up for changes; the roster itself is for everyone.
        .route("/pilots/{slug}/roster", get(roster::week))
        .route("/pilots/{slug}/roster/day", get(roster_day::day))
        .route("/pilots/{slug}/roster/copy", get(roster_copy::form).post(roster_copy::copy))
        .route("/pilots/{slug}/shifts/new", get(shift_form::new))
        .route("/pilots/{slug}/shifts", post(shift_form::create))
        .route("/shifts/{id}/edit", get(shift_form::edit))
        .route("/shifts/{id}", post(shift_form::update))
        .route("/shifts/{id}/cancel", get(shift_form::cancel_form).post(shift_form::cancel))
        // Analysts and admins: officers, their assignments, and teams.
        .route("/pilots/{slug}/officers/new", get(people::officer_form::new))
        .route("/pilots/{slug}/officers/{id}/edit", get(people::officer_form::edit))
        .route("/pilots/{slug}/assignments/{id}", post(people::assignments::update))
        .route("/pilots/{slug}/assignments/{id}/end", post(people::assignments::end))
        .route("/pilots/{slug}/teams/{id}", post(people::teams::update))
        // Feature routers (each module's `routes()`).
        .merge(super::imports::routes())
        .merge(super::calendar::routes())
        .merge(super::shift_log::routes())
        .merge(super::audit::routes())
        .route("/exports/evaluation_monthly.csv", get(evaluation::csv::monthly))
        .merge(super::exports::routes())
        // Analysts and admins: hotspots and districts.
        .merge(super::hotspot_edit::routes())
        .merge(super::district_edit::routes())
        // Admins, and everyone's own password.
        .merge(super::accounts::routes())
        .merge(super::agencies::routes())
        .merge(super::pilots_admin::routes())
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            super::error_layout::with_signed_in_layout,
        ))
        .layer(middleware::from_fn(move |request, next| {
            plain_input::refuse_unstorable(request, next, body_limit)
        }))
        .layer(CsrfLayer::new().with_rejection_response(security::cross_site_refused))
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(middleware::from_fn_with_state(
            timeout.max(Duration::from_millis(1)),
            time_limit,
        ))
        // Outside every layer that answers by itself, so that its answers carry the headers too.
        .layer(middleware::from_fn(security::headers))
        // Brotli or gzip, as the client asks; a streamed export stays streamed, chunk by chunk.
        .layer(
            CompressionLayer::new()
                .quality(CompressionLevel::Precise(COMPRESSION_QUALITY))
                .compress_when(SizeAbove::new(COMPRESS_FROM_BYTES).and(compressible)),
        )
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request| {
                    let route = request
                        .extensions()
                        .get::<MatchedPath>()
                        .map(MatchedPath::as_str);
                    tracing::info_span!("request", method = %request.method(), route, path = %request.uri().path())
                })
                // One line per answered request, with its status and time, for whoever runs it.
                .on_response(
                    DefaultOnResponse::new()
                        .level(Level::INFO)
                        .latency_unit(LatencyUnit::Millis),
                ),
        )
        .with_state(state)
}

/// Bodies shorter than this are sent as they are: compressing them saves less than a packet.
const COMPRESS_FROM_BYTES: u64 = 1024;

/// Brotli's default, 11, is its slowest setting, meant for files compressed once ahead of time;
/// pages and exports are compressed on every request, so both codecs run at 4 (the demo
/// dashboard: 209 kB, 17 kB in brotli, 19 kB in gzip; see BENCHMARKS.md).
const COMPRESSION_QUALITY: i32 = 4;

/// The types worth compressing: text of every kind. Anything else (images, archives) is either
/// compressed already or not served.
const COMPRESSIBLE_TYPES: [&str; 4] = [
    "text/",
    "application/json",
    "application/javascript",
    "image/svg+xml",
];

fn compressible(_: StatusCode, _: Version, headers: &HeaderMap, _: &Extensions) -> bool {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    COMPRESSIBLE_TYPES
        .iter()
        .any(|compressible| content_type.starts_with(compressible))
}

async fn not_found() -> impl IntoResponse {
    AppError::NotFound
}

/// Answers 503 with the error page when a request takes longer than `limit`.
async fn time_limit(State(limit): State<Duration>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(limit_s = limit.as_secs_f64(), "request took too long");
            AppError::Unavailable(
                "This took too long, so it was stopped. Please try again in a minute.".into(),
            )
            .into_response()
        }
    }
}
