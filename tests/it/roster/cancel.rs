//! Cancelling a shift asks why, on a page of its own that works without JavaScript; the reason
//! stays with the shift, on the roster and in the audit log, and a cancelled shift is read-only.

use axum::http::StatusCode;
use serde_json::Value;

use super::{fields, setup, with, without_fragment};
use crate::common::app::{attr, post};
use crate::common::scalar;

const REASON: &str = "Members redeployed to a District 1 priority call";

#[tokio::test]
async fn cancelling_without_a_reason_is_refused_beside_the_field_and_changes_nothing() {
    let (app, f, cookie) = setup().await;
    post(&app, "/pilots/test/shifts", &fields(&f), &cookie).await;
    let id = scalar(&app.db, "select id from shifts").await;
    let audit_before = scalar(&app.db, "select count(*) from audit_log").await;

    let page = app
        .get(&format!("/shifts/{id}/cancel"), Some(&cookie))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.texts("#shift-summary")[0].contains("Pair 1"));
    assert_eq!(
        attr(&page, "input[name=version]", "value").as_deref(),
        Some("1")
    );

    let blank = [
        ("version".into(), "1".into()),
        ("reason".into(), "  ".into()),
    ];
    let refused = post(&app, &format!("/shifts/{id}/cancel"), &blank, &cookie).await;

    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.texts("#reason-error")[0].starts_with("Say why"));
    assert_eq!(
        scalar(
            &app.db,
            "select count(*) from shifts where status = 'cancelled'"
        )
        .await,
        0
    );
    assert_eq!(
        scalar(&app.db, "select count(*) from audit_log").await,
        audit_before
    );
}

#[tokio::test]
async fn a_cancelled_shift_keeps_its_reason_on_the_roster_and_in_the_audit_log_and_is_read_only() {
    let (app, f, cookie) = setup().await;
    post(&app, "/pilots/test/shifts", &fields(&f), &cookie).await;
    let id = scalar(&app.db, "select id from shifts").await;

    let given = [
        ("version".into(), "1".into()),
        ("reason".into(), REASON.into()),
    ];
    let done = post(&app, &format!("/shifts/{id}/cancel"), &given, &cookie).await;

    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let (status, reason): (String, String) =
        sqlx::query_as("select status, cancel_reason from shifts where id = $1")
            .bind(id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!((status.as_str(), reason.as_str()), ("cancelled", REASON));
    let after: Value = sqlx::query_scalar(
        "select after from audit_log where action = 'cancel' order by id desc limit 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(after["cancel_reason"], REASON);

    let location = done.location().unwrap();
    assert!(location.ends_with(&format!("#shift-{id}")), "{location}");
    let week = app.get(without_fragment(location), Some(&cookie)).await;
    // One line, its reason and log a click away: no members, hotspots or edit link on show.
    let card = format!("article.cancelled#shift-{id}");
    assert_eq!(
        week.texts(&format!("{card} > details > summary")),
        ["22:00–06:00 (+1 day) cancelled"]
    );
    assert_eq!(
        week.texts(&format!("{card} details .cancel-reason")),
        [format!("Why: {REASON}")]
    );
    assert!(
        week.texts(&format!("{card} .members, {card} .hotspots"))
            .is_empty()
    );
    assert!(week.texts(&format!("{card} a[href$='/edit']")).is_empty());

    let edit = app.get(&format!("/shifts/{id}/edit"), Some(&cookie)).await;
    assert_eq!(edit.status, StatusCode::OK);
    assert!(edit.texts("#cancelled-banner")[0].contains(REASON));
    assert_eq!(edit.texts("form fieldset.plain[disabled]").len(), 1);
    assert!(edit.texts("main form button[type=submit]").is_empty());
    assert!(edit.texts("#cancel-shift").is_empty());

    let version = scalar(&app.db, "select version::int8 from shifts")
        .await
        .to_string();
    let saved = post(
        &app,
        &format!("/shifts/{id}"),
        &with(fields(&f), "version", &version),
        &cookie,
    )
    .await;
    assert_eq!(saved.status, StatusCode::CONFLICT);
    assert!(
        saved
            .body
            .contains("cancelled, so it can no longer be changed")
    );
    let again = app
        .get(&format!("/shifts/{id}/cancel"), Some(&cookie))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
}
