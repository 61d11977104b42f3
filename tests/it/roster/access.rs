//! Who may change the roster, and form posts from another site.

use axum::http::StatusCode;
use patrolboard::domain::Role;

use super::{fields, setup, with};
use crate::common;
use crate::common::app::post;
use crate::common::scalar;

#[tokio::test]
async fn viewers_analysts_and_strangers_cannot_change_the_roster() {
    let (app, f, supervisor) = setup().await;
    post(&app, "/pilots/test/shifts", &fields(&f), &supervisor).await;
    let id = scalar(&app.db, "select id from shifts").await;
    let routes = [
        "/pilots/test/shifts".to_string(),
        format!("/shifts/{id}"),
        format!("/shifts/{id}/cancel"),
    ];
    for role in [Role::Viewer, Role::Analyst] {
        let cookie = app.sign_in_as(role).await;
        for route in &routes {
            let response = post(&app, route, &with(fields(&f), "version", "1"), &cookie).await;
            assert_eq!(response.status, StatusCode::FORBIDDEN, "{role} {route}");
        }
        for page in [format!("/shifts/{id}/edit"), format!("/shifts/{id}/cancel")] {
            let status = app.get(&page, Some(&cookie)).await.status;
            assert_eq!(status, StatusCode::FORBIDDEN, "{role} {page}");
        }
        let week = app
            .get("/pilots/test/roster?week=2023-W10", Some(&cookie))
            .await;
        assert_eq!(week.status, StatusCode::OK, "{role} reads the roster");
        assert!(
            week.texts("a[href$='/edit']").is_empty(),
            "{role} sees no edit links"
        );
    }
    for route in &routes {
        let pairs: Vec<(&str, &str)> = vec![("version", "1")];
        let anonymous = app.post_form(route, &pairs, None).await;
        assert_eq!(anonymous.status, StatusCode::SEE_OTHER, "{route}");
        assert!(anonymous.location().unwrap().starts_with("/login"));
    }
    let (notes, version): (String, i32) = sqlx::query_as("select notes, version from shifts")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(
        (notes.as_str(), version),
        ("Focus on the plaza after close", 1)
    );
}

#[tokio::test]
async fn a_cross_site_form_post_to_the_roster_is_refused() {
    let (app, f, cookie) = setup().await;
    let body = common::app::encode_form(
        &fields(&f)
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect::<Vec<_>>(),
    );
    let request = axum::http::Request::builder()
        .method("POST")
        .uri("/pilots/test/shifts")
        .header("host", "localhost")
        .header("origin", "https://evil.example")
        .header("sec-fetch-site", "cross-site")
        .header("cookie", &cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(body))
        .unwrap();
    let response = app.send(request).await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert_eq!(scalar(&app.db, "select count(*) from shifts").await, 0);
}
