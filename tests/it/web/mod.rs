//! Sign-in, roles, cross-site posts, security headers and health, compression and static files,
//! through the real router over a real PostgreSQL.

mod compression;
mod dates;
mod static_files;

use crate::common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::app::{PASSWORD, TestApp};
use patrolboard::db::cluster::{Cluster, ClusterOptions};
use patrolboard::domain::Role;

/// Every role but officer, who sees only their own shifts and the now board.
const STAFF: &[Role] = &[Role::Viewer, Role::Supervisor, Role::Analyst, Role::Admin];
const EVERYONE: &[Role] = &Role::ALL;
const OFFICERS: &[Role] = &[Role::Officer];
const SUPERVISORS_AND_UP: &[Role] = &[Role::Supervisor, Role::Analyst, Role::Admin];
const ROSTER_EDITORS: &[Role] = &[Role::Supervisor, Role::Admin];
const ANALYSTS: &[Role] = &[Role::Analyst, Role::Admin];
const ADMINS: &[Role] = &[Role::Admin];

/// Every page of the application and the roles that may see it.
const PAGES: &[(&str, &[Role])] = &[
    ("/", STAFF),
    ("/pilots/calgary-2023", STAFF),
    (
        "/pilots/calgary-2023?from=2023-03-11&to=2023-03-12&district=DNC",
        STAFF,
    ),
    ("/pilots/calgary-2023/now?at=2023-03-15T14:00", EVERYONE),
    ("/me", OFFICERS),
    ("/pilots/calgary-2023/districts/BLN", STAFF),
    ("/pilots/calgary-2023/hotspots/1", STAFF),
    ("/pilots/calgary-2023/officers", STAFF),
    ("/pilots/calgary-2023/officers/1", STAFF),
    ("/pilots/calgary-2023/evaluation", STAFF),
    ("/pilots/calgary-2023/roster?week=2023-W11", STAFF),
    ("/shifts/1/log", STAFF),
    ("/pilots/calgary-2023/shifts/new", ROSTER_EDITORS),
    ("/shifts/1/edit", ROSTER_EDITORS),
    ("/pilots/calgary-2023/roster/copy", ROSTER_EDITORS),
    ("/audit", SUPERVISORS_AND_UP),
    ("/exports?pilot=calgary-2023", SUPERVISORS_AND_UP),
    ("/calendar?pilot=calgary-2023", ROSTER_EDITORS),
    ("/imports", ANALYSTS),
    ("/hotspots/1/edit", ANALYSTS),
    ("/districts/1/edit", ANALYSTS),
    ("/admin/users", ADMINS),
];

#[tokio::test]
async fn signing_in_with_the_right_password_goes_to_the_page_asked_for() {
    let app = TestApp::seeded().await;
    app.add_user("dispatcher", Role::Viewer).await;

    let response = app
        .post_form(
            "/login",
            &[
                ("username", "Dispatcher "),
                ("password", PASSWORD),
                ("next", "/admin/users?x=1"),
            ],
            None,
        )
        .await;

    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(response.location(), Some("/admin/users?x=1"));
    let set_cookie = response
        .headers
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
    assert!(set_cookie.contains("SameSite=Lax"), "{set_cookie}");
    let cookie = response.session_cookie().unwrap();
    let home = app.get("/", Some(&cookie)).await;
    assert_eq!(home.status, StatusCode::OK);
    let stored: Vec<u8> = sqlx::query_scalar("select token_hash from sessions")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let token = cookie.split_once('=').unwrap().1;
    assert_ne!(stored, token.as_bytes(), "the token itself is never stored");
}

