//! The screenshots of `docs/screenshots/`: the dashboard, the roster week and the exports page of
//! the demo pilot, as a supervisor sees them on a laptop (1366 px) and a phone (390 px), each the
//! whole page down to a few screens.
//!
//! Ignored by a plain `cargo test`; `scripts/screenshots.sh` runs it with
//! `PATROLBOARD_SCREENSHOTS=docs/screenshots` and then shrinks the files.

use std::path::PathBuf;

use patrolboard::domain::Role;

use crate::common::browser::Browser;
use crate::common::scratch_dir;

/// Where the screenshots go; without it, a scratch folder (the test still checks each file).
const DIR_VAR: &str = "PATROLBOARD_SCREENSHOTS";

/// The pages shown: file name, path, and what the page shows once drawn.
const SHOTS: [(&str, &str, &str); 3] = [
    ("dashboard", "/pilots/calgary-2023", "#gaps-heading"),
    (
        "roster",
        "/pilots/calgary-2023/roster?week=2023-W11",
        "table.roster",
    ),
    (
        "exports",
        "/exports?pilot=calgary-2023",
        "#dictionary-heading",
    ),
];

/// The screens: width and the first screen's height, in CSS pixels.
const SCREENS: [(u32, u32); 2] = [(1366, 900), (390, 844)];

/// A page longer than this many screens is cut there: the top is what a reader sees first.
const MOST_SCREENS: u32 = 4;

#[tokio::test]
#[ignore = "writes screenshots: run by scripts/screenshots.sh"]
async fn screenshots_of_the_dashboard_roster_and_exports_on_a_laptop_and_a_phone() {
    let Some(browser) = Browser::seeded().await else {
        return;
    };
    let dir = std::env::var_os(DIR_VAR)
        .map(PathBuf::from)
        .unwrap_or_else(|| scratch_dir("screenshots"));
    std::fs::create_dir_all(&dir).expect("the screenshot folder is made");
    browser.sign_in_as(Role::Supervisor).await;
    let client = browser.client();

    for (width, height) in SCREENS {
        for (name, path, shows) in SHOTS {
            browser.resize(width, height).await;
            browser.goto(path).await;
            browser.wait_for(shows).await;
            let tall = client
                .execute("return document.documentElement.scrollHeight;", vec![])
                .await
                .expect("the page's height")
                .as_u64()
                .expect("a height in pixels") as u32;
            browser
                .resize(width, tall.clamp(height, height * MOST_SCREENS))
                .await;
            let png = client.screenshot().await.expect("the screenshot");
            assert!(png.starts_with(b"\x89PNG"), "{name} is a PNG");
            let file = dir.join(format!("{name}-{width}.png"));
            std::fs::write(&file, png).expect("the screenshot is written");
            println!("{}", file.display());
        }
    }

    browser.close().await;
}
