//! The roll-ups of migration 0010 (`hotspot_months`, `district_days`, `officer_days`,
//! `activity_days`) and the readers built on them, checked against recomputations from the raw
//! rows after every kind of change, and under concurrent saves.

use std::collections::{BTreeMap, HashMap};

use axum::http::StatusCode;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::America::Edmonton;
use patrolboard::coverage::DayFigures;
use patrolboard::db::{activities, figures, hours};
use patrolboard::domain::Role;
use sqlx::{PgPool, Row};

use crate::common::app::TestApp;
use super::{date, scalar};

const FIGURES: &str = "blocks::int8, planned_blocks::int8, delivered_blocks::int8,
    patrol_seconds, officer_seconds, visits::int8, koper_visits::int8, pass_throughs::int8,
    longest_gap_seconds, window_seconds, target_seconds, capped_patrol_seconds";

/// Stored figures and hour-of-week slots, keyed by (hotspot or district, day or month).
type Stored = BTreeMap<(i64, NaiveDate), (DayFigures, BTreeMap<i16, (i64, i64)>)>;

async fn stored(db: &PgPool, sql: &str) -> Stored {
    let rows = sqlx::query(sql).fetch_all(db).await.unwrap();
    rows.iter()
        .map(|row| {
            let get = |i: usize| row.get::<i64, _>(i);
            let figures = DayFigures {
                blocks: get(2),
                planned_blocks: get(3),
                delivered_blocks: get(4),
                patrol_seconds: get(5),
                officer_seconds: get(6),
                visits: get(7),
                koper_visits: get(8),
                pass_throughs: get(9),
                longest_gap_seconds: get(10),
                window_seconds: get(11),
                target_seconds: get(12),
                capped_patrol_seconds: get(13),
            };
            let mut slots = BTreeMap::new();
            if row.len() > 14 {
                let hours: Vec<i16> = row.get(14);
                let blocks: Vec<i16> = row.get(15);
                let planned: Vec<i16> = row.get(16);
                for i in 0..hours.len() {
                    slots.insert(hours[i], (i64::from(blocks[i]), i64::from(planned[i])));
                }
            }
            ((row.get(0), row.get(1)), (figures, slots))
        })
        .collect()
}

fn add(
    into: &mut Stored,
    key: (i64, NaiveDate),
    figures: DayFigures,
    slots: &BTreeMap<i16, (i64, i64)>,
) {
    let entry = into.entry(key).or_default();
    entry.0 += figures;
    for (hour, (blocks, planned)) in slots {
        let slot = entry.1.entry(*hour).or_default();
        slot.0 += blocks;
        slot.1 += planned;
    }
}

/// Fails naming the first few keys where two maps differ (they can hold thousands of rows).
fn assert_same<K: Ord + std::fmt::Debug, V: PartialEq + std::fmt::Debug>(
    stored: &BTreeMap<K, V>,
    expected: &BTreeMap<K, V>,
    what: &str,
) {
    let mut differences: Vec<String> = Vec::new();
    for (key, value) in stored {
        match expected.get(key) {
            Some(want) if want == value => {}
            want => differences.push(format!("{key:?}: stored {value:?}, expected {want:?}")),
        }
    }
    for key in expected.keys().filter(|k| !stored.contains_key(k)) {
        differences.push(format!("{key:?}: missing, expected {:?}", expected[key]));
    }
    assert!(
        differences.is_empty(),
        "{what}: {} differences, the first: {:#?}",
        differences.len(),
        &differences[..differences.len().min(5)]
    );
}

/// The demo pilot's days, the only ones the roll-ups (like the pages) cover.
fn in_pilot(day: NaiveDate) -> bool {
    (date(2023, 2, 27)..=date(2023, 5, 31)).contains(&day)
}

fn local_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Edmonton).date_naive()
}

async fn hotspot_days(db: &PgPool) -> Stored {
    let sql = format!(
        "select hotspot_id, day, {FIGURES}, slot_hours, slot_blocks, slot_planned from hotspot_days"
    );
    stored(db, &sql).await
}

async fn district_of(db: &PgPool) -> HashMap<i64, i64> {
    sqlx::query_as("select id, district_id from hotspots")
        .fetch_all(db)
        .await
        .unwrap()
        .into_iter()
        .collect()
}

