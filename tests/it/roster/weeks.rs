//! The roster week of the demo, and copying a week.

use axum::http::StatusCode;
use patrolboard::domain::Role;

use super::{fields, setup, with};
use crate::common::app::post;
use crate::common::app::{TestApp, attr};
use crate::common::scalar;

#[tokio::test]
async fn the_demo_roster_week_shows_teams_days_hours_and_blocks_to_fill() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Viewer).await;
    let week = app
        .get("/pilots/calgary-2023/roster?week=2023-W11", Some(&cookie))
        .await;
    assert_eq!(week.status, StatusCode::OK);
    assert_eq!(week.texts("table.roster thead th").len(), 8);
    assert_eq!(
        week.texts("table.roster tbody tr").len(),
        9,
        "one row per team"
    );
    assert!(!week.texts("article.shift").is_empty());
    assert!(
        week.texts("ul.totals li")[2].contains("hotspot-blocks this week have no planned coverage")
    );
    assert_eq!(week.texts("a[rel=prev]"), ["← Week 2023-W10"]);
    let bad = app
        .get("/pilots/calgary-2023/roster?week=someday", Some(&cookie))
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn copying_a_week_copies_what_fits_and_lists_what_would_clash() {
    let (app, f, cookie) = setup().await;
    let tuesday = with(
        with(fields(&f), "starts_at", "2023-03-07T07:00"),
        "ends_at",
        "2023-03-07T17:00",
    );
    post(&app, "/pilots/test/shifts", &tuesday, &cookie).await;
    post(
        &app,
        "/pilots/test/shifts",
        &with(fields(&f), "officer_ids", &f.sheriff.to_string()),
        &cookie,
    )
    .await;
    let blocker = with(
        with(
            with(fields(&f), "starts_at", "2023-03-14T08:00"),
            "ends_at",
            "2023-03-14T12:00",
        ),
        "officer_ids",
        &f.constable.to_string(),
    );
    assert_eq!(
        post(&app, "/pilots/test/shifts", &blocker, &cookie)
            .await
            .status,
        StatusCode::SEE_OTHER
    );

    let copy = [
        ("from_week".to_string(), "2023-W10".to_string()),
        ("to_week".to_string(), "2023-W11".to_string()),
    ];
    let response = post(&app, "/pilots/test/roster/copy", &copy, &cookie).await;

    assert_eq!(response.status, StatusCode::OK);
    assert!(
        response.texts("#copy-result")[0].contains("Copied 1 shifts"),
        "{:?}",
        response.texts("#copy-result")
    );
    let skipped = response.texts("table.data tbody td");
    assert_eq!(skipped.len(), 1);
    assert!(
        skipped[0].contains("Constable Brook is already on shift"),
        "{skipped:?}"
    );
    let hours: f64 = sqlx::query_scalar(
        r#"select extract(epoch from ends_at - starts_at)::float8 / 3600 from shifts
            where (starts_at at time zone 'America/Edmonton')::date = '2023-03-18'"#,
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(
        hours, 8.0,
        "22:00 to 06:00 copied off the spring-forward night lasts 8 hours again"
    );
    assert_eq!(
        scalar(
            &app.db,
            "select count(*) from audit_log where action = 'copy'"
        )
        .await,
        1
    );

    let outside = [
        ("from_week".to_string(), "2023-W13".to_string()),
        ("to_week".to_string(), "2023-W14".to_string()),
    ];
    post(
        &app,
        "/pilots/test/shifts",
        &with(
            with(fields(&f), "starts_at", "2023-03-30T07:00"),
            "ends_at",
            "2023-03-30T17:00",
        ),
        &cookie,
    )
    .await;
    let response = post(&app, "/pilots/test/roster/copy", &outside, &cookie).await;
    assert!(response.texts("table.data tbody td")[0].contains("pilot runs"));
}

#[tokio::test]
async fn each_plus_names_its_team_and_day_and_opens_the_form_on_that_day() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Supervisor).await;
    let week = app
        .get("/pilots/calgary-2023/roster?week=2023-W11", Some(&cookie))
        .await;
    assert_eq!(week.status, StatusCode::OK);
    let html = week.html();
    let plus = scraper::Selector::parse("table.roster a.add").unwrap();
    let row = scraper::Selector::parse("table.roster tbody tr").unwrap();
    let name = scraper::Selector::parse("th[scope=row]").unwrap();
    let rows: Vec<_> = html.select(&row).collect();
    assert!(!rows.is_empty());
    for row in rows {
        let team: String = row
            .select(&name)
            .next()
            .unwrap()
            .text()
            .next()
            .unwrap()
            .into();
        let labels: Vec<&str> = row
            .select(&plus)
            .map(|a| a.value().attr("aria-label").unwrap())
            .collect();
        // 13 to 19 March 2023, every day inside the pilot.
        let days = [
            "Mon 13 Mar",
            "Tue 14 Mar",
            "Wed 15 Mar",
            "Thu 16 Mar",
            "Fri 17 Mar",
            "Sat 18 Mar",
            "Sun 19 Mar",
        ];
        let expected: Vec<String> = days
            .iter()
            .map(|day| format!("New shift for {} on {day}", team.trim()))
            .collect();
        assert_eq!(labels, expected);
    }
    let thursday = html
        .select(&plus)
        .find(|a| {
            a.value()
                .attr("aria-label")
                .unwrap()
                .ends_with("Thu 16 Mar")
        })
        .unwrap()
        .value()
        .attr("href")
        .unwrap()
        .to_owned();
    let form = app.get(&thursday, Some(&cookie)).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert_eq!(
        attr(&form, "input[name=starts_at]", "value").as_deref(),
        Some("2023-03-16T07:00")
    );
}

