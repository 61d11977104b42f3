//! The dashboard answers first whether the hotspots are getting the patrol planned, in the
//! figures the API gives, with a glossary one click away.

use patrolboard::domain::Role;
use serde_json::Value;

use crate::common::app::{TestApp, attr};

#[tokio::test]
async fn the_dashboard_opens_with_delivered_against_planned_and_target_in_the_apis_figures() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Viewer).await;
    let range = "from=2023-03-06&to=2023-03-19";
    let api = app
        .get(
            &format!("/api/v1/pilots/calgary-2023/coverage?{range}"),
            Some(&cookie),
        )
        .await;
    let json: Value = serde_json::from_str(&api.body).unwrap();
    let page = app
        .get(&format!("/pilots/calgary-2023?{range}"), Some(&cookie))
        .await;
    assert_eq!(page.status, 200, "{}", page.body);

    let delivered = json["delivered_coverage_pct"].as_f64().unwrap();
    let planned = json["planned_coverage_pct"].as_f64().unwrap();
    let of_plan = json["delivered_blocks"].as_f64().unwrap()
        / json["planned_blocks"].as_f64().unwrap()
        * 100.0;
    assert_eq!(
        page.texts("section.answer .answer-sentence"),
        [format!(
            "Hotspots had a patrol visit of 10 minutes or more in {delivered:.1}% of their watch \
             blocks: {of_plan:.0}% of what was planned ({planned:.1}% planned)."
        )]
    );
    let rest = page
        .texts("section.answer p:not(.answer-sentence)")
        .join(" ");
    assert!(
        rest.contains("of the hotspots' daily target minutes."),
        "{rest}"
    );
    // The range's two weeks: the last one's move is told.
    assert!(
        rest.contains("In the last week (W11, from Mon 13 Mar 2023)"),
        "{rest}"
    );
    assert_eq!(
        attr(&page, "section.answer a", "href").as_deref(),
        Some("#glossary")
    );
    let terms = page.texts("details#glossary dt");
    for term in [
        "Hotspot-block",
        "Planned coverage",
        "Delivered coverage",
        "Koper visit",
    ] {
        assert!(terms.iter().any(|t| t == term), "{terms:?}");
    }
}