#[tokio::test]
async fn a_sign_in_elsewhere_than_this_site_goes_home_instead() {
    let app = TestApp::seeded().await;
    app.add_user("dispatcher", Role::Viewer).await;
    let response = app
        .post_form(
            "/login",
            &[
                ("username", "dispatcher"),
                ("password", PASSWORD),
                ("next", "//evil.example/"),
            ],
            None,
        )
        .await;
    assert_eq!(response.location(), Some("/"));
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_user_get_the_same_401() {
    let app = TestApp::seeded().await;
    app.add_user("dispatcher", Role::Viewer).await;

    let wrong = app
        .post_form(
            "/login",
            &[("username", "dispatcher"), ("password", "not the password")],
            None,
        )
        .await;
    let unknown = app
        .post_form(
            "/login",
            &[("username", "nobody-here"), ("password", PASSWORD)],
            None,
        )
        .await;

    for response in [&wrong, &unknown] {
        assert_eq!(response.status, StatusCode::UNAUTHORIZED);
        assert!(response.session_cookie().is_none());
    }
    assert_eq!(wrong.texts("#login-error"), unknown.texts("#login-error"));
    assert_eq!(wrong.texts("#login-error").len(), 1);
    let kept: Vec<String> = wrong
        .html()
        .select(&scraper::Selector::parse("#username").unwrap())
        .filter_map(|e| e.value().attr("value").map(str::to_string))
        .collect();
    assert_eq!(kept, ["dispatcher"], "the username typed is kept");
}

#[tokio::test]
async fn repeated_failures_lock_out_that_username_only() {
    let app = TestApp::seeded().await;
    app.add_user("dispatcher", Role::Viewer).await;
    app.add_user("analyst-one", Role::Analyst).await;

    for _ in 0..5 {
        let response = app
            .post_form(
                "/login",
                &[("username", "dispatcher"), ("password", "wrong password!")],
                None,
            )
            .await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    }
    let locked = app
        .post_form(
            "/login",
            &[("username", "dispatcher"), ("password", PASSWORD)],
            None,
        )
        .await;
    let other = app
        .post_form(
            "/login",
            &[("username", "analyst-one"), ("password", PASSWORD)],
            None,
        )
        .await;

    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(locked.session_cookie().is_none());
    assert!(locked.texts("#login-error")[0].contains("Try again in"));
    assert_eq!(other.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn signing_out_ends_the_session() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Viewer).await;

    let response = app.post_form("/logout", &[], Some(&cookie)).await;

    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(response.location(), Some("/login"));
    let after = app.get("/", Some(&cookie)).await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn anonymous_page_requests_are_sent_to_sign_in_with_the_page_to_return_to() {
    let app = TestApp::seeded().await;
    for (path, _) in PAGES {
        let response = app.get(path, None).await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{path}");
        let expected = format!("/login?next={}", patrolboard::web::login::encode_next(path));
        assert_eq!(response.location(), Some(expected.as_str()));
    }
    let forged = app.get("/", Some("patrolboard_session=forged")).await;
    assert_eq!(forged.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn every_page_refuses_the_roles_it_is_not_for_with_403() {
    let app = TestApp::seeded().await;
    for role in Role::ALL {
        let cookie = app.sign_in_as(role).await;
        for (path, allowed) in PAGES {
            let response = app.get(path, Some(&cookie)).await;
            if role == Role::Officer && *path == "/" {
                assert_eq!(
                    response.location(),
                    Some("/me"),
                    "an officer's home is their shift"
                );
                continue;
            }
            let expected = if allowed.contains(&role) {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(response.status, expected, "{role} on {path}");
            assert_eq!(
                response.texts("h1").len(),
                1,
                "{role} on {path} gets a page"
            );
        }
    }
}

#[tokio::test]
async fn the_home_page_lists_the_demo_pilot_with_its_dates_and_progress() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Viewer).await;

    let page = app.get("/", Some(&cookie)).await;

    let row = page.texts("tbody tr");
    assert_eq!(row.len(), 1);
    assert!(row[0].contains("27 Feb 2023 – 31 May 2023"), "{}", row[0]);
    assert!(row[0].contains("America/Edmonton"));
    // The pilot is in the past on any day these tests run.
    assert_eq!(page.texts("td.progress"), ["finished (94 days)"]);
}

#[tokio::test]
async fn a_form_posted_from_another_site_is_refused_and_changes_nothing() {
    let app = TestApp::seeded().await;
    app.add_user("dispatcher", Role::Viewer).await;
    let body = "username=dispatcher&password=correct+horse+battery+staple";
    let forged = [
        vec![("sec-fetch-site", "cross-site")],
        vec![("origin", "http://evil.example")],
        vec![("origin", "null")],
    ];

    for headers in forged {
        let mut request = Request::builder()
            .method(Method::POST)
            .uri("/login")
            .header(header::HOST, "localhost")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        for (name, value) in &headers {
            request = request.header(*name, *value);
        }
        let response = app.send(request.body(Body::from(body)).unwrap()).await;
        assert_eq!(response.status, StatusCode::FORBIDDEN, "{headers:?}");
        assert!(response.session_cookie().is_none());
    }
    let sessions: i64 = sqlx::query_scalar("select count(*) from sessions")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(sessions, 0);
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::seeded().await;
    for path in [
        "/login",
        "/",
        "/no-such-page",
        "/healthz",
        "/static/style.css",
    ] {
        let response = app.get(path, None).await;
        let csp = response
            .headers
            .get(header::CONTENT_SECURITY_POLICY)
            .unwrap()
            .to_str()
            .unwrap();
        assert!(
            csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"),
            "{path}"
        );
        assert!(!csp.contains("unsafe-inline"), "{path}");
        assert_eq!(
            response
                .headers
                .get(header::X_CONTENT_TYPE_OPTIONS)
                .unwrap(),
            "nosniff"
        );
        assert!(
            response.headers.contains_key(header::REFERRER_POLICY),
            "{path}"
        );
    }
}

#[tokio::test]
async fn an_unknown_page_gets_a_plain_404_page() {
    let app = TestApp::seeded().await;
    let response = app.get("/no-such-page", None).await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert_eq!(response.texts("h1"), ["Not Found"]);
}

#[tokio::test]
async fn an_address_whose_id_is_not_a_number_gets_the_404_page_not_the_parsers_words() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Admin).await;
    for path in [
        "/shifts/abc/edit",
        "/shifts/abc/log",
        "/pilots/calgary-2023/hotspots/abc",
        "/pilots/calgary-2023/officers/1x",
        "/hotspots/99999999999999999999/edit",
    ] {
        let response = app.get(path, Some(&cookie)).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(response.texts("h1"), ["Not Found"], "{path}");
        assert!(
            !response.body.contains("parse"),
            "{path}: {}",
            response.body
        );
    }
}

#[tokio::test]
async fn an_oversized_request_body_is_refused() {
    let app = TestApp::seeded().await;
    let huge = format!("username=x&password={}", "a".repeat(3 * 1024 * 1024));
    let response = app
        .send(
            Request::builder()
                .method(Method::POST)
                .uri("/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(huge))
                .unwrap(),
        )
        .await;
    assert_eq!(response.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn readyz_answers_503_while_the_database_is_down_and_200_once_it_is_back() {
    let dir = common::scratch_dir("readyz");
    let start = |dir: std::path::PathBuf| async move {
        tokio::task::spawn_blocking(move || {
            Cluster::start(&dir, ClusterOptions { unsafe_fast: true })
        })
        .await
        .unwrap()
        .expect("the cluster starts")
    };
    let cluster = start(dir.clone()).await;
    let pool = patrolboard::db::connect(&cluster.url("postgres"))
        .await
        .unwrap();
    let app = TestApp::over(pool);
    assert_eq!(app.get("/readyz", None).await.status, StatusCode::OK);

    tokio::task::spawn_blocking(move || cluster.stop())
        .await
        .unwrap();
    let down = app.get("/readyz", None).await;
    assert_eq!(down.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(app.get("/healthz", None).await.status, StatusCode::OK);

    let cluster = start(dir).await;
    assert_eq!(app.get("/readyz", None).await.status, StatusCode::OK);
    tokio::task::spawn_blocking(move || cluster.stop())
        .await
        .unwrap();
}

#[tokio::test]
async fn an_officers_shifts_link_to_their_logs() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Viewer).await;

    let page = app
        .get("/pilots/calgary-2023/officers/1", Some(&cookie))
        .await;

    let selector = scraper::Selector::parse("table.figures tbody th a").unwrap();
    let links: Vec<String> = page
        .html()
        .select(&selector)
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    let shifts: i64 = sqlx::query_scalar("select count(*) from shift_members where officer_id = 1")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(links.len() as i64, shifts);
    assert!(
        links
            .iter()
            .all(|l| l.starts_with("/shifts/") && l.ends_with("/log")),
        "{links:?}"
    );
    assert_eq!(
        app.get(&links[0], Some(&cookie)).await.status,
        StatusCode::OK
    );
}
