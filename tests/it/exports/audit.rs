//! The `audit` dataset: the pilot's entries of the range, with who made them.

use std::collections::HashMap;

use patrolboard::domain::Role;
use serde_json::Value;

use super::{Csv, download, url};
use crate::common::app::TestApp;
use crate::common::scalar;

#[tokio::test]
async fn audit_entries_of_the_pilot_in_the_range_are_exported_with_who_made_them() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Admin).await;
    let user: i64 = scalar(
        &app.db,
        "select id from users where username = 'test-admin'",
    )
    .await;
    sqlx::query(
        r#"insert into audit_log (at, user_id, action, entity, entity_id, before, after) values
             ('2023-03-12T08:50:00Z', $1, 'update', 'shift', 1, '{"notes": ""}', '{"notes": "=1+1"}'),
             ('2023-03-12T09:10:00Z', null, 'create', 'visit', 1, null, '{"id": 1}'),
             ('2023-03-13T05:30:00Z', $1, 'cancel', 'shift', 2, null, null),
             ('2023-03-12T10:00:00Z', $1, 'create', 'user', $1, null, '{"username": "x"}'),
             ('2023-03-12T11:00:00Z', $1, 'update', 'shift', 999999, null, '{"pilot_id": 999}'),
             ('2023-03-12T12:00:00Z', $1, 'create', 'calendar_token', 7, null, '{"pilot": "calgary-2023"}'),
             ('2023-03-12T13:00:00Z', $1, 'delete', 'hotspot', 999998, '{"pilot_id": 1}', null)"#,
    )
    .bind(user)
    .execute(&app.db)
    .await
    .unwrap();

    let (_, csv) = download(
        &app,
        &cookie,
        &url("audit", "&from=2023-03-12&to=2023-03-12"),
    )
    .await;

    // The account entry belongs to no pilot, the unknown shift to another; the calendar link and
    // the deleted hotspot name the pilot in their JSON; 13 March 05:30 UTC is still 12 March in
    // Calgary (23:30 MDT).
    assert_eq!(
        csv.values("entity"),
        ["shift", "visit", "calendar_token", "hotspot", "shift"]
    );
    let first = &csv.rows[0];
    let row: HashMap<_, _> = csv
        .header
        .iter()
        .map(String::as_str)
        .zip(first.iter().map(String::as_str))
        .collect();
    assert_eq!(row["at"], "2023-03-12T08:50:00+00:00");
    assert_eq!(row["at_local"], "2023-03-12T01:50:00-07:00");
    assert_eq!(row["username"], "test-admin");
    assert_eq!(row["entity"], "shift");
    assert_eq!(row["entity_id"], "1");
    let after: Value = serde_json::from_str(row["after"]).unwrap();
    assert_eq!(after["notes"], "=1+1", "JSON is written as stored");
    assert_eq!(csv.values("username")[1], "", "the system has no username");
    assert_eq!(csv.values("before")[1], "");
}

#[tokio::test]
async fn changes_made_before_or_after_the_pilot_are_exported_with_its_first_or_last_day() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Analyst).await;
    sqlx::query(
        r#"insert into audit_log (at, user_id, action, entity, entity_id, before, after) values
             ('2023-01-15T17:00:00Z', null, 'create', 'calendar_token', 1, null, '{"pilot": "calgary-2023"}'),
             ('2023-04-10T17:00:00Z', null, 'create', 'calendar_token', 2, null, '{"pilot": "calgary-2023"}'),
             ('2024-02-01T17:00:00Z', null, 'create', 'calendar_token', 3, null, '{"pilot": "calgary-2023"}')"#,
    )
    .execute(&app.db)
    .await
    .unwrap();
    let ids = |csv: &Csv| -> Vec<String> {
        csv.values("entity_id")
            .into_iter()
            .zip(csv.values("entity"))
            .filter(|(_, entity)| *entity == "calendar_token")
            .map(|(id, _)| id.to_string())
            .collect()
    };

    let (_, whole) = download(&app, &cookie, &url("audit", "")).await;
    let (_, early) = download(&app, &cookie, &url("audit", "&to=2023-04-30")).await;
    let (_, late) = download(&app, &cookie, &url("audit", "&from=2023-04-01")).await;
    let (_, inside) = download(
        &app,
        &cookie,
        &url("audit", "&from=2023-03-01&to=2023-04-30"),
    )
    .await;

    assert_eq!(ids(&whole), ["1", "2", "3"]);
    assert_eq!(ids(&early), ["1", "2"]);
    assert_eq!(ids(&late), ["2", "3"]);
    assert_eq!(ids(&inside), ["2"]);
    assert!(
        whole.values("entity").contains(&"pilot"),
        "the demo's loading, made today, is in the whole pilot's export"
    );
}
