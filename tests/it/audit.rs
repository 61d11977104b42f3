//! The audit log page: who may read it, how a change reads, and its filters and pages, over the
//! pilot of the logging tests.

use axum::http::StatusCode;
use patrolboard::domain::Role;

use crate::common::app::TestResponse;
use crate::common::app::{attr, shown_value};
use crate::logging::{fixture, log_visit, user_id};

#[tokio::test]
async fn the_audit_log_is_for_supervisors_and_up_and_linked_from_their_navigation() {
    let f = fixture().await;
    let viewer = f.app.sign_in_as(Role::Viewer).await;
    let supervisor = f.app.sign_in_as(Role::Supervisor).await;

    assert_eq!(
        f.app.get("/audit", Some(&viewer)).await.status,
        StatusCode::FORBIDDEN
    );
    let anonymous = f.app.get("/audit", None).await;
    assert_eq!(anonymous.location(), Some("/login?next=/audit"));
    let home = f.app.get("/", Some(&viewer)).await;
    assert!(
        !home
            .texts("nav[aria-label=Main] a")
            .contains(&"Audit log".to_string())
    );
    let home = f.app.get("/", Some(&supervisor)).await;
    assert!(
        home.texts("nav[aria-label=Main] a")
            .contains(&"Audit log".to_string())
    );
    for role in [Role::Analyst, Role::Admin] {
        let cookie = f.app.sign_in_as(role).await;
        assert_eq!(
            f.app.get("/audit", Some(&cookie)).await.status,
            StatusCode::OK,
            "{role}"
        );
    }
    let page = f.app.get("/audit", Some(&supervisor)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.texts("table.audit caption")[0].contains("UTC"));
}

#[tokio::test]
async fn the_audit_log_shows_a_readable_difference_and_links_to_the_shift() {
    let f = fixture().await;
    let cookie = f.app.sign_in_as(Role::Supervisor).await;
    let visit = log_visit(&f, &cookie, "2023-03-11T23:05", "2023-03-11T23:17").await;
    let library = f.library.to_string();
    f.app
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

    let page = f.app.get("/audit?entity=visit", Some(&cookie)).await;

    assert_eq!(page.status, StatusCode::OK);
    let rows = page.texts("table.audit tbody tr");
    assert_eq!(rows.len(), 2, "{rows:?}");
    let newest = page.html();
    let first_row = scraper::Selector::parse("table.audit tbody tr").unwrap();
    let row = newest.select(&first_row).next().unwrap();
    let items: Vec<String> = row
        .select(&scraper::Selector::parse("ul.changes li").unwrap())
        .map(|li| li.text().collect())
        .collect();
    assert_eq!(
        items,
        [
            "departed_at: 2023-03-12T06:17:00Z → 2023-03-12T06:10:00Z",
            "source: report → avl"
        ]
    );
    let text = |selector: &str| {
        row.select(&scraper::Selector::parse(selector).unwrap())
            .next()
            .map(|e| e.text().collect::<String>())
            .unwrap_or_default()
    };
    assert_eq!(text("td.who"), "test-supervisor");
    assert_eq!(text("td.action"), "update");
    assert_eq!(text("td.entity"), format!("visit #{visit}"));
    assert_eq!(
        attr(&page, "table.audit tbody tr td.entity a", "href"),
        Some(format!("/shifts/{}/log", f.shift))
    );
    assert!(text("details pre").contains("\"source\": \"report\""));
    let created = page.texts("table.audit tbody tr:nth-child(2) ul.changes li");
    assert!(
        created.contains(&"source added: report".to_string()),
        "{created:?}"
    );
}

#[tokio::test]
async fn the_audit_log_filters_by_user_entity_and_dates_and_pages_fifty_at_a_time() {
    let f = fixture().await;
    let cookie = f.app.sign_in_as(Role::Supervisor).await;
    let supervisor = user_id(&f.app, Role::Supervisor).await;
    // 60 entries on 1 March 2023 by the supervisor, one on 5 March by the system.
    sqlx::query(
        r#"insert into audit_log (at, user_id, action, entity, entity_id, after)
           select timestamptz '2023-03-01T10:00:00Z' + n * interval '1 minute', $1, 'update',
                  'widget', n, jsonb_build_object('n', n)
             from generate_series(1, 60) as n"#,
    )
    .bind(supervisor)
    .execute(&f.app.db)
    .await
    .unwrap();
    sqlx::query(
        r#"insert into audit_log (at, user_id, action, entity, entity_id)
           values ('2023-03-05T10:00:00Z', null, 'update', 'widget', 61)"#,
    )
    .execute(&f.app.db)
    .await
    .unwrap();
    let ids = |page: &TestResponse| page.texts("table.audit tbody td.entity");

    let first = f
        .app
        .get(
            "/audit?user=test-supervisor&entity=widget&from=2023-03-01&to=2023-03-01",
            Some(&cookie),
        )
        .await;
    assert_eq!(first.status, StatusCode::OK);
    let shown = ids(&first);
    assert_eq!(shown.len(), 50);
    assert_eq!(shown[0], "widget #60", "newest first");
    assert_eq!(
        first.texts("table.audit tbody td.when")[0],
        "Wed 1 Mar 2023 11:00"
    );
    assert_eq!(shown_value(&first, "user"), "test-supervisor");
    assert_eq!(shown_value(&first, "entity"), "widget");
    assert_eq!(shown_value(&first, "from"), "2023-03-01");
    let older = attr(&first, "a[rel=next]", "href").unwrap();
    assert_eq!(
        older,
        "/audit?user=test-supervisor&entity=widget&from=2023-03-01&to=2023-03-01&page=2"
    );
    assert!(attr(&first, "a[rel=prev]", "href").is_none());

    let second = f.app.get(&older, Some(&cookie)).await;
    let shown = ids(&second);
    assert_eq!(shown.len(), 10);
    assert_eq!(shown.last().unwrap(), "widget #1");
    assert!(attr(&second, "a[rel=next]", "href").is_none());
    assert_eq!(
        attr(&second, "a[rel=prev]", "href").unwrap(),
        "/audit?user=test-supervisor&entity=widget&from=2023-03-01&to=2023-03-01"
    );

    let system = f
        .app
        .get("/audit?user=system&entity=widget", Some(&cookie))
        .await;
    assert_eq!(ids(&system), ["widget #61"]);
    assert_eq!(system.texts("table.audit tbody td.who"), ["system"]);
    let later = f
        .app
        .get("/audit?entity=widget&from=2023-03-02", Some(&cookie))
        .await;
    assert_eq!(ids(&later), ["widget #61"]);
    let users = f.app.get("/audit?entity=user", Some(&cookie)).await;
    assert!(ids(&users).iter().all(|e| e.starts_with("user #")));
    assert!(!ids(&users).is_empty(), "signing up accounts is audited");
    let entities = first.texts("#entity option");
    assert!(entities.contains(&"widget".to_string()) && entities.contains(&"user".to_string()));

    let bad = f.app.get("/audit?from=2023-02-30", Some(&cookie)).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.texts("p.message")[0].contains("From must be a date written YYYY-MM-DD"));
    let backwards = f
        .app
        .get("/audit?from=2023-03-02&to=2023-03-01", Some(&cookie))
        .await;
    assert_eq!(backwards.status, StatusCode::BAD_REQUEST);
    let _ = f.pilot_id;
}
