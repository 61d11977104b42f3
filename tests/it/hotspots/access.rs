//! Who may edit hotspots: analysts and admins; viewers and supervisors are refused, strangers sent
//! to sign in.

use axum::http::StatusCode;
use patrolboard::domain::Role;

use super::{form_of, park, setup, snapshot, upload_outline};
use crate::common::app::{TestApp, post};

#[tokio::test]
async fn viewers_and_supervisors_get_403_and_see_no_edit_link() {
    let (app, analyst, id) = setup().await;
    let form = form_of(&app, &analyst, id).await;
    let viewer = app.sign_in_as(Role::Viewer).await;
    let supervisor = app.sign_in_as(Role::Supervisor).await;
    let before = snapshot(&app.db).await;
    for (role, cookie) in [(Role::Viewer, viewer), (Role::Supervisor, supervisor)] {
        let edit = app
            .get(&format!("/hotspots/{id}/edit"), Some(&cookie))
            .await;
        assert_eq!(edit.status, StatusCode::FORBIDDEN, "{role}");
        for route in [format!("/hotspots/{id}"), format!("/hotspots/{id}/retire")] {
            let response = post(&app, &route, &form, &cookie).await;
            assert_eq!(response.status, StatusCode::FORBIDDEN, "{role} {route}");
        }
        let outline = upload_outline(&app, &cookie, id, b"{}").await;
        assert_eq!(outline.status, StatusCode::FORBIDDEN, "{role} outline");
        let page = app
            .get(
                &format!("/pilots/calgary-2023/hotspots/{id}"),
                Some(&cookie),
            )
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.texts("#edit-hotspot").is_empty(),
            "{role} sees no link"
        );
    }
    assert_eq!(snapshot(&app.db).await, before);
}

#[tokio::test]
async fn analysts_and_admins_find_the_edit_page_from_the_hotspot() {
    let app = TestApp::seeded().await;
    let id = park(&app.db).await;
    for role in [Role::Analyst, Role::Admin] {
        let cookie = app.sign_in_as(role).await;
        let page = app
            .get(
                &format!("/pilots/calgary-2023/hotspots/{id}"),
                Some(&cookie),
            )
            .await;
        let href = crate::common::app::attr(&page, "#edit-hotspot", "href");
        assert_eq!(href, Some(format!("/hotspots/{id}/edit")), "{role}");
        let edit = app.get(&href.unwrap(), Some(&cookie)).await;
        assert_eq!(edit.status, StatusCode::OK, "{role}");
        assert_eq!(edit.texts("h1"), ["Edit Central Memorial Park"]);
    }
}

#[tokio::test]
async fn strangers_are_sent_to_sign_in_and_an_unknown_hotspot_is_404() {
    let (app, analyst, id) = setup().await;
    let before = snapshot(&app.db).await;
    let edit = app.get(&format!("/hotspots/{id}/edit"), None).await;
    assert_eq!(edit.status, StatusCode::SEE_OTHER);
    assert!(edit.location().unwrap().starts_with("/login"));
    for route in [format!("/hotspots/{id}"), format!("/hotspots/{id}/retire")] {
        let response = app
            .post_form(&route, &[("active_to", "2023-04-01")], None)
            .await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{route}");
        assert!(response.location().unwrap().starts_with("/login"));
    }
    assert_eq!(snapshot(&app.db).await, before);

    let missing = app.get("/hotspots/999999/edit", Some(&analyst)).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let retire = post(
        &app,
        "/hotspots/999999/retire",
        &[("active_to".into(), "2023-04-01".into())],
        &analyst,
    )
    .await;
    assert_eq!(retire.status, StatusCode::NOT_FOUND);
}
