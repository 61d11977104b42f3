//! The teams page: adding and changing teams, and who may.

use axum::http::StatusCode;
use patrolboard::domain::Role;

use super::*;
use crate::common::app::{TestApp, shown_value};

#[tokio::test]
async fn an_analyst_adds_a_team_and_everyone_sees_it() {
    let app = TestApp::empty().await;
    pilot().build(&app.db).await;
    let analyst = app.sign_in_as(Role::Analyst).await;

    let response = app
        .post_form(
            "/pilots/people-2023/teams",
            &[
                ("name", " Bike  Unit A "),
                ("agency", "cps"),
                ("mode", "bike"),
            ],
            Some(&analyst),
        )
        .await;

    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    assert_eq!(response.location(), Some("/pilots/people-2023/teams"));
    let viewer = app.sign_in_as(Role::Viewer).await;
    let page = app.get("/pilots/people-2023/teams", Some(&viewer)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(rows(&page, "#teams"), ["Bike Unit A | CPS | bike | 0 | 0"]);
    assert!(
        page.texts("#add-heading").is_empty(),
        "a viewer gets no form"
    );
    let entries = audited(&app.db, "team").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].0, Some(user_id(&app.db, "analyst").await));
    assert_eq!(entries[0].1, "create");
    let after = entries[0].4.as_ref().unwrap();
    assert_eq!(
        (&after["name"], &after["agency"], &after["mode"]),
        (&"Bike Unit A".into(), &"cps".into(), &"bike".into())
    );
}

#[tokio::test]
async fn a_teams_new_mode_leaves_its_shifts_as_they_were() {
    let app = TestApp::empty().await;
    let f = pilot()
        .officer("Kevin Ashdown", "cps", "4127")
        .assignment("Kevin Ashdown", "cps_partner", "2023-03-01", "2023-03-31")
        .team("Pair 1", "foot", &["Kevin Ashdown"])
        .shift("Pair 1", "2023-03-20 08:00", "2023-03-20 16:00", |s| s)
        .build(&app.db)
        .await;
    let admin = app.sign_in_as(Role::Admin).await;
    let id = f.team("Pair 1");

    let response = app
        .post_form(
            &format!("/pilots/people-2023/teams/{id}"),
            &[("name", "Pair One"), ("agency", "cps"), ("mode", "vehicle")],
            Some(&admin),
        )
        .await;

    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    let team: (String, String, String) =
        sqlx::query_as("select name, agency, mode from teams where id = $1")
            .bind(id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(team, ("Pair One".into(), "cps".into(), "vehicle".into()));
    let shift_mode: String = sqlx::query_scalar("select mode from shifts where id = $1")
        .bind(f.shift(0))
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(shift_mode, "foot");
    let entries = audited(&app.db, "team").await;
    assert_eq!((entries.len(), entries[0].1.as_str()), (1, "update"));
    assert_eq!(entries[0].3.as_ref().unwrap()["agency"], "joint");
}

#[tokio::test]
async fn bad_teams_come_back_with_each_problem_beside_its_field_and_nothing_stored() {
    let app = TestApp::empty().await;
    let f = pilot()
        .team("Pair 1", "foot", &[])
        .team("Pair 2", "foot", &[])
        .build(&app.db)
        .await;
    let analyst = app.sign_in_as(Role::Analyst).await;

    let new = app
        .post_form(
            "/pilots/people-2023/teams",
            &[("name", " "), ("agency", "eps"), ("mode", "boat")],
            Some(&analyst),
        )
        .await;
    assert_eq!(new.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(problem(&new, "name").is_some() && problem(&new, "mode").is_some());
    // A well-formed code of no agency on file is refused by the database, beside the field.
    let unknown = app
        .post_form(
            "/pilots/people-2023/teams",
            &[("name", "Pair 9"), ("agency", "eps"), ("mode", "foot")],
            Some(&analyst),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        problem(&unknown, "agency")
            .unwrap()
            .contains("no agency with this code")
    );
    assert_eq!(shown_value(&unknown, "name"), "Pair 9");

    let id = f.team("Pair 2");
    let taken = app
        .post_form(
            &format!("/pilots/people-2023/teams/{id}"),
            &[("name", "Pair 1"), ("agency", "joint"), ("mode", "foot")],
            Some(&analyst),
        )
        .await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        problem(&taken, &format!("name-{id}")).as_deref(),
        Some("The pilot already has a team of this name; choose another.")
    );
    assert_eq!(shown_value(&taken, &format!("name-{id}")), "Pair 1");
    assert_eq!(count(&app.db, "teams").await, 2);
    assert!(audited(&app.db, "team").await.is_empty());
}

#[tokio::test]
async fn viewers_and_supervisors_may_not_add_or_change_teams() {
    let app = TestApp::empty().await;
    let f = pilot().team("Pair 1", "foot", &[]).build(&app.db).await;
    let fields = [("name", "Renamed"), ("agency", "cps"), ("mode", "bike")];
    for role in [Role::Viewer, Role::Supervisor] {
        let cookie = app.sign_in_as(role).await;
        for path in [
            "/pilots/people-2023/teams".to_string(),
            format!("/pilots/people-2023/teams/{}", f.team("Pair 1")),
        ] {
            let response = app.post_form(&path, &fields, Some(&cookie)).await;
            assert_eq!(
                response.status,
                StatusCode::FORBIDDEN,
                "{role} posts {path}"
            );
        }
    }
    let anonymous = app.get("/pilots/people-2023/teams", None).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert_eq!(count(&app.db, "teams").await, 1);
    assert!(audited(&app.db, "team").await.is_empty());
}

#[tokio::test]
async fn the_demos_teams_list_the_officers_assigned_to_them() {
    let app = TestApp::seeded().await;
    let viewer = app.sign_in_as(Role::Viewer).await;

    let page = app.get("/pilots/calgary-2023/teams", Some(&viewer)).await;

    assert_eq!(page.status, StatusCode::OK);
    let teams = rows(&page, "#teams");
    assert_eq!(teams.len(), 9);
    assert!(
        teams[0].starts_with("Bike Unit A | CPS | bike | 3 | "),
        "{}",
        teams[0]
    );
    assert!(
        teams
            .iter()
            .any(|r| r.starts_with("Sheriff/CPS Pair 1 | Joint | foot | 5 | ")),
        "{teams:?}"
    );
    assert_eq!(
        crate::common::scalar(
            &app.db,
            "select count(*) from assignments where team_id is null"
        )
        .await,
        0
    );
}
