//! Every dataset downloads with its documented header and the rows the database has, whole or
//! for a district, with instants and lengths as stored.

use axum::http::header;
use chrono::DateTime;
use patrolboard::domain::Role;
use patrolboard::export::DATASETS;

use super::{StoredVisit, download, expected_rows, url};
use crate::common::app::TestApp;

#[tokio::test]
async fn every_dataset_downloads_with_its_documented_header_and_the_rows_the_database_has() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Analyst).await;

    for (from, to) in [("2023-02-27", "2023-05-31"), ("2023-03-06", "2023-03-12")] {
        for dataset in DATASETS {
            let path = url(dataset.name, &format!("&from={from}&to={to}"));
            let (response, csv) = download(&app, &cookie, &path).await;

            assert_eq!(
                response.headers[header::CONTENT_TYPE],
                "text/csv; charset=utf-8"
            );
            let documented: Vec<&str> = dataset.header().collect();
            assert_eq!(csv.header, documented, "{path}");
            assert_eq!(
                csv.rows.len() as i64,
                expected_rows(&app.db, dataset.name, from, to, None).await,
                "{path}"
            );
            assert!(
                csv.rows.iter().all(|r| r.len() == documented.len()),
                "{path}: every record has every column"
            );
        }
    }
}

#[tokio::test]
async fn the_demo_datasets_are_not_empty_for_the_whole_pilot() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Supervisor).await;
    for dataset in DATASETS.iter().filter(|d| d.name != "audit") {
        let (_, csv) = download(&app, &cookie, &url(dataset.name, "")).await;
        assert!(!csv.rows.is_empty(), "{} has rows", dataset.name);
    }
}

#[tokio::test]
async fn a_district_limits_the_datasets_it_makes_sense_for() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Analyst).await;
    let (from, to) = ("2023-03-01", "2023-03-31");

    for dataset in DATASETS {
        let path = url(dataset.name, &format!("&from={from}&to={to}&district=BLN"));
        let (_, csv) = download(&app, &cookie, &path).await;
        let expected = if dataset.by_district.is_some() {
            expected_rows(&app.db, dataset.name, from, to, Some("BLN")).await
        } else {
            expected_rows(&app.db, dataset.name, from, to, None).await
        };
        assert_eq!(csv.rows.len() as i64, expected, "{path}");
        if csv.header.iter().any(|h| h == "district_code") {
            assert!(
                csv.values("district_code").iter().all(|c| *c == "BLN"),
                "{path}"
            );
        }
    }
}

#[tokio::test]
async fn a_visit_round_trips_and_its_local_time_carries_the_offset_in_force() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Supervisor).await;
    let (_, csv) = download(
        &app,
        &cookie,
        &url("visits", "&from=2023-03-11&to=2023-03-13"),
    )
    .await;

    // Every visit of the database is there with the same instants.
    let stored: Vec<StoredVisit> =
        sqlx::query_as(
            r#"select v.id, v.arrived_at, v.departed_at, v.hotspot_id, v.source from visits v
                where (v.arrived_at at time zone 'America/Edmonton')::date between '2023-03-11' and '2023-03-13'
                order by v.arrived_at, v.id"#,
        )
        .fetch_all(&app.db)
        .await
        .unwrap();
    let ids: Vec<String> = stored.iter().map(|v| v.0.to_string()).collect();
    assert_eq!(csv.values("id"), ids, "same visits, in arrival order");
    for (id, arrived, departed, hotspot, source) in &stored {
        let row = csv.row_where("id", &id.to_string());
        assert_eq!(
            DateTime::parse_from_rfc3339(row["arrived_at"]).unwrap(),
            *arrived
        );
        assert_eq!(
            DateTime::parse_from_rfc3339(row["arrived_local"]).unwrap(),
            *arrived
        );
        assert_eq!(
            DateTime::parse_from_rfc3339(row["departed_at"]).unwrap(),
            *departed
        );
        assert!(
            row["arrived_at"].ends_with("+00:00"),
            "{}",
            row["arrived_at"]
        );
        assert_eq!(row["hotspot_id"], hotspot.to_string());
        assert_eq!(row["source"], source);
        let dwell = (*departed - *arrived).num_seconds() as f64 / 60.0;
        let written: f64 = row["dwell_minutes"].parse().unwrap();
        assert!((written - dwell).abs() < 0.0001, "{written} vs {dwell}");
    }

    // 12 March 2023: clocks jump from 02:00 MST (-07:00) to 03:00 MDT (-06:00).
    let (mut before, mut after) = (0, 0);
    for local in csv.values("arrived_local") {
        let Some(clock) = local.strip_prefix("2023-03-12T") else {
            continue;
        };
        let hour: u32 = clock[..2].parse().unwrap();
        if hour < 2 {
            assert!(local.ends_with("-07:00"), "{local}");
            before += 1;
        } else {
            assert!(hour >= 3, "{local} does not exist in Calgary");
            assert!(local.ends_with("-06:00"), "{local}");
            after += 1;
        }
    }
    assert!(before > 0 && after > 0, "the demo has visits on both sides");
}

#[tokio::test]
async fn shifts_show_their_real_length_across_the_spring_forward_night() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Supervisor).await;
    let (_, csv) = download(
        &app,
        &cookie,
        &url("shifts", "&from=2023-03-11&to=2023-03-11"),
    )
    .await;
    let stored: Vec<(i64, f64, i64)> = sqlx::query_as(
        r#"select s.id, extract(epoch from s.ends_at - s.starts_at)::float8 / 60,
                  (select count(*) from shift_members m where m.shift_id = s.id)
             from shifts s
            where (s.starts_at at time zone 'America/Edmonton')::date = '2023-03-11'"#,
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(csv.rows.len(), stored.len());
    for (id, minutes, members) in stored {
        let row = csv.row_where("id", &id.to_string());
        let written: f64 = row["duration_minutes"].parse().unwrap();
        assert!((written - minutes).abs() < 0.0001, "{written} vs {minutes}");
        assert_eq!(row["members"], members.to_string());
        let starts = DateTime::parse_from_rfc3339(row["starts_local"]).unwrap();
        let ends = DateTime::parse_from_rfc3339(row["ends_local"]).unwrap();
        assert!(((ends - starts).num_seconds() as f64 / 60.0 - minutes).abs() < 0.0001);
    }
}
