//! Liveness and readiness for load balancers and orchestrators.

use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use sqlx::PgPool;

use crate::error::with_retry_after;

/// The process is alive.
pub async fn healthz() -> &'static str {
    "ok\n"
}

/// The database answers; 503 (with Retry-After) while it does not.
pub async fn readyz(State(db): State<PgPool>) -> Response {
    let ping = crate::db::ping(&db);
    match tokio::time::timeout(Duration::from_secs(3), ping).await {
        Ok(Ok(_)) => (StatusCode::OK, "ready\n").into_response(),
        _ => with_retry_after(
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable\n").into_response(),
        ),
    }
}
