//! The City's community crime and disorder statistics, as published, and bad counts and months.

use patrolboard::import::Kind;

use super::{CRIME_CSV, DISORDER_CSV, data, replace_line, run, snapshot};
use crate::common::app::TestApp;
use crate::common::scalar;

/// There is no pilot to take the city from: the statistics go into Calgary.
const CITY: Option<&str> = Some("Calgary");

#[tokio::test]
async fn the_crime_and_disorder_csvs_import_as_published() {
    let app = TestApp::empty().await;

    let crime = run(&app.db, Kind::CommunityStats, CITY, &data(CRIME_CSV), false).await;
    let disorder = run(
        &app.db,
        Kind::CommunityStats,
        CITY,
        &data(DISORDER_CSV),
        false,
    )
    .await;

    assert_eq!(crime.errors, []);
    assert_eq!(crime.counts.new, 6038);
    assert_eq!(disorder.counts.new, 1001);
    assert!(crime.format.contains("crime") && disorder.format.contains("disorder"));
    let (crime_total, disorder_total): (i64, i64) = sqlx::query_as(
        "select sum(count) filter (where dataset = 'crime'), sum(count) filter (where dataset = 'disorder') from community_stats",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let file_total = |name: &str| -> i64 {
        let bytes = data(name);
        let mut reader = csv::Reader::from_reader(&bytes[..]);
        reader
            .records()
            .map(|r| r.unwrap()[2].parse::<i64>().unwrap())
            .sum()
    };
    assert_eq!(crime_total, file_total(CRIME_CSV));
    assert_eq!(disorder_total, file_total(DISORDER_CSV));
    assert!(
        scalar(&app.db, "select count(*) from community_stats where category = 'Violence ''Other'' (Non-domestic)'").await
            > 0,
        "the non-breaking space is normalised"
    );
    assert_eq!(
        scalar(
            &app.db,
            "select count(*) from community_stats where category like '%' || chr(160) || '%'"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn a_month_13_in_the_middle_of_the_crime_file_writes_nothing_and_names_its_line() {
    let app = TestApp::empty().await;
    let text = String::from_utf8(data(CRIME_CSV)).unwrap();
    let broken = replace_line(&text, 3001, |line| {
        let (rest, _) = line.rsplit_once(',').unwrap();
        format!("{rest},13")
    });
    let before = snapshot(&app.db).await;

    let report = run(
        &app.db,
        Kind::CommunityStats,
        CITY,
        broken.as_bytes(),
        false,
    )
    .await;

    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    assert_eq!(report.errors[0].line, 3001);
    assert!(
        report.errors[0].reason.contains("Month 13"),
        "{}",
        report.errors[0]
    );
    assert!(!report.applied);
    assert_eq!(snapshot(&app.db).await, before);
}

#[tokio::test]
async fn every_non_number_count_is_listed_and_nothing_is_written() {
    let app = TestApp::empty().await;
    let text = String::from_utf8(data(DISORDER_CSV)).unwrap();
    let mut broken = text.clone();
    for line in [2, 500, 1002] {
        broken = replace_line(&broken, line, |l| {
            let parts: Vec<&str> = l.split(',').collect();
            format!("{},{},n/a,{},{}", parts[0], parts[1], parts[3], parts[4])
        });
    }

    let report = run(
        &app.db,
        Kind::CommunityStats,
        CITY,
        broken.as_bytes(),
        false,
    )
    .await;

    let lines: Vec<usize> = report.errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, [2, 500, 1002]);
    assert!(
        report
            .errors
            .iter()
            .all(|e| e.reason.contains("\"n/a\" is not a whole number"))
    );
    assert_eq!(
        scalar(&app.db, "select count(*) from community_stats").await,
        0
    );
}
