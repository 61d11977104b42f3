//! Adding accounts and changing their role and status, and who may.

use axum::http::StatusCode;
use patrolboard::domain::{Role, password};
use serde_json::Value;

use super::support::*;
use crate::common::app::{PASSWORD, TestApp};

#[tokio::test]
async fn an_admin_adds_an_account_whose_owner_must_change_its_password() {
    let app = TestApp::empty().await;
    let admin = app.sign_in_as(Role::Admin).await;
    let admin_id = id_of(&app.db, "test-admin").await;

    let response = app
        .post_form(
            "/admin/users",
            &new_account(" Dispatch ", "supervisor", PASSWORD),
            Some(&admin),
        )
        .await;

    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    assert_eq!(response.location(), Some("/admin/users"));
    let account = stored(&app.db, "dispatch").await.expect("stored");
    assert_eq!(
        (account.display_name.as_str(), account.role.as_str()),
        ("Dana Dispatch", "supervisor")
    );
    assert!(account.active && account.must_change_password);
    assert!(password::verify(PASSWORD, &account.password_hash));
    let entries = audited(&app.db).await;
    let (author, action, entity, before, after) = entries.last().unwrap();
    assert_eq!((*author, action.as_str()), (Some(admin_id), "create"));
    assert_eq!((*entity, before), (Some(account.id), &None));
    let after: Value = serde_json::from_str(after.as_deref().unwrap()).unwrap();
    assert_eq!(after["username"], "dispatch");
    assert_eq!(after["role"], "supervisor");
    let page = app.get("/admin/users", Some(&admin)).await;
    assert!(page.texts("tbody th").contains(&"dispatch".to_string()));

    let first = sign_in(&app, "dispatch", PASSWORD).await;
    assert_eq!(first.location(), Some("/account/password?next=/"));
}

#[tokio::test]
async fn bad_new_accounts_come_back_with_each_problem_beside_its_field_and_nothing_stored() {
    let app = TestApp::empty().await;
    let admin = app.sign_in_as(Role::Admin).await;
    app.add_user("taken", Role::Viewer).await;
    let accounts_before: i64 = sqlx::query_scalar("select count(*) from users")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let entries_before = audited(&app.db).await.len();

    let cases = [
        (
            new_account("no spaces", "viewer", PASSWORD),
            "username",
            "A username is",
        ),
        (
            new_account("fine", "root", PASSWORD),
            "role",
            "Choose a role",
        ),
        (
            new_account("fine", "viewer", "too short"),
            "password",
            "at least 12",
        ),
        (
            new_account("Taken", "viewer", PASSWORD),
            "username",
            "already taken",
        ),
    ];
    for (fields, field, message) in cases {
        let response = app.post_form("/admin/users", &fields, Some(&admin)).await;

        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        let error = response.texts(&format!("#{field}-error"));
        assert!(error.len() == 1 && error[0].contains(message), "{error:?}");
        assert_eq!(response.texts("#problem").len(), 1);
        assert!(is_invalid(&response, field), "{field} is marked");
        assert_eq!(
            value_of(&response, "#username"),
            Some(fields[0].1.to_string())
        );
        assert_eq!(
            value_of(&response, "#display_name").as_deref(),
            Some("Dana Dispatch")
        );
        assert_eq!(
            value_of(&response, "#password"),
            None,
            "the password is not sent back"
        );
        assert!(!response.body.contains(fields[3].1));
    }
    let accounts_after: i64 = sqlx::query_scalar("select count(*) from users")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(accounts_after, accounts_before, "nothing was stored");
    assert_eq!(audited(&app.db).await.len(), entries_before);
}

#[tokio::test]
async fn only_admins_may_use_the_account_pages_and_forms() {
    let app = TestApp::empty().await;
    app.add_user("someone", Role::Viewer).await;
    let someone = id_of(&app.db, "someone").await;
    let access = [("role", "admin"), ("active", "true")];
    let routes: [(&str, &[(&str, &str)]); 3] = [
        ("/admin/users", &new_account("intruder", "admin", PASSWORD)),
        (&format!("/admin/users/{someone}"), &access),
        (
            &format!("/admin/users/{someone}/password"),
            &[("password", NEW_PASSWORD)],
        ),
    ];
    let before = stored(&app.db, "someone").await;

    for role in [Role::Viewer, Role::Supervisor, Role::Analyst] {
        let cookie = app.sign_in_as(role).await;
        let page = app.get("/admin/users", Some(&cookie)).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{role}");
        for (path, fields) in &routes {
            let response = app.post_form(path, fields, Some(&cookie)).await;
            assert_eq!(response.status, StatusCode::FORBIDDEN, "{role} {path}");
        }
    }
    let page = app.get("/admin/users", None).await;
    assert_eq!(page.location(), Some("/login?next=/admin/users"));
    for (path, fields) in &routes {
        let response = app.post_form(path, fields, None).await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{path}");
        assert!(response.location().unwrap().starts_with("/login?next="));
    }
    let own = app.get("/account/password", None).await;
    assert_eq!(own.location(), Some("/login?next=/account/password"));

    assert!(stored(&app.db, "intruder").await.is_none());
    assert_eq!(stored(&app.db, "someone").await, before, "nothing changed");
    assert!(audited(&app.db).await.iter().all(|e| e.1 == "create"));
}

