//! The links of the feeds: revoked, stored only as hashes, made only by supervisors, listed and
//! audited.

use axum::http::StatusCode;
use patrolboard::domain::Role;
use sha2::{Digest, Sha256};

use super::{PILOT, fetch, fixture, make_link, supervisor};
use crate::common::app::TestApp;

#[tokio::test]
async fn a_revoked_token_gets_the_same_404_as_an_unknown_one() {
    let app = TestApp::empty().await;
    let f = fixture(&app.db).await;
    let cookie = supervisor(&app).await;
    let path = make_link(&app, &cookie, "officer_id", f.avery).await;
    assert_eq!(fetch(&app, &path).await.status, StatusCode::OK);
    let id: i64 = sqlx::query_scalar("select id from calendar_tokens")
        .fetch_one(&app.db)
        .await
        .unwrap();

    let revoked = app
        .post_form(
            &format!("/calendar/tokens/{id}/revoke"),
            &[("pilot", PILOT)],
            Some(&cookie),
        )
        .await;

    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    let after = fetch(&app, &path).await;
    let unknown = fetch(&app, &format!("/calendar/officers/{}.ics", "0f".repeat(32))).await;
    assert_eq!(after.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(after.body, unknown.body);
    assert_eq!(
        fetch(&app, "/calendar/officers/not-a-token.ics")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // An officer's token does not open a team feed.
    let team_path = path.replace("/officers/", "/teams/");
    let other = make_link(&app, &cookie, "officer_id", f.avery).await;
    assert_eq!(
        fetch(&app, &other.replace("/officers/", "/teams/"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(fetch(&app, &team_path).await.status, StatusCode::NOT_FOUND);
    // Revoking twice finds nothing to revoke.
    let again = app
        .post_form(
            &format!("/calendar/tokens/{id}/revoke"),
            &[("pilot", PILOT)],
            Some(&cookie),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn only_the_hash_of_a_token_is_stored() {
    let app = TestApp::empty().await;
    let f = fixture(&app.db).await;
    let cookie = supervisor(&app).await;
    let path = make_link(&app, &cookie, "officer_id", f.avery).await;
    let token = path
        .trim_start_matches("/calendar/officers/")
        .trim_end_matches(".ics");
    assert_eq!(token.len(), 64, "256 random bits, in hex");

    let stored: Vec<u8> = sqlx::query_scalar("select token_hash from calendar_tokens")
        .fetch_one(&app.db)
        .await
        .unwrap();

    assert_eq!(stored, Sha256::digest(token.as_bytes()).to_vec());
    let page = app
        .get(&format!("/calendar?pilot={PILOT}"), Some(&cookie))
        .await;
    assert!(!page.body.contains(token), "the URL is shown once only");
}

#[tokio::test]
async fn viewers_cannot_see_create_or_revoke_links() {
    let app = TestApp::empty().await;
    let f = fixture(&app.db).await;
    let boss = supervisor(&app).await;
    make_link(&app, &boss, "officer_id", f.avery).await;
    let viewer = app.sign_in_as(Role::Viewer).await;

    let page = app.get("/calendar", Some(&viewer)).await;
    let create = app
        .post_form(
            "/calendar/tokens",
            &[("pilot", PILOT), ("officer_id", &f.blake.to_string())],
            Some(&viewer),
        )
        .await;
    let revoke = app
        .post_form(
            "/calendar/tokens/1/revoke",
            &[("pilot", PILOT)],
            Some(&viewer),
        )
        .await;

    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert_eq!(create.status, StatusCode::FORBIDDEN);
    assert_eq!(revoke.status, StatusCode::FORBIDDEN);
    assert_eq!(
        sqlx::query_scalar::<_, i64>(
            "select count(*) from calendar_tokens where revoked_at is null"
        )
        .fetch_one(&app.db)
        .await
        .unwrap(),
        1
    );
}

#[tokio::test]
async fn the_links_page_lists_the_pilots_officers_and_teams() {
    let app = TestApp::empty().await;
    let f = fixture(&app.db).await;
    let cookie = supervisor(&app).await;
    make_link(&app, &cookie, "team_id", f.pair).await;

    let page = app
        .get(&format!("/calendar?pilot={PILOT}"), Some(&cookie))
        .await;

    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.texts("#officers tbody th"),
        ["Avery Quinn", "Blake Chen"]
    );
    assert_eq!(
        page.texts("#teams tbody th"),
        ["Bike Unit A", "Sheriff/CPS Pair 3"]
    );
    assert_eq!(page.texts("#teams form[action$='/revoke'] button").len(), 1);
    assert_eq!(
        app.get("/calendar?pilot=nope", Some(&cookie)).await.status,
        StatusCode::NOT_FOUND
    );
}

/// action, entity_id, user_id, before, after.
type AuditEntry = (
    String,
    Option<i64>,
    Option<i64>,
    Option<serde_json::Value>,
    Option<serde_json::Value>,
);

#[tokio::test]
async fn creating_and_revoking_a_link_write_audit_entries() {
    let app = TestApp::empty().await;
    let f = fixture(&app.db).await;
    let cookie = supervisor(&app).await;
    make_link(&app, &cookie, "officer_id", f.avery).await;
    let id: i64 = sqlx::query_scalar("select id from calendar_tokens")
        .fetch_one(&app.db)
        .await
        .unwrap();
    app.post_form(
        &format!("/calendar/tokens/{id}/revoke"),
        &[("pilot", PILOT)],
        Some(&cookie),
    )
    .await;

    let entries: Vec<AuditEntry> =
        sqlx::query_as(
            "select action, entity_id, user_id, before, after from audit_log where entity = 'calendar_token' order by id",
        )
        .fetch_all(&app.db)
        .await
        .unwrap();

    assert_eq!(entries.len(), 2);
    let supervisor_id: i64 =
        sqlx::query_scalar("select id from users where username = 'test-supervisor'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let (action, entity, user, before, after) = &entries[0];
    assert_eq!(
        (action.as_str(), *entity, *user),
        ("create", Some(id), Some(supervisor_id))
    );
    assert!(before.is_none());
    assert_eq!(after.as_ref().unwrap()["officer_id"], f.avery.0);
    let (action, entity, _, before, after) = &entries[1];
    assert_eq!((action.as_str(), *entity), ("revoke", Some(id)));
    assert!(before.as_ref().unwrap()["revoked_at"].is_null());
    assert!(after.as_ref().unwrap()["revoked_at"].is_string());
    let all_text =
        serde_json::to_string(&entries.iter().map(|e| (&e.3, &e.4)).collect::<Vec<_>>()).unwrap();
    assert!(
        !all_text.contains("token_hash"),
        "no secret in the audit log"
    );
}
