//! The schema, its constraints and the demo pilot, against a real PostgreSQL.

mod constraints;
mod demo;
mod demo_city;

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::America::Edmonton;

use crate::common;

/// The tables and columns that analysts query directly (docs/interface.md).
const CONTRACT: &[(&str, &[&str])] = &[
    (
        "pilots",
        &[
            "id",
            "slug",
            "name",
            "time_zone",
            "starts_on",
            "ends_on",
            "block_minutes",
        ],
    ),
    ("districts", &["id", "pilot_id", "code", "name", "boundary"]),
    (
        "hotspots",
        &[
            "id",
            "pilot_id",
            "district_id",
            "name",
            "priority",
            "active_from",
            "active_to",
            "window_start",
            "window_end",
            "target_minutes_per_day",
            "max_gap_minutes",
        ],
    ),
    ("officers", &["id", "agency", "badge_number", "name"]),
    (
        "assignments",
        &[
            "id",
            "officer_id",
            "pilot_id",
            "starts_on",
            "ends_on",
            "role",
        ],
    ),
    ("teams", &["id", "pilot_id", "name", "mode"]),
    (
        "shifts",
        &[
            "id",
            "pilot_id",
            "team_id",
            "starts_at",
            "ends_at",
            "mode",
            "status",
            "version",
        ],
    ),
    ("shift_members", &["shift_id", "officer_id"]),
    ("shift_hotspots", &["shift_id", "hotspot_id"]),
    (
        "visits",
        &[
            "id",
            "shift_id",
            "hotspot_id",
            "arrived_at",
            "departed_at",
            "source",
        ],
    ),
    (
        "activities",
        &[
            "id",
            "shift_id",
            "hotspot_id",
            "occurred_at",
            "kind",
            "count",
        ],
    ),
    (
        "community_stats",
        &["city", "community", "category", "year", "month", "count"],
    ),
    (
        "communities",
        &["id", "city", "code", "name", "sector", "boundary"],
    ),
    ("users", &["id", "username", "role", "password_hash"]),
    (
        "audit_log",
        &[
            "id",
            "at",
            "user_id",
            "action",
            "entity",
            "entity_id",
            "before",
            "after",
        ],
    ),
    ("sessions", &["token_hash", "user_id", "expires_at"]),
];

fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Edmonton
        .with_ymd_and_hms(y, m, d, h, min, 0)
        .single()
        .expect("an unambiguous local time")
        .with_timezone(&Utc)
}

#[tokio::test]
async fn migrations_create_every_table_and_column_of_the_contract() {
    let db = common::fresh_db().await;
    for (table, columns) in CONTRACT {
        let present: Vec<String> = sqlx::query_scalar(
            "select column_name::text from information_schema.columns where table_schema = 'public' and table_name = $1",
        )
        .bind(table)
        .fetch_all(&db)
        .await
        .unwrap();
        for column in *columns {
            assert!(
                present.iter().any(|c| c == column),
                "{table}.{column} is missing"
            );
        }
    }
    let instants: Vec<(String, String)> = sqlx::query_as(
        r#"select table_name::text, data_type::text from information_schema.columns
            where table_schema = 'public' and column_name in ('starts_at', 'ends_at', 'arrived_at', 'departed_at', 'occurred_at', 'at')"#,
    )
    .fetch_all(&db)
    .await
    .unwrap();
    assert!(instants.len() >= 6);
    assert!(
        instants
            .iter()
            .all(|(_, t)| t == "timestamp with time zone"),
        "{instants:?}"
    );
}
