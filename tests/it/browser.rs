//! End to end: the real router on a real socket, in a real headless Chromium, with axe-core checking
//! the pages for accessibility.
//!
//! Needs `chromium` and `chromedriver` (`apt-get install chromium chromium-driver`). Without them
//! each test here says it is skipped and passes, unless `PATROLBOARD_BROWSER_TESTS=required` (as in
//! `.ci/run`), which makes a missing browser a failure.

mod imports;
mod narrow;
mod officer;
mod print;
mod roster_walk;
mod screenshots;

use crate::common::app::PASSWORD;
use crate::common::browser::{self, Browser};
use crate::common::pages::EVERY_PAGE;
use patrolboard::domain::Role;
use sqlx::PgPool;

#[tokio::test]
async fn the_sign_in_page_and_the_pilot_list_pass_axe_in_chromium() {
    let Some(browser) = Browser::seeded().await else {
        return;
    };
    browser.add_user("dispatcher", Role::Viewer).await;

    browser.goto("/login").await;
    browser.wait_for("#username").await;
    browser.assert_no_axe_violations().await;

    browser.sign_in("dispatcher", PASSWORD).await;
    assert_eq!(browser.path().await, "/");
    let pilot = browser.wait_for(r#"th[data-slug="calgary-2023"]"#).await;
    let name = pilot.text().await.unwrap();
    assert!(name.contains("Calgary"), "the pilot is named: {name:?}");
    browser.assert_no_axe_violations().await;

    browser.close().await;
}

#[tokio::test]
async fn a_wrong_password_shows_the_error_beside_the_form_in_the_browser() {
    let Some(browser) = Browser::seeded().await else {
        return;
    };
    browser.add_user("dispatcher", Role::Viewer).await;

    browser
        .sign_in("dispatcher", "not the password at all")
        .await;

    assert_eq!(browser.path().await, "/login");
    let error = browser.wait_for("main #login-error").await;
    assert_eq!(error.attr("role").await.unwrap().as_deref(), Some("alert"));
    assert_eq!(
        error.text().await.unwrap(),
        "That username and password do not match an active account."
    );
    assert!(error.is_displayed().await.unwrap(), "the error is shown");
    // Beside the form: within a few lines of its first field, so it is seen with it.
    let username = browser.wait_for("#username").await;
    let (_, error_top, _, _) = error.rectangle().await.unwrap();
    let (_, field_top, _, _) = username.rectangle().await.unwrap();
    assert!(
        (error_top - field_top).abs() < 250.0,
        "the error is beside the form (error at {error_top}px, first field at {field_top}px)"
    );
    let typed = username.prop("value").await.unwrap();
    assert_eq!(typed.as_deref(), Some("dispatcher"), "the username is kept");
    let password = browser.wait_for("#password").await;
    let sent_back = password.prop("value").await.unwrap();
    assert_eq!(
        sent_back.as_deref(),
        Some(""),
        "the password is not sent back"
    );
    let session = browser.client().get_named_cookie("patrolboard_session");
    assert!(session.await.is_err(), "no session is started");
    browser.assert_no_axe_violations().await;

    browser.close().await;
}

/// Up to `how_many` officers of the demo pilot, by id, assigned to it on `day` and on no shift
/// that overlaps `period` (instants with their UTC offset: the shift to come with the rest around
/// it), with their names.
pub async fn free_officers(
    db: &PgPool,
    day: &str,
    period: (&str, &str),
    how_many: i64,
) -> Vec<(i64, String)> {
    let officers: Vec<(i64, String)> = sqlx::query_as(
        r#"select o.id, o.name from officers o
            where exists (select 1 from assignments a join pilots p on p.id = a.pilot_id
                           where a.officer_id = o.id and p.slug = 'calgary-2023'
                             and $1::date between a.starts_on and a.ends_on)
              and not exists (select 1 from shift_members m
                               where m.officer_id = o.id and m.counts
                                 and m.shift_period && tstzrange($2::timestamptz, $3::timestamptz))
            order by o.id limit $4"#,
    )
    .bind(day)
    .bind(period.0)
    .bind(period.1)
    .bind(how_many)
    .fetch_all(db)
    .await
    .expect("the free officers");
    assert_eq!(officers.len() as i64, how_many, "enough officers are free");
    officers
}

/// The screens every page is checked on: a laptop's and a phone's, in CSS pixels.
const SCREENS: [(u32, u32); 2] = [(1366, 900), (390, 844)];

/// Every page, as every role that may see it, on a laptop's and a phone's screen: axe finds
/// nothing against WCAG 2.2 AA or its best practices, and nothing is wider than the window (a
/// wide table scrolls inside its own region).
#[tokio::test]
async fn every_page_passes_axe_and_fits_a_laptop_and_a_phone_for_every_role_that_may_see_it() {
    let Some(browser) = Browser::seeded().await else {
        return;
    };
    let mut problems = Vec::new();

    for role in Role::ALL {
        browser.sign_out().await;
        browser.sign_in_as(role).await;
        // A page listed for several audiences is opened once, waiting for all it shows this role.
        let mut pages: Vec<(&str, Vec<&str>)> = Vec::new();
        for (path, audience, shows) in EVERY_PAGE {
            if !audience.admits(role) {
                continue;
            }
            match pages.iter_mut().find(|(p, _)| p == path) {
                Some((_, all)) => all.push(shows),
                None => pages.push((path, vec![shows])),
            }
        }
        for (width, height) in SCREENS {
            browser.resize(width, height).await;
            for (path, shows) in &pages {
                browser.goto(path).await;
                for css in shows {
                    browser.wait_for(css).await;
                }
                let overflow = browser.overflow().await;
                if overflow > 0 {
                    problems.push(format!(
                        "{path} as {role} at {width}px scrolls sideways by {overflow}px"
                    ));
                }
                if let Some(report) = browser.axe_report().await {
                    problems.push(format!("as {role} at {width}px, {report}"));
                }
            }
        }
    }

    assert!(problems.is_empty(), "{}", problems.join("\n"));
    browser.close().await;
}

#[tokio::test]
async fn axe_reports_an_image_without_alt_text_and_where_it_is() {
    let Some(browser) = Browser::seeded().await else {
        return;
    };
    browser.goto("/login").await;
    let main = browser.wait_for("main").await;
    // A broken page, made in the browser: proves axe really runs under the page's CSP.
    let add_image = "const img = document.createElement('img'); img.id = 'no-alt'; \
                     img.src = '/static/none.png'; arguments[0].append(img);";
    browser
        .client()
        .execute(add_image, vec![serde_json::to_value(&main).unwrap()])
        .await
        .unwrap();

    let violations = browser::axe_violations(browser.client()).await;

    let image_alt = violations.iter().find(|v| v.id == "image-alt");
    let image_alt = image_alt.unwrap_or_else(|| panic!("image-alt is reported: {violations:?}"));
    assert_eq!(image_alt.impact.as_deref(), Some("critical"));
    assert_eq!(image_alt.nodes[0].target, ["#no-alt"]);
    assert!(image_alt.nodes[0].html.starts_with("<img"), "{image_alt}");
    assert!(image_alt.to_string().contains("#no-alt"), "{image_alt}");

    browser.close().await;
}

#[tokio::test]
async fn axe_fails_a_page_on_a_best_practice_finding_of_moderate_impact() {
    let Some(browser) = Browser::seeded().await else {
        return;
    };
    browser.goto("/login").await;
    let main = browser.wait_for("main").await;
    assert_eq!(browser.axe_report().await, None, "the sign-in page passes");
    // A heading four levels below the page's title: a best practice, not a WCAG failure.
    let skip_levels = "const h = document.createElement('h5'); h.id = 'too-deep'; \
                       h.textContent = 'Deep'; arguments[0].append(h);";
    browser
        .client()
        .execute(skip_levels, vec![serde_json::to_value(&main).unwrap()])
        .await
        .unwrap();

    let violations = browser::axe_violations(browser.client()).await;

    let order = violations.iter().find(|v| v.id == "heading-order");
    let order = order.unwrap_or_else(|| panic!("heading-order is reported: {violations:?}"));
    assert_eq!(order.impact.as_deref(), Some("moderate"));
    let report = browser.axe_report().await.expect("the page fails");
    assert!(
        report.contains("heading-order") && report.contains("#too-deep"),
        "{report}"
    );

    browser.close().await;
}

#[tokio::test]
async fn a_supervisor_creates_a_shift_through_the_real_form_and_sees_it_on_the_grid() {
    let Some(browser) = Browser::seeded().await else {
        return;
    };
    // An officer free in the small hours of Wednesday 15 March 2023.
    let free = free_officers(
        browser.db(),
        "2023-03-15",
        ("2023-03-15 01:00-06", "2023-03-15 13:00-06"),
        1,
    );
    let (officer, name) = free.await.remove(0);
    browser.sign_in_as(Role::Supervisor).await;
    browser
        .goto("/pilots/calgary-2023/shifts/new?week=2023-W11")
        .await;
    browser.wait_for("#team_id").await;
    let client = browser.client();
    // Date-time inputs take typed keys in a locale-dependent order; set their values as a user's
    // picker would, then send the form with its own button.
    client
        .execute(
            r#"document.getElementById('team_id').selectedIndex = 1;
               document.getElementById('starts_at').value = '2023-03-15T03:00';
               document.getElementById('ends_at').value = '2023-03-15T07:00';
               document.getElementById('notes').value = 'Made in the browser';"#,
            vec![],
        )
        .await
        .expect("the form is filled");
    let checkbox = client
        .find(fantoccini::Locator::Css(&format!(
            "input[name=officer_ids][value='{officer}']"
        )))
        .await
        .expect("the officer is listed");
    checkbox.click().await.expect("the officer is chosen");
    let save = client
        .find(fantoccini::Locator::Css("form.stacked button[type=submit]"))
        .await
        .expect("the save button");
    client
        .execute("window.patrolboardSamePage = true", vec![])
        .await
        .expect("the page is marked");
    browser.submit_and_wait(&save).await;

    let same_page = client
        .execute("return window.patrolboardSamePage === true", vec![])
        .await
        .expect("the mark is read");
    assert_eq!(
        same_page,
        serde_json::Value::Bool(true),
        "htmx swapped the roster in place"
    );
    assert!(
        browser
            .path()
            .await
            .starts_with("/pilots/calgary-2023/roster"),
        "{}",
        browser.visible_text().await
    );
    let card = browser.wait_for("article.shift.highlighted").await;
    let text = card.text().await.expect("the card's text");
    assert!(
        text.contains("03:00–07:00") && text.contains(&name),
        "{text}"
    );
    let notice = browser
        .wait_for("[role=status]")
        .await
        .text()
        .await
        .unwrap();
    assert!(notice.starts_with("Shift created"), "{notice}");
    browser.assert_no_axe_violations().await;
    browser.close().await;
}

#[tokio::test]
async fn the_dashboard_filter_keeps_the_maps_shading_and_the_shading_links_keep_the_filter() {
    let Some(browser) = Browser::seeded().await else {
        return;
    };
    browser.sign_in_as(Role::Viewer).await;
    browser
        .goto("/pilots/calgary-2023?from=2023-03-06&to=2023-03-19&shade=planned")
        .await;
    browser.wait_for("figure.chart-map").await;
    let client = browser.client();
    client
        .execute("document.getElementById('district').value = 'BLN'", vec![])
        .await
        .expect("a district is chosen");
    let show = client
        .find(fantoccini::Locator::Css("form#filter button[type=submit]"))
        .await
        .expect("the filter's button");

    browser.submit_and_wait(&show).await;

    let path = browser.path().await;
    assert!(
        path.contains("district=BLN") && path.contains("shade=planned"),
        "{path}"
    );
    let caption = browser.wait_for("figure.chart-map figcaption").await;
    assert_eq!(
        caption.text().await.unwrap(),
        "Planned coverage by district"
    );
    let delivered = browser.wait_for("nav.shade-by a:not([aria-current])").await;
    browser.submit_and_wait(&delivered).await;
    let path = browser.path().await;
    assert!(
        path.contains("from=2023-03-06")
            && path.contains("district=BLN")
            && path.contains("shade=delivered"),
        "{path}"
    );
    browser.close().await;
}