/// Officer seconds by (local start day, agency, district), read afresh from shifts and members.
async fn officer_seconds(db: &PgPool) -> BTreeMap<(NaiveDate, String, Option<i64>), f64> {
    // id, starts, ends, members' agencies, districts of its hotspots
    type Shift = (i64, DateTime<Utc>, DateTime<Utc>, Vec<String>, Vec<i64>);
    let shifts: Vec<Shift> = sqlx::query_as(
        r#"select s.id, s.starts_at, s.ends_at,
                  array(select o.agency from shift_members m join officers o on o.id = m.officer_id
                         where m.shift_id = s.id),
                  array(select distinct h.district_id from shift_hotspots sh
                          join hotspots h on h.id = sh.hotspot_id where sh.shift_id = s.id)
             from shifts s join pilots p on p.id = s.pilot_id
            where p.slug = 'calgary-2023' and s.status <> 'cancelled'"#,
    )
    .fetch_all(db)
    .await
    .unwrap();
    let mut totals = BTreeMap::new();
    for (_, starts, ends, agencies, districts) in shifts {
        if !in_pilot(local_day(starts)) {
            continue;
        }
        let seconds = (ends - starts).num_seconds() as f64;
        let shares: Vec<Option<i64>> = if districts.is_empty() {
            vec![None]
        } else {
            districts.into_iter().map(Some).collect()
        };
        for agency in &agencies {
            for district in &shares {
                *totals
                    .entry((local_day(starts), agency.clone(), *district))
                    .or_default() += seconds / shares.len() as f64;
            }
        }
    }
    totals
}

/// Activity counts by (local day, kind, district), read afresh from the activities.
async fn activity_counts(db: &PgPool) -> BTreeMap<(NaiveDate, String, Option<i64>), i64> {
    let rows: Vec<(DateTime<Utc>, String, Option<i64>, i32)> = sqlx::query_as(
        r#"select a.occurred_at, a.kind, h.district_id, a.count
             from activities a join shifts s on s.id = a.shift_id
             join pilots p on p.id = s.pilot_id
             left join hotspots h on h.id = a.hotspot_id
            where p.slug = 'calgary-2023'"#,
    )
    .fetch_all(db)
    .await
    .unwrap();
    let mut totals = BTreeMap::new();
    for (at, kind, district, count) in rows.into_iter().filter(|r| in_pilot(local_day(r.0))) {
        *totals.entry((local_day(at), kind, district)).or_default() += i64::from(count);
    }
    totals
}

/// Every roll-up equals what the rows beneath it add up to.
async fn assert_rollups_match(db: &PgPool) {
    let days = hotspot_days(db).await;
    let district_of = district_of(db).await;
    let (mut months, mut weeks, mut districts, mut district_months, mut district_weeks) = (
        Stored::new(),
        Stored::new(),
        Stored::new(),
        Stored::new(),
        Stored::new(),
    );
    for ((hotspot, day), (figures, slots)) in &days {
        let month = day.with_day(1).unwrap();
        let district = district_of[hotspot];
        let week = day.week(chrono::Weekday::Mon).first_day();
        add(&mut months, (*hotspot, month), *figures, slots);
        add(&mut weeks, (*hotspot, week), *figures, slots);
        add(&mut district_weeks, (district, week), *figures, slots);
        add(&mut districts, (district, *day), *figures, slots);
        add(&mut district_months, (district, month), *figures, slots);
    }
    for (table, key, period, expected) in [
        ("hotspot_months", "hotspot_id", "month", &months),
        ("hotspot_weeks", "hotspot_id", "week", &weeks),
        ("district_weeks", "district_id", "week", &district_weeks),
        ("district_days", "district_id", "day", &districts),
        ("district_months", "district_id", "month", &district_months),
    ] {
        let sql = format!(
            "select {key}, {period}, {FIGURES}, slot_hours, slot_blocks, slot_planned from {table}"
        );
        assert_same(&stored(db, &sql).await, expected, table);
    }

    let officer_rows: Vec<(NaiveDate, String, Option<i64>, f64)> =
        sqlx::query_as("select day, agency, district_id, seconds from officer_days")
            .fetch_all(db)
            .await
            .unwrap();
    let expected = officer_seconds(db).await;
    assert_eq!(officer_rows.len(), expected.len(), "officer_days rows");
    for (day, agency, district, seconds) in officer_rows {
        let want = expected[&(day, agency.clone(), district)];
        assert!(
            (seconds - want).abs() < 1e-6,
            "officer_days {day} {agency} {district:?}: {seconds} against {want}"
        );
    }

    let activity_rows: Vec<(NaiveDate, String, Option<i64>, i64)> =
        sqlx::query_as("select day, kind, district_id, count from activity_days")
            .fetch_all(db)
            .await
            .unwrap();
    let stored_activities: BTreeMap<_, _> = activity_rows
        .into_iter()
        .map(|(day, kind, district, count)| ((day, kind, district), count))
        .collect();
    assert_same(
        &stored_activities,
        &activity_counts(db).await,
        "activity_days",
    );
}

