//! A supervisor's week on a phone: from the header's roster link, a shift added through the form,
//! shown on the week by its fragment, cancelled with a reason on the confirmation step, shown as
//! one cancelled line, and the reason in the audit log.

use fantoccini::Locator;
use fantoccini::elements::Element;
use patrolboard::domain::Role;
use serde_json::Value;

use super::free_officers;
use crate::common::browser::Browser;

/// Why the shift is called off, as the supervisor types it.
const REASON: &str = "Officers sent to a stadium event";

/// Whether `element` is at least partly on the screen.
async fn on_screen(browser: &Browser, element: &Element) -> bool {
    let script = "const r = arguments[0].getBoundingClientRect(); \
                  return r.bottom > 0 && r.top < window.innerHeight \
                      && r.right > 0 && r.left < window.innerWidth;";
    let element = serde_json::to_value(element).unwrap();
    let seen = browser.client().execute(script, vec![element]).await;
    seen.expect("the card's place is read") == Value::Bool(true)
}

/// The fragment of the address the browser shows.
async fn fragment(browser: &Browser) -> Option<String> {
    let url = browser.client().current_url().await.expect("the address");
    url.fragment().map(str::to_string)
}

#[tokio::test]
async fn a_supervisor_adds_a_shift_on_a_phone_sees_it_cancels_it_with_a_reason_and_finds_the_reason_kept()
 {
    let Some(browser) = Browser::seeded().await else {
        return;
    };
    // Two officers assigned on Tuesday 30 May 2023 and free, with a night's rest, around its small
    // hours; and a hotspot watched that day.
    let free = free_officers(
        browser.db(),
        "2023-05-30",
        ("2023-05-29 19:00-06", "2023-05-30 15:00-06"),
        2,
    );
    let officers = free.await;
    let hotspot: i64 = sqlx::query_scalar(
        r#"select h.id from hotspots h join pilots p on p.id = h.pilot_id
            where p.slug = 'calgary-2023' and h.active_from <= date '2023-05-30'
              and (h.active_to is null or h.active_to >= date '2023-05-30')
            order by h.id limit 1"#,
    )
    .fetch_one(browser.db())
    .await
    .expect("a hotspot watched that day");
    browser.sign_in_as(Role::Supervisor).await;
    browser.resize(390, 844).await;
    let client = browser.client();

    // From the pilot list to the pilot, then its roster by the header's link.
    browser.goto("/").await;
    let pilot = r#"th[data-slug="calgary-2023"] > a"#;
    browser.wait_for(pilot).await.click().await.unwrap();
    let roster = r#"nav.pilot-nav a[href="/pilots/calgary-2023/roster"]"#;
    browser.wait_for(roster).await.click().await.unwrap();
    browser.wait_for("table.roster").await;
    // The pilot is over: the roster opens on its last week.
    assert!(
        browser.path().await.ends_with("/roster"),
        "{}",
        browser.path().await
    );
    assert_eq!(
        browser.wait_for("h1").await.text().await.unwrap(),
        "Roster, week 2023-W22"
    );

    // The form: a team, the small hours of Tuesday, two officers and a hotspot.
    let new_shift = r#"a.button[href^="/pilots/calgary-2023/shifts/new"]"#;
    browser.wait_for(new_shift).await.click().await.unwrap();
    browser
        .wait_for("#team_id")
        .await
        .select_by_index(1)
        .await
        .expect("a team is chosen");
    // Date-time inputs take typed keys in a locale-dependent order: their values are set as a
    // picker would set them.
    client
        .execute(
            r#"document.getElementById('starts_at').value = '2023-05-30T03:00';
               document.getElementById('ends_at').value = '2023-05-30T07:00';"#,
            vec![],
        )
        .await
        .expect("the times are set");
    for (id, _) in &officers {
        let officer = format!("input[name=officer_ids][value='{id}']");
        browser.wait_for(&officer).await.click().await.unwrap();
    }
    let spot = format!("input[name=hotspot_ids][value='{hotspot}']");
    browser.wait_for(&spot).await.click().await.unwrap();
    let save = browser.wait_for("form.stacked button[type=submit]").await;
    browser.submit_and_wait(&save).await;

    // The week, with the new shift's card named by the address and scrolled into view.
    let id: i64 = sqlx::query_scalar("select max(id) from shifts")
        .fetch_one(browser.db())
        .await
        .unwrap();
    let notice = browser.wait_for("main [role=status]").await;
    assert!(
        notice.text().await.unwrap().starts_with("Shift created"),
        "{}",
        browser.visible_text().await
    );
    assert_eq!(fragment(&browser).await, Some(format!("shift-{id}")));
    assert!(browser.path().await.contains("week=2023-W22"));
    let card = browser
        .wait_for(&format!("article.shift.highlighted#shift-{id}"))
        .await;
    let text = card.text().await.unwrap();
    assert!(
        text.contains("03:00–07:00") && officers.iter().all(|(_, name)| text.contains(name)),
        "{text}"
    );
    assert!(on_screen(&browser, &card).await, "the new shift is in view");
    browser.assert_fits_the_window().await;
    browser.assert_no_axe_violations().await;

    // Cancelled from its page, with a reason on the confirmation step.
    card.find(Locator::Css("a[href$='/edit']"))
        .await
        .expect("the card's edit link")
        .click()
        .await
        .unwrap();
    browser
        .wait_for("#cancel-shift")
        .await
        .click()
        .await
        .unwrap();
    let summary = browser
        .wait_for("#shift-summary")
        .await
        .text()
        .await
        .unwrap();
    assert!(summary.contains("03:00"), "{summary}");
    browser
        .wait_for("#reason")
        .await
        .send_keys(REASON)
        .await
        .unwrap();
    let confirm = browser.wait_for("form button.danger[type=submit]").await;
    browser.submit_and_wait(&confirm).await;

    // One line, "cancelled", that opens on its reason.
    let notice = browser.wait_for("main [role=status]").await;
    assert!(notice.text().await.unwrap().starts_with("Shift cancelled"));
    assert_eq!(fragment(&browser).await, Some(format!("shift-{id}")));
    let line = browser
        .wait_for(&format!("article.shift.cancelled#shift-{id}"))
        .await;
    let summary = line.find(Locator::Css("summary")).await.unwrap();
    assert_eq!(summary.text().await.unwrap(), "03:00–07:00 cancelled");
    assert!(
        on_screen(&browser, &line).await,
        "the cancelled shift is in view"
    );
    let reason = line.find(Locator::Css(".cancel-reason")).await.unwrap();
    assert!(
        !reason.is_displayed().await.unwrap(),
        "the reason waits for a click"
    );
    summary.click().await.unwrap();
    assert!(reason.is_displayed().await.unwrap(), "the reason opens");
    assert_eq!(reason.text().await.unwrap(), format!("Why: {REASON}"));
    browser.assert_fits_the_window().await;
    browser.assert_no_axe_violations().await;

    // Kept in the audit log, under the supervisor's name.
    let audit = r#"header a[href="/audit"]"#;
    browser.wait_for(audit).await.click().await.unwrap();
    let entry = browser
        .wait_for(&format!(
            "table.audit tr:has(a[href='/shifts/{id}/log']) td.action"
        ))
        .await;
    assert_eq!(entry.text().await.unwrap(), "cancel");
    let row = entry
        .find(Locator::XPath(".."))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        row.contains(REASON) && row.contains("browser-supervisor"),
        "{row}"
    );

    browser.close().await;
}
