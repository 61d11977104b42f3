//! Renaming a district: stored with its audit entry, a bad or taken name refused, and who may.

use axum::http::StatusCode;
use patrolboard::domain::Role;

use super::snapshot;
use crate::common::app::{TestApp, attr, post, shown_value};
use crate::common::scalar;

fn named(name: &str) -> Vec<(String, String)> {
    vec![("name".to_string(), name.to_string())]
}

#[tokio::test]
async fn an_analyst_renames_a_district_and_the_change_is_audited() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Analyst).await;
    let page = app
        .get("/pilots/calgary-2023/districts/BLN", Some(&cookie))
        .await;
    let href = attr(&page, "#edit-district", "href").expect("an edit link");
    let edit = app.get(&href, Some(&cookie)).await;
    assert_eq!(edit.status, StatusCode::OK);
    assert_eq!(shown_value(&edit, "name"), "Beltline");
    let id = scalar(&app.db, "select id from districts where code = 'BLN'").await;

    let response = post(
        &app,
        &format!("/districts/{id}"),
        &named(" Beltline   Core "),
        &cookie,
    )
    .await;

    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    assert_eq!(
        response.location(),
        Some("/pilots/calgary-2023/districts/BLN")
    );
    let name: String = sqlx::query_scalar("select name from districts where id = $1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(name, "Beltline Core");
    let (action, before, after): (String, serde_json::Value, serde_json::Value) = sqlx::query_as(
        "select action, before, after from audit_log where entity = 'district' and entity_id = $1",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(action, "update");
    assert_eq!(before["name"], "Beltline");
    assert_eq!(after["name"], "Beltline Core");
    assert_eq!(after["code"], "BLN");
}

#[tokio::test]
async fn an_empty_or_taken_name_is_refused_with_422_and_nothing_stored() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Analyst).await;
    let id = scalar(&app.db, "select id from districts where code = 'BLN'").await;
    let taken: String =
        sqlx::query_scalar("select name from districts where code <> 'BLN' limit 1")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let names: String =
        sqlx::query_scalar("select string_agg(name, '|' order by id) from districts")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let before = snapshot(&app.db).await;

    for (typed, expected) in [
        ("  ".to_string(), "Fill this in.".to_string()),
        (
            taken.clone(),
            format!("Another district of this pilot is named {taken}. Choose another name."),
        ),
    ] {
        let response = post(&app, &format!("/districts/{id}"), &named(&typed), &cookie).await;
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{typed:?}"
        );
        assert_eq!(response.texts("#name-error"), [expected]);
        assert_eq!(shown_value(&response, "name"), typed);
    }
    assert_eq!(snapshot(&app.db).await, before);
    let after: String =
        sqlx::query_scalar("select string_agg(name, '|' order by id) from districts")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(after, names);
}

#[tokio::test]
async fn viewers_and_supervisors_may_not_rename_a_district_and_strangers_sign_in() {
    let app = TestApp::seeded().await;
    let id = scalar(&app.db, "select id from districts where code = 'BLN'").await;
    let viewer = app.sign_in_as(Role::Viewer).await;
    let supervisor = app.sign_in_as(Role::Supervisor).await;
    let before = snapshot(&app.db).await;
    for (role, cookie) in [(Role::Viewer, viewer), (Role::Supervisor, supervisor)] {
        let edit = app
            .get(&format!("/districts/{id}/edit"), Some(&cookie))
            .await;
        assert_eq!(edit.status, StatusCode::FORBIDDEN, "{role}");
        let rename = post(&app, &format!("/districts/{id}"), &named("Mine"), &cookie).await;
        assert_eq!(rename.status, StatusCode::FORBIDDEN, "{role}");
        let page = app
            .get("/pilots/calgary-2023/districts/BLN", Some(&cookie))
            .await;
        assert!(
            page.texts("#edit-district").is_empty(),
            "{role} sees no link"
        );
    }
    let anonymous = app
        .post_form(&format!("/districts/{id}"), &[("name", "Mine")], None)
        .await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert!(anonymous.location().unwrap().starts_with("/login"));
    assert_eq!(snapshot(&app.db).await, before);
}
