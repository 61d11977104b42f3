//! Supervisors racing each other on the roster: twenty shifts for one officer sent at once must
//! end as they would one at a time, and every loser of a clash hears about the clash, not a 500.

use axum::response::IntoResponse;
use chrono::{DateTime, NaiveDate, Utc};
use futures_util::future::join_all;
use patrolboard::db::retry::{ATTEMPTS, retrying};
use patrolboard::domain::Role;
use patrolboard::domain::roster_checks::MIN_REST;
use patrolboard::error::{AppError, RETRY_AFTER_SECONDS};
use reqwest::StatusCode;
use sqlx::PgPool;

use super::server::RealServer;

const REQUESTS: usize = 20;

/// An officer of the demo pilot with a day free of shifts, with room for rest on either side, and
/// a team and a hotspot to book them with.
struct Booking {
    team: i64,
    officer: i64,
    officer_name: String,
    hotspot: i64,
    day: NaiveDate,
}

async fn booking(db: &PgPool) -> Booking {
    let (officer, officer_name, day): (i64, String, NaiveDate) = sqlx::query_as(
        r#"with spans as (
                select m.officer_id, s.ends_at, s.pilot_id,
                       lead(s.starts_at) over (partition by m.officer_id order by s.starts_at) as next
                  from shift_members m join shifts s on s.id = m.shift_id
                  join pilots p on p.id = s.pilot_id
                 where p.slug = 'calgary-2023' and s.status <> 'cancelled')
            select o.id, o.name, (sp.ends_at at time zone 'America/Edmonton')::date + 2
              from spans sp
              join officers o on o.id = sp.officer_id
              join assignments a on a.officer_id = o.id and a.pilot_id = sp.pilot_id
             where sp.next - sp.ends_at > interval '5 days'
               and (sp.ends_at at time zone 'America/Edmonton')::date + 2 between a.starts_on and a.ends_on
             order by o.id limit 1"#,
    )
    .fetch_one(db)
    .await
    .expect("the demo has an officer with a free stretch of days");
    let team = sqlx::query_scalar(
        "select t.id from teams t join pilots p on p.id = t.pilot_id where p.slug = 'calgary-2023' order by t.id limit 1",
    )
    .fetch_one(db)
    .await
    .unwrap();
    let hotspot = sqlx::query_scalar(
        r#"select h.id from hotspots h join pilots p on p.id = h.pilot_id
            where p.slug = 'calgary-2023' and h.active_from <= $1 and (h.active_to is null or h.active_to >= $1)
            order by h.id limit 1"#,
    )
    .bind(day)
    .fetch_one(db)
    .await
    .unwrap();
    Booking {
        team,
        officer,
        officer_name,
        hotspot,
        day,
    }
}

impl Booking {
    /// The create form for the officer from `start` to `end` minutes after midnight of the day,
    /// tagged `tag` in the notes, with no rest reason.
    fn form(&self, start: u32, end: u32, tag: &str) -> Vec<(&'static str, String)> {
        let at = |minutes: u32| format!("{}T{:02}:{:02}", self.day, minutes / 60, minutes % 60);
        vec![
            ("team_id", self.team.to_string()),
            ("starts_at", at(start)),
            ("ends_at", at(end)),
            ("mode", "foot".into()),
            ("officer_ids", self.officer.to_string()),
            ("hotspot_ids", self.hotspot.to_string()),
            ("notes", tag.into()),
            ("rest_reason", String::new()),
        ]
    }

    /// The officer's stored shifts tagged `tag`, in id order (the order they were settled in).
    async fn stored(&self, db: &PgPool, tag: &str) -> Vec<(i64, DateTime<Utc>, DateTime<Utc>)> {
        sqlx::query_as(
            r#"select s.id, s.starts_at, s.ends_at from shifts s join shift_members m on m.shift_id = s.id
                where m.officer_id = $1 and s.notes = $2 and s.status <> 'cancelled' order by s.id"#,
        )
        .bind(self.officer)
        .bind(tag)
        .fetch_all(db)
        .await
        .unwrap()
    }
}

