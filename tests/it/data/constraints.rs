//! The schema's named constraints, written to directly: overlapping shifts of an officer, even
//! from racing transactions, and rows that make no sense.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use patrolboard::domain::ids::{OfficerId, ShiftId};
use serde_json::json;
use sqlx::PgPool;

use super::local;
use crate::common;
use crate::common::fixture::{Fixture, PilotBuilder, write};

/// An empty pilot with a team and an officer, and a second agency, for constraint tests.
fn pilot() -> PilotBuilder {
    Fixture::pilot("test")
        .agency("cps", "Calgary Police Service", "CPS")
        .team("Pair 1", "foot", &[])
        .officer("Test Sheriff", "alberta_sheriffs", "S-1")
}

/// A shift of the fixture's team, with no members yet, written as given: the constraints are
/// tested on rows the roster would refuse.
async fn shift(
    db: &PgPool,
    f: &Fixture,
    starts: DateTime<Utc>,
    ends: DateTime<Utc>,
    status: &str,
) -> ShiftId {
    let shift = write::Shift {
        team_id: f.team("Pair 1"),
        starts_at: starts,
        ends_at: ends,
        mode: "foot".to_string(),
        status: status.to_string(),
        notes: String::new(),
        version: 1,
        officer_ids: Vec::new(),
        hotspot_ids: Vec::new(),
    };
    write::shift_as_is(db, f.pilot_id, &shift).await
}

fn constraint_of(result: Result<sqlx::postgres::PgQueryResult, sqlx::Error>) -> Option<String> {
    match result {
        Err(sqlx::Error::Database(e)) => e.constraint().map(str::to_string),
        _ => None,
    }
}

async fn add_member(
    db: impl sqlx::PgExecutor<'_>,
    shift: ShiftId,
    officer: OfficerId,
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
    let f = pilot().build(&db).await;
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

    add_member(&db, day, f.officer("Test Sheriff"))
        .await
        .unwrap();
    let clash = add_member(&db, overlapping, f.officer("Test Sheriff")).await;
    add_member(&db, back_to_back, f.officer("Test Sheriff"))
        .await
        .unwrap();
    add_member(&db, cancelled, f.officer("Test Sheriff"))
        .await
        .unwrap();
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
    let f = pilot().build(&db).await;
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
            let (db, barrier, officer) = (db.clone(), barrier.clone(), f.officer("Test Sheriff"));
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
            // Refused by the constraint, or chosen as a deadlock's victim while checking it
            // (two inserts can wait on each other's rows; the server orders its locks to avoid
            // that, this raw SQL does not): either way not stored.
            Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("40P01") => {}
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
    let f = pilot()
        // Only a district for the hotspots below to be in: no shape, which no import takes.
        .places_stored_as_is()
        .district("BLN", |d| d.name("Beltline"))
        .build(&db)
        .await;
    let backwards = sqlx::query("insert into shifts (pilot_id, team_id, starts_at, ends_at, mode) values ($1, $2, $3, $4, 'foot')")
        .bind(f.pilot_id)
        .bind(f.team("Pair 1"))
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
    let district = f.district("BLN");
    let priority_four = sqlx::query(
        r#"insert into hotspots (pilot_id, district_id, name, priority, active_from, window_start, window_end, target_minutes_per_day, boundary)
           values ($1, $2, 'Plaza', 4, '2023-03-01', '10:00', '02:00', 60, '{"type":"Polygon","coordinates":[]}')"#,
    )
    .bind(f.pilot_id)
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
    let plaza = write::Hotspot {
        district_id: district,
        name: "Plaza".to_string(),
        priority: 1,
        active_from: NaiveDate::from_ymd_opt(2023, 3, 1).unwrap(),
        active_to: None,
        window_start: NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
        window_end: NaiveTime::from_hms_opt(2, 0, 0).unwrap(),
        target_minutes_per_day: 60,
        boundary: json!({"type": "Polygon", "coordinates": []}),
    };
    // Written as given: neither it nor its district has a shape, which no import takes.
    let hotspot = write::hotspot_as_is(&db, f.pilot_id, &plaza).await;
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

#[tokio::test]
async fn agencies_and_the_codes_officers_and_teams_hold_are_refused_by_named_constraints() {
    let db = common::fresh_db().await;
    let f = pilot().build(&db).await;
    let insert = |sql: &'static str| sqlx::query(sql).execute(&db);
    let unknown_officer_agency = insert(
        "insert into officers (agency, badge_number, name) values ('eps', 'E-1', 'Someone')",
    )
    .await;
    let unknown_team_agency = sqlx::query(
        "insert into teams (pilot_id, name, agency, mode) values ($1, 'EPS team', 'eps', 'foot')",
    )
    .bind(f.pilot_id)
    .execute(&db)
    .await;
    let one_agency_team = sqlx::query(
        "insert into teams (pilot_id, name, agency, mode) values ($1, 'CPS team', 'cps', 'foot')",
    )
    .bind(f.pilot_id)
    .execute(&db)
    .await;
    let joint = insert("insert into agencies (code, name, label) values ('joint', 'J', 'J')").await;
    let bad_code =
        insert("insert into agencies (code, name, label) values ('E PS', 'E', 'E')").await;
    let blank_name =
        insert("insert into agencies (code, name, label) values ('eps', ' ', 'E')").await;
    let blank_label =
        insert("insert into agencies (code, name, label) values ('eps', 'E', '')").await;

    assert_eq!(
        constraint_of(unknown_officer_agency).as_deref(),
        Some("officers_agency_fkey")
    );
    assert_eq!(
        constraint_of(unknown_team_agency).as_deref(),
        Some("teams_agency_fkey")
    );
    assert!(one_agency_team.is_ok(), "a team of one agency on file");
    assert_eq!(
        constraint_of(joint).as_deref(),
        Some("agencies_code_not_joint")
    );
    assert_eq!(
        constraint_of(bad_code).as_deref(),
        Some("agencies_code_format")
    );
    assert_eq!(
        constraint_of(blank_name).as_deref(),
        Some("agencies_name_not_blank")
    );
    assert_eq!(
        constraint_of(blank_label).as_deref(),
        Some("agencies_label_not_blank")
    );
}
