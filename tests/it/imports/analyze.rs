//! A large import leaves fresh planner statistics for the table it filled; a small one, or a dry
//! run, leaves them to autovacuum. `seed scale` analyses the coverage tables the same way.

use patrolboard::db::analyze::{self, COVERAGE_TABLES};
use patrolboard::import::Kind;
use patrolboard::service::imports::ANALYZE_FROM_ROWS;
use sqlx::PgPool;

use super::{CRIME_CSV, data, run};
use crate::common::app::TestApp;

const CITY: Option<&str> = Some("Calgary");

/// Categories of the made-up statistics: each gives a count for every month of 1900 to 2100.
const CATEGORIES: [&str; 5] = ["Assault", "Break & Enter", "Robbery", "Theft", "Vandalism"];

/// Community crime statistics of one community, more rows than [`ANALYZE_FROM_ROWS`].
fn many_stats() -> Vec<u8> {
    let mut csv = String::from("Community,Category,Crime Count,Year,Month\n");
    for category in CATEGORIES {
        for year in 1900..=2100 {
            for month in 1..=12 {
                csv.push_str(&format!(
                    "BELTLINE,{category},{},{year},{month}\n",
                    month % 7 + 1
                ));
            }
        }
    }
    csv.into_bytes()
}

/// Whether `table` was analysed by a manual (not autovacuum's) ANALYZE.
async fn analysed(db: &PgPool, table: &str) -> bool {
    sqlx::query_scalar(
        "select last_analyze is not null from pg_stat_user_tables
          where schemaname = 'public' and relname = $1",
    )
    .bind(table)
    .fetch_one(db)
    .await
    .unwrap()
}

#[tokio::test]
async fn an_import_of_ten_thousand_rows_or_more_leaves_its_table_analysed() {
    let app = TestApp::empty().await;
    let file = many_stats();

    let dry_run = run(&app.db, Kind::CommunityStats, CITY, &file, true).await;
    assert!(
        dry_run.counts.written() >= ANALYZE_FROM_ROWS,
        "{}",
        dry_run.counts
    );
    assert!(
        !analysed(&app.db, "community_stats").await,
        "after a dry run"
    );

    let report = run(&app.db, Kind::CommunityStats, CITY, &file, false).await;
    assert_eq!(report.errors, []);
    assert_eq!(report.counts.new, CATEGORIES.len() * 201 * 12);
    assert!(analysed(&app.db, "community_stats").await);
}

#[tokio::test]
async fn a_smaller_import_leaves_its_table_to_autovacuum() {
    let app = TestApp::empty().await;
    let report = run(&app.db, Kind::CommunityStats, CITY, &data(CRIME_CSV), false).await;
    assert!(report.applied && report.counts.written() < ANALYZE_FROM_ROWS);
    assert!(!analysed(&app.db, "community_stats").await);
}

#[tokio::test]
async fn the_coverage_tables_seed_scale_analyses_are_all_analysed() {
    let app = TestApp::empty().await;
    analyze::tables(&app.db, COVERAGE_TABLES).await.unwrap();
    for table in COVERAGE_TABLES {
        assert!(analysed(&app.db, table).await, "{table}");
    }
}
