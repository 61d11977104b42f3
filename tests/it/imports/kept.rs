//! The upload page's dry run lists the rows that would change and keeps the file, so "Apply this
//! file" writes it without choosing it again; only for the user who sent it, and not for long.

use axum::http::StatusCode;
use patrolboard::domain::Role;
use patrolboard::import::Kind;

use super::{
    CALGARY_TOWER, PILOT, VICTORIA_PARK, collection, hotspot, pilot_with_districts, run, snapshot,
    upload,
};
use crate::common::app::{TestApp, TestResponse, attr};
use crate::common::scalar;

/// The rows of the report's table of changes: (where, change, row).
fn changed_rows(page: &TestResponse) -> Vec<(String, String, String)> {
    let html = page.html();
    let row = scraper::Selector::parse("#import-changed tbody tr").unwrap();
    let cell = scraper::Selector::parse("th, td").unwrap();
    html.select(&row)
        .map(|tr| {
            let cells: Vec<String> = tr
                .select(&cell)
                .map(|c| c.text().collect::<String>().trim().to_string())
                .collect();
            (cells[0].clone(), cells[1].clone(), cells[2].clone())
        })
        .collect()
}

/// A pilot with the downtown districts and two hotspots, and a file that changes the first
/// (its priority), leaves the second as it is and adds a third: the dry run as `cookie`.
async fn dry_run_of_a_change(app: &TestApp, cookie: &str) -> TestResponse {
    pilot_with_districts(&app.db).await;
    let stored = collection(vec![
        hotspot("Calgary Tower", "DNC", CALGARY_TOWER, 1),
        hotspot("Victoria Park", "BLN", VICTORIA_PARK, 2),
    ]);
    run(&app.db, Kind::Hotspots, Some(PILOT), &stored, false).await;
    let east = (CALGARY_TOWER.0 + 0.004, CALGARY_TOWER.1);
    let file = collection(vec![
        hotspot("Calgary Tower", "DNC", CALGARY_TOWER, 3),
        hotspot("Victoria Park", "BLN", VICTORIA_PARK, 2),
        hotspot("Olympic Plaza", "DNC", east, 2),
    ]);
    let fields = [("kind", "hotspots"), ("pilot", PILOT), ("mode", "dry-run")];
    upload(app, cookie, &fields, "hotspots.geojson", &file).await
}

