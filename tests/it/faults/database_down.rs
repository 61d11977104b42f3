//! The database refusing connections: every page says so with 503 and Retry-After, and the
//! server recovers by itself when the database comes back.

use patrolboard::domain::Role;
use sqlx::{ConnectOptions, Connection, Executor, PgConnection};

use super::server::RealServer;
use crate::common::app::PASSWORD;

/// A connection to the test server's maintenance database.
async fn maintenance() -> PgConnection {
    crate::common::options_for("postgres")
        .connect()
        .await
        .unwrap()
}

/// Makes `database` refuse new connections and ends the ones it has.
async fn refuse_connections(database: &str) {
    let mut admin = maintenance().await;
    admin
        .execute(format!("alter database {database} allow_connections false").as_str())
        .await
        .unwrap();
    sqlx::query(
        "select pg_terminate_backend(pid) from pg_stat_activity
          where datname = $1 and pid <> pg_backend_pid()",
    )
    .bind(database)
    .execute(&mut admin)
    .await
    .unwrap();
    admin.close().await.unwrap();
}

async fn allow_connections(database: &str) {
    let mut admin = maintenance().await;
    admin
        .execute(format!("alter database {database} allow_connections true").as_str())
        .await
        .unwrap();
    admin.close().await.unwrap();
}

/// Asserts a 503 that tells when to try again, shows no internal detail and is of `kind`.
async fn assert_unavailable(response: reqwest::Response, what: &str, kind: &str) {
    assert_eq!(response.status(), 503, "{what}");
    let retry_after = response
        .headers()
        .get("retry-after")
        .unwrap_or_else(|| panic!("{what} has no Retry-After"));
    assert!(
        retry_after.to_str().unwrap().parse::<u32>().is_ok(),
        "{what}: Retry-After is a number of seconds"
    );
    let content_type = response.headers()["content-type"].to_str().unwrap();
    assert!(content_type.starts_with(kind), "{what}: {content_type}");
    let body = response.text().await.unwrap();
    for detail in ["sqlx", "SQLSTATE", "allow_connections", "pool", "accepting"] {
        assert!(!body.contains(detail), "{what} shows {detail:?}: {body}");
    }
}

#[tokio::test]
async fn a_database_refusing_connections_gives_503_with_retry_after_and_recovers() {
    let server = RealServer::seeded().await;
    let viewer = server.signed_in(Role::Viewer).await;
    let database = server
        .db
        .connect_options()
        .get_database()
        .unwrap()
        .to_string();
    let dashboard = server.url("/pilots/calgary-2023");
    let api = server.url("/api/v1/pilots/calgary-2023/coverage");
    let sign_in = || {
        viewer
            .post(server.url("/login"))
            .header("origin", &server.base)
            .form(&[("username", "fault-viewer"), ("password", PASSWORD)])
            .send()
    };

    refuse_connections(&database).await;
    let page = viewer.get(&dashboard).send().await.unwrap();
    assert_unavailable(page, "the dashboard", "text/html").await;
    let json = viewer.get(&api).send().await.unwrap();
    assert_unavailable(json, "the API", "application/json").await;
    let login = sign_in().await.unwrap();
    assert_unavailable(login, "a sign-in", "text/html").await;
    let ready = viewer.get(server.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 503, "/readyz");

    allow_connections(&database).await;
    let page = viewer.get(&dashboard).send().await.unwrap();
    assert_eq!(page.status(), 200, "the dashboard is back");
    let json = viewer.get(&api).send().await.unwrap();
    assert_eq!(json.status(), 200, "the API is back");
    assert_eq!(sign_in().await.unwrap().status(), 303, "sign-in is back");
}
