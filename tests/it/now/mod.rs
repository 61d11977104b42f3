//! The "now" board and its JSON (docs/coverage.md, "At a moment"): the demo replayed at a moment
//! against figures computed here from the raw tables with plain SQL, the board's page, and who
//! may see them.

mod board;
mod me;
mod replay;

use serde_json::Value;

use crate::common::app::TestApp;

/// The demo pilot's now API at local time `at`, read by `cookie`.
pub async fn now_json(app: &TestApp, cookie: &str, at: &str) -> Value {
    let response = app
        .get(
            &format!("/api/v1/pilots/calgary-2023/now?at={at}"),
            Some(cookie),
        )
        .await;
    assert_eq!(response.status, 200, "{}", response.body);
    serde_json::from_str(&response.body).unwrap()
}
