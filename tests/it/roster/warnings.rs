//! A shift that may need another look is saved, and the roster week it lands on says why, as
//! the form says why a short rest needs a reason: no hotspots, or a joint team whose officers on
//! the shift are all of one agency (a Sheriff/CPS pair without its CPS officer).

use axum::http::StatusCode;

use super::{fields, setup, with};
use crate::common::app::post;
use crate::common::scalar;

#[tokio::test]
async fn a_shift_with_no_hotspots_is_saved_with_a_warning_on_the_roster_week() {
    let (app, f, cookie) = setup().await;
    let mut form = fields(&f);
    form.retain(|(k, _)| k != "hotspot_ids");

    let created = post(&app, "/pilots/test/shifts", &form, &cookie).await;

    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    assert_eq!(scalar(&app.db, "select count(*) from shifts").await, 1);
    let week = app.get(created.location().unwrap(), Some(&cookie)).await;
    let warnings = week.texts("#shift-warnings p");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with("This shift is directed to no hotspot"),
        "{warnings:?}"
    );
    assert_eq!(
        crate::common::app::attr(&week, "#shift-warnings", "role").as_deref(),
        Some("alert")
    );

    // The shift's edit page says the same above its form, until it is fixed.
    let id = scalar(&app.db, "select id from shifts").await;
    let edit = app.get(&format!("/shifts/{id}/edit"), Some(&cookie)).await;
    assert_eq!(edit.texts("#shift-warnings p"), warnings);
}

#[tokio::test]
async fn a_joint_pair_with_no_officer_of_the_partner_agency_is_saved_with_a_warning() {
    let (app, f, cookie) = setup().await;
    // Pair 1 is a joint team; only the sheriff is on this shift.
    let form = with(fields(&f), "officer_ids", &f.sheriff.to_string());

    let created = post(&app, "/pilots/test/shifts", &form, &cookie).await;

    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let week = app.get(created.location().unwrap(), Some(&cookie)).await;
    let warnings = week.texts("#shift-warnings p");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with("Pair 1 is a joint team, but every officer on this shift is from"),
        "{warnings:?}"
    );

    // Edited to add the CPS officer, the shift has nothing to warn about.
    let id = scalar(&app.db, "select id from shifts").await;
    let edit = with(fields(&f), "version", "1");
    let saved = post(&app, &format!("/shifts/{id}"), &edit, &cookie).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let week = app.get(saved.location().unwrap(), Some(&cookie)).await;
    assert!(week.texts("[role=status]")[0].starts_with("Shift saved"));
    assert!(week.texts("#shift-warnings p").is_empty());
}
