//! The evaluation printed: in Chromium, with the stylesheet's print rules applied as print media
//! would apply them, at the width of a landscape A4 page, nothing of the navigation shows, each
//! section starts a page, no table is wider than the paper, and the footer credits the City.

use crate::common::browser::Browser;
use patrolboard::domain::Role;

/// Copies every rule inside `@media print` to the end of its stylesheet, unconditionally: print
/// media emulated through the CSSOM (which a Content-Security-Policy without inline styles
/// allows), since WebDriver has no standard way to switch the media type. `@page` rules are left
/// out: on screen they mean nothing.
const APPLY_PRINT_RULES: &str = r#"
let copied = 0;
for (const sheet of [...document.styleSheets]) {
  for (const rule of [...sheet.cssRules]) {
    if (rule instanceof CSSMediaRule && rule.media.mediaText === 'print') {
      for (const inner of [...rule.cssRules]) {
        if (inner instanceof CSSPageRule) continue;
        sheet.insertRule(inner.cssText, sheet.cssRules.length);
        copied += 1;
      }
    }
  }
}
return copied;
"#;

/// What the printed page shows: visible navigation, how sections break, tables wider than the
/// page, and the footer's text.
const INSPECT: &str = r#"
const shown = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
const page = document.documentElement.clientWidth;
return {
  nav: [...document.querySelectorAll('nav, header.site, .skip')].filter(shown).map((e) => e.outerHTML.slice(0, 80)),
  breaks: [...document.querySelectorAll('.report-section')].map((s) => getComputedStyle(s).breakBefore),
  cut: [...document.querySelectorAll('table')]
    .filter((t) => t.getBoundingClientRect().right > page + 1 || t.scrollWidth > t.getBoundingClientRect().width + 1)
    .map((t) => (t.caption ? t.caption.textContent : t.outerHTML.slice(0, 80))),
  page,
  scroll: document.documentElement.scrollWidth,
  footer: document.querySelector('footer.report-footer').innerText,
};
"#;

#[tokio::test]
async fn the_printed_evaluation_has_no_navigation_no_cut_table_and_credits_the_city() {
    let Some(browser) = Browser::seeded().await else {
        return;
    };
    browser.sign_in_as(Role::Viewer).await;
    let client = browser.client();
    // A4 landscape less 10 mm margins: 277 mm, about 1047 CSS px; the narrower portrait page of
    // 190 mm is about 718 px. Check the narrower.
    client
        .set_window_size(718, 1000)
        .await
        .expect("the window takes the page's width");
    browser.goto("/pilots/calgary-2023/evaluation").await;
    browser.wait_for("#answer-heading").await;
    let on_screen = client.execute(INSPECT, vec![]).await.unwrap();
    assert!(
        !on_screen["nav"].as_array().unwrap().is_empty(),
        "on screen the navigation shows"
    );

    // On screen the weekly table scrolls inside its region, wider than the page: the check sees it.
    assert!(
        !on_screen["cut"].as_array().unwrap().is_empty(),
        "on screen a wide table scrolls: {on_screen}"
    );
    let copied = client.execute(APPLY_PRINT_RULES, vec![]).await.unwrap();
    assert!(
        copied.as_i64().unwrap() > 0,
        "the stylesheet has print rules"
    );
    let printed = client.execute(INSPECT, vec![]).await.unwrap();
    assert_eq!(
        printed["nav"],
        serde_json::json!([]),
        "no navigation on paper"
    );
    let breaks: Vec<&str> = printed["breaks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_str().unwrap())
        .collect();
    assert!(breaks.len() >= 6, "{breaks:?}");
    assert_eq!(
        breaks[0], "auto",
        "the first section starts on the first page"
    );
    assert!(
        breaks[1..].iter().all(|b| *b == "page"),
        "every other section starts a page: {breaks:?}"
    );
    assert_eq!(printed["cut"], serde_json::json!([]), "{printed}");
    assert!(
        printed["scroll"].as_i64() <= printed["page"].as_i64(),
        "nothing is wider than the paper: {printed}"
    );
    let footer = printed["footer"].as_str().unwrap();
    assert!(
        footer.contains("Pilot Mon 27 Feb 2023 to Wed 31 May 2023"),
        "{footer}"
    );
    assert!(
        footer.contains("community crime and disorder statistics"),
        "{footer}"
    );
    assert!(
        footer.contains(
            "Contains information licensed under the Open Government Licence – City of Calgary."
        ),
        "{footer}"
    );

    browser.close().await;
}
