//! Shapes that are not shapes: a hotspot whose outline crosses itself, uploaded through the
//! real server's import page, is refused with its line and where it crosses, and nothing is
//! stored.

use patrolboard::domain::Role;
use scraper::{Html, Selector};
use serde_json::json;

use super::server::RealServer;
use crate::common::app::{multipart, multipart_type};

/// A hotspot by Calgary Tower whose outline runs from its south-west corner across to the
/// north-east one: two triangles of unequal size meeting at the tower.
fn bow_tie_hotspot() -> Vec<u8> {
    let (lon, lat, d) = (-114.0631, 51.0443, 0.0008);
    // Written with each feature's `{` on a line of its own, where the error is reported.
    let file = json!({"type": "FeatureCollection", "features": [{
        "type": "Feature",
        "properties": {
            "name": "Bow tie by the tower", "district": "DNC", "priority": 1,
            "window_start": "22:00", "window_end": "06:00", "target_minutes_per_day": 120
        },
        "geometry": {"type": "Polygon", "coordinates": [[
            [lon - d, lat - d], [lon + d, lat + d], [lon + d, lat - d],
            [lon - 3.0 * d, lat + 3.0 * d], [lon - d, lat - d]
        ]]}
    }]});
    serde_json::to_vec_pretty(&file).unwrap()
}

fn texts(html: &Html, selector: &str) -> Vec<String> {
    let selector = Selector::parse(selector).unwrap();
    html.select(&selector)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

#[tokio::test]
async fn a_bow_tie_hotspot_uploaded_to_the_real_server_is_refused_and_nothing_is_stored() {
    let server = RealServer::seeded().await;
    let analyst = server.signed_in(Role::Analyst).await;
    let count = |sql: &'static str| {
        let db = server.db.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&db)
                .await
                .unwrap()
        }
    };
    let file = bow_tie_hotspot();
    let feature_line = String::from_utf8_lossy(&file)
        .lines()
        .position(|l| l == "    {")
        .map(|i| (i + 1).to_string())
        .unwrap();
    let hotspots_before = count("select count(*) from hotspots").await;
    let audit_before = count("select count(*) from audit_log").await;

    let response = analyst
        .post(server.url("/imports"))
        .header("origin", &server.base)
        .header("content-type", multipart_type())
        .body(multipart(
            &[
                ("kind", "hotspots"),
                ("pilot", "calgary-2023"),
                ("mode", "apply"),
            ],
            "hotspots.geojson",
            &file,
        ))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 422);
    let html = Html::parse_document(&response.text().await.unwrap());
    assert_eq!(texts(&html, "#import-errors tbody th"), [feature_line]);
    let reasons = texts(&html, "#import-errors tbody td").join(" ");
    assert!(
        reasons.contains("the outline crosses itself near (-114.0631 51.0443)"),
        "{reasons}"
    );
    assert_eq!(
        count("select count(*) from hotspots").await,
        hotspots_before
    );
    assert_eq!(count("select count(*) from audit_log").await, audit_before);
}
