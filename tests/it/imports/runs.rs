//! Importing again, as a dry run, and the audit entries an import writes.

use patrolboard::import::Kind;
use serde_json::Value;

use super::{
    BOUNDARIES_CSV, CALGARY_TOWER, CRIME_CSV, DISORDER_CSV, PILOT, VICTORIA_PARK, collection, data,
    fresh_pilot, hotspot, run, snapshot,
};
use crate::common::app::TestApp;
use crate::common::scalar;

#[tokio::test]
async fn importing_the_same_files_twice_changes_nothing() {
    let app = TestApp::empty().await;
    fresh_pilot(&app.db).await;
    let hotspots = collection(vec![
        hotspot("Calgary Tower", "DNC", CALGARY_TOWER, 1),
        hotspot("Victoria Park", "Beltline", VICTORIA_PARK, 2),
    ]);
    let files = [
        (Kind::Districts, Some(PILOT), data(BOUNDARIES_CSV), 13),
        (Kind::Hotspots, Some(PILOT), hotspots, 2),
        (Kind::CommunityStats, None, data(CRIME_CSV), 6038),
        (Kind::CommunityStats, None, data(DISORDER_CSV), 1001),
    ];
    for (kind, pilot, bytes, _) in &files {
        let first = run(&app.db, *kind, *pilot, bytes, false).await;
        assert_eq!(first.errors, [], "{kind}");
    }
    let after_first = snapshot(&app.db).await;
    let days: Vec<(i64, chrono::NaiveDate, i32)> =
        sqlx::query_as("select hotspot_id, day, blocks from hotspot_days order by 1, 2")
            .fetch_all(&app.db)
            .await
            .unwrap();

    for (kind, pilot, bytes, rows) in &files {
        let second = run(&app.db, *kind, *pilot, bytes, false).await;
        assert_eq!(
            second.counts.to_string(),
            format!("0 new, 0 updated, {rows} unchanged"),
            "{kind}"
        );
    }

    assert_eq!(snapshot(&app.db).await, after_first);
    let days_again: Vec<(i64, chrono::NaiveDate, i32)> =
        sqlx::query_as("select hotspot_id, day, blocks from hotspot_days order by 1, 2")
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(days, days_again);
}

#[tokio::test]
async fn a_dry_run_reports_the_changes_and_writes_nothing() {
    let app = TestApp::empty().await;
    fresh_pilot(&app.db).await;
    let before = snapshot(&app.db).await;

    let districts = run(
        &app.db,
        Kind::Districts,
        Some(PILOT),
        &data(BOUNDARIES_CSV),
        true,
    )
    .await;
    let stats = run(&app.db, Kind::CommunityStats, None, &data(CRIME_CSV), true).await;

    assert_eq!(districts.counts.new, 13);
    assert_eq!(stats.counts.new, 6038);
    assert!(districts.dry_run && !districts.applied);
    assert_eq!(snapshot(&app.db).await, before);
}

#[tokio::test]
async fn audit_entries_are_written_once_per_changed_row() {
    let app = TestApp::empty().await;
    fresh_pilot(&app.db).await;
    let text = String::from_utf8(data(BOUNDARIES_CSV)).unwrap();
    run(
        &app.db,
        Kind::Districts,
        Some(PILOT),
        text.as_bytes(),
        false,
    )
    .await;
    let renamed = text.replace(",CHINATOWN,", ",CHINATOWN EAST,");

    let report = run(
        &app.db,
        Kind::Districts,
        Some(PILOT),
        renamed.as_bytes(),
        false,
    )
    .await;

    assert_eq!(
        (
            report.counts.new,
            report.counts.updated,
            report.counts.unchanged
        ),
        (0, 1, 12)
    );
    let entries: Vec<(String, Option<Value>, Option<Value>)> = sqlx::query_as(
        "select action, before, after from audit_log where entity = 'district' order by id",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(entries.len(), 14, "13 inserts, then 1 update");
    assert!(entries.iter().all(|(action, _, _)| action == "import"));
    let (_, before, after) = &entries[13];
    assert_eq!(before.as_ref().unwrap()["name"], "Chinatown");
    assert_eq!(after.as_ref().unwrap()["name"], "Chinatown East");

    run(
        &app.db,
        Kind::CommunityStats,
        None,
        &data(DISORDER_CSV),
        false,
    )
    .await;
    assert_eq!(
        scalar(
            &app.db,
            "select count(*) from audit_log where entity = 'community_stats' and action = 'import'"
        )
        .await,
        1001
    );
}
