//! Finding one's way: the pages of the pilot in view in the header, each pilot's roster from the
//! home page, and error pages that keep the menu and the sign-out button.

use axum::http::StatusCode;
use patrolboard::domain::Role;

use crate::common::app::{TestApp, attr};

const PILOT_NAV: &str = "header nav.pilot-nav li a";

#[tokio::test]
async fn a_pilots_pages_offer_its_dashboard_now_board_roster_officers_teams_and_evaluation_and_more_by_role()
 {
    let app = TestApp::seeded().await;
    let viewer = app.sign_in_as(Role::Viewer).await;
    let supervisor = app.sign_in_as(Role::Supervisor).await;

    for path in [
        "/pilots/calgary-2023",
        "/pilots/calgary-2023/roster",
        "/pilots/calgary-2023/hotspots/1",
        "/shifts/1/log",
    ] {
        let page = app.get(path, Some(&viewer)).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert_eq!(
            page.texts(PILOT_NAV),
            [
                "Dashboard",
                "Now",
                "Roster",
                "Officers",
                "Teams",
                "Evaluation"
            ],
            "{path}"
        );
        assert_eq!(
            attr(&page, "header nav.pilot-nav a[href$='/roster']", "href").as_deref(),
            Some("/pilots/calgary-2023/roster")
        );
    }
    let page = app.get("/pilots/calgary-2023", Some(&supervisor)).await;
    assert_eq!(
        page.texts(PILOT_NAV),
        [
            "Dashboard",
            "Now",
            "Roster",
            "Officers",
            "Teams",
            "Evaluation",
            "Exports",
            "Calendar feeds"
        ]
    );
    let audit = app.get("/audit", Some(&supervisor)).await;
    assert!(audit.texts(PILOT_NAV).is_empty(), "no pilot is in view");
}

#[tokio::test]
async fn the_home_page_links_each_pilots_roster() {
    let app = TestApp::seeded().await;
    let viewer = app.sign_in_as(Role::Viewer).await;

    let home = app.get("/", Some(&viewer)).await;

    let roster = attr(
        &home,
        "th[data-slug=calgary-2023] a[href$='/roster']",
        "href",
    );
    assert_eq!(roster.as_deref(), Some("/pilots/calgary-2023/roster"));
}

#[tokio::test]
async fn an_error_page_keeps_the_menu_and_the_sign_out_button_of_whoever_is_signed_in() {
    let app = TestApp::seeded().await;
    let viewer = app.sign_in_as(Role::Viewer).await;

    for (path, status) in [
        ("/admin/users", StatusCode::FORBIDDEN),
        ("/no-such-page", StatusCode::NOT_FOUND),
        ("/shifts/abc/log", StatusCode::NOT_FOUND),
        (
            "/pilots/calgary-2023?from=2023-13-01",
            StatusCode::BAD_REQUEST,
        ),
    ] {
        let page = app.get(path, Some(&viewer)).await;
        assert_eq!(page.status, status, "{path}");
        assert!(
            !page.texts("header form.signout button").is_empty(),
            "{path}"
        );
        assert!(
            page.texts("header nav[aria-label=Main] a")
                .contains(&"Pilots".to_string())
        );
        assert!(page.texts("header .signout").join(" ").contains("viewer"));
    }

    let anonymous = app.get("/no-such-page", None).await;
    assert_eq!(anonymous.status, StatusCode::NOT_FOUND);
    assert!(anonymous.texts("header form.signout").is_empty());
}