/// The readers give, for several ranges, what the raw rows and `hotspot_days` add up to.
async fn assert_readers_match(db: &PgPool) {
    let pilot = scalar(db, "select id from pilots where slug = 'calgary-2023'").await;
    let days = hotspot_days(db).await;
    let district_of = district_of(db).await;
    let hours_raw = officer_seconds(db).await;
    let activities_raw = activity_counts(db).await;
    let ranges = [
        (date(2023, 2, 27), date(2023, 5, 31)),
        (date(2023, 3, 1), date(2023, 3, 31)),
        (date(2023, 2, 28), date(2023, 4, 30)),
        (date(2023, 3, 13), date(2023, 3, 19)),
        (date(2023, 3, 31), date(2023, 5, 1)),
        (date(2023, 4, 2), date(2023, 5, 30)),
        (date(2023, 3, 6), date(2023, 4, 30)),
        (date(2023, 2, 27), date(2023, 3, 5)),
    ];
    let mut conn = db.acquire().await.unwrap();
    for (from, to) in ranges {
        let label = format!("{from}..{to}");
        let in_range = |day: &NaiveDate| (from..=to).contains(day);
        let mut by_hotspot: BTreeMap<i64, DayFigures> = BTreeMap::new();
        let mut by_day: BTreeMap<NaiveDate, DayFigures> = BTreeMap::new();
        let district = district_of.values().copied().min().unwrap();
        // Slots by district, and by hotspot of `district`.
        let mut slots: BTreeMap<(i64, i16), (i64, i64)> = BTreeMap::new();
        let mut hotspot_slots: BTreeMap<(i64, i16), (i64, i64)> = BTreeMap::new();
        for ((hotspot, day), (figures, day_slots)) in days.iter().filter(|((_, d), _)| in_range(d))
        {
            *by_hotspot.entry(*hotspot).or_default() += *figures;
            *by_day.entry(*day).or_default() += *figures;
            for (hour, (blocks, planned)) in day_slots {
                let slot = slots.entry((district_of[hotspot], *hour)).or_default();
                slot.0 += blocks;
                slot.1 += planned;
                if district_of[hotspot] == district {
                    let slot = hotspot_slots.entry((*hotspot, *hour)).or_default();
                    slot.0 += blocks;
                    slot.1 += planned;
                }
            }
        }

        let report = figures::by_hotspot(&mut *conn, pilot, from, to)
            .await
            .unwrap();
        let read: BTreeMap<i64, DayFigures> = report.iter().map(|h| (h.id, h.figures)).collect();
        assert_same(&read, &by_hotspot, &format!("by_hotspot {label}"));
        let read: BTreeMap<NaiveDate, DayFigures> =
            figures::by_day(&mut *conn, pilot, from, to, None, None)
                .await
                .unwrap()
                .into_iter()
                .collect();
        assert_same(&read, &by_day, &format!("by_day {label}"));
        for (filter, expected) in [(None, &slots), (Some(district), &hotspot_slots)] {
            let mut read: BTreeMap<(i64, i16), (i64, i64)> = BTreeMap::new();
            for row in figures::slots(&mut *conn, pilot, from, to, filter)
                .await
                .unwrap()
            {
                for i in 0..row.slot_hours.len() {
                    let slot = read.entry((row.key, row.slot_hours[i])).or_default();
                    slot.0 += i64::from(row.slot_blocks[i]);
                    slot.1 += i64::from(row.slot_planned[i]);
                }
            }
            assert_same(&read, expected, &format!("slots of {filter:?}, {label}"));
        }

        let mut want_district_day: BTreeMap<NaiveDate, DayFigures> = BTreeMap::new();
        for ((hotspot, day), (figures, _)) in days.iter().filter(|((_, d), _)| in_range(d)) {
            if district_of[hotspot] == district {
                *want_district_day.entry(*day).or_default() += *figures;
            }
        }
        let read: BTreeMap<NaiveDate, DayFigures> =
            figures::by_day(&mut *conn, pilot, from, to, Some(district), None)
                .await
                .unwrap()
                .into_iter()
                .collect();
        assert_same(
            &read,
            &want_district_day,
            &format!("by_day of {district}, {label}"),
        );

        for district in [None, Some(district)] {
            let mut want: BTreeMap<String, f64> = BTreeMap::new();
            for ((day, agency, d), seconds) in &hours_raw {
                if in_range(day) && (district.is_none() || *d == district) {
                    *want.entry(agency.clone()).or_default() += seconds;
                }
            }
            let read = hours::by_agency(&mut *conn, pilot, from, to, district)
                .await
                .unwrap();
            assert_eq!(read.len(), want.len(), "by_agency {district:?} {label}");
            for (agency, seconds) in read {
                assert!(
                    (seconds - want[&agency]).abs() < 1e-6,
                    "by_agency {agency} {label}"
                );
            }

            let mut want: BTreeMap<String, i64> = BTreeMap::new();
            for ((day, kind, d), count) in &activities_raw {
                if in_range(day) && (district.is_none() || *d == district) {
                    *want.entry(kind.clone()).or_default() += count;
                }
            }
            let read: BTreeMap<String, i64> = activities::by_kind(
                &mut *conn,
                pilot,
                "America/Edmonton",
                from,
                to,
                district,
                None,
            )
            .await
            .unwrap()
            .into_iter()
            .collect();
            assert_same(&read, &want, &format!("by_kind {district:?} {label}"));
        }
        let mut want: BTreeMap<i64, f64> = BTreeMap::new();
        for ((day, _, d), seconds) in &hours_raw {
            if let (true, Some(d)) = (in_range(day), d) {
                *want.entry(*d).or_default() += seconds;
            }
        }
        let read = hours::by_district(&mut *conn, pilot, from, to)
            .await
            .unwrap();
        assert_eq!(read.len(), want.len(), "by_district {label}");
        for (district, seconds) in read {
            assert!(
                (seconds - want[&district]).abs() < 1e-6,
                "by_district {label}"
            );
        }
    }
}

