//! The weight budget of a page: every page of the demo pilot, whose city has all 308 of its
//! communities and their crime statistics loaded, is at most 300 KB before compression, so that
//! a phone on a poor connection gets it in a few seconds. Speed is measured in `bench/`, not here.

use axum::http::StatusCode;
use patrolboard::domain::Role;

use crate::common::app::TestApp;
use crate::common::pages::EVERY_PAGE;
use crate::common::scalar;

/// The most a page may weigh before compression, in bytes.
const BUDGET: usize = 300 * 1000;

#[tokio::test]
async fn every_page_of_the_demo_with_the_citys_communities_loaded_weighs_at_most_300_kb() {
    let app = TestApp::seeded().await;
    assert_eq!(
        scalar(&app.db, "select count(*) from communities").await,
        308,
        "the demo loads every community of Calgary"
    );
    let mut cookies = Vec::new();
    for role in Role::ALL {
        cookies.push((role, app.sign_in_as(role).await));
    }

    let mut heavy = Vec::new();
    for (path, role, shows) in EVERY_PAGE {
        let cookie = &cookies.iter().find(|(r, _)| r == role).unwrap().1;
        let page = app.get(path, Some(cookie)).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(!page.texts(shows).is_empty(), "{path} shows {shows}");
        if page.body.len() > BUDGET {
            heavy.push(format!("{path}: {} bytes", page.body.len()));
        }
    }

    assert!(heavy.is_empty(), "over {BUDGET} bytes: {heavy:?}");
}
