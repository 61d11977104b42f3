//! The community table of a district page: where the City's data has no rows for the
//! community, or none for a period's months, it says "no data" instead of a count of 0.

use patrolboard::domain::Role;

use crate::faults::server::RealServer;

/// The community table's rows: the label, then the four periods and the change.
async fn community_rows(server: &RealServer, client: &reqwest::Client) -> Vec<Vec<String>> {
    let url = server.url("/pilots/calgary-2023/districts/BLN");
    let response = client.get(url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let page = scraper::Html::parse_document(&response.text().await.unwrap());
    let rows = scraper::Selector::parse("table.community tbody tr").unwrap();
    let cells = scraper::Selector::parse("th, td").unwrap();
    page.select(&rows)
        .map(|row| {
            row.select(&cells)
                .map(|c| c.text().collect::<String>().trim().to_string())
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn a_dataset_without_rows_for_the_community_or_the_months_shows_no_data() {
    let server = RealServer::seeded().await;
    let viewer = server.signed_in(Role::Viewer).await;
    // No disorder rows for the Beltline at all; no crime rows anywhere for June to September 2023
    // (the four months after the pilot, February to May), as if they were not published yet.
    sqlx::query(
        "delete from community_stats where dataset = 'disorder' and community = 'BELTLINE'",
    )
    .execute(&server.db)
    .await
    .unwrap();
    sqlx::query("delete from community_stats where dataset = 'crime' and year = 2023 and month between 6 and 9")
        .execute(&server.db)
        .await
        .unwrap();

    let rows = community_rows(&server, &viewer).await;
    let disorder = rows
        .iter()
        .find(|r| r[0] == "Disorder")
        .expect("a disorder row");
    assert_eq!(disorder[1..5], ["no data"; 4], "{disorder:?}");
    assert_eq!(disorder[5], "n/a");
    let crime = rows
        .iter()
        .find(|r| r[0] == "All crime")
        .expect("an all-crime row");
    assert_eq!(crime[3], "no data", "after the pilot: {crime:?}");
    for period in [1, 2, 4] {
        assert!(
            crime[period].replace(',', "").parse::<i64>().unwrap() > 0,
            "{crime:?}"
        );
    }
    // A category with no row in a month the City published counts zero, as before.
    assert!(
        rows.iter()
            .skip(1)
            .all(|r| r[0] == "Disorder" || r[3] == "no data")
    );
}
