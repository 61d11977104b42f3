//! Liveness and readiness for load balancers and orchestrators.

use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use sqlx::PgPool;

/// The process is alive.
pub async fn healthz() -> &'static str {
    "ok\n"
}

/// The database answers; 503 while it does not.
pub async fn readyz(State(db): State<PgPool>) -> (StatusCode, &'static str) {
    let ping = sqlx::query("select 1").execute(&db);
    match tokio::time::timeout(Duration::from_secs(3), ping).await {
        Ok(Ok(_)) => (StatusCode::OK, "ready\n"),
        _ => (StatusCode::SERVICE_UNAVAILABLE, "database unreachable\n"),
    }
}
