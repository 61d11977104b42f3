//! Files on the upload page: a GeoJSON name holding an escaped NUL and a CSV holding a raw one
//! are bad rows in the dry run and in the apply alike (never a 500), and a statistics file that
//! repeats its keys says so, key by key, with how the stored totals change.

use patrolboard::domain::Role;
use reqwest::{Client, StatusCode};
use serde_json::json;
use sqlx::PgPool;

use crate::common::app::{multipart, multipart_type};
use crate::common::scalar;
use crate::faults::server::RealServer;

/// The City's crime rows of one community, with 72 keys given twice.
const CORNERSTONE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/Community_Crime_Statistics_cornerstone.csv"
));

/// Posts the upload form as a browser does; the status and the page.
async fn upload(
    server: &RealServer,
    as_who: &Client,
    fields: &[(&str, &str)],
    file: &[u8],
) -> (StatusCode, scraper::Html) {
    let body = multipart(fields, "upload", file);
    let response = as_who
        .post(server.url("/imports"))
        .header("origin", &server.base)
        .header("content-type", multipart_type())
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (
        status,
        scraper::Html::parse_document(&response.text().await.unwrap()),
    )
}

/// Texts of the elements matching `selector`, whitespace collapsed.
fn texts(page: &scraper::Html, selector: &str) -> Vec<String> {
    let selector = scraper::Selector::parse(selector).unwrap();
    page.select(&selector)
        .map(|e| {
            e.text()
                .collect::<Vec<_>>()
                .join(" ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

async fn snapshot(db: &PgPool) -> [i64; 4] {
    [
        scalar(db, "select count(*) from hotspots").await,
        scalar(db, "select count(*) from community_stats").await,
        scalar(db, "select count(*) from shifts").await,
        scalar(db, "select count(*) from audit_log").await,
    ]
}

fn hotspot_file(name: &str) -> Vec<u8> {
    let (lon, lat, d) = (-114.0631, 51.0443, 0.0008);
    serde_json::to_vec_pretty(&json!({"type": "FeatureCollection", "features": [{
        "type": "Feature",
        "properties": {
            "name": name, "district": "DNC", "priority": 2,
            "active_from": "2023-03-01", "window_start": "22:00", "window_end": "02:00",
            "target_minutes_per_day": 60, "max_gap_minutes": 120, "reason": "test"
        },
        "geometry": {"type": "Polygon", "coordinates": [[
            [lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]
        ]]}
    }]}))
    .unwrap()
}

#[tokio::test]
async fn a_nul_in_an_imported_file_is_a_bad_row_in_the_dry_run_and_the_apply() {
    let server = RealServer::seeded().await;
    let analyst = server.signed_in(Role::Analyst).await;
    let before = snapshot(&server.db).await;
    let crime = "Community,Category,Crime Count,Year,Month\nBELTLINE,Assault,1,2023,3\nBELTLINE,Ass\0ault,2,2023,4\n";
    let files: [(&str, Vec<u8>, usize); 3] = [
        ("hotspots", hotspot_file("Tower\u{0}Plaza"), 3),
        ("community-stats", crime.as_bytes().to_vec(), 3),
        (
            "community-stats",
            b"Community,Category,Crime Count,Year,Month\nBELTLINE,\xFF\xFE bad,1,2023,3\n".to_vec(),
            2,
        ),
    ];
    for (kind, file, line) in files {
        for mode in ["dry-run", "apply"] {
            let fields = [("kind", kind), ("pilot", "calgary-2023"), ("mode", mode)];
            let (status, page) = upload(&server, &analyst, &fields, &file).await;
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{kind} {mode} line {line}"
            );
            let errors = texts(&page, "#import-errors tbody tr");
            assert_eq!(errors.len(), 1, "{kind} {mode}: {errors:?}");
            assert!(
                errors[0].starts_with(&format!("{line} ")),
                "{kind} {mode} names line {line}: {errors:?}"
            );
            assert!(
                errors[0].contains("U+0000") || errors[0].contains("not UTF-8"),
                "{kind} {mode} says why: {errors:?}"
            );
        }
    }
    assert_eq!(snapshot(&server.db).await, before, "nothing was stored");
}

#[tokio::test]
async fn a_statistics_file_that_repeats_keys_lists_them_and_says_how_totals_change() {
    let server = RealServer::seeded().await;
    let analyst = server.signed_in(Role::Analyst).await;
    let fields = [
        ("kind", "community-stats"),
        ("pilot", ""),
        ("mode", "dry-run"),
    ];

    // The City's own rows: 72 keys given twice, their counts added (586 in all over 271 keys),
    // which the demo, holding the City's whole file, already holds.
    let (status, page) = upload(&server, &analyst, &fields, CORNERSTONE.as_bytes()).await;
    assert_eq!(status, StatusCode::OK);
    let totals = texts(&page, "#import-totals").join(" ");
    assert!(
        totals.contains("sum to 586") && totals.contains("from 586 to 586"),
        "{totals}"
    );
    let repeated = texts(&page, "#import-repeated-headline").join(" ");
    assert!(repeated.contains("72 keys"), "{repeated}");
    let first = texts(&page, "#import-repeated tbody tr");
    assert!(!first.is_empty() && first.len() <= 20, "{first:?}");
    // CORNERSTONE, Assault (Non-domestic), May 2023: lines 5 and 151 of the extract, 1 + 2.
    assert!(
        first.iter().any(|r| r.contains("Assault (Non-domestic)")
            && r.contains("2023-05")
            && r.contains("5, 151")),
        "{first:?}"
    );

    // Every row of the downtown crime file (part of the demo's) given three times: counts would
    // triple, and it says so.
    let demo = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/calgary/Community_Crime_Statistics_downtown.csv"
    ));
    let mut tripled = String::from(demo);
    for _ in 0..2 {
        tripled.push_str(demo.split_once('\n').unwrap().1);
    }
    // The demo holds the City's full file, so these keys' stored counts are this file's.
    let stored: i64 = demo
        .lines()
        .skip(1)
        .filter_map(|line| line.split(',').nth(2)?.parse::<i64>().ok())
        .sum();
    let (status, page) = upload(&server, &analyst, &fields, tripled.as_bytes()).await;
    assert_eq!(status, StatusCode::OK);
    let totals = texts(&page, "#import-totals").join(" ");
    let from_to = format!("from {} to {}", group(stored), group(3 * stored));
    assert!(totals.contains(&from_to), "{from_to}: {totals}");
    let repeated = texts(&page, "#import-repeated-headline").join(" ");
    assert!(repeated.starts_with("Every key"), "{repeated}");
}

/// `12345` as `12,345`.
fn group(n: i64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
