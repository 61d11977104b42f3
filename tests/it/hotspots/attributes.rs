//! The attributes form: a saved edit, every bad field, a taken name and a stale version.

use axum::http::StatusCode;

use super::{
    assert_coverage_follows_the_rows, audit_of, days_of, form_of, setup, snapshot, stored, with,
};
use crate::common::app::{post, shown_value};
use crate::common::scalar;

#[tokio::test]
async fn an_analyst_edits_a_hotspot_and_the_change_is_stored_audited_and_counted() {
    let (app, cookie, id) = setup().await;
    let days_before = days_of(&app.db, id).await;
    let blocks_before: i64 = days_before.iter().map(|d| d.1).sum();
    let mut form = form_of(&app, &cookie, id).await;
    for (field, value) in [
        ("name", "  Central   Memorial Park (east) "),
        ("priority", "2"),
        ("active_to", ""),
        ("window_start", "08:00"),
        ("window_end", "01:30"),
        ("target_minutes_per_day", "200"),
        ("max_gap_minutes", "75"),
        ("reason", "Reported disorder after dark"),
    ] {
        form = with(form, field, value);
    }

    let response = post(&app, &format!("/hotspots/{id}"), &form, &cookie).await;

    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    assert_eq!(
        response.location(),
        Some(format!("/pilots/calgary-2023/hotspots/{id}").as_str())
    );
    let (attributes, _, version) = stored(&app.db, id).await;
    assert_eq!(
        attributes,
        "Central Memorial Park (east)|2|2023-02-27|08:00:00|01:30:00|200|75|Reported disorder after dark"
    );
    assert_eq!(version, 2);
    let audit = audit_of(&app.db, id).await;
    assert_eq!(audit.len(), 1);
    let (action, before, after) = &audit[0];
    assert_eq!(action, "update");
    let (before, after) = (before.as_ref().unwrap(), after.as_ref().unwrap());
    assert_eq!(before["window_start"], "10:00:00");
    assert_eq!(after["window_start"], "08:00:00");
    assert_eq!(after["name"], "Central Memorial Park (east)");
    assert_eq!(after["pilot"], "calgary-2023");
    assert!(
        after.get("boundary").is_none(),
        "the outline did not change"
    );
    // 10:00–22:00 was 12 blocks a day; 08:00–01:30 is 18.
    let blocks_after: i64 = days_of(&app.db, id).await.iter().map(|d| d.1).sum();
    assert_eq!(blocks_before, 12 * 94);
    assert_eq!(blocks_after, 18 * 94);
    assert_coverage_follows_the_rows(&app.db).await;

    let page = app
        .get(
            &format!("/pilots/calgary-2023/hotspots/{id}"),
            Some(&cookie),
        )
        .await;
    assert_eq!(page.texts("h1"), ["Central Memorial Park (east)"]);
    let facts = page.texts("dl.facts dd");
    assert!(
        facts.iter().any(|f| f == "08:00–01:30 (crosses midnight)"),
        "{facts:?}"
    );
}

#[tokio::test]
async fn the_same_values_saved_again_change_nothing() {
    let (app, cookie, id) = setup().await;
    let form = form_of(&app, &cookie, id).await;
    let before = snapshot(&app.db).await;

    let response = post(&app, &format!("/hotspots/{id}"), &form, &cookie).await;

    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(snapshot(&app.db).await, before);
}

#[tokio::test]
async fn each_bad_field_is_refused_with_422_beside_it_the_input_kept_and_nothing_stored() {
    let (app, cookie, id) = setup().await;
    let form = form_of(&app, &cookie, id).await;
    let before = snapshot(&app.db).await;
    let cases = [
        ("name", "   "),
        ("priority", "4"),
        ("priority", "high"),
        ("active_from", "2023-02-30"),
        ("active_from", "2023-02-26"),
        ("active_to", "2023-06-01"),
        ("active_to", "2023-02-26"),
        ("window_start", "25:00"),
        ("window_end", "noon"),
        ("target_minutes_per_day", "0"),
        ("target_minutes_per_day", "1441"),
        ("max_gap_minutes", "lots"),
    ];
    for (field, value) in cases {
        let response = post(
            &app,
            &format!("/hotspots/{id}"),
            &with(form.clone(), field, value),
            &cookie,
        )
        .await;
        let case = format!("{field}={value:?}");
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{case}");
        assert_eq!(
            response.texts(".field-error").len(),
            1,
            "{case}: one problem, {:?}",
            response.texts(".field-error")
        );
        assert_eq!(
            response.texts(&format!("#{field}-error")).len(),
            1,
            "{case}"
        );
        assert_eq!(
            shown_value(&response, field),
            value,
            "{case}: the input kept"
        );
        assert_eq!(snapshot(&app.db).await, before, "{case}: nothing stored");
    }
}

#[tokio::test]
async fn a_last_day_before_the_first_and_a_name_already_taken_are_refused_beside_their_fields() {
    let (app, cookie, id) = setup().await;
    let form = form_of(&app, &cookie, id).await;
    let before = snapshot(&app.db).await;
    let backwards = with(
        with(form.clone(), "active_from", "2023-04-10"),
        "active_to",
        "2023-04-09",
    );
    let taken = with(form, "name", " Stephen  Avenue Mall");

    let backwards = post(&app, &format!("/hotspots/{id}"), &backwards, &cookie).await;
    let taken = post(&app, &format!("/hotspots/{id}"), &taken, &cookie).await;

    assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        backwards.texts("#active_to-error"),
        ["Choose a day on or after the first day watched, 2023-04-10."]
    );
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        taken.texts("#name-error"),
        ["Another hotspot of this pilot is named Stephen Avenue Mall. Choose another name."]
    );
    assert_eq!(shown_value(&taken, "name"), " Stephen  Avenue Mall");
    assert_eq!(snapshot(&app.db).await, before);
}

#[tokio::test]
async fn a_form_filled_from_an_older_version_is_refused_with_409_and_the_hotspot_as_it_is_now() {
    let (app, cookie, id) = setup().await;
    let opened_first = form_of(&app, &cookie, id).await;
    let opened_second = form_of(&app, &cookie, id).await;
    let first = post(
        &app,
        &format!("/hotspots/{id}"),
        &with(opened_first, "target_minutes_per_day", "150"),
        &cookie,
    )
    .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    let after_first = snapshot(&app.db).await;

    let second = post(
        &app,
        &format!("/hotspots/{id}"),
        &with(opened_second, "max_gap_minutes", "60"),
        &cookie,
    )
    .await;

    assert_eq!(second.status, StatusCode::CONFLICT);
    let current = second.texts("#current-state").join(" ");
    assert!(current.contains("150 patrol minutes a day"), "{current}");
    assert_eq!(
        shown_value(&second, "max_gap_minutes"),
        "60",
        "the input kept"
    );
    assert_eq!(
        crate::common::app::attr(&second, "input[name=version]", "value").as_deref(),
        Some("2"),
        "saving again replaces the other change"
    );
    assert_eq!(snapshot(&app.db).await, after_first);
    assert_eq!(
        scalar(
            &app.db,
            &format!("select max_gap_minutes::int8 from hotspots where id = {id}")
        )
        .await,
        120
    );
}
