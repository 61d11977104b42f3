//! The demo pilot: loaded the same way twice, and holding what the pages and figures need.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use sqlx::PgPool;

use super::{CONTRACT, local};
use crate::common;

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
    let nbsp: i64 = sqlx::query_scalar(
        "select count(*) from community_stats where category like '%' || chr(160) || '%'",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(nbsp, 0, "category names are normalised");
}

/// `seed scale` has no test of its own (it loads for minutes): its count, run on the demo.
#[tokio::test]
async fn the_city_scale_count_reads_any_pilot_and_agrees_with_the_tables() {
    let db = common::seeded_db().await;
    let mut conn = db.acquire().await.unwrap();
    let id: i64 = sqlx::query_scalar("select id from pilots where slug = 'calgary-2023'")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    let scale = patrolboard::db::seed_counts::scale(&mut conn, id)
        .await
        .unwrap();
    let demo = patrolboard::db::seed_counts::demo(&mut conn, id)
        .await
        .unwrap();
    let of = |s: &patrolboard::db::seed_counts::ScaleCounts| {
        (
            s.districts,
            s.hotspots,
            s.officers,
            s.shifts,
            s.visits,
            s.activities,
        )
    };
    assert_eq!(
        of(&scale),
        (
            demo.districts,
            demo.hotspots,
            demo.officers,
            demo.shifts,
            demo.visits,
            demo.activities
        )
    );
    let mut count = async |sql: &str| -> i64 {
        sqlx::query_scalar(sql)
            .bind(id)
            .fetch_one(&mut *conn)
            .await
            .unwrap()
    };
    let shifts = "select id from shifts where pilot_id = $1";
    let tables = (
        count("select count(*) from teams where pilot_id = $1").await,
        count(&format!("select count(*) from shift_members where shift_id in ({shifts})")).await,
        count(&format!("select count(*) from shift_hotspots where shift_id in ({shifts})")).await,
        count("select count(*) from hotspot_days where hotspot_id in (select id from hotspots where pilot_id = $1)").await,
    );
    assert_eq!(
        (
            scale.teams,
            scale.shift_members,
            scale.shift_hotspots,
            scale.hotspot_days
        ),
        tables
    );
    assert!(
        tables.0 > 0 && tables.1 > 0 && tables.2 > 0 && tables.3 > 0,
        "{tables:?}"
    );
}
