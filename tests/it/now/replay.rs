//! The demo replayed at 14:00 on Wednesday 15 March 2023: on duty, open, time since, overdue and
//! the unrostered blocks of the next 4 hours, each recomputed here in SQL from the raw tables
//! (windows and blocks built by PostgreSQL's own time-zone arithmetic, not the engine's).

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use patrolboard::domain::Role;
use serde_json::Value;

use super::now_json;
use crate::common::app::TestApp;

const AT: &str = "2023-03-15T14:00";

/// The instant of the local time `AT` in the pilot's zone, as PostgreSQL reads it.
async fn instant(app: &TestApp) -> DateTime<Utc> {
    sqlx::query_scalar(
        "select ($1::timestamp at time zone time_zone) from pilots where slug = 'calgary-2023'",
    )
    .bind(AT.replace('T', " "))
    .fetch_one(&app.db)
    .await
    .unwrap()
}

fn instant_of(value: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(
        value
            .as_str()
            .unwrap_or_else(|| panic!("an instant: {value}")),
    )
    .unwrap()
    .with_timezone(&Utc)
}

#[tokio::test]
async fn shifts_on_duty_are_those_not_cancelled_that_started_and_have_not_ended() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Viewer).await;
    let json = now_json(&app, &cookie, AT).await;
    let at = instant(&app).await;
    assert_eq!(instant_of(&json["at"]), at);
    assert_eq!(json["pilot"], "calgary-2023");

    let expected: Vec<(i64, String, Vec<i64>, Vec<i64>)> = sqlx::query_as(
        r#"select s.id, t.name,
                  array(select officer_id from shift_members where shift_id = s.id order by 1),
                  array(select hotspot_id from shift_hotspots where shift_id = s.id order by 1)
             from shifts s join teams t on t.id = s.team_id join pilots p on p.id = s.pilot_id
            where p.slug = 'calgary-2023' and s.status <> 'cancelled'
              and s.starts_at <= $1 and s.ends_at > $1
            order by s.id"#,
    )
    .bind(at)
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert!(!expected.is_empty(), "the demo has a shift on duty then");
    let mut got: Vec<(i64, String, Vec<i64>, Vec<i64>)> = json["on_duty"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let ids = |v: &Value| {
                let mut ids: Vec<i64> = v
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|i| i.as_i64().unwrap())
                    .collect();
                ids.sort_unstable();
                ids
            };
            (
                s["shift_id"].as_i64().unwrap(),
                s["team"].as_str().unwrap().to_string(),
                ids(&s["officer_ids"]),
                ids(&s["hotspot_ids"]),
            )
        })
        .collect();
    got.sort();
    assert_eq!(got, expected);
}

/// One open hotspot as computed here: id, priority, minutes since, max gap, overdue, last arrival.
type OpenRow = (i64, i16, i64, i64, bool, Option<DateTime<Utc>>);

