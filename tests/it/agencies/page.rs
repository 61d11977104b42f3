//! `/admin/agencies`: adding an agency, renaming one on its row, and who may.

use axum::http::StatusCode;
use patrolboard::domain::Role;

use super::{agency, audited, stored};
use crate::common::app::{TestApp, TestResponse, attr, shown_value};
use crate::common::fixture::{agencies, write};
use crate::common::scalar;

const PAGE: &str = "/admin/agencies";
const NAME: &str = "Edmonton Police Service";

/// Whether the field `id` is marked invalid, and the problem shown beside it.
fn problem(page: &TestResponse, id: &str) -> Option<String> {
    attr(page, &format!("#{id}"), "aria-invalid")?;
    page.texts(&format!("#{id}-error")).into_iter().next()
}

#[tokio::test]
async fn an_admin_adds_an_agency_and_renames_it_on_its_row_audited() {
    let app = TestApp::empty().await;
    let admin = app.sign_in_as(Role::Admin).await;
    let admin_id = scalar(
        &app.db,
        "select id from users where username = 'test-admin'",
    )
    .await;
    write::officer(
        &app.db,
        &write::Officer::new("cps", "4001", "Constable Brook"),
    )
    .await;

    let fields = [("code", "eps"), ("name", NAME), ("label", "")];
    let added = app.post_form(PAGE, &fields, Some(&admin)).await;

    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    assert_eq!(added.location(), Some(PAGE));
    let cps = agency("cps", "Calgary Police Service", "CPS");
    assert_eq!(
        stored(&app.db).await,
        [cps.clone(), agency("eps", NAME, NAME)]
    );
    let page = app.get(PAGE, Some(&admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.texts("tbody th"), ["cps", "eps"], "by name");
    assert_eq!(page.texts("tbody td.num"), ["1", "0"], "officers of each");
    assert_eq!(shown_value(&page, "label-eps"), NAME);
    assert!(page.texts("nav a").contains(&"Agencies".to_string()));

    let fields = [("name", NAME), ("label", " EPS ")];
    let renamed = app
        .post_form("/admin/agencies/eps", &fields, Some(&admin))
        .await;

    assert_eq!(renamed.status, StatusCode::SEE_OTHER, "{}", renamed.body);
    assert_eq!(stored(&app.db).await, [cps, agency("eps", NAME, "EPS")]);
    let entries = audited(&app.db).await;
    let (create, update) = (&entries[entries.len() - 2], &entries[entries.len() - 1]);
    assert_eq!(
        (create.user_id, create.action.as_str()),
        (Some(admin_id), "create")
    );
    assert_eq!(create.after.as_ref().unwrap()["name"], NAME);
    assert_eq!(
        (update.user_id, update.action.as_str()),
        (Some(admin_id), "update")
    );
    assert_eq!(update.before.as_ref().unwrap()["label"], NAME);
    assert_eq!(update.after.as_ref().unwrap()["label"], "EPS");
}

#[tokio::test]
async fn bad_agencies_come_back_with_each_problem_beside_its_field_and_nothing_stored() {
    let app = TestApp::empty().await;
    let admin = app.sign_in_as(Role::Admin).await;
    agencies::add(&app.db, "eps", NAME, "EPS").await;
    let entries_before = audited(&app.db).await.len();

    let cases = [
        (
            "joint",
            NAME,
            "code",
            "The code joint is kept for teams of several agencies",
        ),
        (
            "E PS",
            NAME,
            "code",
            "An agency code is 1 to 40 lower-case letters",
        ),
        ("rcmp", " ", "name", "Enter the agency's name"),
    ];
    for (code, name, field, message) in cases {
        let fields = [("code", code), ("name", name), ("label", "Short")];
        let page = app.post_form(PAGE, &fields, Some(&admin)).await;

        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{code:?}");
        let shown = problem(&page, field).unwrap_or_else(|| panic!("{field} is marked"));
        assert!(shown.starts_with(message), "{shown}");
        assert_eq!(shown_value(&page, "code"), code, "the input is kept");
        assert_eq!(shown_value(&page, "label"), "Short");
        assert_eq!(page.texts("#problem").len(), 1);
    }
    let row = [("name", ""), ("label", "E")];
    let page = app
        .post_form("/admin/agencies/eps", &row, Some(&admin))
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(problem(&page, "name-eps").is_some());
    assert_eq!(
        shown_value(&page, "label-eps"),
        "E",
        "the row's input is kept"
    );

    assert_eq!(stored(&app.db).await, [agency("eps", NAME, "EPS")]);
    assert_eq!(audited(&app.db).await.len(), entries_before);
}

#[tokio::test]
async fn an_agency_code_not_on_file_cannot_be_renamed() {
    let app = TestApp::empty().await;
    let admin = app.sign_in_as(Role::Admin).await;

    for code in ["eps", "Not a code"] {
        let path = format!("/admin/agencies/{}", code.replace(' ', "%20"));
        let fields = [("name", NAME), ("label", "EPS")];
        let response = app.post_form(&path, &fields, Some(&admin)).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{code}");
    }
    assert!(stored(&app.db).await.is_empty());
    assert!(audited(&app.db).await.is_empty());
}

#[tokio::test]
async fn only_admins_may_see_or_change_agencies() {
    let app = TestApp::empty().await;
    agencies::add(&app.db, "eps", NAME, "EPS").await;
    let routes: [(&str, &[(&str, &str)]); 2] = [
        (PAGE, &[("code", "rcmp"), ("name", "RCMP"), ("label", "")]),
        (
            "/admin/agencies/eps",
            &[("name", "Renamed"), ("label", "R")],
        ),
    ];

    for role in [Role::Viewer, Role::Supervisor, Role::Analyst] {
        let cookie = app.sign_in_as(role).await;
        let page = app.get(PAGE, Some(&cookie)).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{role}");
        let home = app.get("/", Some(&cookie)).await;
        assert!(!home.texts("nav a").contains(&"Agencies".to_string()));
        for (path, fields) in &routes {
            let response = app.post_form(path, fields, Some(&cookie)).await;
            assert_eq!(response.status, StatusCode::FORBIDDEN, "{role} {path}");
        }
    }
    let page = app.get(PAGE, None).await;
    assert_eq!(page.location(), Some("/login?next=/admin/agencies"));
    for (path, fields) in &routes {
        let response = app.post_form(path, fields, None).await;
        assert!(response.location().unwrap().starts_with("/login?next="));
    }

    assert_eq!(stored(&app.db).await, [agency("eps", NAME, "EPS")]);
    assert_eq!(audited(&app.db).await.len(), 1, "only the fixture's create");
}
