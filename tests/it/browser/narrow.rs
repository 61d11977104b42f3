//! Forms on a phone's screen: each page fits 390 px without scrolling sideways and passes axe,
//! also with its errors shown.

use crate::common::browser::Browser;
use crate::common::pages::EVERY_PAGE;
use patrolboard::domain::Role;

#[tokio::test]
async fn the_account_and_pilot_pages_fit_a_390_px_screen_and_pass_axe_with_errors_shown() {
    let Some(browser) = Browser::seeded().await else {
        return;
    };
    browser.add_user("someone", Role::Viewer).await;
    browser.sign_in_as(Role::Admin).await;
    let client = browser.client();
    client
        .set_window_size(390, 844)
        .await
        .expect("the window narrows");
    let fits = "return [window.innerWidth, document.documentElement.scrollWidth];";

    for (path, shows) in [
        ("/admin/users", "#accounts-heading"),
        ("/account/password", "#current_password"),
        ("/admin/pilots", "#pilots-heading"),
        ("/admin/pilots/calgary-2023", "#time_zone"),
    ] {
        browser.goto(path).await;
        browser.wait_for(shows).await;
        let widths = client.execute(fits, vec![]).await.unwrap();
        let (inner, scroll) = (widths[0].as_i64().unwrap(), widths[1].as_i64().unwrap());
        assert!(inner <= 400, "the window is narrow: {inner}px");
        assert!(
            scroll <= inner,
            "{path} scrolls sideways: {scroll}px in {inner}px"
        );
        browser.assert_no_serious_axe_violations().await;
    }

    browser.goto("/admin/users").await;
    let region = browser
        .wait_for(r#"div[role=region][tabindex="0"][aria-labelledby="accounts-heading"]"#)
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
    let widths = client.execute(fits, vec![]).await.unwrap();
    assert!(widths[1].as_i64() <= widths[0].as_i64(), "{widths:?}");
    browser.assert_no_serious_axe_violations().await;

    browser.close().await;
}

#[tokio::test]
async fn the_officer_and_team_forms_fit_a_390_px_screen_and_pass_axe_with_errors_shown() {
    let Some(browser) = Browser::seeded().await else {
        return;
    };
    browser.sign_in_as(Role::Analyst).await;
    let client = browser.client();
    client
        .set_window_size(390, 844)
        .await
        .expect("the window narrows");
    let fits = "return [window.innerWidth, document.documentElement.scrollWidth];";
    let assert_fits = |path: &'static str| {
        let client = client.clone();
        async move {
            let widths = client.execute(fits, vec![]).await.unwrap();
            let (inner, scroll) = (widths[0].as_i64().unwrap(), widths[1].as_i64().unwrap());
            assert!(
                scroll <= inner,
                "{path} scrolls sideways: {scroll}px in {inner}px"
            );
        }
    };

    for (path, shows) in [
        ("/pilots/calgary-2023/officers/new", "#badge_number"),
        ("/pilots/calgary-2023/officers/1", "#assignments"),
        ("/pilots/calgary-2023/teams", "#add-heading"),
    ] {
        browser.goto(path).await;
        browser.wait_for(shows).await;
        assert_fits(path).await;
    }

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
    assert_fits("the refused officer form").await;
    browser.assert_no_serious_axe_violations().await;

    browser.close().await;
}

/// Every page, as the least role that may see it and as an admin (who sees the most on it), at
/// a phone's 390 px: nothing is wider than the screen; a wide table scrolls inside its region.
#[tokio::test]
async fn every_page_fits_a_390_px_screen_for_the_least_role_and_for_an_admin() {
    let Some(browser) = Browser::seeded().await else {
        return;
    };
    let client = browser.client();
    let fits = "return [window.innerWidth, document.documentElement.scrollWidth];";
    let mut too_wide = Vec::new();

    for role in Role::ALL {
        let pages: Vec<_> = EVERY_PAGE
            .iter()
            .filter(|(_, least, _)| *least == role || role == Role::Admin)
            .collect();
        browser.sign_out().await;
        browser.sign_in_as(role).await;
        client
            .set_window_size(390, 844)
            .await
            .expect("the window narrows");
        for (path, _, shows) in pages {
            browser.goto(path).await;
            browser.wait_for(shows).await;
            let widths = client.execute(fits, vec![]).await.unwrap();
            let (inner, scroll) = (widths[0].as_i64().unwrap(), widths[1].as_i64().unwrap());
            assert!(inner <= 400, "the window is narrow: {inner}px");
            if scroll > inner {
                too_wide.push(format!("{path} as {role}: {scroll}px in {inner}px"));
            }
        }
    }

    assert!(
        too_wide.is_empty(),
        "pages scrolling sideways: {too_wide:?}"
    );
    browser.close().await;
}