/// `hotspot_days` equals the engine run afresh over the raw rows (in a transaction undone after).
async fn assert_days_match_a_fresh_computation(db: &PgPool) {
    let sql = format!(
        "select hotspot_id, day, {FIGURES}, slot_hours, slot_blocks, slot_planned
           from hotspot_days order by hotspot_id, day"
    );
    let before = stored(db, &sql).await;
    let pilot = scalar(db, "select id from pilots where slug = 'calgary-2023'").await;
    let mut tx = db.begin().await.unwrap();
    sqlx::query("delete from hotspot_days")
        .execute(&mut *tx)
        .await
        .unwrap();
    patrolboard::db::coverage::refresh(&mut tx, pilot, date(2023, 2, 27), date(2023, 5, 31))
        .await
        .unwrap();
    let rows = sqlx::query(&sql).fetch_all(&mut *tx).await.unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(rows.len(), before.len());
    let after: Vec<(i64, NaiveDate, i64, i64)> = rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(3), r.get(4)))
        .collect();
    let before: Vec<(i64, NaiveDate, i64, i64)> = before
        .iter()
        .map(|((h, d), (f, _))| (*h, *d, f.planned_blocks, f.delivered_blocks))
        .collect();
    assert_eq!(before, after, "hotspot_days against a fresh computation");
}

async fn id(db: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db).await.unwrap()
}

