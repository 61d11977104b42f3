//! `/admin/pilots`: adding a pilot and changing one in the browser, the problems shown beside
//! their fields, who may, and what the audit log keeps.

use axum::http::StatusCode;
use patrolboard::domain::Role;

use super::{audited, demo_settings, marked, new_pilot, pilot_count, stored};
use crate::common::app::{TestApp, shown_value};
use crate::common::scalar;

#[tokio::test]
async fn an_admin_adds_a_pilot_and_is_sent_to_its_page_which_the_home_page_lists() {
    let app = TestApp::seeded().await;
    let admin = app.sign_in_as(Role::Admin).await;

    let response = app
        .post_form(
            "/admin/pilots",
            &new_pilot(" Edmonton-2024 ", &[("block_minutes", "30")]),
            Some(&admin),
        )
        .await;

    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    assert_eq!(response.location(), Some("/pilots/edmonton-2024"));
    assert_eq!(
        stored(&app.db, "edmonton-2024").await,
        Some((
            "Downtown Edmonton 2024".into(),
            "Edmonton".into(),
            "America/Edmonton".into(),
            "2024-03-01".into(),
            "2024-05-31".into(),
            30
        ))
    );
    let page = app.get("/pilots/edmonton-2024", Some(&admin)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.texts("h1")[0].contains("Downtown Edmonton 2024"));
    let home = app.get("/", Some(&admin)).await;
    let slugs: Vec<String> = home
        .html()
        .select(&scraper::Selector::parse("th[data-slug]").unwrap())
        .map(|th| th.value().attr("data-slug").unwrap().to_string())
        .collect();
    assert_eq!(
        slugs,
        ["edmonton-2024", "calgary-2023"],
        "every pilot, latest first"
    );
    let list = app.get("/admin/pilots", Some(&admin)).await;
    assert_eq!(
        list.texts("table.pilots tbody th"),
        ["edmonton-2024", "calgary-2023"]
    );
}

#[tokio::test]
async fn a_pilot_added_without_a_block_length_gets_sixty_minutes() {
    let app = TestApp::empty().await;
    let admin = app.sign_in_as(Role::Admin).await;

    let response = app
        .post_form(
            "/admin/pilots",
            &new_pilot("edmonton-2024", &[("block_minutes", "")]),
            Some(&admin),
        )
        .await;

    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    assert_eq!(stored(&app.db, "edmonton-2024").await.unwrap().5, 60);
}

#[tokio::test]
async fn bad_new_pilots_come_back_with_each_problem_beside_its_field_and_nothing_stored() {
    let app = TestApp::seeded().await;
    let admin = app.sign_in_as(Role::Admin).await;
    let pilots_before = pilot_count(&app.db).await;
    let audit_before = scalar(&app.db, "select count(*) from audit_log").await;

    let cases = [
        (
            new_pilot("edm", &[("time_zone", "Mountain Time")]),
            "time_zone",
            "not an IANA time zone",
        ),
        (
            new_pilot("edm", &[("time_zone", "")]),
            "time_zone",
            "Choose the pilot's time zone",
        ),
        (
            new_pilot("edm", &[("ends_on", "2024-02-29")]),
            "ends_on",
            "on or after the first day",
        ),
        (
            new_pilot("edm", &[("starts_on", "March 1")]),
            "starts_on",
            "YYYY-MM-DD",
        ),
        (new_pilot("Edmonton 2024!", &[]), "slug", "A slug is"),
        (new_pilot("-edm", &[]), "slug", "A slug is"),
        (
            new_pilot("Calgary-2023", &[]),
            "slug",
            "already used by another pilot",
        ),
        (
            new_pilot("edm", &[("block_minutes", "3")]),
            "block_minutes",
            "from 5 to 240",
        ),
        (
            new_pilot("edm", &[("name", "  ")]),
            "name",
            "Enter the pilot's name",
        ),
        (
            new_pilot("edm", &[("city", "")]),
            "city",
            "Enter the pilot's city",
        ),
    ];
    for (fields, field, message) in cases {
        let response = app.post_form("/admin/pilots", &fields, Some(&admin)).await;

        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {message}"
        );
        let shown = marked(&response, field).unwrap_or_else(|| panic!("{field} is marked"));
        assert!(shown.contains(message), "{field}: {shown}");
        assert_eq!(response.texts("#problem").len(), 1);
        for (name, typed) in &fields {
            assert_eq!(&shown_value(&response, name), typed, "{name} is kept");
        }
    }
    let all_at_once = new_pilot(
        "no way",
        &[
            ("time_zone", "Mars/Base"),
            ("ends_on", "2024-01-01"),
            ("block_minutes", "241"),
        ],
    );
    let response = app
        .post_form("/admin/pilots", &all_at_once, Some(&admin))
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["slug", "time_zone", "ends_on", "block_minutes"] {
        assert!(marked(&response, field).is_some(), "{field}");
    }
    assert_eq!(
        pilot_count(&app.db).await,
        pilots_before,
        "nothing was stored"
    );
    assert_eq!(
        scalar(&app.db, "select count(*) from audit_log").await,
        audit_before
    );
}