#[tokio::test]
async fn a_week_outside_the_pilot_is_read_only_and_says_so_at_the_top() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Supervisor).await;
    // The pilot runs 27 February to 31 May 2023; the week of 20 February is before it, and the
    // week of 29 May holds its last three days.
    let before = app
        .get("/pilots/calgary-2023/roster?week=2023-W08", Some(&cookie))
        .await;
    assert_eq!(before.status, StatusCode::OK);
    assert_eq!(
        before.texts("p.read-only"),
        [
            "Week 2023-W08 is outside the pilot (Mon 27 Feb 2023 to Wed 31 May 2023): it is shown read-only."
        ]
    );
    assert!(before.texts("table.roster a.add").is_empty());
    assert!(attr(&before, "a[href*='/shifts/new']", "href").is_none());
    assert!(attr(&before, "a[href*='/roster/copy']", "href").is_none());

    let last = app
        .get("/pilots/calgary-2023/roster?week=2023-W22", Some(&cookie))
        .await;
    assert!(last.texts("p.read-only").is_empty());
    let html = last.html();
    let plus = scraper::Selector::parse("table.roster tbody tr:first-child a.add").unwrap();
    let days: Vec<&str> = html
        .select(&plus)
        .map(|a| {
            a.value()
                .attr("aria-label")
                .unwrap()
                .rsplit(" on ")
                .next()
                .unwrap()
        })
        .collect();
    assert_eq!(days, ["Mon 29 May", "Tue 30 May", "Wed 31 May"]);
}

#[tokio::test]
async fn the_week_lists_its_days_with_their_shifts_each_leading_to_the_days_list() {
    let app = crate::common::app::TestApp::seeded().await;
    let cookie = app.sign_in_as(patrolboard::domain::Role::Viewer).await;
    let page = app
        .get("/pilots/calgary-2023/roster?week=2023-W11", Some(&cookie))
        .await;
    let days = page.texts("nav.day-list li");
    assert_eq!(days.len(), 7);
    for (i, text) in days.iter().enumerate() {
        let day =
            chrono::NaiveDate::from_ymd_opt(2023, 3, 13).unwrap() + chrono::Days::new(i as u64);
        let live = crate::common::scalar(
            &app.db,
            &format!(
                "select count(*) from shifts s join pilots p on p.id = s.pilot_id
                  where p.slug = 'calgary-2023' and s.status <> 'cancelled'
                    and (s.starts_at at time zone p.time_zone)::date = '{day}'"
            ),
        )
        .await;
        let noun = if live == 1 { "shift" } else { "shifts" };
        assert_eq!(
            *text,
            format!("{} {live} {noun}", day.format("%a %-d %b")),
            "{day}"
        );
    }
    assert_eq!(
        crate::common::app::attr(&page, "nav.day-list li a", "href").as_deref(),
        Some("/pilots/calgary-2023/roster/day?date=2023-03-13")
    );
}