#[tokio::test]
async fn open_hotspots_their_time_since_and_overdue_match_the_raw_visits_in_order() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Supervisor).await;
    let json = now_json(&app, &cookie, AT).await;
    let at = instant(&app).await;

    // Each window that opened on the local date of `at` or the day before, inside the hotspot's
    // dates and the pilot's, and contains `at`.
    let expected: Vec<OpenRow> = sqlx::query_as(
        r#"with w as (
             select h.id, h.priority, h.max_gap_minutes,
                    ((d + h.window_start) at time zone p.time_zone) as opened,
                    ((d + (case when h.window_end <= h.window_start then 1 else 0 end) + h.window_end)
                       at time zone p.time_zone) as closes
               from hotspots h join pilots p on p.id = h.pilot_id
              cross join lateral (select (($1 at time zone p.time_zone)::date - k) as d
                                    from generate_series(0, 1) k) days
              where p.slug = 'calgary-2023'
                and d between h.active_from and coalesce(h.active_to, d)
                and d between p.starts_on and p.ends_on)
           , o as (
             select w.*, (select max(v.arrived_at) from visits v
                           where v.hotspot_id = w.id and v.arrived_at <= $1) as last
               from w where w.opened <= $1 and $1 < w.closes)
           select id, priority,
                  floor(extract(epoch from $1 - greatest(opened, coalesce(last, opened))) / 60)::int8,
                  max_gap_minutes::int8,
                  extract(epoch from $1 - greatest(opened, coalesce(last, opened))) > max_gap_minutes * 60,
                  last
             from o"#,
    )
    .bind(at)
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert!(expected.iter().any(|r| r.4), "some hotspot is overdue then");
    assert!(
        expected.iter().any(|r| !r.4),
        "some hotspot was visited in time"
    );

    let got: Vec<OpenRow> = json["open"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["hotspot_id"].as_i64().unwrap(),
                h["priority"].as_i64().unwrap() as i16,
                h["minutes_since"].as_i64().unwrap(),
                h["max_gap_minutes"].as_i64().unwrap(),
                h["overdue"].as_bool().unwrap(),
                (!h["last_visit_arrived_at"].is_null())
                    .then(|| instant_of(&h["last_visit_arrived_at"])),
            )
        })
        .collect();
    let as_set = |rows: &[OpenRow]| rows.iter().cloned().collect::<BTreeSet<_>>();
    assert_eq!(as_set(&got), as_set(&expected));
    // Overdue first, then by priority, then by time since, longest first.
    let keys: Vec<(bool, i16, i64)> = got.iter().map(|r| (!r.4, r.1, -r.2)).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(
        keys, sorted,
        "overdue first, by priority, longest since first"
    );
    for h in json["open"].as_array().unwrap() {
        assert!(!h["name"].as_str().unwrap().is_empty());
    }
}

#[tokio::test]
async fn the_next_four_hours_list_every_block_no_directed_shift_covers_for_half_its_length() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Viewer).await;
    let json = now_json(&app, &cookie, AT).await;
    let at = instant(&app).await;

    // Every block of every window of the three dates around `at`, cut at the window's close.
    let expected: Vec<(i64, DateTime<Utc>, DateTime<Utc>)> = sqlx::query_as(
        r#"with w as (
             select h.id, p.block_minutes,
                    ((d + h.window_start) at time zone p.time_zone) as opened,
                    ((d + (case when h.window_end <= h.window_start then 1 else 0 end) + h.window_end)
                       at time zone p.time_zone) as closes
               from hotspots h join pilots p on p.id = h.pilot_id
              cross join lateral (select (($1 at time zone p.time_zone)::date + k) as d
                                    from generate_series(-1, 1) k) days
              where p.slug = 'calgary-2023'
                and d between h.active_from and coalesce(h.active_to, d)
                and d between p.starts_on and p.ends_on)
           , b as (
             select w.id, s as starts, least(s + make_interval(mins => w.block_minutes), w.closes) as ends
               from w cross join lateral generate_series(w.opened, w.closes - interval '1 second',
                                                         make_interval(mins => w.block_minutes)) s)
           select b.id, b.starts, b.ends from b
            where b.ends > $1 and b.starts < $1 + interval '4 hours'
              and not exists (
                    select 1 from shifts s join shift_hotspots sh on sh.shift_id = s.id
                     where sh.hotspot_id = b.id and s.status <> 'cancelled'
                       and extract(epoch from least(s.ends_at, b.ends) - greatest(s.starts_at, b.starts))
                           >= extract(epoch from b.ends - b.starts) / 2)
            order by b.starts, b.id"#,
    )
    .bind(at)
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert!(!expected.is_empty(), "the demo has unrostered blocks then");
    let got: Vec<(i64, DateTime<Utc>, DateTime<Utc>)> = json["unplanned_next_4h"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["hotspot_id"].as_i64().unwrap(),
                instant_of(&b["block_start"]),
                instant_of(&b["block_end"]),
            )
        })
        .collect();
    assert_eq!(got, expected);
}
