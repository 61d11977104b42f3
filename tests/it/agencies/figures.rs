//! Figures and labels by agency for a pilot with a third agency: every agency of the table gets
//! its own line, with hours computed here from the fixture's shifts.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use chrono::{NaiveDateTime, TimeZone};
use chrono_tz::America::Edmonton;
use patrolboard::domain::Role;

use crate::common::app::TestApp;
use crate::common::fixture::Fixture;

const PLAZA: &str = "Olympic Plaza";

/// The officers: name, agency code, badge.
const OFFICERS: [(&str, &str, &str); 3] = [
    ("Sheriff Avery", "alberta_sheriffs", "S-1"),
    ("Constable Brook", "cps", "4001"),
    ("Constable Edda", "eps", "E-7"),
];

/// The agencies in the order of their names: code, name and label.
const AGENCIES: [(&str, &str, &str); 3] = [
    ("alberta_sheriffs", "Alberta Sheriffs", "Sheriffs"),
    ("cps", "Calgary Police Service", "CPS"),
    ("eps", "Edmonton Police Service", "EPS"),
];

/// The shifts of the week of 13 March: local start, end, and members.
const SHIFTS: [(&str, &str, &[&str]); 3] = [
    (
        "2023-03-13 08:00",
        "2023-03-13 16:00",
        &["Sheriff Avery", "Constable Brook", "Constable Edda"],
    ),
    ("2023-03-14 08:00", "2023-03-14 14:30", &["Constable Edda"]),
    (
        "2023-03-15 09:00",
        "2023-03-15 12:15",
        &["Constable Brook", "Constable Edda"],
    ),
];

/// Hours of each agency over [`SHIFTS`], by code.
fn hours_by_agency() -> BTreeMap<&'static str, f64> {
    let at = |text: &str| {
        let local = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap();
        Edmonton.from_local_datetime(&local).unwrap()
    };
    let mut hours = BTreeMap::new();
    for (starts, ends, members) in SHIFTS {
        let length = (at(ends) - at(starts)).num_seconds() as f64 / 3600.0;
        for member in members {
            let (_, code, _) = OFFICERS.iter().find(|(name, ..)| name == member).unwrap();
            *hours.entry(*code).or_default() += length;
        }
    }
    hours
}

async fn pilot(app: &TestApp) {
    let mut f = Fixture::pilot("three")
        // No shapes, which no import takes: these pages do not draw the hotspot.
        .places_stored_as_is()
        .district("DNC", |d| d.name("Downtown Commercial Core"))
        .hotspot(PLAZA, |h| h.window("08:00", "20:00"));
    for (code, name, label) in AGENCIES {
        f = f.agency(code, name, label);
    }
    for (name, code, badge) in OFFICERS {
        f = f
            .officer(name, code, badge)
            .assignment(name, "pilot", "2023-03-01", "2023-03-31");
    }
    f = f.team("Pair 1", "foot", &OFFICERS.map(|(name, ..)| name));
    for (starts, ends, members) in SHIFTS {
        f = f.shift("Pair 1", starts, ends, |s| {
            s.members(members).hotspots(&[PLAZA])
        });
    }
    f.build(&app.db).await;
}

#[tokio::test]
async fn a_third_agency_has_its_own_hours_on_the_dashboard_roster_and_officers_pages() {
    let app = TestApp::empty().await;
    pilot(&app).await;
    let cookie = app.sign_in_as(Role::Admin).await;
    let hours = hours_by_agency();
    let shown = |code: &str| format!("{:.1}", hours[code]);

    let dashboard = app
        .get("/pilots/three?from=2023-03-01&to=2023-03-31", Some(&cookie))
        .await;
    assert_eq!(dashboard.status, StatusCode::OK);
    let total: f64 = hours.values().sum();
    let spoken = |hours: f64| patrolboard::domain::numbers::duration(hours * 60.0);
    assert_eq!(dashboard.texts(".stat .value")[2], spoken(total));
    let by_label: Vec<String> = AGENCIES
        .iter()
        .map(|(code, _, label)| format!("{label} {}", spoken(hours[code])))
        .collect();
    assert_eq!(
        dashboard.texts(".stat .detail")[2],
        format!("officer-hours on shift: {}", by_label.join(", "))
    );

    let roster = app
        .get("/pilots/three/roster?week=2023-W11", Some(&cookie))
        .await;
    assert_eq!(roster.status, StatusCode::OK);
    let totals = roster.texts("ul.totals li");
    for (i, (code, name, _)) in AGENCIES.iter().enumerate() {
        assert_eq!(totals[i], format!("{name}: {} officer-hours", shown(code)));
    }
    // Each card's members by agency, with the agency's label; the cards in day order.
    let labels = roster.texts("article.shift .agency");
    assert_eq!(labels, ["Sheriffs", "CPS", "EPS", "EPS", "CPS", "EPS"]);
    let caption = roster.texts("table.roster caption").join("");
    assert!(
        caption.contains("EPS = Edmonton Police Service"),
        "{caption}"
    );

    let officers = app
        .get(
            "/pilots/three/officers?from=2023-03-01&to=2023-03-31",
            Some(&cookie),
        )
        .await;
    assert_eq!(officers.status, StatusCode::OK);
    let totals = officers.texts("ul.totals li");
    assert_eq!(totals.len(), 3);
    for (i, (code, name, _)) in AGENCIES.iter().enumerate() {
        let line = format!("{name}: 1 officers, {} hours on shift", shown(code));
        assert_eq!(totals[i], line);
    }
    let agencies: Vec<String> = officers.texts("table.figures tbody td:nth-child(4)");
    assert_eq!(
        agencies,
        AGENCIES.map(|(_, name, _)| name.to_string()),
        "by agency, named"
    );

    let form = app
        .get("/pilots/three/shifts/new?week=2023-W11", Some(&cookie))
        .await;
    let groups = form.texts("fieldset p.group");
    assert_eq!(groups, AGENCIES.map(|(_, name, _)| name.to_string()));
}
