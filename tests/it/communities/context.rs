//! The dashboard map draws the city's other communities around the pilot's districts: faint,
//! unlabelled, cut to the view, and current after the communities change.

use patrolboard::domain::Role;
use scraper::Selector;

use crate::common::app::TestApp;
use crate::common::scalar;

const DASHBOARD: &str = "/pilots/calgary-2023";

/// The number of context outlines and of district labels on the demo dashboard's map.
async fn drawn(app: &TestApp, cookie: &str) -> (usize, usize, String) {
    let page = app.get(DASHBOARD, Some(cookie)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let html = page.html();
    let count = |css: &str| html.select(&Selector::parse(css).unwrap()).count();
    let context = html
        .select(&Selector::parse("figure.chart-map g.context").unwrap())
        .next()
        .map(|g| g.html())
        .unwrap_or_default();
    (
        count("figure.chart-map g.context path"),
        count("figure.chart-map g.labels text"),
        context,
    )
}

#[tokio::test]
async fn the_demo_map_draws_the_communities_around_its_districts_faint_and_unlabelled() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Viewer).await;
    let communities = scalar(&app.db, "select count(*) from communities").await;
    let districts = scalar(
        &app.db,
        "select count(*) from districts d join pilots p on p.id = d.pilot_id where p.slug = 'calgary-2023'",
    )
    .await;
    assert_eq!(communities, 308, "the demo loads every Calgary community");

    let (outlines, labels, group) = drawn(&app, &cookie).await;

    assert!(outlines > 0, "some communities surround downtown");
    assert!(
        (outlines as i64) < communities - districts,
        "only those entering the view: {outlines}"
    );
    assert!(group.contains(r#"aria-hidden="true""#));
    assert!(group.contains("clip-path="));
    assert_eq!(
        labels as i64, districts,
        "only the pilot's districts are labelled"
    );
}

#[tokio::test]
async fn a_community_moved_out_of_view_leaves_the_map_at_the_next_computation() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Viewer).await;
    let (before, _, _) = drawn(&app, &cookie).await;

    // Every community is moved a degree north, written straight to the table with its new
    // `updated_at` as `db::communities::save` does, and every pilot's data version bumped as the
    // import's audit entry would: what is under test is that the server's parsed outlines follow.
    sqlx::query(
        r#"update communities set boundary = jsonb_build_object('type', 'MultiPolygon',
               'coordinates', jsonb_build_array(jsonb_build_array(jsonb_build_array(
                   jsonb_build_array(-114.0, 52.0), jsonb_build_array(-113.99, 52.0),
                   jsonb_build_array(-113.99, 52.01), jsonb_build_array(-114.0, 52.0))))),
               updated_at = now()"#,
    )
    .execute(&app.db)
    .await
    .unwrap();
    sqlx::query("update pilots set data_version = data_version + 1")
        .execute(&app.db)
        .await
        .unwrap();

    let (after, _, _) = drawn(&app, &cookie).await;
    assert!(before > 0);
    assert_eq!(after, 0, "no community is near downtown any more");
}
