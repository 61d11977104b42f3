//! Requests with NUL bytes, other control characters or invalid UTF-8 in a path, a query or a
//! form: each is answered 400 with a sentence, never 500, and nothing is stored.

use chrono::NaiveDate;
use patrolboard::domain::Role;
use patrolboard::domain::ids::{HotspotId, OfficerId, PilotId, TeamId};
use reqwest::{Client, Method, StatusCode};
use sqlx::PgPool;

use crate::common::fixture::write;
use crate::faults::server::{RealServer, client};

/// Rows of every table these requests could write.
async fn snapshot(db: &PgPool) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in [
        "shifts",
        "activities",
        "visits",
        "audit_log",
        "calendar_tokens",
        "login_failures",
        "sessions",
    ] {
        let sql = format!("select count(*) from {table}");
        counts.push(sqlx::query_scalar(&sql).fetch_one(db).await.unwrap());
    }
    counts
}

/// An officer free all pilot long, so that a shift of theirs is refused only for its notes.
async fn free_officer(db: &PgPool) -> (OfficerId, TeamId, HotspotId) {
    let (pilot, starts_on, ends_on): (PilotId, NaiveDate, NaiveDate) =
        sqlx::query_as("select id, starts_on, ends_on from pilots where slug = 'calgary-2023'")
            .fetch_one(db)
            .await
            .unwrap();
    let hostile = write::Officer::new("cps", "X-1", "Constable Hostile");
    let officer = write::officer(db, &hostile).await;
    let whole_pilot = write::Assignment {
        officer_id: officer,
        starts_on,
        ends_on,
        role: "pilot".to_string(),
    };
    write::assignment(db, pilot, &whole_pilot).await;
    let team: TeamId = sqlx::query_scalar("select min(id) from teams where pilot_id = $1")
        .bind(pilot)
        .fetch_one(db)
        .await
        .unwrap();
    let hotspot: HotspotId = sqlx::query_scalar(
        "select min(id) from hotspots where pilot_id = $1 and active_to is null",
    )
    .bind(pilot)
    .fetch_one(db)
    .await
    .unwrap();
    (officer, team, hotspot)
}

async fn send(
    server: &RealServer,
    as_who: &Client,
    method: Method,
    path: &str,
    form: Option<&str>,
) -> (StatusCode, String) {
    let mut request = as_who.request(method, server.url(path));
    if let Some(body) = form {
        request = request
            .header("origin", &server.base)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.to_string());
    }
    let response = request.send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

#[tokio::test]
async fn nul_bytes_control_characters_and_bad_utf8_get_400_and_store_nothing() {
    let server = RealServer::seeded().await;
    let supervisor = server.signed_in(Role::Supervisor).await;
    let admin = server.signed_in(Role::Admin).await;
    let (officer, team, hotspot) = free_officer(&server.db).await;
    let shift_on = |day: u32, notes: &str, extra: &str| {
        format!(
            "team_id={team}&starts_at=2023-03-{day}T03:00&ends_at=2023-03-{day}T04:00&mode=foot&officer_ids={officer}&hotspot_ids={hotspot}&notes={notes}{extra}"
        )
    };
    // New shifts on the 16th, where the officer is free; edits of the one on the 15th.
    let shift = |notes: &str, extra: &str| shift_on(16, notes, extra);

    // Tabs and line breaks in notes are ordinary text and are kept.
    let (status, body) = send(
        &server,
        &supervisor,
        Method::POST,
        "/pilots/calgary-2023/shifts",
        Some(&shift_on(15, "line+one%0D%0Aline+two%09tabbed", "")),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let (id, version, notes): (i64, i32, String) = sqlx::query_as(
        "select s.id, s.version, s.notes from shifts s join shift_members m on m.shift_id = s.id where m.officer_id = $1",
    )
    .bind(officer)
    .fetch_one(&server.db)
    .await
    .unwrap();
    assert_eq!(notes, "line one\r\nline two\ttabbed");

    let anonymous = client();
    let before = snapshot(&server.db).await;
    let edit =
        |notes: &str, extra: &str| format!("{}&version={version}", shift_on(15, notes, extra));
    let cases: Vec<(&Client, Method, String, Option<String>)> = vec![
        (
            &supervisor,
            Method::POST,
            "/pilots/calgary-2023/shifts".into(),
            Some(shift("a%00b", "")),
        ),
        (
            &supervisor,
            Method::POST,
            "/pilots/calgary-2023/shifts".into(),
            Some(shift("%FF%FE+bad", "")),
        ),
        (
            &supervisor,
            Method::POST,
            "/pilots/calgary-2023/shifts".into(),
            Some(shift("bell%07", "")),
        ),
        (
            &supervisor,
            Method::POST,
            format!("/shifts/{id}"),
            Some(edit("a%00b", "")),
        ),
        (
            &supervisor,
            Method::POST,
            format!("/shifts/{id}"),
            Some(edit("ok", "&rest_reason=a%00b")),
        ),
        (
            &supervisor,
            Method::POST,
            format!("/shifts/{id}/activities"),
            Some(format!(
                "kind=other&count=1&hotspot_id={hotspot}&occurred_at=2023-03-15T03:30&note=a%00b"
            )),
        ),
        (
            &supervisor,
            Method::POST,
            format!("/shifts/{id}/activities"),
            Some(format!(
                "kind=other&count=1&hotspot_id={hotspot}&occurred_at=2023-03-15T03:30&note=%C3%28"
            )),
        ),
        (
            &anonymous,
            Method::POST,
            "/login".into(),
            Some("username=adm%00in&password=whatever".into()),
        ),
        (
            &supervisor,
            Method::POST,
            "/calendar/tokens".into(),
            Some(format!("pilot=%00&team_id={team}")),
        ),
        (&supervisor, Method::GET, "/pilots/%00".into(), None),
        (
            &supervisor,
            Method::GET,
            "/pilots/calgary-2023/districts/%00".into(),
            None,
        ),
        (
            &supervisor,
            Method::GET,
            "/api/v1/pilots/%00/coverage".into(),
            None,
        ),
        (&supervisor, Method::GET, "/exports?pilot=%00".into(), None),
        (&supervisor, Method::GET, "/exports?pilot=%FF".into(), None),
        (&admin, Method::GET, "/audit?entity=%00".into(), None),
        (&admin, Method::GET, "/audit?entity=%FF%FE".into(), None),
        (
            &admin,
            Method::GET,
            "/pilots/calgary-2023?from=2023-03-01%1B".into(),
            None,
        ),
    ];
    let mut wrong = Vec::new();
    for (who, method, path, form) in cases {
        let (status, body) = send(&server, who, method.clone(), &path, form.as_deref()).await;
        // The page says why in words, and shows no internal detail.
        let explained = body.contains("control character") && !body.contains("rror:");
        if status != StatusCode::BAD_REQUEST || !explained {
            wrong.push(format!("{status} for {method} {path} {form:?}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "refused as 400 with a sentence:\n{}",
        wrong.join("\n")
    );
    assert_eq!(snapshot(&server.db).await, before, "nothing was stored");
    let notes: String = sqlx::query_scalar("select notes from shifts where id = $1")
        .bind(id)
        .fetch_one(&server.db)
        .await
        .unwrap();
    assert_eq!(notes, "line one\r\nline two\ttabbed");
}