/// Hotspot imports in the audit log, as (name, priority after).
async fn imported_hotspots(app: &TestApp) -> Vec<(String, i64)> {
    sqlx::query_as(
        "select after->>'name', (after->>'priority')::bigint from audit_log
          where action = 'import' and entity = 'hotspot' and user_id is not null order by 1",
    )
    .fetch_all(&app.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_dry_run_lists_the_rows_that_would_change_and_applying_it_writes_exactly_those() {
    let app = TestApp::empty().await;
    let cookie = app.sign_in_as(Role::Analyst).await;
    let before_dry_run = snapshot(&app.db).await;
    let dry = dry_run_of_a_change(&app, &cookie).await;
    assert_eq!(dry.status, StatusCode::OK, "{}", dry.body);
    let listed = changed_rows(&dry);
    // Feature 1 changes its priority (1 → 3), feature 2 is as stored, feature 3 is new. The
    // file is pretty-printed, so each feature has its own line; only the feature numbers are
    // asserted here.
    let shown: Vec<(bool, &str, &str)> = listed
        .iter()
        .map(|(at, change, what)| (at.contains("feature"), change.as_str(), what.as_str()))
        .collect();
    assert_eq!(
        shown,
        [
            (true, "changed", "hotspot Calgary Tower"),
            (true, "new", "hotspot Olympic Plaza"),
        ]
    );
    assert!(listed[0].0.ends_with("feature 1"), "{listed:?}");
    assert!(listed[1].0.ends_with("feature 3"), "{listed:?}");
    assert_ne!(
        snapshot(&app.db).await,
        before_dry_run,
        "the setup wrote hotspots"
    );
    let after_setup = snapshot(&app.db).await;
    assert!(
        imported_hotspots(&app).await.is_empty(),
        "the dry run wrote nothing"
    );

    let token = attr(&dry, "#import-apply input[name=token]", "value").expect("Apply this file");
    let applied = app
        .post_form("/imports/apply", &[("token", &token)], Some(&cookie))
        .await;

    assert_eq!(applied.status, StatusCode::OK, "{}", applied.body);
    assert_eq!(
        changed_rows(&applied),
        listed,
        "the apply lists what the dry run did"
    );
    assert!(applied.texts("#import-headline")[0].starts_with("Imported"));
    assert_eq!(
        imported_hotspots(&app).await,
        [
            ("Calgary Tower".to_string(), 3),
            ("Olympic Plaza".to_string(), 2)
        ]
    );
    assert_eq!(
        scalar(&app.db, "select count(*) from hotspots").await,
        3,
        "two kept, one added"
    );
    assert_ne!(snapshot(&app.db).await, after_setup);
    assert_eq!(
        scalar(&app.db, "select count(*) from import_uploads").await,
        0
    );

    let again = app
        .post_form("/imports/apply", &[("token", &token)], Some(&cookie))
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert!(again.texts("#import-problem")[0].contains("no longer kept"));
}

#[tokio::test]
async fn a_kept_file_is_refused_to_another_user_and_after_it_expires_and_nothing_is_written() {
    let app = TestApp::empty().await;
    let cookie = app.sign_in_as(Role::Analyst).await;
    let dry = dry_run_of_a_change(&app, &cookie).await;
    let token = attr(&dry, "#import-apply input[name=token]", "value").expect("Apply this file");
    let other = app.sign_in_as(Role::Admin).await;
    let before = snapshot(&app.db).await;

    let refused = app
        .post_form("/imports/apply", &[("token", &token)], Some(&other))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(
        refused.texts("#import-problem")[0].contains("another user"),
        "{}",
        refused.body
    );
    assert_eq!(snapshot(&app.db).await, before);

    sqlx::query("update import_uploads set created_at = now() - interval '31 minutes'")
        .execute(&app.db)
        .await
        .unwrap();
    let expired = app
        .post_form("/imports/apply", &[("token", &token)], Some(&cookie))
        .await;
    assert_eq!(expired.status, StatusCode::GONE);
    assert!(
        expired.texts("#import-problem")[0].contains("more than 30 minutes ago"),
        "{}",
        expired.body
    );
    assert_eq!(snapshot(&app.db).await, before);
    assert!(imported_hotspots(&app).await.is_empty());
}

#[tokio::test]
async fn a_geojson_error_names_the_feature_by_its_number_and_name_and_the_property() {
    let app = TestApp::empty().await;
    let cookie = app.sign_in_as(Role::Analyst).await;
    pilot_with_districts(&app.db).await;
    let mut bad = hotspot("Olympic Plaza", "DNC", CALGARY_TOWER, 1);
    bad["properties"]["priority"] = 7.into();
    let file = collection(vec![hotspot("Victoria Park", "BLN", VICTORIA_PARK, 2), bad]);
    // One line, as many tools write GeoJSON: every feature is on line 1.
    let one_line =
        serde_json::to_vec(&serde_json::from_slice::<serde_json::Value>(&file).unwrap()).unwrap();

    let fields = [("kind", "hotspots"), ("pilot", PILOT), ("mode", "dry-run")];
    let page = upload(&app, &cookie, &fields, "hotspots.geojson", &one_line).await;

    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        page.texts("#import-errors tbody td:nth-child(2)"),
        ["2 (Olympic Plaza)"]
    );
    let reason = page.texts("#import-errors tbody td:nth-child(3)").join(" ");
    assert!(reason.contains("priority"), "{reason}");
    assert!(attr(&page, "#import-apply input", "value").is_none());
}

#[tokio::test]
async fn the_pilot_select_defaults_to_the_only_pilot() {
    let app = TestApp::empty().await;
    super::fresh_pilot(&app.db).await;
    let cookie = app.sign_in_as(Role::Analyst).await;
    let form = app.get("/imports", Some(&cookie)).await;
    assert_eq!(form.texts("select#pilot option[selected]").len(), 1);
    assert_eq!(
        attr(&form, "select#pilot option[selected]", "value").as_deref(),
        Some(PILOT)
    );
}
