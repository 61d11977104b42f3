//! Live operations in Chromium on a phone-sized window: an officer taps Arrived then Left (each
//! twice) and one visit is stored, shown in the shift log and counted; the now board refreshes
//! itself by htmx without reloading the page.

use std::time::{Duration, Instant};

use chrono::{Days, TimeDelta, Utc};
use fantoccini::Locator;
use patrolboard::domain::{Role, Username, password};
use patrolboard::service::accounts;
use serde_json::Value;

use crate::common::app::{PASSWORD, TestApp};
use crate::common::browser::Browser;
use crate::common::fixture::Fixture;
use crate::common::scalar;

const ZONE: chrono_tz::Tz = chrono_tz::America::Edmonton;

/// A local time `minutes` from now, `YYYY-MM-DD HH:MM`.
fn local_in(minutes: i64) -> String {
    (Utc::now() + TimeDelta::minutes(minutes))
        .with_timezone(&ZONE)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// Clicks `css` twice in a row, as a thumb does, then waits for the page it leads to.
async fn double_tap(browser: &Browser, css: &str) {
    let button = browser.wait_for(css).await;
    let _ = button.clone().click().await;
    let _ = button.click().await;
    browser.wait_for("#page-notice").await;
}

#[tokio::test]
async fn an_officer_on_a_phone_taps_arrived_then_left_twice_each_and_one_visit_is_stored_and_counted()
 {
    let Some(browser) = Browser::seeded().await else {
        return;
    };
    let today = Utc::now().with_timezone(&ZONE).date_naive();
    let (first, last) = (
        (today - Days::new(1)).to_string(),
        (today + Days::new(1)).to_string(),
    );
    let f = Fixture::pilot("live")
        .days(&first, &last)
        // No shapes, which no import takes: the officer's page draws no map.
        .places_stored_as_is()
        .district("D1", |d| d.name("Downtown"))
        .hotspot("Plaza", |h| h.window("00:00", "00:00"))
        .officer("Ada", "cps", "C1")
        .assignment("Ada", "pilot", &first, &last)
        .team("Pair A", "foot", &["Ada"])
        .shift("Pair A", &local_in(-60), &local_in(180), |s| {
            s.hotspots(&["Plaza"])
        })
        .build(browser.db())
        .await;
    let hash = password::hash(PASSWORD).unwrap();
    let ada = Username::parse("ada").unwrap();
    accounts::create_linked(
        browser.db(),
        &ada,
        "Ada",
        Role::Officer,
        Some(f.officer("Ada")),
        &hash,
    )
    .await
    .unwrap();
    let (shift, plaza) = (f.shift(0).0, f.hotspot("Plaza").0);

    let client = browser.client();
    client
        .set_window_size(390, 844)
        .await
        .expect("the window narrows");
    browser.sign_in("ada", PASSWORD).await;
    assert_eq!(
        browser.path().await,
        "/me",
        "an officer lands on their own shift"
    );
    browser.wait_for("#my-shift").await;
    browser.assert_fits_the_window().await;
    browser.assert_no_axe_violations().await;

    double_tap(
        &browser,
        &format!("#hotspot-{plaza} form[action='/me/arrived'] button"),
    )
    .await;
    let arrivals = format!("select count(*) from arrivals where shift_id = {shift}");
    assert_eq!(scalar(browser.db(), &arrivals).await, 1);
    double_tap(
        &browser,
        &format!("#hotspot-{plaza} form[action='/me/left'] button"),
    )
    .await;
    let visits = format!("select count(*) from visits where shift_id = {shift}");
    assert_eq!(
        scalar(browser.db(), &visits).await,
        1,
        "a double tap stores one visit"
    );
    let listed = browser.wait_for("#my-visits").await;
    let items = listed.find_all(Locator::Css("li")).await.unwrap();
    assert_eq!(items.len(), 1);

    // The next requests: the shift log and the coverage figures of the day count the visit.
    let app = TestApp::over(browser.db().clone());
    let supervisor = app.sign_in_as(Role::Supervisor).await;
    let log = app
        .get(&format!("/shifts/{shift}/log"), Some(&supervisor))
        .await;
    assert!(log.body.contains("Plaza"), "the shift log lists the visit");
    let day: chrono::NaiveDate = sqlx::query_scalar(
        "select (arrived_at at time zone 'America/Edmonton')::date from visits where shift_id = $1",
    )
    .bind(shift)
    .fetch_one(browser.db())
    .await
    .unwrap();
    let figures = app
        .get(
            &format!("/api/v1/pilots/live/coverage?from={day}&to={day}"),
            Some(&supervisor),
        )
        .await;
    let json: Value = serde_json::from_str(&figures.body).unwrap();
    assert_eq!(json["visits"], 1, "{json}");

    browser.close().await;
}

#[tokio::test]
async fn the_now_board_refreshes_itself_by_htmx_without_reloading_the_page() {
    let Some(browser) = Browser::seeded().await else {
        return;
    };
    browser.sign_in_as(Role::Viewer).await;
    let client = browser.client();
    client
        .set_window_size(390, 844)
        .await
        .expect("the window narrows");
    browser
        .goto("/pilots/calgary-2023/now?at=2023-03-15T14:00")
        .await;
    let refreshed = browser
        .wait_for("#now-refreshed")
        .await
        .text()
        .await
        .unwrap();
    client
        .execute("window.patrolboardKept = 'the same page';", vec![])
        .await
        .unwrap();
    // The board asks for itself again every 60 seconds; allow for a slow machine.
    let deadline = Instant::now() + Duration::from_secs(100);
    let read = "return [document.querySelector('#now-refreshed').textContent, window.patrolboardKept || null];";
    loop {
        let now = client.execute(read, vec![]).await.unwrap();
        if now[0].as_str() != Some(refreshed.as_str()) {
            assert_eq!(now[1], "the same page", "swapped in by htmx, not reloaded");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the board refreshed within 100 s"
        );
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    assert!(
        !browser
            .wait_for("#overdue li")
            .await
            .text()
            .await
            .unwrap()
            .is_empty()
    );
    browser.close().await;
}
