//! A new zone, block length or dates rewrite a pilot's stored coverage in the same transaction:
//! afterwards it equals a recomputation from the raw rows.

use axum::http::StatusCode;
use patrolboard::domain::Role;
use patrolboard::domain::ids::PilotId;
use serde_json::Value;
use sqlx::PgPool;

use super::{demo_settings, settings_of_test};
use crate::common::app::TestApp;
use crate::common::fixture::Fixture;
use crate::common::recompute::recompute;
use crate::common::{date, scalar};

/// Every stored coverage row of pilot `id` (`hotspot_days` and the roll-ups of migration 0010),
/// as text, table by table.
async fn stored_coverage(db: &mut sqlx::PgConnection, id: PilotId) -> Vec<Vec<String>> {
    let mut tables = Vec::new();
    for (table, owner) in [
        ("hotspot_days", "hotspots h on h.id = t.hotspot_id"),
        ("hotspot_weeks", "hotspots h on h.id = t.hotspot_id"),
        ("hotspot_months", "hotspots h on h.id = t.hotspot_id"),
        ("district_days", "districts h on h.id = t.district_id"),
        ("district_weeks", "districts h on h.id = t.district_id"),
        ("district_months", "districts h on h.id = t.district_id"),
        ("officer_days", "pilots h on h.id = t.pilot_id"),
        ("activity_days", "pilots h on h.id = t.pilot_id"),
    ] {
        let id_column = if owner.starts_with("pilots") {
            "h.id"
        } else {
            "h.pilot_id"
        };
        let rows: Vec<String> = sqlx::query_scalar(&format!(
            "select t::text from {table} t join {owner} where {id_column} = $1 order by 1"
        ))
        .bind(id)
        .fetch_all(&mut *db)
        .await
        .unwrap();
        tables.push(rows);
    }
    tables
}

/// The stored coverage of pilot `slug` is what computing it afresh over its dates gives.
async fn assert_stored_coverage_is_fresh(db: &PgPool, slug: &str) {
    let (id, from, to): (PilotId, chrono::NaiveDate, chrono::NaiveDate) =
        sqlx::query_as("select id, starts_on, ends_on from pilots where slug = $1")
            .bind(slug)
            .fetch_one(db)
            .await
            .unwrap();
    let mut tx = db.begin().await.unwrap();
    let stored = stored_coverage(&mut tx, id).await;
    patrolboard::db::coverage::forget_outside(&mut tx, id, date(9999, 1, 1), date(1, 1, 1))
        .await
        .unwrap();
    assert!(
        stored_coverage(&mut tx, id).await.iter().all(Vec::is_empty),
        "forgetting everything outside an empty span leaves nothing"
    );
    patrolboard::db::coverage::refresh(&mut tx, id, from, to)
        .await
        .unwrap();
    let fresh = stored_coverage(&mut tx, id).await;
    tx.rollback().await.unwrap();
    assert!(!fresh[0].is_empty());
    for (table, (stored, fresh)) in stored.iter().zip(&fresh).enumerate() {
        assert_eq!(stored, fresh, "table {table} of the stored coverage");
    }
}

#[tokio::test]
async fn a_new_zone_block_length_and_dates_rewrite_the_stored_coverage_of_the_demo() {
    let app = TestApp::seeded().await;
    let admin = app.sign_in_as(Role::Admin).await;
    let blocks_before = scalar(&app.db, "select sum(blocks) from hotspot_days").await;
    // Regina keeps Central Standard Time all year: an hour ahead of Calgary until 12 March.
    let fields = demo_settings(&[
        ("time_zone", "America/Regina"),
        ("block_minutes", "30"),
        ("starts_on", "2023-02-26"),
        ("ends_on", "2023-06-02"),
    ]);

    let response = app
        .post_form("/admin/pilots/calgary-2023", &fields, Some(&admin))
        .await;

    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    let outside =
        "select count(*) from hotspot_days where day < '2023-02-26' or day > '2023-06-02'";
    assert_eq!(scalar(&app.db, outside).await, 0);
    assert!(scalar(&app.db, "select sum(blocks) from hotspot_days").await > blocks_before);
    assert_stored_coverage_is_fresh(&app.db, "calgary-2023").await;
    for (from, to) in [
        (date(2023, 2, 26), date(2023, 6, 2)),
        (date(2023, 3, 6), date(2023, 3, 12)),
        (date(2023, 5, 31), date(2023, 6, 2)),
    ] {
        let path = format!("/api/v1/pilots/calgary-2023/coverage?from={from}&to={to}");
        let json: Value = serde_json::from_str(&app.get(&path, Some(&admin)).await.body).unwrap();
        let (blocks, planned, delivered, visits, ..) = recompute(&app.db, from, to).await;
        assert_eq!(json["hotspot_blocks"], blocks, "{from}..{to}");
        assert_eq!(json["planned_blocks"], planned, "{from}..{to}");
        assert_eq!(json["delivered_blocks"], delivered, "{from}..{to}");
        assert_eq!(json["visits"], visits, "{from}..{to}");
    }
}

#[tokio::test]
async fn dates_moved_inward_or_past_the_old_ones_leave_only_fresh_coverage_inside_them() {
    let app = TestApp::empty().await;
    Fixture::pilot("test")
        .places_stored_as_is()
        .district("D1", |d| d.name("District one"))
        .hotspot("Plaza", |h| h.window("10:00", "02:00"))
        .hotspot("Library", |h| h)
        .officer("Sheriff One", "alberta_sheriffs", "S1")
        .team("Solo", "foot", &["Sheriff One"])
        .shift("Solo", "2023-03-14 22:00", "2023-03-15 04:00", |s| {
            s.hotspots(&["Plaza", "Library"]).stored_as_is()
        })
        .visit(0, "Plaza", "2023-03-14 23:00", "2023-03-14 23:30")
        .refresh_coverage()
        .build(&app.db)
        .await;
    let admin = app.sign_in_as(Role::Admin).await;
    let moves = [
        // In from both ends, mid-week and mid-month: the cut weeks and months are summed again.
        ("2023-03-08", "2023-03-22"),
        // Out again, over a month's end.
        ("2023-03-01", "2023-04-12"),
        // Only the start moves, outward.
        ("2023-02-20", "2023-04-12"),
    ];
    for (first, last) in moves {
        let response = app
            .post_form(
                "/admin/pilots/test",
                &settings_of_test(&[("starts_on", first), ("ends_on", last)]),
                Some(&admin),
            )
            .await;

        assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
        let outside = scalar(
            &app.db,
            &format!("select count(*) from hotspot_days where day < '{first}' or day > '{last}'"),
        )
        .await;
        assert_eq!(outside, 0, "{first}..{last}");
        assert_stored_coverage_is_fresh(&app.db, "test").await;
    }
}
