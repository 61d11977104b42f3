//! The board's page: the same moment as the API in words, refreshing itself, a wall-board layout,
//! a bad moment answered with a notice, and who may see it.

use axum::http::StatusCode;
use patrolboard::domain::Role;

use super::now_json;
use crate::common::app::{TestApp, attr};

const BOARD: &str = "/pilots/calgary-2023/now?at=2023-03-15T14:00";

#[tokio::test]
async fn the_board_names_the_overdue_hotspots_and_the_shifts_on_duty_of_the_api_in_its_order() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Viewer).await;
    let json = now_json(&app, &cookie, "2023-03-15T14:00").await;
    let page = app.get(BOARD, Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);

    let overdue: Vec<String> = json["open"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["overdue"] == true)
        .map(|h| h["name"].as_str().unwrap().to_string())
        .collect();
    assert!(!overdue.is_empty());
    assert_eq!(page.texts("#overdue li > a"), overdue);
    let in_time = json["open"].as_array().unwrap().len() - overdue.len();
    assert_eq!(page.texts("#open tbody tr").len(), in_time);
    let teams: Vec<String> = json["on_duty"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["team"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(page.texts("#on-duty li > strong"), teams);
    assert_eq!(page.texts("#now-moment"), ["Wed 15 Mar 2023 14:00"]);
    assert_eq!(
        attr(&page, "#at", "value").as_deref(),
        Some("2023-03-15T14:00")
    );
    assert_eq!(
        attr(&page, "#at", "min").as_deref(),
        Some("2023-02-27T00:00")
    );
    assert_eq!(
        attr(&page, "#at", "max").as_deref(),
        Some("2023-05-31T23:59")
    );
}

#[tokio::test]
async fn the_board_refreshes_itself_by_htmx_and_without_javascript_by_reloading() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Viewer).await;
    let page = app.get(BOARD, Some(&cookie)).await;
    assert_eq!(attr(&page, "#now-board", "hx-get").as_deref(), Some(BOARD));
    assert_eq!(
        attr(&page, "#now-board", "hx-trigger").as_deref(),
        Some("every 60s")
    );
    assert_eq!(
        attr(&page, "#now-board", "hx-select").as_deref(),
        Some("#now-board")
    );
    assert!(
        page.body
            .contains(r#"<noscript><meta http-equiv="refresh" content="60"></noscript>"#),
        "a reload every minute without JavaScript"
    );
}

#[tokio::test]
async fn the_wall_board_keeps_the_moment_in_large_type_and_links_back() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Viewer).await;
    let page = app.get(&format!("{BOARD}&board=1"), Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.texts("div.now.wall h1").len(), 1);
    assert_eq!(
        attr(&page, "#now-board", "hx-get").as_deref(),
        Some("/pilots/calgary-2023/now?at=2023-03-15T14:00&board=1")
    );
    assert!(page.texts("#at").is_empty(), "no replay form on the wall");
    let back = page.html();
    let link =
        scraper::Selector::parse(r#"a[href="/pilots/calgary-2023/now?at=2023-03-15T14:00"]"#)
            .unwrap();
    assert_eq!(
        back.select(&link).count(),
        1,
        "a link leaves the wall board"
    );
}

#[tokio::test]
async fn a_moment_that_is_not_a_time_shows_the_present_with_a_notice_and_the_api_refuses_it() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Viewer).await;
    let page = app
        .get("/pilots/calgary-2023/now?at=15%2F03%2F2023", Some(&cookie))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let notice = page.texts("#page-notice").join(" ");
    assert!(notice.contains("is not a local date and time"), "{notice}");
    assert!(notice.contains("Showing the present"), "{notice}");
    // The demo ended in 2023: at present nothing runs, and the page says so.
    let quiet = page.texts("#now-quiet").join(" ");
    assert!(quiet.contains("not running"), "{quiet}");

    let api = app
        .get("/api/v1/pilots/calgary-2023/now?at=tomorrow", Some(&cookie))
        .await;
    assert_eq!(api.status, StatusCode::BAD_REQUEST);
    let error: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    assert!(
        error["error"]
            .as_str()
            .unwrap()
            .contains("YYYY-MM-DDTHH:MM"),
        "{error}"
    );
    let unknown = app.get("/api/v1/pilots/nowhere/now", Some(&cookie)).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn every_role_sees_the_board_and_nobody_signed_out_does() {
    let app = TestApp::seeded().await;
    for role in Role::ALL {
        let cookie = app.sign_in_as(role).await;
        let page = app.get(BOARD, Some(&cookie)).await;
        assert_eq!(page.status, StatusCode::OK, "{role:?}");
        let api = app
            .get("/api/v1/pilots/calgary-2023/now", Some(&cookie))
            .await;
        assert_eq!(api.status, StatusCode::OK, "{role:?}");
    }
    let page = app.get(BOARD, None).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(page.location().unwrap().starts_with("/login"));
    let api = app.get("/api/v1/pilots/calgary-2023/now", None).await;
    assert_eq!(api.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_visit_logged_makes_its_hotspot_no_longer_overdue_on_the_next_request() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Supervisor).await;
    let json = now_json(&app, &cookie, "2023-03-15T14:00").await;
    let shift = json["on_duty"][0]["shift_id"].as_i64().unwrap();
    let overdue: Vec<i64> = json["open"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["overdue"] == true)
        .map(|h| h["hotspot_id"].as_i64().unwrap())
        .collect();
    let hotspot = overdue[0];
    let logged = app
        .post_form(
            &format!("/shifts/{shift}/visits"),
            &[
                ("hotspot_id", &hotspot.to_string()),
                ("arrived_at", "2023-03-15T13:50"),
                ("departed_at", "2023-03-15T14:05"),
                ("source", "report"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(logged.status, StatusCode::SEE_OTHER, "{}", logged.body);

    let after = now_json(&app, &cookie, "2023-03-15T14:00").await;
    let line = after["open"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["hotspot_id"] == hotspot)
        .unwrap()
        .clone();
    assert_eq!(line["overdue"], false, "{line}");
    assert_eq!(line["minutes_since"], 10);
}
