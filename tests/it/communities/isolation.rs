//! Community statistics belong to a city: a district's page counts only its pilot's city's rows,
//! so two cities' communities of the same name never mix.

use patrolboard::domain::Role;
use patrolboard::import::Kind;

use crate::common::app::{TestApp, TestResponse};
use crate::common::fixture::Fixture;
use crate::imports::run;

/// The statistics of one month: `count` assaults in DOWNTOWN in March 2023.
fn downtown(count: u32) -> String {
    format!("Community,Category,Crime Count,Year,Month\nDOWNTOWN,Assault,{count},2023,3\n")
}

/// The "All crime" count during the pilot on a district page's community table.
fn during(page: &TestResponse) -> String {
    let html = page.html();
    let rows = scraper::Selector::parse("table.community tbody tr").unwrap();
    let cells = scraper::Selector::parse("th, td").unwrap();
    html.select(&rows)
        .map(|row| {
            row.select(&cells)
                .map(|c| c.text().collect::<String>().trim().to_string())
                .collect::<Vec<_>>()
        })
        .find(|row| row[0] == "All crime")
        .map(|row| row[2].clone())
        .unwrap_or_else(|| panic!("an all-crime row: {}", page.body))
}

#[tokio::test]
async fn calgarys_and_edmontons_downtown_statistics_never_mix() {
    let app = TestApp::empty().await;
    for (slug, city) in [("calgary-test", "Calgary"), ("edmonton-test", "Edmonton")] {
        Fixture::pilot(slug)
            .city(city)
            .district("DT", |d| d.name("Downtown"))
            .places_stored_as_is()
            .build(&app.db)
            .await;
    }
    let calgary = run(
        &app.db,
        Kind::CommunityStats,
        Some("Calgary"),
        downtown(7).as_bytes(),
        false,
    )
    .await;
    let edmonton = run(
        &app.db,
        Kind::CommunityStats,
        Some("Edmonton"),
        downtown(40).as_bytes(),
        false,
    )
    .await;
    assert_eq!(
        (calgary.counts.new, edmonton.counts.new),
        (1, 1),
        "one key in each city"
    );
    let viewer = app.sign_in_as(Role::Viewer).await;

    let calgary = app
        .get("/pilots/calgary-test/districts/DT", Some(&viewer))
        .await;
    let edmonton = app
        .get("/pilots/edmonton-test/districts/DT", Some(&viewer))
        .await;

    assert_eq!(during(&calgary), "7");
    assert_eq!(during(&edmonton), "40");
}

#[tokio::test]
async fn a_district_named_otherwise_finds_its_communitys_statistics_by_its_code() {
    let app = TestApp::empty().await;
    Fixture::pilot("calgary-test")
        .district("BLN", |d| d.name("Beltline and Victoria Park"))
        .places_stored_as_is()
        .build(&app.db)
        .await;
    super::calgary_communities(&app.db).await;
    let beltline = "Community,Category,Crime Count,Year,Month\nBELTLINE,Assault,12,2023,3\n";
    run(
        &app.db,
        Kind::CommunityStats,
        None,
        beltline.as_bytes(),
        false,
    )
    .await;
    let viewer = app.sign_in_as(Role::Viewer).await;

    let page = app
        .get("/pilots/calgary-test/districts/BLN", Some(&viewer))
        .await;

    assert_eq!(
        during(&page),
        "12",
        "the pilots' one city is the statistics' city"
    );
}
