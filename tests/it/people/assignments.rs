//! Editing and ending an officer's assignment on the officer's page, and who may.

use axum::http::StatusCode;
use patrolboard::domain::Role;

use super::*;
use crate::common::app::{TestApp, shown_value};
use crate::common::fixture::Fixture;

/// An officer assigned to the pilot in two parts, 1–15 and 16–31 March, with a shift on 20
/// March; and the id of the second assignment.
async fn officer_with_a_shift(app: &TestApp) -> (Fixture, i64) {
    let f = pilot()
        .officer("Dana Whitcombe", "alberta_sheriffs", "S-1041")
        .assignment(
            "Dana Whitcombe",
            "sheriff_pilot",
            "2023-03-01",
            "2023-03-15",
        )
        .assignment(
            "Dana Whitcombe",
            "sheriff_pilot",
            "2023-03-16",
            "2023-03-31",
        )
        .team("Pair 1", "foot", &["Dana Whitcombe"])
        .shift("Pair 1", "2023-03-20 08:00", "2023-03-20 16:00", |s| s)
        .build(&app.db)
        .await;
    let id: i64 = sqlx::query_scalar(
        "select id from assignments where officer_id = $1 and starts_on = '2023-03-16'",
    )
    .bind(f.officer("Dana Whitcombe"))
    .fetch_one(&app.db)
    .await
    .unwrap();
    (f, id)
}

#[tokio::test]
async fn an_analyst_changes_an_assignments_days_role_and_team() {
    let app = TestApp::empty().await;
    let (f, id) = officer_with_a_shift(&app).await;
    let analyst = app.sign_in_as(Role::Analyst).await;
    let officer = f.officer("Dana Whitcombe");
    let team = f.team("Pair 1").to_string();
    let page = app
        .get(
            &format!("/pilots/people-2023/officers/{officer}"),
            Some(&analyst),
        )
        .await;
    assert_eq!(shown_value(&page, &format!("ends_on-{id}")), "2023-03-31");

    let response = app
        .post_form(
            &format!("/pilots/people-2023/assignments/{id}"),
            &[
                ("starts_on", "2023-03-16"),
                ("ends_on", "2023-03-25"),
                ("role", "sergeant"),
                ("team_id", &team),
            ],
            Some(&analyst),
        )
        .await;

    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    assert_eq!(
        response.location(),
        Some(format!("/pilots/people-2023/officers/{officer}").as_str())
    );
    assert_eq!(
        assignments_of(&app.db, officer).await[1],
        (
            "2023-03-16".into(),
            "2023-03-25".into(),
            "sergeant".into(),
            Some("Pair 1".into())
        )
    );
    let entries = audited(&app.db, "assignment").await;
    assert_eq!(entries.len(), 1);
    assert_eq!((entries[0].1.as_str(), entries[0].2), ("update", Some(id)));
    assert_eq!(entries[0].3.as_ref().unwrap()["ends_on"], "2023-03-31");
    assert_eq!(entries[0].4.as_ref().unwrap()["ends_on"], "2023-03-25");
}

#[tokio::test]
async fn an_assignment_is_ended_early_but_not_before_the_officers_shifts() {
    let app = TestApp::empty().await;
    let (f, id) = officer_with_a_shift(&app).await;
    let admin = app.sign_in_as(Role::Admin).await;
    let officer = f.officer("Dana Whitcombe");
    let end = format!("/pilots/people-2023/assignments/{id}/end");

    let refused = app
        .post_form(&end, &[("ends_on", "2023-03-19")], Some(&admin))
        .await;

    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        problem(&refused, &format!("end-{id}")).as_deref(),
        Some(
            "The officer has shifts on 2023-03-20, outside these days; take them off those shifts first."
        )
    );
    assert_eq!(shown_value(&refused, &format!("end-{id}")), "2023-03-19");
    assert!(audited(&app.db, "assignment").await.is_empty());

    let ended = app
        .post_form(&end, &[("ends_on", "2023-03-20")], Some(&admin))
        .await;

    assert_eq!(ended.status, StatusCode::SEE_OTHER, "{}", ended.body);
    assert_eq!(assignments_of(&app.db, officer).await[1].1, "2023-03-20");
    let entries = audited(&app.db, "assignment").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].1, "end");
    let later = app
        .post_form(&end, &[("ends_on", "2023-03-25")], Some(&admin))
        .await;
    assert_eq!(later.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        problem(&later, &format!("end-{id}"))
            .unwrap()
            .contains("to make it longer, edit it")
    );
}

