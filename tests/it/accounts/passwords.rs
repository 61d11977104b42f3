//! Passwords set by an administrator, to be changed before anything else, and one's own.

use axum::http::StatusCode;
use patrolboard::domain::{Role, password};

use super::support::*;
use crate::common::app::{PASSWORD, TestApp};

#[tokio::test]
async fn a_password_set_by_an_admin_must_be_changed_before_anything_else() {
    let app = TestApp::empty().await;
    let admin = app.sign_in_as(Role::Admin).await;
    let old_session = app.sign_in_as(Role::Viewer).await;
    let id = id_of(&app.db, "test-viewer").await;
    let temporary = "temporary password 1";

    let set = [("password", temporary)];
    let response = app
        .post_form(&format!("/admin/users/{id}/password"), &set, Some(&admin))
        .await;

    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(response.location(), Some("/admin/users"));
    let account = stored(&app.db, "test-viewer").await.unwrap();
    assert!(account.must_change_password && password::verify(temporary, &account.password_hash));
    assert_eq!(
        sessions_of(&app.db, id).await,
        0,
        "the account's sessions end"
    );
    assert_eq!(
        app.get("/", Some(&old_session)).await.location(),
        Some("/login?next=/")
    );
    let (author, action, ..) = audited(&app.db).await.pop().unwrap();
    assert_eq!(
        (author, action.as_str()),
        (Some(id_of(&app.db, "test-admin").await), "password_set")
    );
    let page = app.get("/admin/users", Some(&admin)).await;
    assert!(page.body.contains("To be changed at the next sign-in."));

    assert_eq!(
        sign_in(&app, "test-viewer", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    let signed_in = sign_in(&app, "test-viewer", temporary).await;
    assert_eq!(signed_in.location(), Some("/account/password?next=/"));
    let cookie = signed_in.session_cookie().unwrap();
    let elsewhere = app.get("/audit?entity=user", Some(&cookie)).await;
    let to_change = "/account/password?next=/audit%3Fentity%3Duser";
    assert_eq!(
        elsewhere.location(),
        Some(to_change),
        "other pages redirect"
    );
    let form = app.get(to_change, Some(&cookie)).await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(form.texts("#must-change").len(), 1);
    assert_eq!(
        value_of(&form, "input[name=next]").as_deref(),
        Some("/audit?entity=user")
    );

    let change = password_change(temporary, NEW_PASSWORD, NEW_PASSWORD, "/audit?entity=user");
    let changed = app
        .post_form("/account/password", &change, Some(&cookie))
        .await;

    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
    assert_eq!(changed.location(), Some("/audit?entity=user"));
    assert_eq!(app.get("/", Some(&cookie)).await.status, StatusCode::OK);
    let account = stored(&app.db, "test-viewer").await.unwrap();
    assert!(
        !account.must_change_password && password::verify(NEW_PASSWORD, &account.password_hash)
    );
    let (author, action, ..) = audited(&app.db).await.pop().unwrap();
    assert_eq!((author, action.as_str()), (Some(id), "password_change"));
}

#[tokio::test]
async fn a_user_who_must_change_their_password_is_held_back_from_forms_and_the_api() {
    let app = TestApp::empty().await;
    app.sign_in_as(Role::Admin).await;
    let cookie = app.sign_in_as(Role::Supervisor).await;
    sqlx::query("update users set must_change_password = true where username = 'test-supervisor'")
        .execute(&app.db)
        .await
        .unwrap();

    let form = app
        .post_form("/calendar/tokens", &[("pilot", "x")], Some(&cookie))
        .await;
    assert_eq!(form.location(), Some("/account/password?next=/"));
    let api = app.get("/api/v1/pilots/x/coverage", Some(&cookie)).await;
    assert_eq!(api.status, StatusCode::FORBIDDEN);
    assert!(api.body.contains("/account/password"), "{}", api.body);
    let out = app.post_form("/logout", &[], Some(&cookie)).await;
    assert_eq!(out.location(), Some("/login"), "signing out still works");
}

#[tokio::test]
async fn changing_ones_own_password_ends_the_other_sessions_and_keeps_this_one() {
    let app = TestApp::empty().await;
    let this = app.sign_in_as(Role::Viewer).await;
    let other = sign_in(&app, "test-viewer", PASSWORD)
        .await
        .session_cookie()
        .unwrap();
    let id = id_of(&app.db, "test-viewer").await;
    assert_eq!(
        app.get("/account/password", Some(&this)).await.status,
        StatusCode::OK
    );

    let change = password_change(PASSWORD, NEW_PASSWORD, NEW_PASSWORD, "");
    let response = app
        .post_form("/account/password", &change, Some(&this))
        .await;

    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    assert_eq!(response.location(), Some("/account/password?changed=1"));
    let shown = app.get("/account/password?changed=1", Some(&this)).await;
    assert_eq!(shown.texts("#changed").len(), 1, "this session stays");
    assert_eq!(
        app.get("/", Some(&other)).await.location(),
        Some("/login?next=/")
    );
    assert_eq!(sessions_of(&app.db, id).await, 1);
    let (author, action, entity, ..) = audited(&app.db).await.pop().unwrap();
    assert_eq!(
        (author, action.as_str(), entity),
        (Some(id), "password_change", Some(id))
    );
    assert_eq!(
        sign_in(&app, "test-viewer", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        sign_in(&app, "test-viewer", NEW_PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn a_wrong_current_password_or_a_bad_new_one_is_shown_beside_its_field() {
    let app = TestApp::empty().await;
    let cookie = app.sign_in_as(Role::Analyst).await;
    let other = sign_in(&app, "test-analyst", PASSWORD)
        .await
        .session_cookie()
        .unwrap();
    let before = stored(&app.db, "test-analyst").await;
    let entries = audited(&app.db).await.len();

    let cases = [
        (
            "not the password",
            NEW_PASSWORD,
            NEW_PASSWORD,
            "current_password",
            "not your current",
        ),
        (PASSWORD, "short", "short", "new_password", "at least 12"),
        (
            PASSWORD,
            NEW_PASSWORD,
            "a brand new passphrasE",
            "confirm_password",
            "not the same",
        ),
        (
            "",
            NEW_PASSWORD,
            NEW_PASSWORD,
            "current_password",
            "Enter your current",
        ),
    ];
    for (current, new, confirm, field, message) in cases {
        let fields = password_change(current, new, confirm, "");
        let response = app
            .post_form("/account/password", &fields, Some(&cookie))
            .await;

        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        let error = response.texts(&format!("#{field}-error"));
        assert!(error.len() == 1 && error[0].contains(message), "{error:?}");
        assert!(is_invalid(&response, field), "{field} is marked");
        assert_eq!(value_of(&response, "#current_password"), None);
    }
    assert_eq!(
        stored(&app.db, "test-analyst").await,
        before,
        "nothing changed"
    );
    assert_eq!(audited(&app.db).await.len(), entries);
    assert_eq!(
        app.get("/", Some(&other)).await.status,
        StatusCode::OK,
        "no session ended"
    );
}
