//! A new outline from a GeoJSON file: stored when it is one valid polygon in the hotspot's
//! district, refused beside the file otherwise.

use axum::http::StatusCode;
use serde_json::{Value, json};
use sqlx::PgPool;

use super::{audit_of, setup, snapshot, stored, upload_outline};
use crate::common::scalar;

/// The mean of the corners of hotspot `id`'s outline: its centre, for the demo's octagons.
async fn centre(db: &PgPool, id: i64) -> (f64, f64) {
    let (_, boundary, _) = stored(db, id).await;
    let ring = boundary["coordinates"][0].as_array().unwrap();
    let corners = &ring[..ring.len() - 1];
    let mean = |i: usize| {
        corners.iter().map(|c| c[i].as_f64().unwrap()).sum::<f64>() / corners.len() as f64
    };
    (mean(0), mean(1))
}

/// A square about 70 m wide around `(lon, lat)`, as a GeoJSON Polygon with its corners written
/// to seven decimals, as the City writes them.
fn square((lon, lat): (f64, f64)) -> Value {
    let at = |x: f64, dx: f64| ((x + dx) * 1e7).round() / 1e7;
    let d = 0.0003;
    json!({"type": "Polygon", "coordinates": [[
        [at(lon, -d), at(lat, -d)], [at(lon, d), at(lat, -d)], [at(lon, d), at(lat, d)],
        [at(lon, -d), at(lat, d)], [at(lon, -d), at(lat, -d)]
    ]]})
}

#[tokio::test]
async fn an_analyst_replaces_the_outline_and_the_old_and_new_outlines_are_audited() {
    let (app, cookie, id) = setup().await;
    let (attributes, old, _) = stored(&app.db, id).await;
    let new = square(centre(&app.db, id).await);
    let file = json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "ignored"}, "geometry": new}
    ]});

    let response = upload_outline(&app, &cookie, id, file.to_string().as_bytes()).await;

    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    let (attributes_after, boundary, version) = stored(&app.db, id).await;
    assert_eq!(boundary, new);
    assert_eq!(attributes_after, attributes, "only the outline changed");
    assert_eq!(version, 2);
    let audit = audit_of(&app.db, id).await;
    assert_eq!(audit.len(), 1);
    let (action, before, after) = &audit[0];
    assert_eq!(action, "update");
    assert_eq!(before.as_ref().unwrap()["boundary"], old);
    assert_eq!(after.as_ref().unwrap()["boundary"], new);
    assert!(after.as_ref().unwrap().get("window_start").is_none());

    let same = upload_outline(&app, &cookie, id, new.to_string().as_bytes()).await;
    assert_eq!(same.status, StatusCode::SEE_OTHER, "a bare geometry");
    assert_eq!(
        audit_of(&app.db, id).await.len(),
        1,
        "the same outline changes nothing"
    );
}

#[tokio::test]
async fn a_file_that_is_not_one_valid_polygon_in_the_district_is_refused_with_422() {
    let (app, cookie, id) = setup().await;
    let (lon, lat) = centre(&app.db, id).await;
    // About 2 km east, in East Village.
    let elsewhere = scalar(
        &app.db,
        "select id from hotspots where name = 'East Village Riverwalk'",
    )
    .await;
    let other_district = square(centre(&app.db, elsewhere).await);
    let d = 0.0003;
    let bow_tie = json!({"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [[
        [lon - d, lat - d], [lon + d, lat + d], [lon + d, lat - d], [lon - d, lat + d], [lon - d, lat - d]
    ]]}});
    let point = json!({"type": "Point", "coordinates": [lon, lat]});
    let before = snapshot(&app.db).await;
    let cases: [(&str, Vec<u8>, &str); 6] = [
        (
            "self-crossing",
            bow_tie.to_string().into_bytes(),
            "crosses itself near",
        ),
        (
            "not JSON",
            b"POLYGON ((1 2, 3 4, 5 6, 1 2))".to_vec(),
            "is not valid JSON",
        ),
        (
            "a point",
            point.to_string().into_bytes(),
            "The geometry is a Point; it must be a Polygon.",
        ),
        (
            "in another district",
            other_district.to_string().into_bytes(),
            "The hotspot lies in district",
        ),
        (
            "empty",
            Vec::new(),
            "Choose a GeoJSON file with the new outline.",
        ),
        (
            "too large",
            vec![b' '; 3 * 1024 * 1024],
            "The file is larger than 2048 KB",
        ),
    ];

    for (case, file, expected) in cases {
        let response = upload_outline(&app, &cookie, id, &file).await;

        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{case}");
        let error = response.texts("#file-error").join(" ");
        assert!(error.contains(expected), "{case}: {error}");
        assert_eq!(response.texts("#problem").len(), 1, "{case}");
        assert_eq!(snapshot(&app.db).await, before, "{case}: nothing stored");
    }
}
