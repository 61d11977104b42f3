//! Adding an officer to a pilot and editing one, in the browser, and who may.

use axum::http::StatusCode;
use patrolboard::domain::Role;

use super::*;
use crate::common::app::{TestApp, shown_value};

/// The "add officer" form's fields, with an officer of CPS assigned for March.
fn new_officer<'a>(badge: &'a str, name: &'a str, team: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("agency", "cps"),
        ("badge_number", badge),
        ("name", name),
        ("rank", "Constable"),
        ("home_unit", "District 1"),
        ("starts_on", "2023-03-01"),
        ("ends_on", "2023-03-31"),
        ("role", "cps_partner"),
        ("team_id", team),
    ]
}

#[tokio::test]
async fn an_analyst_adds_an_officer_who_is_assigned_to_the_pilot_in_a_team() {
    let app = TestApp::empty().await;
    let f = pilot().team("Bikes", "bike", &[]).build(&app.db).await;
    let analyst = app.sign_in_as(Role::Analyst).await;
    let form_page = app
        .get("/pilots/people-2023/officers/new", Some(&analyst))
        .await;
    assert_eq!(form_page.status, StatusCode::OK);
    assert_eq!(shown_value(&form_page, "starts_on"), "2023-03-01");
    assert_eq!(shown_value(&form_page, "ends_on"), "2023-03-31");
    let team = f.team("Bikes").to_string();

    let response = app
        .post_form(
            "/pilots/people-2023/officers",
            &new_officer(" 4127 ", "Kevin  Ashdown", &team),
            Some(&analyst),
        )
        .await;

    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    let (id, officer) = officer_by_badge(&app.db, "cps", "4127").await.unwrap();
    assert_eq!(
        response.location(),
        Some(format!("/pilots/people-2023/officers/{id}").as_str())
    );
    assert_eq!(officer.2, "Kevin Ashdown");
    assert_eq!(
        (officer.3.as_str(), officer.4.as_str()),
        ("Constable", "District 1")
    );
    assert_eq!(
        assignments_of(&app.db, id).await,
        [(
            "2023-03-01".into(),
            "2023-03-31".into(),
            "cps_partner".into(),
            Some("Bikes".into())
        )]
    );
    let page = app.get(response.location().unwrap(), Some(&analyst)).await;
    assert_eq!(
        rows(&page, "#assignments"),
        ["Wed 1 Mar 2023 | Fri 31 Mar 2023 | cps_partner | Bikes"]
    );
    let author = user_id(&app.db, "analyst").await;
    let officers = audited(&app.db, "officer").await;
    let assignments = audited(&app.db, "assignment").await;
    assert_eq!(officers.len(), 1);
    assert_eq!(
        (officers[0].0, officers[0].1.as_str(), officers[0].2),
        (Some(author), "create", Some(id.0))
    );
    assert_eq!(officers[0].4.as_ref().unwrap()["badge_number"], "4127");
    assert_eq!(assignments.len(), 1);
    assert_eq!(assignments[0].1, "create");
    assert_eq!(
        assignments[0].4.as_ref().unwrap()["team_id"],
        f.team("Bikes").0
    );
}

#[tokio::test]
async fn adding_an_officer_on_file_assigns_them_and_gives_them_the_details_typed() {
    let app = TestApp::empty().await;
    let f = pilot()
        .officer("Kevin Ashdown", "cps", "4127")
        .assignment("Kevin Ashdown", "cps_partner", "2023-03-01", "2023-03-10")
        .build(&app.db)
        .await;
    let admin = app.sign_in_as(Role::Admin).await;
    let mut fields = new_officer("4127", "Kevin Ashdown-Reid", "");
    fields.retain(|(k, _)| *k != "starts_on");
    fields.push(("starts_on", "2023-03-11"));

    let response = app
        .post_form("/pilots/people-2023/officers", &fields, Some(&admin))
        .await;

    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    let id = f.officer("Kevin Ashdown");
    assert_eq!(count(&app.db, "officers").await, 1);
    assert_eq!(
        officer_by_badge(&app.db, "cps", "4127").await.unwrap().1.2,
        "Kevin Ashdown-Reid"
    );
    let days: Vec<_> = assignments_of(&app.db, id)
        .await
        .into_iter()
        .map(|a| (a.0, a.1))
        .collect();
    assert_eq!(
        days,
        [
            ("2023-03-01".into(), "2023-03-10".into()),
            ("2023-03-11".into(), "2023-03-31".into())
        ]
    );
    let officers = audited(&app.db, "officer").await;
    assert_eq!(officers.len(), 1);
    assert_eq!(officers[0].1, "update");
    assert_eq!(officers[0].3.as_ref().unwrap()["name"], "Kevin Ashdown");
    assert_eq!(
        officers[0].4.as_ref().unwrap()["name"],
        "Kevin Ashdown-Reid"
    );
}

