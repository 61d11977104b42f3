//! An analyst's import on a phone: a dry run lists the rows that would change, and "Apply this
//! file" writes them without choosing the file again.

use fantoccini::Locator;
use patrolboard::domain::Role;

use crate::common::browser::Browser;
use crate::common::{scalar, scratch_dir};
use crate::imports::{CALGARY_TOWER, collection, hotspot};

#[tokio::test]
async fn an_analyst_dry_runs_a_file_on_a_phone_sees_its_rows_and_applies_it_without_choosing_it_again()
 {
    let Some(browser) = Browser::seeded().await else {
        return;
    };
    browser.sign_in_as(Role::Analyst).await;
    browser.resize(390, 844).await;
    let file = scratch_dir("browser-import").join("plaza.geojson");
    std::fs::write(
        &file,
        collection(vec![hotspot("Browser Test Plaza", "DNC", CALGARY_TOWER, 2)]),
    )
    .unwrap();
    let hotspots_before = scalar(browser.db(), "select count(*) from hotspots").await;

    browser.goto("/imports").await;
    browser
        .wait_for("select#kind")
        .await
        .select_by_value("hotspots")
        .await
        .expect("hotspots are chosen");
    let pilot = browser.wait_for("select#pilot option[selected]").await;
    assert_eq!(
        pilot.attr("value").await.unwrap().as_deref(),
        Some("calgary-2023"),
        "the only pilot is chosen already"
    );
    browser
        .wait_for("input#file")
        .await
        .send_keys(file.to_str().unwrap())
        .await
        .expect("the file is chosen");
    let import = browser
        .wait_for(r#"form[action="/imports"] button[type=submit]"#)
        .await;
    browser.submit_and_wait(&import).await;

    let changed = browser.wait_for("#import-changed tbody tr").await;
    let row = changed.text().await.unwrap();
    assert!(
        row.contains("new") && row.contains("hotspot Browser Test Plaza"),
        "{row:?}"
    );
    browser.assert_fits_the_window().await;
    browser.assert_no_axe_violations().await;
    assert_eq!(
        scalar(browser.db(), "select count(*) from hotspots").await,
        hotspots_before,
        "the dry run writes nothing"
    );

    let apply = browser
        .wait_for("#import-apply")
        .await
        .find(Locator::Css("button[type=submit]"))
        .await
        .unwrap();
    assert_eq!(apply.text().await.unwrap(), "Apply this file");
    browser.submit_and_wait(&apply).await;

    let headline = browser.wait_for("#import-headline").await;
    assert!(
        headline
            .text()
            .await
            .unwrap()
            .starts_with("Imported: 1 new"),
        "{:?}",
        headline.text().await
    );
    assert_eq!(
        scalar(
            browser.db(),
            "select count(*) from hotspots where name = 'Browser Test Plaza'"
        )
        .await,
        1
    );
    browser.assert_fits_the_window().await;
    browser.assert_no_axe_violations().await;

    browser.close().await;
}