#[tokio::test]
async fn an_assignment_moved_onto_another_of_the_officers_is_refused_and_nothing_stored() {
    let app = TestApp::empty().await;
    let (f, id) = officer_with_a_shift(&app).await;
    let analyst = app.sign_in_as(Role::Analyst).await;
    let officer = f.officer("Dana Whitcombe");
    let before = assignments_of(&app.db, officer).await;

    let response = app
        .post_form(
            &format!("/pilots/people-2023/assignments/{id}"),
            &[
                ("starts_on", "2023-03-10"),
                ("ends_on", "2023-03-31"),
                ("role", "sheriff_pilot"),
                ("team_id", ""),
            ],
            Some(&analyst),
        )
        .await;

    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        problem(&response, &format!("starts_on-{id}"))
            .unwrap()
            .contains("already assigned to this pilot from 2023-03-01 to 2023-03-15")
    );
    assert_eq!(
        shown_value(&response, &format!("starts_on-{id}")),
        "2023-03-10"
    );
    assert_eq!(response.texts("#problem").len(), 1);
    assert_eq!(assignments_of(&app.db, officer).await, before);
    assert!(audited(&app.db, "assignment").await.is_empty());
}

#[tokio::test]
async fn a_bad_assignment_comes_back_with_every_problem_beside_its_field_and_nothing_stored() {
    let app = TestApp::empty().await;
    let (f, id) = officer_with_a_shift(&app).await;
    let analyst = app.sign_in_as(Role::Analyst).await;
    let officer = f.officer("Dana Whitcombe");
    let before = assignments_of(&app.db, officer).await;

    let response = app
        .post_form(
            &format!("/pilots/people-2023/assignments/{id}"),
            &[
                ("starts_on", "2023-04-02"),
                ("ends_on", "31 March"),
                ("role", "  "),
                ("team_id", "999"),
            ],
            Some(&analyst),
        )
        .await;

    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["starts_on", "ends_on", "role", "team_id"] {
        assert!(
            problem(&response, &format!("{field}-{id}")).is_some(),
            "a problem beside {field}"
        );
    }
    assert!(
        problem(&response, &format!("starts_on-{id}"))
            .unwrap()
            .contains("The pilot runs from 2023-03-01 to 2023-03-31")
    );
    assert_eq!(
        shown_value(&response, &format!("starts_on-{id}")),
        "2023-04-02"
    );
    assert_eq!(shown_value(&response, &format!("ends_on-{id}")), "31 March");
    assert_eq!(assignments_of(&app.db, officer).await, before);
    assert!(audited(&app.db, "assignment").await.is_empty());
}

#[tokio::test]
async fn viewers_and_supervisors_may_not_change_assignments_nor_see_their_forms() {
    let app = TestApp::empty().await;
    let (f, id) = officer_with_a_shift(&app).await;
    let officer = f.officer("Dana Whitcombe");
    let fields = [
        ("starts_on", "2023-03-16"),
        ("ends_on", "2023-03-20"),
        ("role", "x"),
        ("team_id", ""),
    ];
    for role in [Role::Viewer, Role::Supervisor] {
        let cookie = app.sign_in_as(role).await;
        let page = app
            .get(
                &format!("/pilots/people-2023/officers/{officer}"),
                Some(&cookie),
            )
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(rows(&page, "#assignments").len(), 2);
        assert!(
            page.texts(&format!("#assignment-{id}")).is_empty(),
            "{role} sees no form"
        );
        for path in [
            format!("/pilots/people-2023/assignments/{id}"),
            format!("/pilots/people-2023/assignments/{id}/end"),
        ] {
            let response = app.post_form(&path, &fields, Some(&cookie)).await;
            assert_eq!(
                response.status,
                StatusCode::FORBIDDEN,
                "{role} posts {path}"
            );
        }
    }
    assert_eq!(assignments_of(&app.db, officer).await[1].1, "2023-03-31");
}