/// Two officers of the demo with no shift between `from` and `to` (local wall clock).
async fn free_officers(db: &PgPool, from: &str, to: &str) -> Vec<i64> {
    sqlx::query_scalar(
        r#"select o.id from officers o
            where not exists (
                select 1 from shift_members m join shifts s on s.id = m.shift_id
                 where m.officer_id = o.id and s.status <> 'cancelled'
                   and tstzrange(s.starts_at, s.ends_at) &&
                       tstzrange(($1::timestamp - interval '12 hours') at time zone 'America/Edmonton',
                                 ($2::timestamp + interval '12 hours') at time zone 'America/Edmonton'))
            order by o.id limit 2"#,
    )
    .bind(format!("{from}:00").parse::<chrono::NaiveDateTime>().unwrap())
    .bind(format!("{to}:00").parse::<chrono::NaiveDateTime>().unwrap())
    .fetch_all(db)
    .await
    .unwrap()
}

fn shift_form(
    team: i64,
    from: &str,
    to: &str,
    officers: &[i64],
    hotspots: &[i64],
) -> Vec<(String, String)> {
    let mut fields = vec![
        ("team_id".to_string(), team.to_string()),
        ("starts_at".into(), from.into()),
        ("ends_at".into(), to.into()),
        ("mode".into(), "foot".into()),
        ("notes".into(), "roll-up test".into()),
        ("rest_reason".into(), "test".into()),
    ];
    fields.extend(
        officers
            .iter()
            .map(|o| ("officer_ids".to_string(), o.to_string())),
    );
    fields.extend(
        hotspots
            .iter()
            .map(|h| ("hotspot_ids".to_string(), h.to_string())),
    );
    fields
}

async fn post(app: &TestApp, path: &str, fields: &[(String, String)], cookie: &str) -> StatusCode {
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let response = app.post_form(path, &pairs, Some(cookie)).await;
    assert_eq!(
        response.status,
        StatusCode::SEE_OTHER,
        "{path}: {}",
        response.body
    );
    response.status
}

#[tokio::test]
async fn the_roll_ups_equal_a_recomputation_from_raw_rows_after_every_kind_of_change() {
    let app = TestApp::seeded().await;
    let db = &app.db;
    assert_rollups_match(db).await;
    assert_readers_match(db).await;

    let cookie = app.sign_in_as(Role::Supervisor).await;
    let team = id(db, "select min(id) from teams").await;
    let plaza = id(db, "select id from hotspots where name like 'City Hall%'").await;
    let park = id(
        db,
        "select id from hotspots where name = 'Central Memorial Park'",
    )
    .await;
    let (from, to) = ("2023-04-30T20:00", "2023-04-30T23:00");
    let officers = free_officers(db, from, to).await;
    // A shift directed to hotspots of two districts, at the end of a month.
    post(
        &app,
        "/pilots/calgary-2023/shifts",
        &shift_form(team, from, to, &officers, &[plaza, park]),
        &cookie,
    )
    .await;
    let shift = id(db, "select max(id) from shifts").await;
    let version = id(
        db,
        &format!("select version::int8 from shifts where id = {shift}"),
    )
    .await;
    let log = format!("/shifts/{shift}/visits");
    let visit = [
        ("hotspot_id".to_string(), plaza.to_string()),
        ("arrived_at".into(), "2023-04-30T20:10".into()),
        ("departed_at".into(), "2023-04-30T20:40".into()),
    ];
    post(&app, &log, &visit, &cookie).await;
    let activity = |hotspot: String, at: &str| {
        vec![
            ("kind".to_string(), "mental_health_referral".to_string()),
            ("count".into(), "2".into()),
            ("hotspot_id".into(), hotspot),
            ("occurred_at".into(), at.into()),
            ("note".into(), String::new()),
        ]
    };
    post(
        &app,
        &format!("/shifts/{shift}/activities"),
        &activity(park.to_string(), "2023-04-30T21:00"),
        &cookie,
    )
    .await;
    let logged = id(db, "select max(id) from activities").await;
    post(
        &app,
        &format!("/shifts/{shift}/activities"),
        &activity(String::new(), "2023-04-30T22:00"),
        &cookie,
    )
    .await;
    let away = id(db, "select max(id) from activities").await;
    assert_rollups_match(db).await;

    // Moved into the next month and to one district; an activity moved, another deleted.
    post(
        &app,
        &format!("/activities/{logged}"),
        &activity(plaza.to_string(), "2023-04-30T22:30"),
        &cookie,
    )
    .await;
    post(&app, &format!("/activities/{away}/delete"), &[], &cookie).await;
    let (from, to) = ("2023-05-01T19:00", "2023-05-01T22:30");
    let officers = free_officers(db, from, to).await;
    let mut moved = shift_form(team, from, to, &officers, &[plaza]);
    moved.push(("version".into(), version.to_string()));
    post(&app, &format!("/shifts/{shift}"), &moved, &cookie).await;
    // A demo shift cancelled.
    let (demo_shift, demo_version): (i64, i32) = sqlx::query_as(
        "select id, version from shifts where status <> 'cancelled' and notes <> 'roll-up test' order by starts_at limit 1",
    )
    .fetch_one(db)
    .await
    .unwrap();
    post(
        &app,
        &format!("/shifts/{demo_shift}/cancel"),
        &[("version".into(), demo_version.to_string())],
        &cookie,
    )
    .await;

    assert_rollups_match(db).await;
    assert_readers_match(db).await;
    assert_days_match_a_fresh_computation(db).await;
}

