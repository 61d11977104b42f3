//! Who may read and change a shift's log, and posts from another site.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use patrolboard::domain::Role;

use super::{counts, fixture, log_activity, log_visit};
use crate::common::app::encode_form;

#[tokio::test]
async fn viewers_read_the_log_without_forms_and_supervisors_get_them() {
    let f = fixture().await;
    let supervisor = f.app.sign_in_as(Role::Supervisor).await;
    log_visit(&f, &supervisor, "2023-03-11T23:05", "2023-03-11T23:17").await;
    let viewer = f.app.sign_in_as(Role::Viewer).await;
    let path = format!("/shifts/{}/log", f.shift);

    let seen = f.app.get(&path, Some(&viewer)).await;
    assert_eq!(seen.status, StatusCode::OK);
    let facts = seen.texts("dl.facts dd").join(" | ");
    assert!(facts.contains("Pair 1"), "{facts}");
    assert!(facts.contains("Sat 11 Mar 2023 22:00 MST"), "{facts}");
    assert!(facts.contains("Sun 12 Mar 2023 06:00 MDT"), "{facts}");
    assert!(facts.contains("7.0 hours"), "{facts}");
    assert!(facts.contains("Constable One (C1, CPS)"), "{facts}");
    assert!(facts.contains("Central Library"), "{facts}");
    assert_eq!(seen.texts("#visits tbody tr").len(), 1);
    assert!(
        seen.texts("form[method=post][action^='/']")
            .iter()
            .all(|t| t.contains("Sign out"))
    );

    let editable = f.app.get(&path, Some(&supervisor)).await;
    assert_eq!(editable.texts("#new-visit").len(), 1);
    assert_eq!(editable.texts("#new-activity").len(), 1);
    assert_eq!(editable.texts("#visits details form").len(), 1);

    let cancelled = f
        .app
        .get(&format!("/shifts/{}/log", f.cancelled), Some(&supervisor))
        .await;
    assert_eq!(cancelled.status, StatusCode::OK);
    assert!(
        cancelled.texts("#new-visit").is_empty(),
        "no forms on a cancelled shift"
    );
    assert_eq!(cancelled.texts("#cancelled-note").len(), 1);

    assert_eq!(
        f.app.get("/shifts/999999/log", Some(&viewer)).await.status,
        StatusCode::NOT_FOUND
    );
    let anonymous = f.app.get(&path, None).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert!(anonymous.location().unwrap().starts_with("/login?next="));
}

#[tokio::test]
async fn only_supervisors_and_admins_may_change_the_log() {
    let f = fixture().await;
    let supervisor = f.app.sign_in_as(Role::Supervisor).await;
    let visit = log_visit(&f, &supervisor, "2023-03-11T23:05", "2023-03-11T23:17").await;
    let activity = log_activity(
        &f,
        &supervisor,
        &[
            ("kind", "ticket"),
            ("count", "1"),
            ("occurred_at", "2023-03-11T23:40"),
        ],
    )
    .await;
    let viewer = f.app.sign_in_as(Role::Viewer).await;
    let library = f.library.to_string();
    let visit_fields = [
        ("hotspot_id", library.as_str()),
        ("arrived_at", "2023-03-11T23:30"),
        ("departed_at", "2023-03-11T23:45"),
    ];
    let activity_fields = [
        ("kind", "ticket"),
        ("count", "1"),
        ("occurred_at", "2023-03-11T23:50"),
    ];
    let routes: Vec<(String, &[(&str, &str)])> = vec![
        (format!("/shifts/{}/visits", f.shift), &visit_fields),
        (format!("/visits/{visit}"), &visit_fields),
        (format!("/visits/{visit}/delete"), &[]),
        (format!("/shifts/{}/activities", f.shift), &activity_fields),
        (format!("/activities/{activity}"), &activity_fields),
        (format!("/activities/{activity}/delete"), &[]),
    ];
    // Analysts maintain data but do not change what happened on a shift (issue 4).
    let analyst = f.app.sign_in_as(Role::Analyst).await;
    let before = counts(&f.app).await;

    for (path, fields) in &routes {
        let refused = f.app.post_form(path, fields, Some(&viewer)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "viewer {path}");
        let refused = f.app.post_form(path, fields, Some(&analyst)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "analyst {path}");
        let anonymous = f.app.post_form(path, fields, None).await;
        assert_eq!(anonymous.status, StatusCode::SEE_OTHER, "anonymous {path}");
        assert!(
            anonymous.location().unwrap().starts_with("/login"),
            "anonymous {path}"
        );
    }
    assert_eq!(counts(&f.app).await, before, "refused posts store nothing");

    let mut cookies = vec![supervisor.clone()];
    cookies.push(f.app.sign_in_as(Role::Admin).await);
    for cookie in &cookies {
        for (path, fields) in routes.iter().filter(|(p, _)| !p.ends_with("/delete")) {
            let allowed = f.app.post_form(path, fields, Some(cookie)).await;
            assert_eq!(
                allowed.status,
                StatusCode::SEE_OTHER,
                "{path}: {}",
                allowed.body
            );
        }
    }
    // The supervisor deletes the visit and the admin the activity.
    let deleted = f.app.post_form(&routes[2].0, &[], Some(&cookies[0])).await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    let deleted = f.app.post_form(&routes[5].0, &[], Some(&cookies[1])).await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    // 8 changes and 2 deletions, and the admin's account made on the way.
    assert_eq!(
        counts(&f.app).await,
        (before.0 + 1, before.1 + 1, before.2 + 11)
    );
}

#[tokio::test]
async fn a_visit_posted_from_another_site_is_refused() {
    let f = fixture().await;
    let cookie = f.app.sign_in_as(Role::Supervisor).await;
    let before = counts(&f.app).await;
    let body = encode_form(&[
        ("hotspot_id", &f.library.to_string()),
        ("arrived_at", "2023-03-11T23:05"),
        ("departed_at", "2023-03-11T23:17"),
    ]);

    let request = Request::builder()
        .method(Method::POST)
        .uri(format!("/shifts/{}/visits", f.shift))
        .header(header::HOST, "localhost")
        .header("sec-fetch-site", "cross-site")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, &cookie)
        .body(Body::from(body))
        .unwrap();
    let response = f.app.send(request).await;

    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert_eq!(counts(&f.app).await, before);
}
