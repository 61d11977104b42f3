//! Logging, editing and deleting an activity, each with its audit entry.

use axum::http::StatusCode;
use patrolboard::domain::Role;
use serde_json::Value;

use super::{count, fixture, last_audit, log_activity};

#[tokio::test]
async fn creating_editing_and_deleting_an_activity_each_write_one_audit_entry() {
    let f = fixture().await;
    let cookie = f.app.sign_in_as(Role::Supervisor).await;
    let library = f.library.to_string();
    let audits = count(&f.app, "audit_log").await;

    let activity = log_activity(
        &f,
        &cookie,
        &[
            ("kind", "mental_health_referral"),
            ("count", "2"),
            ("hotspot_id", &library),
            ("occurred_at", "2023-03-11T23:40"),
            ("note", "Referred to the PACT team"),
        ],
    )
    .await;
    assert_eq!(count(&f.app, "audit_log").await, audits + 1);
    let (_, action, entity, entity_id, old, new) = last_audit(&f.app).await;
    assert_eq!(
        (action.as_str(), entity.as_str(), entity_id),
        ("create", "activity", Some(activity))
    );
    assert_eq!(old, None);
    let new = new.unwrap();
    assert_eq!(new["kind"], "mental_health_referral");
    assert_eq!(new["count"], 2);
    assert_eq!(new["hotspot_id"].as_i64(), Some(f.library.0));
    assert_eq!(new["note"], "Referred to the PACT team");

    let response = f
        .app
        .post_form(
            &format!("/activities/{activity}"),
            &[
                ("kind", "addiction_referral"),
                ("count", "3"),
                ("hotspot_id", ""),
                ("occurred_at", "2023-03-11T23:45"),
                ("note", ""),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(
        response.location(),
        Some(format!("/shifts/{}/log?notice=activity-saved", f.shift).as_str())
    );
    assert_eq!(count(&f.app, "audit_log").await, audits + 2);
    let (_, action, _, _, old, new) = last_audit(&f.app).await;
    assert_eq!(action, "update");
    let (old, new) = (old.unwrap(), new.unwrap());
    assert_eq!(
        (old["count"].as_i64(), new["count"].as_i64()),
        (Some(2), Some(3))
    );
    assert_eq!(new["hotspot_id"], Value::Null);
    assert_eq!(new["kind"], "addiction_referral");

    let page = f.app.get(response.location().unwrap(), Some(&cookie)).await;
    assert_eq!(page.texts("[role=status]"), ["The activity was saved."]);
    let row = page.texts("#activities tbody tr").join(" ");
    assert!(
        row.contains("Addiction referral") && row.contains("23:45"),
        "{row}"
    );

    let response = f
        .app
        .post_form(
            &format!("/activities/{activity}/delete"),
            &[],
            Some(&cookie),
        )
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(count(&f.app, "activities").await, 0);
    assert_eq!(count(&f.app, "audit_log").await, audits + 3);
    let (_, action, _, _, old, new) = last_audit(&f.app).await;
    assert_eq!(action, "delete");
    assert_eq!(old.unwrap()["count"], 3);
    assert_eq!(new, None);
}
