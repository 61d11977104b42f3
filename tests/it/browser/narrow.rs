//! Forms on a phone's screen: each page fits 390 px without scrolling sideways and passes axe,
//! also with its errors shown. (Every page as it first opens is checked by
//! `every_page_passes_axe_and_fits_a_laptop_and_a_phone_for_every_role_that_may_see_it`.)

use crate::common::browser::Browser;
use patrolboard::domain::Role;

#[tokio::test]
async fn the_account_form_fits_a_390_px_screen_and_passes_axe_with_its_error_shown() {
    let Some(browser) = Browser::seeded().await else {
        return;
    };
    browser.add_user("someone", Role::Viewer).await;
    browser.sign_in_as(Role::Admin).await;
    browser.resize(390, 844).await;

    browser.goto("/admin/users").await;
    let region = browser
        .wait_for(r#"div[role=region][tabindex="0"][aria-labelledby="accounts-caption"]"#)
        .await;
    let table = region
        .find(fantoccini::Locator::Css("table"))
        .await
        .expect("the table scrolls inside the region");
    assert!(table.is_displayed().await.unwrap());
    browser
        .wait_for("#username")
        .await
        .send_keys("no spaces allowed")
        .await
        .unwrap();
    let add = browser
        .wait_for(r#"form[action="/admin/users"] button[type=submit]"#)
        .await;
    browser.submit_and_wait(&add).await;
    let error = browser.wait_for("#username-error").await;
    assert!(error.text().await.unwrap().starts_with("A username is"));
    browser.assert_fits_the_window().await;
    browser.assert_no_axe_violations().await;

    browser.close().await;
}

#[tokio::test]
async fn the_officer_form_fits_a_390_px_screen_and_passes_axe_with_its_error_shown() {
    let Some(browser) = Browser::seeded().await else {
        return;
    };
    browser.sign_in_as(Role::Analyst).await;
    browser.resize(390, 844).await;

    browser.goto("/pilots/calgary-2023/officers/new").await;
    let add = browser
        .wait_for(r#"form[action="/pilots/calgary-2023/officers"] button[type=submit]"#)
        .await;
    browser.submit_and_wait(&add).await;
    let error = browser.wait_for("#badge_number-error").await;
    assert_eq!(
        error.text().await.unwrap(),
        "Enter the officer's badge number."
    );
    browser.assert_fits_the_window().await;
    browser.assert_no_axe_violations().await;

    browser.close().await;
}