/// Posts each form to the create endpoint at once; the status and body of each, in form order.
async fn send_at_once(
    server: &RealServer,
    client: &reqwest::Client,
    forms: &[Vec<(&'static str, String)>],
) -> Vec<(StatusCode, String)> {
    join_all(forms.iter().map(|form| send(server, client, form))).await
}

async fn send(
    server: &RealServer,
    client: &reqwest::Client,
    form: &[(&'static str, String)],
) -> (StatusCode, String) {
    let response = client
        .post(server.url("/pilots/calgary-2023/shifts"))
        .header("origin", &server.base)
        .form(form)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.text().await.unwrap())
}

fn page_text(body: &str) -> String {
    scraper::Html::parse_document(body)
        .root_element()
        .text()
        .collect::<Vec<_>>()
        .join(" ")
}

#[tokio::test]
async fn parallel_short_rest_shifts_store_what_sending_them_one_at_a_time_stores() {
    let server = RealServer::seeded().await;
    let supervisor = server.signed_in(Role::Supervisor).await;
    let booking = booking(&server.db).await;
    let tag = "rest race";
    // Back-to-back 29-minute shifts: each is less than the minimum rest from its neighbours, and
    // only shifts about nine hours apart may both be stored.
    let forms: Vec<_> = (0..REQUESTS as u32)
        .map(|i| booking.form(i * 29, i * 29 + 29, tag))
        .collect();

    let answers = send_at_once(&server, &supervisor, &forms).await;

    let statuses: Vec<u16> = answers.iter().map(|(s, _)| s.as_u16()).collect();
    assert!(
        statuses.iter().all(|s| [303, 422].contains(s)),
        "every request is stored (303) or asked for a rest reason (422): {statuses:?}"
    );
    let stored = booking.stored(&server.db, tag).await;
    for (i, a) in stored.iter().enumerate() {
        for b in &stored[i + 1..] {
            let rest = if a.2 <= b.1 { b.1 - a.2 } else { a.1 - b.2 };
            assert!(
                rest >= MIN_REST,
                "shifts #{} and #{} were both stored with {} minutes of rest between them and no reason",
                a.0,
                b.0,
                rest.num_minutes()
            );
        }
    }
    let overridden: i64 = sqlx::query_scalar(
        "select count(*) from audit_log where entity = 'shift' and entity_id = any($1) and after ? 'rest_override_reason'",
    )
    .bind(stored.iter().map(|s| s.0).collect::<Vec<_>>())
    .fetch_one(&server.db)
    .await
    .unwrap();
    assert_eq!(overridden, 0, "no stored shift carries a rest override");

    // The same twenty, one at a time, to a second server over a fresh copy of the demo, in the
    // order the first server settled them: its stored shifts first (in the order they were
    // stored), then the refused ones. Which shifts win depends on which request the database
    // takes first, so a fixed order would not be a fair comparison; a run that is as good as
    // sequential gives the same answer to each request as this replay does.
    let sequential = RealServer::seeded().await;
    let sequential_client = sequential.signed_in(Role::Supervisor).await;
    let starts_of = |form: &[(&'static str, String)]| form[1].1.clone();
    let stored_starts: Vec<String> = stored
        .iter()
        .map(|s| {
            s.1.with_timezone(&chrono_tz::America::Edmonton)
                .format("%Y-%m-%dT%H:%M")
                .to_string()
        })
        .collect();
    let mut order: Vec<usize> = stored_starts
        .iter()
        .filter_map(|start| forms.iter().position(|f| &starts_of(f) == start))
        .collect();
    let refused: Vec<usize> = (0..REQUESTS).filter(|i| !order.contains(i)).collect();
    order.extend(refused);
    let mut replayed = vec![0; REQUESTS];
    for i in order {
        replayed[i] = send(&sequential, &sequential_client, &forms[i])
            .await
            .0
            .as_u16();
    }
    let replay_stored = booking.stored(&sequential.db, tag).await;
    assert_eq!(
        stored.len(),
        replay_stored.len(),
        "parallel sends stored {} shifts, the same sent one at a time store {}",
        stored.len(),
        replay_stored.len()
    );
    assert_eq!(
        statuses, replayed,
        "each request gets the answer it gets alone"
    );
}

#[tokio::test]
async fn parallel_overlapping_bookings_store_one_and_tell_every_loser_of_the_clash() {
    let server = RealServer::seeded().await;
    let supervisor = server.signed_in(Role::Supervisor).await;
    let booking = booking(&server.db).await;
    let tag = "overlap race";
    // Hours starting three minutes apart: every one overlaps every other.
    let forms: Vec<_> = (0..REQUESTS as u32)
        .map(|i| booking.form(600 + i * 3, 660 + i * 3, tag))
        .collect();

    let answers = send_at_once(&server, &supervisor, &forms).await;

    let statuses: Vec<u16> = answers.iter().map(|(s, _)| s.as_u16()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 303).count(),
        1,
        "exactly one booking is stored: {statuses:?}"
    );
    assert_eq!(booking.stored(&server.db, tag).await.len(), 1);
    for (status, body) in answers.iter().filter(|(s, _)| *s != StatusCode::SEE_OTHER) {
        assert_eq!(
            *status,
            StatusCode::CONFLICT,
            "every loser is told of the clash: {statuses:?}"
        );
        assert!(
            page_text(body).contains(&format!("{} is already on shift #", booking.officer_name)),
            "the refusal names the officer and the other shift"
        );
    }
}

/// A statement that fails the way PostgreSQL fails the loser of a deadlock.
async fn deadlock(db: &PgPool) -> Result<(), sqlx::Error> {
    sqlx::query("do $$ begin raise exception 'made up' using errcode = 'deadlock_detected'; end $$")
        .execute(db)
        .await
        .map(|_| ())
}

#[tokio::test]
async fn a_deadlock_is_retried_and_one_that_persists_answers_503_with_retry_after() {
    let db = crate::common::fresh_db().await;
    let mut attempts = 0;
    let result = retrying(|| {
        attempts += 1;
        let fail = attempts < ATTEMPTS;
        let db = &db;
        async move { if fail { deadlock(db).await } else { Ok(()) } }
    })
    .await;
    assert!(result.is_ok(), "the last attempt goes through");
    assert_eq!(attempts, ATTEMPTS);

    attempts = 0;
    let error = retrying(|| {
        attempts += 1;
        deadlock(&db)
    })
    .await
    .unwrap_err();
    assert_eq!(attempts, ATTEMPTS, "the retries are bounded");
    let response = AppError::from(error).into_response();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        response.headers()["retry-after"],
        RETRY_AFTER_SECONDS.to_string().as_str()
    );
}
