//! The weight budget of a page: every page of the demo pilot, whose city has all 308 of its
//! communities and their crime statistics loaded, is at most 300 KB before compression, so that
//! a phone on a poor connection gets it in a few seconds. Speed is measured in `bench/`, not here.

use axum::http::StatusCode;
use patrolboard::domain::Role;

use patrolboard::import::Kind;

use crate::common::app::TestApp;
use crate::common::pages::EVERY_PAGE;
use crate::common::scalar;
use crate::imports;

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
    for (path, audience, shows) in EVERY_PAGE {
        let role = audience.least();
        let cookie = &cookies.iter().find(|(r, _)| *r == role).unwrap().1;
        let page = app.get(path, Some(cookie)).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(!page.texts(shows).is_empty(), "{path} shows {shows}");
        if page.body.len() > BUDGET {
            heavy.push(format!("{path}: {} bytes", page.body.len()));
        }
    }

    assert!(heavy.is_empty(), "over {BUDGET} bytes: {heavy:?}");
}

/// Every community of Calgary as the City publishes them, with their boundaries.
const CITY_BOUNDARIES: &str = "Community_District_Boundaries.csv";

#[tokio::test]
async fn a_pilot_whose_districts_are_all_308_communities_keeps_its_dashboard_within_budget() {
    let app = TestApp::empty().await;
    imports::fresh_pilot(&app.db).await;
    let pilot = Some(imports::PILOT);
    let districts = imports::run(
        &app.db,
        Kind::Districts,
        pilot,
        &imports::data(CITY_BOUNDARIES),
        false,
    )
    .await;
    assert_eq!((districts.errors.len(), districts.counts.new), (0, 308));
    let hotspots = imports::collection(vec![
        imports::hotspot("Calgary Tower", "DNC", imports::CALGARY_TOWER, 1),
        imports::hotspot("Victoria Park", "BLN", imports::VICTORIA_PARK, 2),
    ]);
    let placed = imports::run(&app.db, Kind::Hotspots, pilot, &hotspots, false).await;
    assert_eq!(placed.errors, []);
    let cookie = app.sign_in_as(Role::Viewer).await;

    let page = app.get("/pilots/test-2023", Some(&cookie)).await;

    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.len() <= BUDGET, "{} bytes", page.body.len());
    assert_eq!(
        page.texts("#areas-heading ~ .table-scroll table tbody th[scope=row] a")
            .len(),
        2,
        "the districts with hotspots"
    );
    assert_eq!(
        page.texts("#areas-note"),
        ["306 other districts have no hotspots."]
    );
}
