//! The schema, its constraints and the demo pilot, against a real PostgreSQL.

use crate::common;

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::America::Edmonton;
use sqlx::PgPool;

/// The tables and columns that analysts query directly (docs/interface.md).
const CONTRACT: &[(&str, &[&str])] = &[
    (
        "pilots",
        &[
            "id",
            "slug",
            "name",
            "time_zone",
            "starts_on",
            "ends_on",
            "block_minutes",
        ],
    ),
    ("districts", &["id", "pilot_id", "code", "name", "boundary"]),
    (
        "hotspots",
        &[
            "id",
            "pilot_id",
            "district_id",
            "name",
            "priority",
            "active_from",
            "active_to",
            "window_start",
            "window_end",
            "target_minutes_per_day",
            "max_gap_minutes",
        ],
    ),
    ("officers", &["id", "agency", "badge_number", "name"]),
    (
        "assignments",
        &[
            "id",
            "officer_id",
            "pilot_id",
            "starts_on",
            "ends_on",
            "role",
        ],
    ),
    ("teams", &["id", "pilot_id", "name", "mode"]),
    (
        "shifts",
        &[
            "id",
            "pilot_id",
            "team_id",
            "starts_at",
            "ends_at",
            "mode",
            "status",
            "version",
        ],
    ),
    ("shift_members", &["shift_id", "officer_id"]),
    ("shift_hotspots", &["shift_id", "hotspot_id"]),
    (
        "visits",
        &[
            "id",
            "shift_id",
            "hotspot_id",
            "arrived_at",
            "departed_at",
            "source",
        ],
    ),
    (
        "activities",
        &[
            "id",
            "shift_id",
            "hotspot_id",
            "occurred_at",
            "kind",
            "count",
        ],
    ),
    (
        "community_stats",
        &["community", "category", "year", "month", "count"],
    ),
    ("users", &["id", "username", "role", "password_hash"]),
    (
        "audit_log",
        &[
            "id",
            "at",
            "user_id",
            "action",
            "entity",
            "entity_id",
            "before",
            "after",
        ],
    ),
    ("sessions", &["token_hash", "user_id", "expires_at"]),
];

fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Edmonton
        .with_ymd_and_hms(y, m, d, h, min, 0)
        .single()
        .expect("an unambiguous local time")
        .with_timezone(&Utc)
}

#[tokio::test]
async fn migrations_create_every_table_and_column_of_the_contract() {
    let db = common::fresh_db().await;
    for (table, columns) in CONTRACT {
        let present: Vec<String> = sqlx::query_scalar(
            "select column_name::text from information_schema.columns where table_schema = 'public' and table_name = $1",
        )
        .bind(table)
        .fetch_all(&db)
        .await
        .unwrap();
        for column in *columns {
            assert!(
                present.iter().any(|c| c == column),
                "{table}.{column} is missing"
            );
        }
    }
    let instants: Vec<(String, String)> = sqlx::query_as(
        r#"select table_name::text, data_type::text from information_schema.columns
            where table_schema = 'public' and column_name in ('starts_at', 'ends_at', 'arrived_at', 'departed_at', 'occurred_at', 'at')"#,
    )
    .fetch_all(&db)
    .await
    .unwrap();
    assert!(instants.len() >= 6);
    assert!(
        instants
            .iter()
            .all(|(_, t)| t == "timestamp with time zone"),
        "{instants:?}"
    );
}

/// Rows in each table, to compare before and after.
async fn counts(db: &PgPool) -> BTreeMap<&'static str, i64> {
    let mut counts = BTreeMap::new();
    for (table, _) in CONTRACT {
        let n: i64 = sqlx::query_scalar(&format!("select count(*) from {table}"))
            .fetch_one(db)
            .await
            .unwrap();
        counts.insert(*table, n);
    }
    counts
}

/// A digest of the roster, visits and activities, ids aside.
async fn fingerprint(db: &PgPool) -> String {
    sqlx::query_scalar(
        r#"select md5(string_agg(line, ',' order by line)) from (
             select concat_ws('|', t.name, s.starts_at, s.ends_at, s.status, count(v.*)) as line
               from shifts s join teams t on t.id = s.team_id
               left join visits v on v.shift_id = s.id
              group by t.name, s.id
             union all
             select concat_ws('|', a.kind, a.count, a.occurred_at) from activities a
           ) lines"#,
    )
    .fetch_one(db)
    .await
    .unwrap()
}