#[tokio::test]
async fn an_admin_changes_a_role_and_it_is_stored_and_audited() {
    let app = TestApp::empty().await;
    let admin = app.sign_in_as(Role::Admin).await;
    app.add_user("someone", Role::Viewer).await;
    let id = id_of(&app.db, "someone").await;

    let path = format!("/admin/users/{id}");
    let fields = [("role", "analyst"), ("active", "true")];
    let response = app.post_form(&path, &fields, Some(&admin)).await;

    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(response.location(), Some("/admin/users"));
    let account = stored(&app.db, "someone").await.unwrap();
    assert_eq!((account.role.as_str(), account.active), ("analyst", true));
    let (_, action, entity, before, after) = audited(&app.db).await.pop().unwrap();
    assert_eq!((action.as_str(), entity), ("update", Some(id)));
    let before: Value = serde_json::from_str(&before.unwrap()).unwrap();
    let after: Value = serde_json::from_str(&after.unwrap()).unwrap();
    assert_eq!(
        (&before["role"], &after["role"]),
        (&"viewer".into(), &"analyst".into())
    );

    let again = app.post_form(&path, &fields, Some(&admin)).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(audited(&app.db).await.len(), 3, "no change, no entry");
}

#[tokio::test]
async fn deactivating_an_account_signs_it_out_at_once_and_reactivating_lets_it_back() {
    let app = TestApp::empty().await;
    let admin = app.sign_in_as(Role::Admin).await;
    let viewer = app.sign_in_as(Role::Viewer).await;
    let id = id_of(&app.db, "test-viewer").await;
    assert_eq!(app.get("/", Some(&viewer)).await.status, StatusCode::OK);

    let path = format!("/admin/users/{id}");
    let off = [("role", "viewer"), ("active", "false")];
    let response = app.post_form(&path, &off, Some(&admin)).await;

    assert_eq!(response.status, StatusCode::SEE_OTHER);
    let next = app.get("/", Some(&viewer)).await;
    assert_eq!(next.location(), Some("/login?next=/"), "signed out at once");
    assert_eq!(sessions_of(&app.db, id).await, 0);
    assert!(!stored(&app.db, "test-viewer").await.unwrap().active);
    let refused = sign_in(&app, "test-viewer", PASSWORD).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);

    let on = [("role", "viewer"), ("active", "true")];
    let response = app.post_form(&path, &on, Some(&admin)).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    let back = sign_in(&app, "test-viewer", PASSWORD).await;
    assert_eq!(back.status, StatusCode::SEE_OTHER);
    let actions: Vec<String> = audited(&app.db).await.into_iter().map(|e| e.1).collect();
    assert_eq!(actions, ["create", "create", "deactivate", "reactivate"]);
}

#[tokio::test]
async fn bad_changes_come_back_beside_the_row_and_unknown_accounts_are_404() {
    let app = TestApp::empty().await;
    let admin = app.sign_in_as(Role::Admin).await;
    app.add_user("someone", Role::Viewer).await;
    let id = id_of(&app.db, "someone").await;
    let before = stored(&app.db, "someone").await;
    let path = format!("/admin/users/{id}");

    let cases = [
        (
            [("role", "root"), ("active", "true")],
            "role",
            "Choose a role",
        ),
        (
            [("role", "viewer"), ("active", "maybe")],
            "active",
            "active",
        ),
    ];
    for (fields, field, message) in cases {
        let response = app.post_form(&path, &fields, Some(&admin)).await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
        let error = response.texts(&format!("#{field}-{id}-error"));
        assert!(error.len() == 1 && error[0].contains(message), "{error:?}");
    }
    let weak = [("password", "short")];
    let response = app
        .post_form(&format!("{path}/password"), &weak, Some(&admin))
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.texts(&format!("#password-{id}-error"))[0].contains("at least 12"));
    let admin_id = id_of(&app.db, "test-admin").await;
    let own = [("password", NEW_PASSWORD)];
    let own_path = format!("/admin/users/{admin_id}/password");
    let response = app.post_form(&own_path, &own, Some(&admin)).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = response.texts(&format!("#password-{admin_id}-error"));
    assert!(error[0].starts_with("Change your own password on the Change password page"));

    for unknown in ["/admin/users/999999", "/admin/users/999999/password"] {
        let fields = [
            ("role", "viewer"),
            ("active", "true"),
            ("password", NEW_PASSWORD),
        ];
        let response = app.post_form(unknown, &fields, Some(&admin)).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{unknown}");
    }
    assert_eq!(stored(&app.db, "someone").await, before);
    assert_eq!(
        audited(&app.db).await.len(),
        2,
        "only the two accounts' creation"
    );
}

#[tokio::test]
async fn the_accounts_page_labels_every_control_and_scrolls_its_table_in_a_named_region() {
    let app = TestApp::empty().await;
    let admin = app.sign_in_as(Role::Admin).await;
    app.add_user("someone", Role::Viewer).await;

    let page = app.get("/admin/users", Some(&admin)).await;

    assert_eq!(page.status, StatusCode::OK);
    let html = page.html();
    let region = scraper::Selector::parse(
        r#"div[role=region][tabindex="0"][aria-labelledby="accounts-caption"] table"#,
    )
    .unwrap();
    assert_eq!(html.select(&region).count(), 1);
    let controls = scraper::Selector::parse("main input:not([type=hidden]), main select").unwrap();
    let labels = scraper::Selector::parse("label").unwrap();
    let labelled: Vec<String> = html
        .select(&labels)
        .filter_map(|l| l.value().attr("for").map(str::to_string))
        .collect();
    let ids: Vec<String> = html
        .select(&controls)
        .map(|c| c.value().attr("id").unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        ids.len(),
        5 + 2 + 3,
        "the new account, the admin's row, the other row"
    );
    assert!(
        ids.iter().all(|id| labelled.contains(id)),
        "{ids:?} {labelled:?}"
    );
    assert_eq!(page.texts("h2"), ["Every account", "Add an account"]);
}
