//! Caches of computed views: the pilot's data version, the cached dashboard and coverage API,
//! their ETags and 304s, and two server instances over one database.

mod etags;
mod fresh;
mod version;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::Value;

use crate::common::app::{TestApp, TestResponse, post};

const DASHBOARD: &str = "/pilots/calgary-2023";
const API: &str = "/api/v1/pilots/calgary-2023/coverage";

/// `GET path` signed in with `cookie`, sending `If-None-Match: etag` when given.
async fn get(app: &TestApp, path: &str, cookie: &str, etag: Option<&str>) -> TestResponse {
    let mut request = Request::builder()
        .method(Method::GET)
        .uri(path)
        .header(header::COOKIE, cookie);
    if let Some(etag) = etag {
        request = request.header(header::IF_NONE_MATCH, etag);
    }
    app.send(request.body(Body::empty()).unwrap()).await
}

/// The ETag of a response that must carry one, with the cache headers of a per-user page.
fn etag_of(response: &TestResponse) -> String {
    assert_eq!(
        response.headers[header::CACHE_CONTROL],
        "private, no-cache",
        "a cached view is the user's own"
    );
    response.headers[header::ETAG].to_str().unwrap().to_string()
}

/// The coverage API's answer for the whole demo pilot, and its ETag.
async fn api(app: &TestApp, cookie: &str) -> (Value, String) {
    let response = get(app, API, cookie, None).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    (
        serde_json::from_str(&response.body).unwrap(),
        etag_of(&response),
    )
}

/// The dashboard's headline figures for the whole demo pilot, and its ETag.
async fn dashboard(app: &TestApp, cookie: &str) -> (Vec<String>, String) {
    let response = get(app, DASHBOARD, cookie, None).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    (response.texts(".stats .stat"), etag_of(&response))
}

/// Cancels the first planned demo shift through the roster form.
async fn cancel_a_shift(app: &TestApp, cookie: &str) {
    let (id, version): (i64, i32) = sqlx::query_as(
        "select id, version from shifts where status <> 'cancelled' order by starts_at, id limit 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let fields = [
        ("version".to_string(), version.to_string()),
        ("reason".to_string(), "Members redeployed".to_string()),
    ];
    let response = post(app, &format!("/shifts/{id}/cancel"), &fields, cookie).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
}

/// Logs a ten-minute visit through the shift-log form to a hotspot of the first planned demo
/// shift, starting five minutes into it.
async fn log_a_visit(app: &TestApp, cookie: &str) {
    let (shift, hotspot, arrived, departed): (i64, i64, String, String) = sqlx::query_as(
        r#"select s.id, sh.hotspot_id,
                  to_char(s.starts_at at time zone p.time_zone + interval '5 minutes',
                          'YYYY-MM-DD"T"HH24:MI'),
                  to_char(s.starts_at at time zone p.time_zone + interval '15 minutes',
                          'YYYY-MM-DD"T"HH24:MI')
             from shifts s join shift_hotspots sh on sh.shift_id = s.id
                  join pilots p on p.id = s.pilot_id
            where s.status <> 'cancelled' and p.slug = 'calgary-2023'
            order by s.starts_at, s.id, sh.hotspot_id limit 1"#,
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let fields = [
        ("hotspot_id", hotspot.to_string()),
        ("arrived_at", arrived),
        ("departed_at", departed),
        ("source", "report".to_string()),
    ]
    .map(|(k, v)| (k.to_string(), v));
    let response = post(app, &format!("/shifts/{shift}/visits"), &fields, cookie).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
}

/// The data version of pilot `slug`.
async fn version_of(db: impl sqlx::PgExecutor<'_>, slug: &str) -> i64 {
    sqlx::query_scalar("select data_version from pilots where slug = $1")
        .bind(slug)
        .fetch_one(db)
        .await
        .unwrap()
}
