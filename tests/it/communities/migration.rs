//! Migration 0015 on a database holding statistics from before it: the rows get the city of the
//! pilots when they all share one, else Calgary (the only city whose files the import read).

use sqlx::PgPool;

use crate::common::fixture::Fixture;
use crate::common::{self, scalar};

/// A fresh database put back to before migration 0015, with one statistics row and pilots in
/// `cities`; then migrated again.
async fn migrated_from_before_0015(cities: &[&str]) -> PgPool {
    let db = common::fresh_db().await;
    for statement in [
        "drop table communities",
        "drop index community_stats_city_community_idx",
        "alter table community_stats drop constraint community_stats_pkey",
        "alter table community_stats drop column city",
        "alter table community_stats add constraint community_stats_pkey primary key (dataset, community, category, year, month)",
        "delete from _sqlx_migrations where version = 15",
        "insert into community_stats (community, category, year, month, count, dataset) values ('DOWNTOWN', 'Assault', 2023, 3, 7, 'crime')",
    ] {
        sqlx::query(statement).execute(&db).await.unwrap();
    }
    for (i, city) in cities.iter().enumerate() {
        Fixture::pilot(&format!("pilot-{i}"))
            .city(city)
            .build(&db)
            .await;
    }
    patrolboard::db::migrate(&db).await.unwrap();
    db
}

#[tokio::test]
async fn statistics_from_before_get_the_city_the_pilots_share() {
    let db = migrated_from_before_0015(&["Edmonton", "Edmonton"]).await;

    assert_eq!(
        scalar(
            &db,
            "select count(*) from community_stats where city = 'Edmonton'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn statistics_from_before_go_to_calgary_when_the_pilots_are_in_several_cities_or_none() {
    let several = migrated_from_before_0015(&["Edmonton", "Red Deer"]).await;
    let none = migrated_from_before_0015(&[]).await;

    for db in [several, none] {
        assert_eq!(
            scalar(
                &db,
                "select count(*) from community_stats where city = 'Calgary'"
            )
            .await,
            1
        );
        assert_eq!(scalar(&db, "select count(*) from communities").await, 0);
    }
}
