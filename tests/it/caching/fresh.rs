//! A cached view is never older than the last save: on this server, and on another server over
//! the same database.

use patrolboard::domain::Role;

use super::{DASHBOARD, api, cancel_a_shift, dashboard, get, log_a_visit};
use crate::common::app::TestApp;

#[tokio::test]
async fn a_logged_visit_shows_on_the_cached_dashboard_and_api_at_the_next_request() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Supervisor).await;
    let (figures, page_etag) = dashboard(&app, &cookie).await;
    let (json, api_etag) = api(&app, &cookie).await;
    assert_eq!(
        dashboard(&app, &cookie).await,
        (figures.clone(), page_etag.clone())
    );
    assert_eq!(api(&app, &cookie).await, (json.clone(), api_etag.clone()));

    log_a_visit(&app, &cookie).await;

    let (json_after, api_etag_after) = api(&app, &cookie).await;
    assert_eq!(json_after["visits"], json["visits"].as_i64().unwrap() + 1);
    assert_ne!(api_etag_after, api_etag);
    let (figures_after, page_etag_after) = dashboard(&app, &cookie).await;
    assert_ne!(figures_after, figures, "the headline counts the visit");
    assert_ne!(page_etag_after, page_etag);
}

#[tokio::test]
async fn a_cancelled_shift_shows_on_the_cached_dashboard_and_api_at_the_next_request() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Supervisor).await;
    let (figures, _) = dashboard(&app, &cookie).await;
    let (json, _) = api(&app, &cookie).await;

    cancel_a_shift(&app, &cookie).await;

    let (json_after, _) = api(&app, &cookie).await;
    assert!(
        json_after["planned_blocks"].as_i64() < json["planned_blocks"].as_i64(),
        "{} planned blocks before, {} after",
        json["planned_blocks"],
        json_after["planned_blocks"]
    );
    let (figures_after, _) = dashboard(&app, &cookie).await;
    assert_ne!(figures_after, figures);
}

#[tokio::test]
async fn a_change_through_one_instance_is_seen_at_once_through_another() {
    let first = TestApp::seeded().await;
    let second = TestApp::over(first.db.clone());
    let cookie = first.sign_in_as(Role::Supervisor).await;
    let (json, api_etag) = api(&second, &cookie).await;
    let (figures, page_etag) = dashboard(&second, &cookie).await;
    assert_eq!(api(&first, &cookie).await.1, api_etag, "one key, one ETag");
    assert_eq!(dashboard(&first, &cookie).await.1, page_etag);

    log_a_visit(&first, &cookie).await;

    let (json_after, api_etag_after) = api(&second, &cookie).await;
    assert_eq!(json_after["visits"], json["visits"].as_i64().unwrap() + 1);
    assert_ne!(api_etag_after, api_etag);
    assert_eq!(api(&first, &cookie).await, (json_after, api_etag_after));
    let (figures_after, page_etag_after) = dashboard(&second, &cookie).await;
    assert_ne!((&figures_after, &page_etag_after), (&figures, &page_etag));
    let stale = get(&second, DASHBOARD, &cookie, Some(&page_etag)).await;
    assert_eq!(
        stale.status,
        axum::http::StatusCode::OK,
        "the old ETag is not fresh"
    );
}

#[tokio::test]
async fn a_cancelled_shift_leaves_the_cached_officers_list_at_the_next_request() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Supervisor).await;
    let officers = "/pilots/calgary-2023/officers";
    let totals = |response: &crate::common::app::TestResponse| response.texts(".totals li");
    let before = get(&app, officers, &cookie, None).await;
    assert_eq!(
        totals(&get(&app, officers, &cookie, None).await),
        totals(&before)
    );

    cancel_a_shift(&app, &cookie).await;

    let after = get(&app, officers, &cookie, None).await;
    assert_ne!(
        totals(&after),
        totals(&before),
        "the cancelled shift's hours leave the agencies' totals"
    );
}

#[tokio::test]
async fn a_cancel_through_another_instance_shows_on_the_cached_roster_week_at_the_next_request() {
    let first = TestApp::seeded().await;
    let second = TestApp::over(first.db.clone());
    let cookie = first.sign_in_as(Role::Supervisor).await;
    // The first shift of the demo starts in week 9.
    let week = "/pilots/calgary-2023/roster?week=2023-W09";
    let cancelled =
        |page: crate::common::app::TestResponse| page.texts("article.shift.cancelled").len();
    let before = cancelled(get(&first, week, &cookie, None).await);
    let again = cancelled(get(&first, week, &cookie, None).await);
    assert_eq!(again, before, "read again from the cache");

    cancel_a_shift(&second, &cookie).await;

    let after = cancelled(get(&first, week, &cookie, None).await);
    assert_eq!(
        after,
        before + 1,
        "the other instance's cancel shows at once"
    );
}
