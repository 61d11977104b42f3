//! A hotspot page lists its visits a page at a time, so that a hotspot patrolled all year still
//! makes a light page; following the pages lists as many visits as the range holds.

use axum::http::StatusCode;
use patrolboard::domain::Role;

use crate::common::app::{TestApp, attr};
use crate::common::scalar;

const HOTSPOT: &str = "/pilots/calgary-2023/hotspots/1";

#[tokio::test]
async fn following_the_pages_of_a_hotspots_visits_lists_as_many_as_the_range_holds() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Viewer).await;
    let stored = scalar(
        &app.db,
        "select count(*) from visits v join pilots p on p.slug = 'calgary-2023'
          where v.hotspot_id = 1
            and (v.arrived_at at time zone p.time_zone)::date between p.starts_on and p.ends_on",
    )
    .await;
    assert!(
        stored > 100,
        "the demo hotspot has more than a page of visits"
    );

    let mut path = HOTSPOT.to_string();
    let mut arrivals = Vec::new();
    let mut pages = 0;
    loop {
        let page = app.get(&path, Some(&cookie)).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        pages += 1;
        let summary = page.texts("#visits-heading + details summary").join("");
        assert!(
            summary.starts_with(&format!("{stored} visits")),
            "{summary}"
        );
        let shown = page.texts("table.visits tbody th");
        assert!(
            !shown.is_empty() && shown.len() <= 100,
            "{path}: {}",
            shown.len()
        );
        let earlier = attr(&page, "nav.pager a[rel=prev]", "href");
        assert_eq!(earlier.is_some(), pages > 1, "{path}");
        arrivals.extend(shown);
        match attr(&page, "nav.pager a[rel=next]", "href") {
            Some(next) => path = next.replace("&amp;", "&"),
            None => break,
        }
    }

    assert_eq!(arrivals.len() as i64, stored);
    assert_eq!(pages, (stored + 99) / 100);
}

#[tokio::test]
async fn a_page_that_is_not_a_whole_number_from_one_is_refused_with_a_message() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Viewer).await;

    for page in ["0", "-2", "two"] {
        let response = app
            .get(&format!("{HOTSPOT}?page={page}"), Some(&cookie))
            .await;
        assert_eq!(response.status, StatusCode::BAD_REQUEST, "{page}");
        assert!(response.body.contains("The page must be a whole number"));
    }
}
