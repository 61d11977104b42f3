//! `/pilots/{slug}/evaluation`: the answer in plain words, in the direction and with the interval
//! the API gives, for every role; linked from the pilot's header.

use axum::http::StatusCode;
use patrolboard::domain::Role;

use super::evaluation_json;
use crate::common::app::TestApp;

const PAGE: &str = "/pilots/calgary-2023/evaluation";

#[tokio::test]
async fn the_headline_says_in_words_what_the_api_says_in_numbers() {
    let app = TestApp::seeded().await;
    let viewer = app.sign_in_as(Role::Viewer).await;
    let json = evaluation_json(&app, &viewer, "dataset=crime").await;
    let rr = &json["rate_ratio"]["treated_vs_year_before"];
    let (value, lo, hi) = (
        rr["value"].as_f64().unwrap(),
        rr["ci95"][0].as_f64().unwrap(),
        rr["ci95"][1].as_f64().unwrap(),
    );
    let treated = json["areas"]["treated"].as_array().unwrap().len();

    let page = app.get(PAGE, Some(&viewer)).await;
    assert_eq!(page.status, StatusCode::OK);
    let headlines = page.texts("p.eval-headline");
    let crime = &headlines[0];
    let pct = ((value - 1.0) * 100.0).abs().round();
    let direction = if value < 1.0 { "fell" } else { "rose" };
    assert!(
        crime.starts_with(&format!(
            "Crime in the {treated} patrolled communities {direction} {pct:.0}% relative to the rest of Calgary, against the same months of 2022"
        )),
        "{crime}"
    );
    let signed = |r: f64| {
        let p = ((r - 1.0) * 100.0).round();
        if p > 0.0 {
            format!("+{p:.0}%")
        } else if p < 0.0 {
            format!("−{:.0}%", -p)
        } else {
            "0%".into()
        }
    };
    assert!(
        crime.contains(&format!(
            "95% interval from {} to {}",
            signed(lo),
            signed(hi)
        )),
        "{crime}"
    );
    assert_eq!(
        crime.ends_with("not distinguishable from no change."),
        lo <= 1.0 && hi >= 1.0,
        "{crime}"
    );
    // Disorder has nothing to compare with in the demo's extract, and says so.
    assert!(
        headlines[1].contains("cannot be compared"),
        "{}",
        headlines[1]
    );

    // The limits of the method are on the page.
    let limits = page.texts("#limits-heading + ul li").join(" ");
    assert!(limits.contains("not by hotspot"), "{limits}");
    assert!(limits.contains("more officers are present"), "{limits}");
    // The City's licence is credited.
    assert!(
        page.texts("footer.report-footer p")
            .iter()
            .any(|p| p.contains("Open Government Licence – City of Calgary"))
    );
}

#[tokio::test]
async fn every_role_but_officer_reads_the_evaluation_and_finds_it_in_the_pilot_header() {
    let app = TestApp::seeded().await;
    let officer = app.sign_in_as(Role::Officer).await;
    assert_eq!(
        app.get(PAGE, Some(&officer)).await.status,
        StatusCode::FORBIDDEN
    );
    for role in Role::ALL.into_iter().filter(|r| r.includes(Role::Viewer)) {
        let cookie = app.sign_in_as(role).await;
        let page = app.get(PAGE, Some(&cookie)).await;
        assert_eq!(page.status, StatusCode::OK, "{role}");
        let dashboard = app.get("/pilots/calgary-2023", Some(&cookie)).await;
        let html = dashboard.html();
        let link =
            scraper::Selector::parse(r#"a[href="/pilots/calgary-2023/evaluation"]"#).unwrap();
        assert!(html.select(&link).next().is_some(), "{role} sees the link");
        // The monthly download is offered to those who may export only.
        let csv_links = page.texts(r#"a[href^="/exports/evaluation_monthly.csv"]"#);
        assert_eq!(
            !csv_links.is_empty(),
            role.includes(Role::Supervisor),
            "{role}"
        );
    }
    let anonymous = app.get(PAGE, None).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_weekly_table_of_what_patrols_did_ends_with_the_whole_pilot() {
    let app = TestApp::seeded().await;
    let viewer = app.sign_in_as(Role::Viewer).await;
    let page = app.get(PAGE, Some(&viewer)).await;
    let rows = page.texts("#weeks-caption ~ tbody tr th");
    // 27 Feb – 31 May 2023 touches ISO weeks 9 to 22: 14 weeks, then the total.
    assert_eq!(rows.len(), 15, "{rows:?}");
    assert_eq!(rows.last().map(String::as_str), Some("Whole pilot"));
    // The visits of the total equal the visits stored for the pilot.
    let visits: i64 = sqlx::query_scalar(
        r#"select count(*) from visits v join shifts s on s.id = v.shift_id
             join pilots p on p.id = s.pilot_id
            where p.slug = 'calgary-2023'
              and (v.arrived_at at time zone p.time_zone)::date between p.starts_on and p.ends_on"#,
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let header = page.texts("#weeks-caption ~ thead th");
    let visits_column = header.iter().position(|h| h == "Visits").unwrap();
    let total = page.texts("#weeks-caption ~ tbody tr.total > *");
    assert_eq!(
        total[visits_column].replace(',', ""),
        visits.to_string(),
        "{total:?}"
    );
}
