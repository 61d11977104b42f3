//! Shifts that meet other shifts or other writers: clashes, simultaneous requests, stale edits,
//! short rest and cancelling.

use axum::http::StatusCode;

use super::{fields, setup, with};
use crate::common::app::{attr, post};
use crate::common::scalar;

#[tokio::test]
async fn a_clash_is_refused_with_409_naming_the_officer_and_the_other_shift() {
    let (app, f, cookie) = setup().await;
    post(&app, "/pilots/test/shifts", &fields(&f), &cookie).await;
    let first = scalar(&app.db, "select id from shifts").await;

    let overlapping = with(
        with(fields(&f), "starts_at", "2023-03-12T05:00"),
        "ends_at",
        "2023-03-12T12:00",
    );
    let response = post(&app, "/pilots/test/shifts", &overlapping, &cookie).await;

    assert_eq!(response.status, StatusCode::CONFLICT);
    let problem = response.texts("#problem")[0].clone();
    assert!(
        problem.contains("Constable Brook") || problem.contains("Sheriff Avery"),
        "{problem}"
    );
    assert!(problem.contains(&format!("shift #{first}")), "{problem}");
    assert_eq!(scalar(&app.db, "select count(*) from shifts").await, 1);
}

#[tokio::test]
async fn many_simultaneous_requests_for_the_same_officer_store_exactly_one_shift() {
    let (app, f, cookie) = setup().await;
    let app = std::sync::Arc::new(app);
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let (app, cookie) = (app.clone(), cookie.clone());
            let form = with(
                with(
                    fields(&f),
                    "starts_at",
                    &format!("2023-03-20T{:02}:00", 8 + i),
                ),
                "ends_at",
                &format!("2023-03-20T{:02}:30", 15 + i),
            );
            tokio::spawn(async move {
                post(&app, "/pilots/test/shifts", &form, &cookie)
                    .await
                    .status
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }

    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::SEE_OTHER)
            .count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::SEE_OTHER || *s == StatusCode::CONFLICT),
        "{statuses:?}"
    );
    assert_eq!(scalar(&app.db, "select count(*) from shifts").await, 1);
}

#[tokio::test]
async fn an_edit_from_a_stale_version_gets_409_with_the_current_state_and_overwrites_nothing() {
    let (app, f, cookie) = setup().await;
    post(&app, "/pilots/test/shifts", &fields(&f), &cookie).await;
    let id = scalar(&app.db, "select id from shifts").await;
    let path = format!("/shifts/{id}");

    let first = post(
        &app,
        &path,
        &with(with(fields(&f), "version", "1"), "notes", "first edit"),
        &cookie,
    )
    .await;
    let stale = post(
        &app,
        &path,
        &with(with(fields(&f), "version", "1"), "notes", "second edit"),
        &cookie,
    )
    .await;

    assert_eq!(first.status, StatusCode::SEE_OTHER);
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.texts("#current-state")[0].contains("first edit"));
    assert_eq!(
        attr(&stale, "input[name=version]", "value").as_deref(),
        Some("2")
    );
    let kept = stale
        .html()
        .select(&scraper::Selector::parse("#notes").unwrap())
        .next()
        .unwrap()
        .text()
        .collect::<String>();
    assert_eq!(kept, "second edit", "the supervisor's input is kept");
    let (notes, version): (String, i32) = sqlx::query_as("select notes, version from shifts")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!((notes.as_str(), version), ("first edit", 2));
    let edits = scalar(
        &app.db,
        "select count(*) from audit_log where entity = 'shift' and action = 'edit'",
    )
    .await;
    assert_eq!(edits, 1);
}

#[tokio::test]
async fn short_rest_is_a_warning_the_supervisor_accepts_with_a_recorded_reason() {
    let (app, f, cookie) = setup().await;
    let day = with(
        with(fields(&f), "starts_at", "2023-03-14T07:00"),
        "ends_at",
        "2023-03-14T17:00",
    );
    post(&app, "/pilots/test/shifts", &day, &cookie).await;
    let night = with(
        with(fields(&f), "starts_at", "2023-03-14T22:00"),
        "ends_at",
        "2023-03-15T06:00",
    );

    let warned = post(&app, "/pilots/test/shifts", &night, &cookie).await;
    let accepted = post(
        &app,
        "/pilots/test/shifts",
        &with(night, "rest_reason", "Covering a sick call"),
        &cookie,
    )
    .await;

    assert_eq!(warned.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        warned.texts(".warning p")[0].contains("5.0 hours of rest"),
        "{:?}",
        warned.texts(".warning p")
    );
    assert_eq!(accepted.status, StatusCode::SEE_OTHER);
    let reason: String = sqlx::query_scalar(
        "select after ->> 'rest_override_reason' from audit_log where entity = 'shift' order by id desc limit 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(reason, "Covering a sick call");
}

#[tokio::test]
async fn cancelling_needs_the_current_version_and_frees_the_officers() {
    let (app, f, cookie) = setup().await;
    post(&app, "/pilots/test/shifts", &fields(&f), &cookie).await;
    let id = scalar(&app.db, "select id from shifts").await;
    let cancel = format!("/shifts/{id}/cancel");

    let reason = ("reason".to_string(), "Members redeployed".to_string());
    let stale = post(
        &app,
        &cancel,
        &[("version".into(), "7".into()), reason.clone()],
        &cookie,
    )
    .await;
    let done = post(
        &app,
        &cancel,
        &[("version".into(), "1".into()), reason],
        &cookie,
    )
    .await;
    let again = post(&app, "/pilots/test/shifts", &fields(&f), &cookie).await;

    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert!(done.location().unwrap().contains("notice=cancelled"));
    assert_eq!(
        again.status,
        StatusCode::SEE_OTHER,
        "a cancelled shift no longer holds its officers"
    );
    let audit: (Option<String>, Option<String>) = sqlx::query_as(
        "select before ->> 'status', after ->> 'status' from audit_log where action = 'cancel'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(audit, (Some("planned".into()), Some("cancelled".into())));
}