#[tokio::test]
async fn shifts_saved_at_the_same_time_for_the_same_day_all_count() {
    let app = std::sync::Arc::new(TestApp::seeded().await);
    let db = &app.db;
    let cookie = app.sign_in_as(Role::Supervisor).await;
    let plaza = id(db, "select id from hotspots where name like 'City Hall%'").await;
    let teams: Vec<i64> = sqlx::query_scalar("select id from teams order by id limit 4")
        .fetch_all(db)
        .await
        .unwrap();
    let free: Vec<i64> = sqlx::query_scalar(
        r#"select o.id from officers o
            where not exists (select 1 from shift_members m join shifts s on s.id = m.shift_id
                               where m.officer_id = o.id and s.status <> 'cancelled'
                                 and s.starts_at < '2023-04-20 12:00-06' and s.ends_at > '2023-04-19 00:00-06')
            order by o.id limit 4"#,
    )
    .fetch_all(db)
    .await
    .unwrap();
    assert_eq!(free.len(), 4, "four officers free on 19 April");
    let planned_before = id(
        db,
        &format!("select planned_blocks::int8 from hotspot_days where hotspot_id = {plaza} and day = '2023-04-19'"),
    )
    .await;

    // Four shifts of the same day, each covering different hours of the same hotspot.
    let tasks: Vec<_> = (0..4)
        .map(|i| {
            let (app, cookie) = (app.clone(), cookie.clone());
            let hour = 10 + 3 * i;
            let form = shift_form(
                teams[i],
                &format!("2023-04-19T{hour:02}:00"),
                &format!("2023-04-19T{:02}:00", hour + 3),
                &[free[i]],
                &[plaza],
            );
            tokio::spawn(async move {
                let pairs: Vec<(&str, &str)> =
                    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                app.post_form("/pilots/calgary-2023/shifts", &pairs, Some(&cookie))
                    .await
            })
        })
        .collect();
    for task in tasks {
        let response = task.await.unwrap();
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    }

    assert_days_match_a_fresh_computation(db).await;
    assert_rollups_match(db).await;
    let planned_after = id(
        db,
        &format!("select planned_blocks::int8 from hotspot_days where hotspot_id = {plaza} and day = '2023-04-19'"),
    )
    .await;
    assert!(
        planned_after > planned_before,
        "{planned_before} → {planned_after}"
    );
}

#[tokio::test]
async fn a_database_from_before_the_roll_ups_gets_them_filled_in_by_migrate() {
    let db = crate::common::seeded_db().await;
    for table in [
        "hotspot_months",
        "hotspot_weeks",
        "district_weeks",
        "district_days",
        "district_months",
        "officer_days",
        "activity_days",
    ] {
        sqlx::query(&format!("delete from {table}"))
            .execute(&db)
            .await
            .unwrap();
    }

    patrolboard::db::migrate(&db).await.unwrap();

    assert!(scalar(&db, "select count(*) from hotspot_months").await > 0);
    assert!(scalar(&db, "select count(*) from officer_days").await > 0);
    assert_rollups_match(&db).await;
    assert_readers_match(&db).await;
}