#[tokio::test]
async fn the_time_zone_is_chosen_from_the_iana_names() {
    let app = TestApp::empty().await;
    let admin = app.sign_in_as(Role::Admin).await;

    let page = app.get("/admin/pilots", Some(&admin)).await;

    let input = page.html();
    let zone = input
        .select(&scraper::Selector::parse("#time_zone").unwrap())
        .next()
        .unwrap();
    assert_eq!(zone.value().attr("list"), Some("time-zones"));
    let options: Vec<String> = input
        .select(&scraper::Selector::parse("datalist#time-zones option").unwrap())
        .map(|o| o.value().attr("value").unwrap().to_string())
        .collect();
    assert!(options.len() > 300, "{}", options.len());
    for name in [
        "America/Edmonton",
        "America/Toronto",
        "Europe/London",
        "UTC",
    ] {
        assert!(options.iter().any(|o| o == name), "{name}");
    }
    assert_eq!(shown_value(&page, "block_minutes"), "60");
}

#[tokio::test]
async fn an_admin_changes_a_pilots_settings_but_not_its_slug() {
    let app = TestApp::seeded().await;
    let admin = app.sign_in_as(Role::Admin).await;
    let form = app.get("/admin/pilots/calgary-2023", Some(&admin)).await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(
        shown_value(&form, "name"),
        "Calgary Downtown Sheriffs Pilot 2023"
    );
    assert_eq!(shown_value(&form, "starts_on"), "2023-02-27");
    assert!(form.texts("#slug").is_empty(), "the slug is not a field");

    let mut fields = demo_settings(&[("name", "Calgary sheriffs 2023"), ("city", "Calgary, AB")]);
    fields.push(("slug", "renamed"));
    let response = app
        .post_form("/admin/pilots/calgary-2023", &fields, Some(&admin))
        .await;

    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    assert_eq!(response.location(), Some("/pilots/calgary-2023"));
    let pilot = stored(&app.db, "calgary-2023")
        .await
        .expect("the slug stays");
    assert_eq!(
        (pilot.0.as_str(), pilot.1.as_str()),
        ("Calgary sheriffs 2023", "Calgary, AB")
    );
    assert_eq!(stored(&app.db, "renamed").await, None);
    let missing = app
        .post_form("/admin/pilots/nowhere", &demo_settings(&[]), Some(&admin))
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get("/admin/pilots/nowhere", Some(&admin)).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn bad_settings_come_back_beside_their_fields_and_change_nothing() {
    let app = TestApp::seeded().await;
    let admin = app.sign_in_as(Role::Admin).await;
    let before = stored(&app.db, "calgary-2023").await;

    let fields = demo_settings(&[("time_zone", "Calgary"), ("block_minutes", "3")]);
    let response = app
        .post_form("/admin/pilots/calgary-2023", &fields, Some(&admin))
        .await;

    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(marked(&response, "time_zone").is_some());
    assert!(marked(&response, "block_minutes").is_some());
    assert_eq!(shown_value(&response, "time_zone"), "Calgary");
    assert_eq!(stored(&app.db, "calgary-2023").await, before);
    assert!(audited(&app.db).await.iter().all(|e| e.1 != "update"));
}

#[tokio::test]
async fn only_admins_may_see_the_pilot_pages_and_use_their_forms() {
    let app = TestApp::seeded().await;
    let pilots_before = pilot_count(&app.db).await;
    let before = stored(&app.db, "calgary-2023").await;
    for role in [Role::Viewer, Role::Supervisor, Role::Analyst] {
        let cookie = app.sign_in_as(role).await;
        for path in ["/admin/pilots", "/admin/pilots/calgary-2023"] {
            assert_eq!(
                app.get(path, Some(&cookie)).await.status,
                StatusCode::FORBIDDEN,
                "{role} {path}"
            );
        }
        let add = app
            .post_form("/admin/pilots", &new_pilot("intruder", &[]), Some(&cookie))
            .await;
        let change = app
            .post_form(
                "/admin/pilots/calgary-2023",
                &demo_settings(&[("name", "Taken over")]),
                Some(&cookie),
            )
            .await;
        assert_eq!(add.status, StatusCode::FORBIDDEN, "{role}");
        assert_eq!(change.status, StatusCode::FORBIDDEN, "{role}");
        let home = app.get("/", Some(&cookie)).await;
        assert!(
            home.texts("nav a").iter().all(|l| l != "Pilot setup"),
            "{role}"
        );
    }
    let anonymous = app.get("/admin/pilots", None).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert!(anonymous.location().unwrap().starts_with("/login"));
    assert_eq!(pilot_count(&app.db).await, pilots_before);
    assert_eq!(stored(&app.db, "calgary-2023").await, before);
    let admin = app.sign_in_as(Role::Admin).await;
    let home = app.get("/", Some(&admin)).await;
    assert!(home.texts("nav a").contains(&"Pilot setup".to_string()));
}

#[tokio::test]
async fn adding_and_changing_a_pilot_are_audited_with_before_and_after() {
    let app = TestApp::empty().await;
    let admin = app.sign_in_as(Role::Admin).await;
    let admin_id = scalar(
        &app.db,
        "select id from users where username = 'test-admin'",
    )
    .await;
    app.post_form(
        "/admin/pilots",
        &new_pilot("edmonton-2024", &[]),
        Some(&admin),
    )
    .await;
    let id = scalar(
        &app.db,
        "select id from pilots where slug = 'edmonton-2024'",
    )
    .await;
    let mut fields = new_pilot(
        "edmonton-2024",
        &[("time_zone", "America/Regina"), ("ends_on", "2024-06-30")],
    );
    fields.retain(|(name, _)| *name != "slug");

    let response = app
        .post_form("/admin/pilots/edmonton-2024", &fields, Some(&admin))
        .await;
    let unchanged = app
        .post_form("/admin/pilots/edmonton-2024", &fields, Some(&admin))
        .await;

    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    assert_eq!(unchanged.status, StatusCode::SEE_OTHER);
    let entries = audited(&app.db).await;
    assert_eq!(
        entries.len(),
        2,
        "saving the same settings again is no change"
    );
    let (author, action, entity, before, after) = &entries[0];
    assert_eq!(
        (*author, action.as_str(), *entity),
        (Some(admin_id), "create", Some(id))
    );
    assert_eq!(before, &None);
    let after = after.as_ref().unwrap();
    assert_eq!(after["slug"], "edmonton-2024");
    assert_eq!(after["time_zone"], "America/Edmonton");
    assert_eq!(after["block_minutes"], 60);
    let (author, action, entity, before, after) = &entries[1];
    assert_eq!(
        (*author, action.as_str(), *entity),
        (Some(admin_id), "update", Some(id))
    );
    let (before, after) = (before.as_ref().unwrap(), after.as_ref().unwrap());
    assert_eq!(
        (&before["time_zone"], &after["time_zone"]),
        (&"America/Edmonton".into(), &"America/Regina".into())
    );
    assert_eq!(
        (&before["ends_on"], &after["ends_on"]),
        (&"2024-05-31".into(), &"2024-06-30".into())
    );
}
