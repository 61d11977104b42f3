//! A city's communities: the City's boundary CSV (WKT) or GeoJSON, upserted by (city, code), all
//! or nothing, with an audit entry per changed community.

use patrolboard::import::Kind;

use super::{BOUNDARIES_CSV, COMMUNITIES_GEOJSON, data, replace_line, run, snapshot};
use crate::common::app::TestApp;
use crate::common::scalar;

#[tokio::test]
async fn the_citys_boundary_csv_becomes_the_citys_communities_and_a_second_run_changes_nothing() {
    let app = TestApp::empty().await;

    let first = run(
        &app.db,
        Kind::Communities,
        Some("Calgary"),
        &data(BOUNDARIES_CSV),
        false,
    )
    .await;
    let again = run(
        &app.db,
        Kind::Communities,
        Some("calgary"),
        &data(BOUNDARIES_CSV),
        false,
    )
    .await;

    assert_eq!(first.errors, []);
    assert_eq!(first.counts.to_string(), "13 new, 0 updated, 0 unchanged");
    assert_eq!(first.city.as_ref().map(|c| c.as_str()), Some("Calgary"));
    assert_eq!(again.counts.to_string(), "0 new, 0 updated, 13 unchanged");
    assert_eq!(
        again.city.as_ref().map(|c| c.as_str()),
        Some("Calgary"),
        "spelt as on file"
    );
    let (name, sector, kind): (String, Option<String>, String) = sqlx::query_as(
        "select name, sector, boundary ->> 'type' from communities where city = 'Calgary' and code = 'BLN'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(
        (name.as_str(), sector.as_deref(), kind.as_str()),
        ("Beltline", Some("CENTRE"), "MultiPolygon")
    );
    assert_eq!(
        scalar(&app.db, "select count(*) from communities").await,
        13
    );
    assert_eq!(
        scalar(
            &app.db,
            "select count(*) from audit_log where entity = 'community' and action = 'import'"
        )
        .await,
        13
    );
    assert_eq!(
        scalar(&app.db, "select count(*) from districts").await,
        0,
        "no pilot's districts change"
    );
}

#[tokio::test]
async fn a_community_renamed_in_the_file_is_updated_by_its_code() {
    let app = TestApp::empty().await;
    run(
        &app.db,
        Kind::Communities,
        Some("Calgary"),
        &data(BOUNDARIES_CSV),
        false,
    )
    .await;
    let text = String::from_utf8(data(BOUNDARIES_CSV)).unwrap();
    let renamed = replace_line(&text, 2, |line| {
        let name = line.split(',').nth(3).unwrap().to_string();
        line.replacen(&format!(",{name},"), ",RENAMED PLACE,", 1)
    });

    let report = run(
        &app.db,
        Kind::Communities,
        Some("Calgary"),
        renamed.as_bytes(),
        false,
    )
    .await;

    assert_eq!(report.counts.to_string(), "0 new, 1 updated, 12 unchanged");
    assert_eq!(
        scalar(
            &app.db,
            "select count(*) from communities where name = 'Renamed Place'"
        )
        .await,
        1
    );
    let before: Option<String> = sqlx::query_scalar(
        "select before ->> 'name' from audit_log where entity = 'community' and after ->> 'name' = 'Renamed Place'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert!(before.is_some_and(|name| name != "Renamed Place"));
}

#[tokio::test]
async fn geojson_communities_go_into_the_city_given_and_no_other() {
    let app = TestApp::empty().await;

    let report = run(
        &app.db,
        Kind::Communities,
        Some("Edmonton"),
        &data(COMMUNITIES_GEOJSON),
        false,
    )
    .await;

    assert_eq!(report.errors, []);
    assert!(report.format.contains("GeoJSON"), "{}", report.format);
    assert_eq!(report.counts.new, 13);
    assert_eq!(
        scalar(
            &app.db,
            "select count(*) from communities where city = 'Edmonton'"
        )
        .await,
        13
    );
    assert_eq!(
        scalar(
            &app.db,
            "select count(*) from communities where city <> 'Edmonton'"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn a_dry_run_of_communities_reports_and_writes_nothing() {
    let app = TestApp::empty().await;
    let before = snapshot(&app.db).await;

    let report = run(
        &app.db,
        Kind::Communities,
        Some("Calgary"),
        &data(BOUNDARIES_CSV),
        true,
    )
    .await;

    assert!(report.dry_run && !report.applied);
    assert_eq!(report.counts.new, 13);
    assert_eq!(snapshot(&app.db).await, before);
}

#[tokio::test]
async fn a_bad_boundary_names_its_line_and_no_community_is_written() {
    let app = TestApp::empty().await;
    let text = String::from_utf8(data(BOUNDARIES_CSV)).unwrap();
    let broken = replace_line(&text, 5, |line| {
        let (start, _) = line.split_once("\"MULTIPOLYGON").unwrap();
        format!("{start}\"POINT (-114.06 51.04)\"")
    });
    let before = snapshot(&app.db).await;

    let report = run(
        &app.db,
        Kind::Communities,
        Some("Calgary"),
        broken.as_bytes(),
        false,
    )
    .await;

    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    assert_eq!(report.errors[0].line, 5);
    assert!(
        report.errors[0].reason.contains("POINT"),
        "{}",
        report.errors[0]
    );
    assert!(!report.applied);
    assert_eq!(snapshot(&app.db).await, before);
}