#[tokio::test]
async fn a_bad_new_officer_comes_back_with_every_problem_beside_its_field_and_nothing_stored() {
    let app = TestApp::empty().await;
    pilot()
        .officer("Kevin Ashdown", "cps", "4127")
        .assignment("Kevin Ashdown", "cps_partner", "2023-03-01", "2023-03-31")
        .build(&app.db)
        .await;
    let analyst = app.sign_in_as(Role::Analyst).await;
    let audit_before = count(&app.db, "audit_log").await;
    let bad = [
        ("agency", "cps"),
        ("badge_number", "  "),
        ("name", ""),
        ("rank", ""),
        ("home_unit", ""),
        ("starts_on", "2023-02-28"),
        ("ends_on", "2023-03-31"),
        ("role", " "),
        ("team_id", "999"),
    ];

    let response = app
        .post_form("/pilots/people-2023/officers", &bad, Some(&analyst))
        .await;

    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["badge_number", "name", "starts_on", "role", "team_id"] {
        assert!(
            problem(&response, field).is_some(),
            "a problem beside {field}"
        );
    }
    assert_eq!(problem(&response, "agency"), None);
    assert_eq!(shown_value(&response, "starts_on"), "2023-02-28");
    assert_eq!(shown_value(&response, "agency"), "cps");

    // The officer on file is already assigned on these days: the overlap is refused too.
    let overlapping = new_officer("4127", "Kevin Ashdown", "");
    let response = app
        .post_form("/pilots/people-2023/officers", &overlapping, Some(&analyst))
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        problem(&response, "starts_on")
            .unwrap()
            .contains("from 2023-03-01 to 2023-03-31"),
        "{:?}",
        problem(&response, "starts_on")
    );
    assert_eq!(count(&app.db, "officers").await, 1);
    assert_eq!(count(&app.db, "assignments").await, 1);
    assert_eq!(count(&app.db, "audit_log").await, audit_before);
}

#[tokio::test]
async fn an_officers_badge_number_taken_in_their_agency_is_refused_beside_it() {
    let app = TestApp::empty().await;
    let f = pilot()
        .officer("Kevin Ashdown", "cps", "4127")
        .officer("Rachel Nakamura", "cps", "4133")
        .assignment("Rachel Nakamura", "cps_partner", "2023-03-01", "2023-03-31")
        .build(&app.db)
        .await;
    let analyst = app.sign_in_as(Role::Analyst).await;
    let id = f.officer("Rachel Nakamura");
    let edit = app
        .get(
            &format!("/pilots/people-2023/officers/{id}/edit"),
            Some(&analyst),
        )
        .await;
    assert_eq!(shown_value(&edit, "badge_number"), "4133");

    let response = app
        .post_form(
            &format!("/pilots/people-2023/officers/{id}"),
            &[
                ("agency", "cps"),
                ("badge_number", "4127"),
                ("name", "Rachel N"),
            ],
            Some(&analyst),
        )
        .await;

    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        problem(&response, "badge_number").as_deref(),
        Some("Another officer of this agency has this badge number.")
    );
    assert_eq!(shown_value(&response, "name"), "Rachel N");
    assert_eq!(
        officer_by_badge(&app.db, "cps", "4133").await.unwrap().1.2,
        "Rachel Nakamura"
    );
    assert!(audited(&app.db, "officer").await.is_empty());
}

#[tokio::test]
async fn an_officer_is_edited_and_the_change_audited() {
    let app = TestApp::empty().await;
    let f = pilot()
        .officer("Dana Whitcombe", "alberta_sheriffs", "S-1041")
        .assignment(
            "Dana Whitcombe",
            "sheriff_pilot",
            "2023-03-01",
            "2023-03-31",
        )
        .build(&app.db)
        .await;
    let admin = app.sign_in_as(Role::Admin).await;
    let id = f.officer("Dana Whitcombe");
    let fields = [
        ("agency", "alberta_sheriffs"),
        ("badge_number", "S-1041"),
        ("name", "Dana Whitcombe"),
        ("rank", "Staff Sergeant"),
        ("home_unit", "Sheriffs Branch"),
    ];

    let response = app
        .post_form(
            &format!("/pilots/people-2023/officers/{id}"),
            &fields,
            Some(&admin),
        )
        .await;

    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    assert_eq!(
        response.location(),
        Some(format!("/pilots/people-2023/officers/{id}").as_str())
    );
    let stored = officer_by_badge(&app.db, "alberta_sheriffs", "S-1041")
        .await
        .unwrap()
        .1;
    assert_eq!(
        (stored.3.as_str(), stored.4.as_str()),
        ("Staff Sergeant", "Sheriffs Branch")
    );
    let entries = audited(&app.db, "officer").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].1, "update");
    assert_eq!(entries[0].3.as_ref().unwrap()["rank"], "");
    assert_eq!(entries[0].4.as_ref().unwrap()["rank"], "Staff Sergeant");
}

#[tokio::test]
async fn viewers_and_supervisors_may_not_add_or_edit_officers_and_anonymous_users_sign_in() {
    let app = TestApp::empty().await;
    let f = pilot()
        .officer("Kevin Ashdown", "cps", "4127")
        .assignment("Kevin Ashdown", "cps_partner", "2023-03-01", "2023-03-31")
        .build(&app.db)
        .await;
    let id = f.officer("Kevin Ashdown");
    let edit = format!("/pilots/people-2023/officers/{id}/edit");
    let save = format!("/pilots/people-2023/officers/{id}");
    let fields = new_officer("4127", "Someone Else", "");
    for role in [Role::Viewer, Role::Supervisor] {
        let cookie = app.sign_in_as(role).await;
        for path in ["/pilots/people-2023/officers/new", edit.as_str()] {
            assert_eq!(
                app.get(path, Some(&cookie)).await.status,
                StatusCode::FORBIDDEN,
                "{role} {path}"
            );
        }
        for path in ["/pilots/people-2023/officers", save.as_str()] {
            let response = app.post_form(path, &fields, Some(&cookie)).await;
            assert_eq!(
                response.status,
                StatusCode::FORBIDDEN,
                "{role} posts {path}"
            );
        }
        let list = app.get("/pilots/people-2023/officers", Some(&cookie)).await;
        assert!(list.texts("main a").iter().all(|a| a != "Add officer"));
    }
    let anonymous = app.get("/pilots/people-2023/officers/new", None).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert!(anonymous.location().unwrap().starts_with("/login"));
    assert_eq!(
        officer_by_badge(&app.db, "cps", "4127").await.unwrap().1.2,
        "Kevin Ashdown"
    );
    assert_eq!(count(&app.db, "assignments").await, 1);
}
