//! Logging, editing and deleting a visit: what is stored, audited and counted in the stored
//! coverage, across the spring-forward night.

use axum::http::StatusCode;
use patrolboard::domain::Role;

use super::{counts, fixture, instant, last_audit, log_visit, stored_day, user_id};
use crate::common::date;

#[tokio::test]
async fn logging_a_visit_stores_it_audits_it_and_counts_it_in_the_stored_coverage() {
    let f = fixture().await;
    let cookie = f.app.sign_in_as(Role::Supervisor).await;
    let before = counts(&f.app).await;
    assert_eq!(
        stored_day(&f.app, f.library, date(2023, 3, 11)).await,
        (0, 0, 0)
    );

    // 12 minutes in the 23:00–00:00 block, which nothing covered yet.
    let library = f.library.to_string();
    let response = f
        .app
        .post_form(
            &format!("/shifts/{}/visits", f.shift),
            &[
                ("hotspot_id", library.as_str()),
                ("arrived_at", "2023-03-11T23:05"),
                ("departed_at", "2023-03-11T23:17"),
                ("source", "report"),
            ],
            Some(&cookie),
        )
        .await;

    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(
        response.location(),
        Some(format!("/shifts/{}/log?notice=visit-saved", f.shift).as_str())
    );
    let after = counts(&f.app).await;
    assert_eq!(after, (before.0 + 1, before.1, before.2 + 1));
    assert_eq!(
        stored_day(&f.app, f.library, date(2023, 3, 11)).await,
        (1, 1, 1)
    );
    let (user, action, entity, entity_id, old, new) = last_audit(&f.app).await;
    assert_eq!(user, Some(user_id(&f.app, Role::Supervisor).await));
    assert_eq!((action.as_str(), entity.as_str()), ("create", "visit"));
    let new = new.unwrap();
    assert_eq!(old, None);
    assert_eq!(entity_id, new["id"].as_i64());
    assert_eq!(new["shift_id"].as_i64(), Some(f.shift.0));
    assert_eq!(new["hotspot_id"].as_i64(), Some(f.library.0));
    assert_eq!(
        instant(&new, "arrived_at").to_rfc3339(),
        "2023-03-12T06:05:00+00:00"
    );
    assert_eq!(
        instant(&new, "departed_at").to_rfc3339(),
        "2023-03-12T06:17:00+00:00"
    );
    assert_eq!(new["source"], "report");

    let page = f.app.get(response.location().unwrap(), Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.texts("[role=status]"), ["The visit was saved."]);
    let row = page.texts("#visits tbody tr").join(" ");
    assert!(
        row.contains("Central Library") && row.contains("23:05"),
        "{row}"
    );
    assert!(row.contains("Koper") && row.contains("report"), "{row}");
}

#[tokio::test]
async fn a_visit_after_midnight_delivers_the_block_of_the_window_that_opened_the_evening_before() {
    let f = fixture().await;
    let cookie = f.app.sign_in_as(Role::Admin).await;

    // 01:50 MST to 03:05 MDT on 12 March: 15 real minutes across the jump.
    log_visit(&f, &cookie, "2023-03-12T01:50", "2023-03-12T03:05").await;

    assert_eq!(
        stored_day(&f.app, f.library, date(2023, 3, 11)).await,
        (1, 0, 0)
    );
    assert_eq!(
        stored_day(&f.app, f.library, date(2023, 3, 12)).await,
        (0, 1, 1),
        "visits count on the day of arrival"
    );
    let page = f
        .app
        .get(&format!("/shifts/{}/log", f.shift), Some(&cookie))
        .await;
    let cells = page.texts("#visits tbody tr > *");
    assert_eq!(
        cells[..6],
        [
            "Central Library",
            "Sun 12 Mar 2023 01:50 MST",
            "03:05 MDT",
            "15",
            "Koper",
            "report"
        ]
    );
}

#[tokio::test]
async fn editing_a_visit_audits_before_and_after_and_updates_the_stored_coverage() {
    let f = fixture().await;
    let cookie = f.app.sign_in_as(Role::Supervisor).await;
    let visit = log_visit(&f, &cookie, "2023-03-11T23:05", "2023-03-11T23:17").await;
    let before = counts(&f.app).await;

    let library = f.library.to_string();
    let response = f
        .app
        .post_form(
            &format!("/visits/{visit}"),
            &[
                ("hotspot_id", library.as_str()),
                ("arrived_at", "2023-03-11T23:05"),
                ("departed_at", "2023-03-11T23:10"),
                ("source", "avl"),
            ],
            Some(&cookie),
        )
        .await;

    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(counts(&f.app).await, (before.0, before.1, before.2 + 1));
    assert_eq!(
        stored_day(&f.app, f.library, date(2023, 3, 11)).await,
        (0, 1, 0),
        "five minutes deliver nothing"
    );
    let (_, action, entity, entity_id, old, new) = last_audit(&f.app).await;
    assert_eq!(
        (action.as_str(), entity.as_str(), entity_id),
        ("update", "visit", Some(visit))
    );
    let (old, new) = (old.unwrap(), new.unwrap());
    assert_eq!(
        instant(&old, "departed_at").to_rfc3339(),
        "2023-03-12T06:17:00+00:00"
    );
    assert_eq!(
        instant(&new, "departed_at").to_rfc3339(),
        "2023-03-12T06:10:00+00:00"
    );
    assert_eq!(
        (old["source"].as_str(), new["source"].as_str()),
        (Some("report"), Some("avl"))
    );
    assert_eq!(old["arrived_at"], new["arrived_at"]);
}

#[tokio::test]
async fn deleting_a_visit_audits_what_it_was_and_takes_it_out_of_the_stored_coverage() {
    let f = fixture().await;
    let cookie = f.app.sign_in_as(Role::Admin).await;
    let visit = log_visit(&f, &cookie, "2023-03-11T23:05", "2023-03-11T23:17").await;
    let before = counts(&f.app).await;

    let response = f
        .app
        .post_form(&format!("/visits/{visit}/delete"), &[], Some(&cookie))
        .await;

    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(
        response.location(),
        Some(format!("/shifts/{}/log?notice=visit-deleted", f.shift).as_str())
    );
    assert_eq!(counts(&f.app).await, (before.0 - 1, before.1, before.2 + 1));
    assert_eq!(
        stored_day(&f.app, f.library, date(2023, 3, 11)).await,
        (0, 0, 0)
    );
    let (_, action, entity, entity_id, old, new) = last_audit(&f.app).await;
    assert_eq!(
        (action.as_str(), entity.as_str(), entity_id),
        ("delete", "visit", Some(visit))
    );
    assert_eq!(old.unwrap()["id"].as_i64(), Some(visit));
    assert_eq!(new, None);
    let again = f
        .app
        .post_form(&format!("/visits/{visit}/delete"), &[], Some(&cookie))
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
}
