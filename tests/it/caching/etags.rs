//! ETags and 304: sent back unchanged while the pilot's data is, and changed by any change of it.

use axum::http::StatusCode;
use patrolboard::domain::Role;

use super::{API, DASHBOARD, api, cancel_a_shift, dashboard, get};
use crate::common::app::TestApp;
use crate::common::fixture::Fixture;

#[tokio::test]
async fn a_304_is_sent_only_while_the_data_is_unchanged() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Supervisor).await;
    for path in [DASHBOARD, API] {
        let first = get(&app, path, &cookie, None).await;
        let etag = super::etag_of(&first);

        let again = get(&app, path, &cookie, Some(&etag)).await;

        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{path}");
        assert_eq!(again.body, "", "a 304 has no body");
        assert_eq!(super::etag_of(&again), etag);
        let other = get(&app, path, &cookie, Some("W/\"something-else\"")).await;
        assert_eq!(
            other.status,
            StatusCode::OK,
            "{path}: another ETag is not fresh"
        );
    }
    let (_, page_etag) = dashboard(&app, &cookie).await;
    let (_, api_etag) = api(&app, &cookie).await;

    cancel_a_shift(&app, &cookie).await;

    for (path, old) in [(DASHBOARD, &page_etag), (API, &api_etag)] {
        let changed = get(&app, path, &cookie, Some(old)).await;
        assert_eq!(changed.status, StatusCode::OK, "{path}");
        let new = super::etag_of(&changed);
        assert_ne!(&new, old, "{path}");
        let fresh = get(&app, path, &cookie, Some(&new)).await;
        assert_eq!(fresh.status, StatusCode::NOT_MODIFIED, "{path}");
    }
}

#[tokio::test]
async fn a_change_in_one_pilot_leaves_the_other_pilots_etags_unchanged() {
    let app = TestApp::seeded().await;
    Fixture::pilot("other").build(&app.db).await;
    let other = "/api/v1/pilots/other/coverage";
    let cookie = app.sign_in_as(Role::Supervisor).await;
    let before = super::etag_of(&get(&app, other, &cookie, None).await);
    let (_, demo_before) = api(&app, &cookie).await;

    cancel_a_shift(&app, &cookie).await;

    assert_ne!(api(&app, &cookie).await.1, demo_before);
    let after = get(&app, other, &cookie, Some(&before)).await;
    assert_eq!(after.status, StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn an_agency_label_change_changes_every_pilots_etags() {
    let app = TestApp::seeded().await;
    Fixture::pilot("other").build(&app.db).await;
    let other = "/pilots/other";
    let admin = app.sign_in_as(Role::Admin).await;
    let other_before = super::etag_of(&get(&app, other, &admin, None).await);
    let (_, demo_before) = dashboard(&app, &admin).await;

    let fields = [("name", "Calgary Police Service"), ("label", "Calgary PS")];
    let renamed = app
        .post_form("/admin/agencies/cps", &fields, Some(&admin))
        .await;
    assert_eq!(renamed.status, StatusCode::SEE_OTHER, "{}", renamed.body);

    let other_after = get(&app, other, &admin, Some(&other_before)).await;
    assert_eq!(other_after.status, StatusCode::OK);
    assert_ne!(super::etag_of(&other_after), other_before);
    let (figures, demo_after) = dashboard(&app, &admin).await;
    assert_ne!(demo_after, demo_before);
    assert!(
        figures.iter().any(|f| f.contains("Calgary PS")),
        "the new label shows: {figures:?}"
    );
}

#[tokio::test]
async fn each_user_gets_their_own_etag_for_the_same_dashboard() {
    let app = TestApp::seeded().await;
    let viewer = app.sign_in_as(Role::Viewer).await;
    let analyst = app.sign_in_as(Role::Analyst).await;
    let (figures, viewer_etag) = dashboard(&app, &viewer).await;

    let theirs = get(&app, DASHBOARD, &analyst, Some(&viewer_etag)).await;

    assert_eq!(
        theirs.status,
        StatusCode::OK,
        "another user's ETag is not theirs"
    );
    assert_ne!(super::etag_of(&theirs), viewer_etag);
    assert_eq!(
        theirs.texts(".stats .stat"),
        figures,
        "the same figures, cached once"
    );
    let analyst_link = "a[href='/pilots/calgary-2023/districts/from-communities']";
    assert_eq!(
        theirs.texts(analyst_link).len(),
        1,
        "the analyst's own links"
    );
    let viewer_page = get(&app, DASHBOARD, &viewer, None).await;
    assert!(viewer_page.texts(analyst_link).is_empty());
}

#[tokio::test]
async fn each_map_shading_is_its_own_cached_page_with_its_own_etag() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Viewer).await;
    let planned_path = format!("{DASHBOARD}?shade=planned");
    let caption = "figure.chart-map figcaption";
    let delivered = get(&app, DASHBOARD, &cookie, None).await;
    let delivered_etag = super::etag_of(&delivered);

    let planned = get(&app, &planned_path, &cookie, Some(&delivered_etag)).await;

    assert_eq!(
        planned.status,
        StatusCode::OK,
        "the delivered map's ETag is not the planned map's"
    );
    let planned_etag = super::etag_of(&planned);
    assert_ne!(planned_etag, delivered_etag);
    assert_eq!(delivered.texts(caption), ["Delivered coverage by district"]);
    assert_eq!(planned.texts(caption), ["Planned coverage by district"]);
    // Asked again, each comes from the cache as it was: not the other's page.
    let delivered_again = get(&app, &format!("{DASHBOARD}?shade=delivered"), &cookie, None).await;
    assert_eq!(super::etag_of(&delivered_again), delivered_etag);
    assert_eq!(
        delivered_again.texts(caption),
        ["Delivered coverage by district"]
    );
    let planned_again = get(&app, &planned_path, &cookie, Some(&planned_etag)).await;
    assert_eq!(planned_again.status, StatusCode::NOT_MODIFIED);
}
