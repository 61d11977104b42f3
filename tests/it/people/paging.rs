//! A pilot with more officers than a page: the list comes a hundred at a time, and the totals
//! by agency still count every officer.

use axum::http::StatusCode;
use patrolboard::domain::Role;

use crate::common::app::{TestApp, attr};
use crate::common::fixture::Fixture;

#[tokio::test]
async fn a_hundred_and_thirty_officers_come_a_hundred_to_a_page_and_are_all_counted() {
    let app = TestApp::empty().await;
    let mut fixture = Fixture::pilot("many-officers").days("2023-03-01", "2023-03-31");
    for n in 1..=130 {
        let name = format!("Officer {n:03}");
        fixture = fixture
            .officer(&name, "cps", &format!("B{n:03}"))
            .assignment(&name, "beat", "2023-03-01", "2023-03-31");
    }
    fixture.build(&app.db).await;
    let cookie = app.sign_in_as(Role::Viewer).await;

    let first = app
        .get("/pilots/many-officers/officers", Some(&cookie))
        .await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.texts("table.figures tbody tr").len(), 100);
    assert_eq!(first.texts("#officers-shown"), ["Officers 1 to 100 of 130"]);
    assert!(first.texts("ul.totals li")[0].contains("130 officers"));
    assert!(attr(&first, "nav.pager a[rel=prev]", "href").is_none());
    let more = attr(&first, "nav.pager a[rel=next]", "href").unwrap();

    let second = app.get(&more.replace("&amp;", "&"), Some(&cookie)).await;
    assert_eq!(second.texts("table.figures tbody tr").len(), 30);
    assert_eq!(
        second.texts("#officers-shown"),
        ["Officers 101 to 130 of 130"]
    );
    assert_eq!(second.texts("table.figures tbody th a")[0], "Officer 101");
    assert!(attr(&second, "nav.pager a[rel=next]", "href").is_none());

    let bad = app
        .get("/pilots/many-officers/officers?page=0", Some(&cookie))
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}
