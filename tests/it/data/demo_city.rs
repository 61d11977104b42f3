//! The demo's city: every community of Calgary and the City's full crime statistics, as the
//! files in data/calgary/ hold them.

use std::collections::BTreeSet;

use crate::common::{self, scalar};

/// A file of data/calgary/, as shipped.
fn shipped(name: &str) -> Vec<u8> {
    let path = format!("{}/data/calgary/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("reading {path}: {e}"))
}

#[tokio::test]
async fn the_demo_holds_every_community_of_calgary_and_its_six_districts_are_among_them() {
    let db = common::seeded_db().await;
    let boundaries = shipped("Community_District_Boundaries.csv");
    let mut reader = csv::Reader::from_reader(&boundaries[..]);
    let codes_in_file: BTreeSet<String> = reader
        .records()
        .map(|r| r.unwrap()[2].to_string())
        .collect();

    let codes: Vec<String> =
        sqlx::query_scalar("select code from communities where city = 'Calgary' order by code")
            .fetch_all(&db)
            .await
            .unwrap();

    assert_eq!(codes.len(), 308);
    assert_eq!(codes.into_iter().collect::<BTreeSet<_>>(), codes_in_file);
    assert_eq!(
        scalar(
            &db,
            r#"select count(*) from districts d join communities c
                 on c.city = 'Calgary' and c.code = d.code and c.name = d.name and c.boundary = d.boundary"#
        )
        .await,
        6,
        "the districts are copies of their communities"
    );
}

#[tokio::test]
async fn the_demo_holds_the_citys_full_crime_statistics_whose_total_is_the_files() {
    let db = common::seeded_db().await;
    let crime = shipped("Community_Crime_Statistics.csv");
    let mut reader = csv::Reader::from_reader(&crime[..]);
    let (mut rows, mut total, mut communities) = (0, 0i64, BTreeSet::new());
    for record in reader.records() {
        let record = record.unwrap();
        rows += 1;
        total += record[2].parse::<i64>().unwrap();
        communities.insert(record[0].to_string());
    }

    let stored = scalar(
        &db,
        "select sum(count)::int8 from community_stats where city = 'Calgary' and dataset = 'crime'",
    )
    .await;
    let keys = scalar(
        &db,
        "select count(*) from community_stats where city = 'Calgary' and dataset = 'crime'",
    )
    .await;
    let stored_communities = scalar(
        &db,
        "select count(distinct community) from community_stats where dataset = 'crime'",
    )
    .await;

    assert_eq!(rows, 77_135);
    assert_eq!(stored, total);
    assert!(keys < rows, "repeated keys are added up: {keys} keys");
    assert_eq!(stored_communities, communities.len() as i64);
    assert_eq!(
        scalar(
            &db,
            "select count(*) from community_stats where city <> 'Calgary'"
        )
        .await,
        0
    );
}
