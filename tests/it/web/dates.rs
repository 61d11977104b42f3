//! Dates as readers see them: one written format ("Mon 27 Feb 2023") on every page, date inputs
//! held to the pilot's days, and a range outside the pilot moved into it with a notice.

use axum::http::StatusCode;
use patrolboard::domain::Role;

use crate::common::app::{TestApp, attr};
use crate::common::pages::EVERY_PAGE;

/// The text a reader sees in `main`, without code samples (formats the imports page explains)
/// and without the text of form controls' options.
fn read_text(body: &str) -> Vec<String> {
    let html = scraper::Html::parse_document(body);
    let main = scraper::Selector::parse("main").unwrap();
    let mut texts = Vec::new();
    for main in html.select(&main) {
        for node in main.descendants() {
            let Some(text) = node.value().as_text() else {
                continue;
            };
            let inside_code = node.ancestors().any(|a| {
                a.value()
                    .as_element()
                    .is_some_and(|e| matches!(e.name(), "code" | "pre" | "option" | "script"))
            });
            if !inside_code && !text.trim().is_empty() {
                texts.push(text.trim().to_string());
            }
        }
    }
    texts
}

/// Whether `text` holds a date written `YYYY-MM-DD`.
fn has_iso_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.windows(10).any(|w| {
        w.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        })
    })
}

#[tokio::test]
async fn no_page_writes_a_date_as_yyyy_mm_dd_for_its_reader() {
    let app = TestApp::seeded().await;
    let admin = app.sign_in_as(Role::Admin).await;
    let officer = app.sign_in_as(Role::Officer).await;
    let mut found = Vec::new();
    for (path, audience, _) in EVERY_PAGE {
        let cookie = if audience.admits(Role::Admin) {
            &admin
        } else {
            &officer
        };
        let page = app.get(path, Some(cookie)).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        for text in read_text(&page.body)
            .into_iter()
            .filter(|t| has_iso_date(t))
        {
            found.push(format!("{path}: {text}"));
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[tokio::test]
async fn a_range_outside_the_pilot_is_moved_into_it_with_a_notice_instead_of_an_error_page() {
    let app = TestApp::seeded().await;
    let viewer = app.sign_in_as(Role::Viewer).await;
    // The demo pilot runs from Mon 27 Feb to Wed 31 May 2023.
    for path in [
        "/pilots/calgary-2023?from=2023-01-01&to=2023-03-07",
        "/pilots/calgary-2023/districts/BLN?from=2023-01-01&to=2023-03-07",
        "/pilots/calgary-2023/officers?from=2023-01-01&to=2023-03-07",
    ] {
        let page = app.get(path, Some(&viewer)).await;

        assert_eq!(page.status, StatusCode::OK, "{path}");
        let notice = page.texts("#page-notice").join(" ");
        assert!(
            notice.contains("Sun 1 Jan 2023 to Tue 7 Mar 2023")
                && notice.contains("shows Mon 27 Feb 2023 to Tue 7 Mar 2023"),
            "{path}: {notice:?}"
        );
        assert_eq!(
            attr(&page, "input#from", "value").as_deref(),
            Some("2023-02-27"),
            "{path}"
        );
        assert_eq!(
            attr(&page, "input#to", "value").as_deref(),
            Some("2023-03-07")
        );
    }

    let after = app
        .get(
            "/pilots/calgary-2023?from=2023-06-10&to=2023-06-20",
            Some(&viewer),
        )
        .await;
    assert_eq!(after.status, StatusCode::OK);
    assert_eq!(
        attr(&after, "input#from", "value").as_deref(),
        Some("2023-05-31")
    );
    assert_eq!(
        attr(&after, "input#to", "value").as_deref(),
        Some("2023-05-31")
    );

    let inside = app
        .get(
            "/pilots/calgary-2023?from=2023-03-01&to=2023-03-07",
            Some(&viewer),
        )
        .await;
    assert!(inside.texts("#page-notice").is_empty());
    let backwards = app
        .get(
            "/pilots/calgary-2023?from=2023-03-07&to=2023-03-01",
            Some(&viewer),
        )
        .await;
    assert_eq!(backwards.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_range_inputs_of_the_pilot_pages_carry_the_pilots_first_and_last_days() {
    let app = TestApp::seeded().await;
    let viewer = app.sign_in_as(Role::Viewer).await;
    for path in [
        "/pilots/calgary-2023",
        "/pilots/calgary-2023/districts/BLN",
        "/pilots/calgary-2023/hotspots/1",
        "/pilots/calgary-2023/officers",
        "/pilots/calgary-2023/officers/1",
    ] {
        let page = app.get(path, Some(&viewer)).await;
        for input in ["input#from", "input#to"] {
            assert_eq!(
                attr(&page, input, "min").as_deref(),
                Some("2023-02-27"),
                "{path} {input}"
            );
            assert_eq!(
                attr(&page, input, "max").as_deref(),
                Some("2023-05-31"),
                "{path} {input}"
            );
        }
    }
}

#[tokio::test]
async fn every_date_week_and_time_input_but_a_pilots_own_dates_carries_a_min_and_a_max() {
    let app = TestApp::seeded().await;
    let admin = app.sign_in_as(Role::Admin).await;
    let inputs =
        scraper::Selector::parse("input[type=date], input[type=week], input[type=datetime-local]")
            .unwrap();
    let mut unbounded = Vec::new();
    // A pilot's own first and last days (pilot setup) may be any days.
    for (path, _, _) in EVERY_PAGE
        .iter()
        .filter(|(p, _, _)| !p.starts_with("/admin/"))
    {
        let page = app.get(path, Some(&admin)).await;
        for input in page.html().select(&inputs) {
            let bound = |name| input.value().attr(name).is_some_and(|v| !v.is_empty());
            if !(bound("min") && bound("max")) {
                unbounded.push(format!("{path}: {}", input.html()));
            }
        }
    }
    assert!(unbounded.is_empty(), "{}", unbounded.join("\n"));
}

#[tokio::test]
async fn the_roster_week_holds_to_the_pilots_weeks_and_the_audit_log_to_its_own_days() {
    let app = TestApp::seeded().await;
    let supervisor = app.sign_in_as(Role::Supervisor).await;

    let week = app
        .get(
            "/pilots/calgary-2023/roster?week=2023-W11",
            Some(&supervisor),
        )
        .await;
    // Mon 27 Feb 2023 starts week 9; Wed 31 May 2023 is in week 22.
    assert_eq!(
        attr(&week, "input#week", "min").as_deref(),
        Some("2023-W09")
    );
    assert_eq!(
        attr(&week, "input#week", "max").as_deref(),
        Some("2023-W22")
    );

    let audit = app.get("/audit", Some(&supervisor)).await;
    let first: chrono::NaiveDate =
        sqlx::query_scalar("select min(at at time zone 'UTC')::date from audit_log")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let today = chrono::Utc::now().date_naive();
    for input in ["input#from", "input#to"] {
        let min = attr(&audit, input, "min");
        assert_eq!(min, Some(first.to_string()), "{input}");
        let max = attr(&audit, input, "max").unwrap();
        // The page may have been drawn just before midnight UTC.
        assert!(
            max == today.to_string() || max == today.pred_opt().unwrap().to_string(),
            "{input}: {max}"
        );
    }
}
