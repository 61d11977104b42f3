//! Choosing a pilot's districts among its city's communities: the page lists the city's
//! communities not yet districts, and the chosen ones become districts with an audit entry each.

use axum::http::StatusCode;
use patrolboard::domain::Role;

use super::{PAGE, calgary_communities};
use crate::common::app::TestApp;
use crate::common::fixture::Fixture;
use crate::common::scalar;

/// The codes of the checkboxes on the page.
fn offered(response: &crate::common::app::TestResponse) -> Vec<String> {
    let html = response.html();
    let boxes = scraper::Selector::parse("input[type=checkbox][name=codes]").unwrap();
    html.select(&boxes)
        .filter_map(|b| b.value().attr("value").map(str::to_string))
        .collect()
}

/// The codes of the ticked checkboxes.
fn ticked(response: &crate::common::app::TestResponse) -> Vec<String> {
    let html = response.html();
    let boxes = scraper::Selector::parse("input[name=codes][checked]").unwrap();
    html.select(&boxes)
        .filter_map(|b| b.value().attr("value").map(str::to_string))
        .collect()
}

#[tokio::test]
async fn an_analyst_adds_two_communities_as_districts_and_they_leave_the_list() {
    let app = TestApp::empty().await;
    let pilot = Fixture::pilot("test").build(&app.db).await.pilot_id;
    calgary_communities(&app.db).await;
    let analyst = app.sign_in_as(Role::Analyst).await;
    assert_eq!(offered(&app.get(PAGE, Some(&analyst)).await).len(), 13);

    let added = app
        .post_form(PAGE, &[("codes", "BLN"), ("codes", "DNC")], Some(&analyst))
        .await;

    assert_eq!(added.status, StatusCode::SEE_OTHER);
    let back = added.location().unwrap().to_string();
    assert_eq!(back, format!("{PAGE}?added=2"));
    let page = app.get(&back, Some(&analyst)).await;
    assert_eq!(page.texts("#choice-added"), ["Added 2 districts."]);
    let left = offered(&page);
    assert_eq!(left.len(), 11);
    assert!(!left.contains(&"BLN".to_string()));
    let copied: Vec<(String, String, bool)> = sqlx::query_as(
        r#"select d.code, d.name, d.boundary = c.boundary from districts d
             join communities c on c.code = d.code and c.city = 'Calgary'
            where d.pilot_id = $1 order by d.code"#,
    )
    .bind(pilot)
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(
        copied,
        [
            ("BLN".into(), "Beltline".into(), true),
            ("DNC".into(), "Downtown Commercial Core".into(), true)
        ]
    );
    let audited: Vec<(String, Option<String>)> = sqlx::query_as(
        r#"select a.after ->> 'code', u.username from audit_log a left join users u on u.id = a.user_id
            where a.entity = 'district' and a.action = 'create' order by 1"#,
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(
        audited,
        [
            ("BLN".into(), Some("test-analyst".into())),
            ("DNC".into(), Some("test-analyst".into()))
        ]
    );
    let district = app.get("/pilots/test/districts/BLN", Some(&analyst)).await;
    assert_eq!(district.status, StatusCode::OK);
}

#[tokio::test]
async fn an_unknown_code_or_none_answers_422_and_adds_nothing() {
    let app = TestApp::empty().await;
    Fixture::pilot("test").build(&app.db).await;
    calgary_communities(&app.db).await;
    let analyst = app.sign_in_as(Role::Analyst).await;
    let audit_before = scalar(&app.db, "select count(*) from audit_log").await;

    let unknown = app
        .post_form(PAGE, &[("codes", "BLN"), ("codes", "NOPE")], Some(&analyst))
        .await;
    let none = app.post_form(PAGE, &[], Some(&analyst)).await;

    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = unknown.texts("#codes-error").join(" ");
    assert!(error.contains("NOPE") && !error.contains("BLN"), "{error}");
    assert_eq!(ticked(&unknown), ["BLN"], "the ticks are kept");
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        none.texts("#codes-error")
            .join(" ")
            .contains("at least one")
    );
    assert_eq!(scalar(&app.db, "select count(*) from districts").await, 0);
    assert_eq!(
        scalar(&app.db, "select count(*) from audit_log").await,
        audit_before
    );
}

#[tokio::test]
async fn a_community_already_a_district_or_another_districts_name_answers_422() {
    let app = TestApp::empty().await;
    Fixture::pilot("test")
        .district("X1", |d| d.name("Beltline"))
        .places_stored_as_is()
        .build(&app.db)
        .await;
    calgary_communities(&app.db).await;
    let analyst = app.sign_in_as(Role::Analyst).await;
    app.post_form(PAGE, &[("codes", "DNC")], Some(&analyst))
        .await;

    let again = app
        .post_form(PAGE, &[("codes", "DNC")], Some(&analyst))
        .await;
    let same_name = app
        .post_form(PAGE, &[("codes", "BLN")], Some(&analyst))
        .await;

    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        again
            .texts("#codes-error")
            .join(" ")
            .contains("already a district")
    );
    assert_eq!(same_name.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        same_name
            .texts("#codes-error")
            .join(" ")
            .contains("Beltline")
    );
    assert_eq!(scalar(&app.db, "select count(*) from districts").await, 2);
}

#[tokio::test]
async fn viewers_and_supervisors_may_not_choose_districts_and_anonymous_users_sign_in_first() {
    let app = TestApp::empty().await;
    Fixture::pilot("test").build(&app.db).await;
    calgary_communities(&app.db).await;
    let mut viewer = String::new();
    for role in [Role::Viewer, Role::Supervisor] {
        let cookie = app.sign_in_as(role).await;
        if role == Role::Viewer {
            viewer = cookie.clone();
        }

        let page = app.get(PAGE, Some(&cookie)).await;
        let post = app
            .post_form(PAGE, &[("codes", "BLN")], Some(&cookie))
            .await;

        assert_eq!(page.status, StatusCode::FORBIDDEN, "{role}");
        assert_eq!(post.status, StatusCode::FORBIDDEN, "{role}");
    }
    let admin = app.sign_in_as(Role::Admin).await;
    assert_eq!(app.get(PAGE, Some(&admin)).await.status, StatusCode::OK);
    let anonymous = app.get(PAGE, None).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert!(anonymous.location().unwrap().starts_with("/login"));
    assert_eq!(scalar(&app.db, "select count(*) from districts").await, 0);
    let link = "a[href=\"/pilots/test/districts/from-communities\"]";
    let dashboard = |cookie| app.get("/pilots/test", Some(cookie));
    assert_eq!(
        dashboard(&admin).await.texts(link).len(),
        1,
        "admins find the page"
    );
    assert!(dashboard(&viewer).await.texts(link).is_empty());
}