#[tokio::test]
async fn the_demo_seed_is_idempotent_and_deterministic() {
    let first = common::fresh_db().await;
    let second = common::fresh_db().await;

    let loaded = patrolboard::seed::load_demo(&first).await.unwrap();
    let after_one = counts(&first).await;
    let again = patrolboard::seed::load_demo(&first).await.unwrap();
    let after_two = counts(&first).await;
    patrolboard::seed::load_demo(&second).await.unwrap();

    assert!(loaded.pilot_created);
    assert!(!again.pilot_created);
    assert_eq!(after_one, after_two, "a second run changes nothing");
    assert_eq!(counts(&second).await, after_one);
    assert_eq!(fingerprint(&first).await, fingerprint(&second).await);
    assert_eq!(loaded.shifts, after_one["shifts"]);
    assert_eq!(loaded.visits, after_one["visits"]);
}

#[tokio::test]
async fn the_demo_pilot_is_the_2023_calgary_pilot() {
    let db = common::seeded_db().await;
    let (zone, starts, ends, block): (String, NaiveDate, NaiveDate, i32) = sqlx::query_as(
        "select time_zone, starts_on, ends_on, block_minutes from pilots where slug = 'calgary-2023'",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(zone, "America/Edmonton");
    assert_eq!(starts, NaiveDate::from_ymd_opt(2023, 2, 27).unwrap());
    assert_eq!(ends, NaiveDate::from_ymd_opt(2023, 5, 31).unwrap());
    assert_eq!(block, 60);

    let mut districts: Vec<String> = sqlx::query_scalar("select name from districts")
        .fetch_all(&db)
        .await
        .unwrap();
    districts.sort();
    assert_eq!(
        districts,
        [
            "Beltline",
            "Chinatown",
            "Downtown Commercial Core",
            "Downtown East Village",
            "Downtown West End",
            "Eau Claire"
        ]
    );
}

#[tokio::test]
async fn the_demo_has_12_sheriffs_for_the_whole_pilot_and_about_30_cps_members() {
    let db = common::seeded_db().await;
    let sheriffs: i64 = sqlx::query_scalar(
        r#"select count(distinct o.id) from officers o join assignments a on a.officer_id = o.id
            where o.agency = 'alberta_sheriffs' and a.starts_on = '2023-02-27' and a.ends_on = '2023-05-31'"#,
    )
    .fetch_one(&db)
    .await
    .unwrap();
    let all_sheriffs: i64 =
        sqlx::query_scalar("select count(*) from officers where agency = 'alberta_sheriffs'")
            .fetch_one(&db)
            .await
            .unwrap();
    let cps: i64 = sqlx::query_scalar("select count(*) from officers where agency = 'cps'")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!((sheriffs, all_sheriffs), (12, 12));
    assert!((25..=35).contains(&cps), "{cps} CPS members");
    let unassigned_on_shift: i64 = sqlx::query_scalar(
        r#"select count(*) from shift_members m join shifts s on s.id = m.shift_id
            where not exists (select 1 from assignments a where a.officer_id = m.officer_id
                                and a.pilot_id = s.pilot_id
                                and (s.starts_at at time zone 'America/Edmonton')::date between a.starts_on and a.ends_on)"#,
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(
        unassigned_on_shift, 0,
        "every rostered officer is assigned to the pilot that day"
    );
}

#[tokio::test]
async fn the_demo_hotspots_are_re_identified_during_the_pilot() {
    let db = common::seeded_db().await;
    let hotspots: Vec<(
        NaiveDate,
        Option<NaiveDate>,
        chrono::NaiveTime,
        chrono::NaiveTime,
    )> = sqlx::query_as("select active_from, active_to, window_start, window_end from hotspots")
        .fetch_all(&db)
        .await
        .unwrap();
    let start = NaiveDate::from_ymd_opt(2023, 2, 27).unwrap();
    let end = NaiveDate::from_ymd_opt(2023, 5, 31).unwrap();
    assert!(
        (10..=16).contains(&hotspots.len()),
        "{} hotspots",
        hotspots.len()
    );
    assert!(
        hotspots.iter().any(|h| h.0 > start),
        "one is added mid-pilot"
    );
    assert!(
        hotspots.iter().any(|h| h.1.is_some_and(|to| to < end)),
        "one is retired early"
    );
    assert!(
        hotspots.iter().any(|h| h.3 <= h.2),
        "a watch window crosses midnight"
    );
    assert!(
        hotspots.iter().any(|h| h.3 > h.2),
        "a watch window lies within a day"
    );
}

#[tokio::test]
async fn the_demo_roster_covers_every_day_including_the_spring_forward_night() {
    let db = common::seeded_db().await;
    let days: i64 = sqlx::query_scalar(
        "select count(distinct (starts_at at time zone 'America/Edmonton')::date) from shifts",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(days, 94);
    let spring_forward: Vec<f64> = sqlx::query_scalar(
        r#"select extract(epoch from ends_at - starts_at)::float8 / 3600 from shifts
            where starts_at < $2 and ends_at > $1"#,
    )
    .bind(local(2023, 3, 12, 1, 59))
    .bind(local(2023, 3, 12, 3, 0))
    .fetch_all(&db)
    .await
    .unwrap();
    assert!(!spring_forward.is_empty(), "a shift spans 2023-03-12 02:00");
    let overnight: i64 = sqlx::query_scalar(
        r#"select count(*) from shifts where (starts_at at time zone 'America/Edmonton')::date
                                            < (ends_at at time zone 'America/Edmonton')::date"#,
    )
    .fetch_one(&db)
    .await
    .unwrap();
    let cancelled: i64 =
        sqlx::query_scalar("select count(*) from shifts where status = 'cancelled'")
            .fetch_one(&db)
            .await
            .unwrap();
    assert!(overnight > 0 && cancelled > 0);
    let seven_hours = local(2023, 3, 12, 6, 0) - local(2023, 3, 11, 22, 0);
    assert_eq!(seven_hours.num_hours(), 7);
}

#[tokio::test]
async fn the_demo_visits_and_activities_are_varied_and_inside_their_shifts() {
    let db = common::seeded_db().await;
    let (pass, koper, long, total): (i64, i64, i64, i64) = sqlx::query_as(
        r#"select count(*) filter (where departed_at - arrived_at < interval '2 minutes'),
                  count(*) filter (where departed_at - arrived_at between interval '10 minutes' and interval '16 minutes'),
                  count(*) filter (where departed_at - arrived_at > interval '30 minutes'),
                  count(*)
             from visits"#,
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert!(
        pass > 0 && koper > 0 && long > 0 && total > 1000,
        "{pass} {koper} {long} {total}"
    );
    let outside: i64 = sqlx::query_scalar(
        r#"select count(*) from visits v join shifts s on s.id = v.shift_id
            where v.arrived_at < s.starts_at or v.departed_at > s.ends_at or s.status = 'cancelled'"#,
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(outside, 0);
    let kinds: i64 = sqlx::query_scalar("select count(distinct kind) from activities")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(kinds, 10, "every kind of activity appears");
    let communities: i64 =
        sqlx::query_scalar("select count(distinct community) from community_stats")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(communities, 13);
    let nbsp: i64 = sqlx::query_scalar(
        "select count(*) from community_stats where category like '%' || chr(160) || '%'",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(nbsp, 0, "category names are normalised");
}

/// A team, officer and two shifts of an empty pilot, for constraint tests.
struct Fixture {
    pilot: i64,
    team: i64,
    officer: i64,
}

async fn fixture(db: &PgPool) -> Fixture {
    let pilot: i64 = sqlx::query_scalar(
        r#"insert into pilots (slug, name, city, time_zone, starts_on, ends_on)
           values ('test', 'Test pilot', 'Calgary', 'America/Edmonton', '2023-03-01', '2023-03-31') returning id"#,
    )
    .fetch_one(db)
    .await
    .unwrap();
    let team: i64 = sqlx::query_scalar(
        "insert into teams (pilot_id, name, agency, mode) values ($1, 'Pair 1', 'joint', 'foot') returning id",
    )
    .bind(pilot)
    .fetch_one(db)
    .await
    .unwrap();
    let officer: i64 = sqlx::query_scalar(
        "insert into officers (agency, badge_number, name) values ('alberta_sheriffs', 'S-1', 'Test Sheriff') returning id",
    )
    .fetch_one(db)
    .await
    .unwrap();
    Fixture {
        pilot,
        team,
        officer,
    }
}

async fn shift(
    db: &PgPool,
    f: &Fixture,
    starts: DateTime<Utc>,
    ends: DateTime<Utc>,
    status: &str,
) -> i64 {
    sqlx::query_scalar(
        "insert into shifts (pilot_id, team_id, starts_at, ends_at, mode, status) values ($1, $2, $3, $4, 'foot', $5) returning id",
    )
    .bind(f.pilot)
    .bind(f.team)
    .bind(starts)
    .bind(ends)
    .bind(status)
    .fetch_one(db)
    .await
    .unwrap()
}

fn constraint_of(result: Result<sqlx::postgres::PgQueryResult, sqlx::Error>) -> Option<String> {
    match result {
        Err(sqlx::Error::Database(e)) => e.constraint().map(str::to_string),
        _ => None,
    }
}

async fn add_member(
    db: impl sqlx::PgExecutor<'_>,
    shift: i64,
    officer: i64,
) -> Result<sqlx::postgres::PgQueryResult, sqlx::Error> {
    sqlx::query("insert into shift_members (shift_id, officer_id) values ($1, $2)")
        .bind(shift)
        .bind(officer)
        .execute(db)
        .await
}

#[tokio::test]
async fn an_officer_cannot_be_on_two_overlapping_shifts_unless_one_is_cancelled() {
    let db = common::fresh_db().await;
    let f = fixture(&db).await;
    let day = shift(
        &db,
        &f,
        local(2023, 3, 14, 7, 0),
        local(2023, 3, 14, 17, 0),
        "planned",
    )
    .await;
    let overlapping = shift(
        &db,
        &f,
        local(2023, 3, 14, 16, 0),
        local(2023, 3, 15, 2, 0),
        "planned",
    )
    .await;
    let back_to_back = shift(
        &db,
        &f,
        local(2023, 3, 14, 17, 0),
        local(2023, 3, 14, 21, 0),
        "planned",
    )
    .await;
    let cancelled = shift(
        &db,
        &f,
        local(2023, 3, 14, 8, 0),
        local(2023, 3, 14, 12, 0),
        "cancelled",
    )
    .await;

    add_member(&db, day, f.officer).await.unwrap();
    let clash = add_member(&db, overlapping, f.officer).await;
    add_member(&db, back_to_back, f.officer).await.unwrap();
    add_member(&db, cancelled, f.officer).await.unwrap();
    let reinstated = sqlx::query("update shifts set status = 'planned' where id = $1")
        .bind(cancelled)
        .execute(&db)
        .await;
    let moved = sqlx::query("update shifts set ends_at = $2 where id = $1")
        .bind(day)
        .bind(local(2023, 3, 14, 18, 0))
        .execute(&db)
        .await;

    assert_eq!(
        constraint_of(clash).as_deref(),
        Some("shift_members_no_overlap")
    );
    assert_eq!(
        constraint_of(reinstated).as_deref(),
        Some("shift_members_no_overlap")
    );
    assert_eq!(
        constraint_of(moved).as_deref(),
        Some("shift_members_no_overlap")
    );
}

#[tokio::test]
async fn racing_transactions_cannot_both_put_an_officer_on_overlapping_shifts() {
    let db = common::fresh_db().await;
    let f = fixture(&db).await;
    let mut shifts = Vec::new();
    for hour in 0..8 {
        let starts = local(2023, 3, 14, 8 + hour, 0);
        shifts.push(
            shift(
                &db,
                &f,
                starts,
                starts + chrono::Duration::hours(10),
                "planned",
            )
            .await,
        );
    }
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(shifts.len()));

    let tasks: Vec<_> = shifts
        .iter()
        .map(|&shift| {
            let (db, barrier, officer) = (db.clone(), barrier.clone(), f.officer);
            tokio::spawn(async move {
                let mut tx = db.begin().await.unwrap();
                sqlx::query("select 1").execute(&mut *tx).await.unwrap();
                barrier.wait().await;
                add_member(&mut *tx, shift, officer).await?;
                tx.commit().await
            })
        })
        .collect();
    let mut stored = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(()) => stored += 1,
            Err(sqlx::Error::Database(e)) => {
                assert_eq!(e.constraint(), Some("shift_members_no_overlap"))
            }
            Err(e) => panic!("unexpected error {e}"),
        }
    }

    assert_eq!(
        stored, 1,
        "exactly one of the overlapping memberships is stored"
    );
    let rows: i64 = sqlx::query_scalar("select count(*) from shift_members")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(rows, 1);
}

#[tokio::test]
async fn nonsense_is_refused_by_named_constraints() {
    let db = common::fresh_db().await;
    let f = fixture(&db).await;
    let backwards = sqlx::query("insert into shifts (pilot_id, team_id, starts_at, ends_at, mode) values ($1, $2, $3, $4, 'foot')")
        .bind(f.pilot)
        .bind(f.team)
        .bind(local(2023, 3, 2, 17, 0))
        .bind(local(2023, 3, 2, 7, 0))
        .execute(&db)
        .await;
    let duplicate_badge = sqlx::query("insert into officers (agency, badge_number, name) values ('alberta_sheriffs', 'S-1', 'Someone Else')")
        .execute(&db)
        .await;
    let same_badge_other_agency = sqlx::query(
        "insert into officers (agency, badge_number, name) values ('cps', 'S-1', 'Someone Else')",
    )
    .execute(&db)
    .await;
    let district: i64 = sqlx::query_scalar(
        r#"insert into districts (pilot_id, code, name, boundary)
           values ($1, 'BLN', 'Beltline', '{"type":"MultiPolygon","coordinates":[]}') returning id"#,
    )
    .bind(f.pilot)
    .fetch_one(&db)
    .await
    .unwrap();
    let priority_four = sqlx::query(
        r#"insert into hotspots (pilot_id, district_id, name, priority, active_from, window_start, window_end, target_minutes_per_day, boundary)
           values ($1, $2, 'Plaza', 4, '2023-03-01', '10:00', '02:00', 60, '{"type":"Polygon","coordinates":[]}')"#,
    )
    .bind(f.pilot)
    .bind(district)
    .execute(&db)
    .await;
    let shift_id = shift(
        &db,
        &f,
        local(2023, 3, 2, 7, 0),
        local(2023, 3, 2, 17, 0),
        "planned",
    )
    .await;
    let hotspot: i64 = sqlx::query_scalar(
        r#"insert into hotspots (pilot_id, district_id, name, priority, active_from, window_start, window_end, target_minutes_per_day, boundary)
           values ($1, $2, 'Plaza', 1, '2023-03-01', '10:00', '02:00', 60, '{"type":"Polygon","coordinates":[]}') returning id"#,
    )
    .bind(f.pilot)
    .bind(district)
    .fetch_one(&db)
    .await
    .unwrap();
    let visit_backwards = sqlx::query("insert into visits (shift_id, hotspot_id, arrived_at, departed_at) values ($1, $2, $3, $3)")
        .bind(shift_id)
        .bind(hotspot)
        .bind(local(2023, 3, 2, 9, 0))
        .execute(&db)
        .await;

    assert_eq!(
        constraint_of(backwards).as_deref(),
        Some("shifts_ends_after_start")
    );
    assert_eq!(
        constraint_of(duplicate_badge).as_deref(),
        Some("officers_agency_badge_key")
    );
    assert!(same_badge_other_agency.is_ok());
    assert_eq!(
        constraint_of(priority_four).as_deref(),
        Some("hotspots_priority_range")
    );
    assert_eq!(
        constraint_of(visit_backwards).as_deref(),
        Some("visits_departed_after_arrival")
    );
}
