//! What an officer's or a team's feed says, across the spring-forward night.

use axum::http::{StatusCode, header};

use super::ics::{Calendar, instant, unescape};
use super::{fetch, fixture, make_link, supervisor};
use crate::common::app::{TestApp, TestResponse};

#[tokio::test]
async fn the_spring_forward_night_shift_comes_out_as_seven_hours() {
    let app = TestApp::empty().await;
    let f = fixture(&app.db).await;
    let cookie = supervisor(&app).await;
    let path = make_link(&app, &cookie, "officer_id", f.avery).await;

    let response = fetch(&app, &path).await;

    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(
        response.headers.get(header::CONTENT_TYPE).unwrap(),
        "text/calendar; charset=utf-8"
    );
    let calendar = Calendar::parse(&response.body);
    assert_eq!(calendar.properties["VERSION"], "2.0");
    assert!(calendar.properties.contains_key("PRODID"));
    assert_eq!(
        calendar.events.len(),
        2,
        "Avery's two shifts, not Blake's bike shift"
    );
    let night = calendar.event(&format!("shift-{}@patrolboard", f.dst_night));
    let (start, end) = (instant(&night["DTSTART"]), instant(&night["DTEND"]));
    assert_eq!(night["DTSTART"], "20230312T050000Z", "22:00 MST");
    assert_eq!(night["DTEND"], "20230312T120000Z", "06:00 MDT");
    assert_eq!((end - start).num_hours(), 7);
    assert_eq!(night["STATUS"], "CONFIRMED");
    assert_eq!(night["SEQUENCE"], "2");
    assert!(night.contains_key("DTSTAMP"));
    assert_eq!(
        unescape(&night["SUMMARY"]),
        "Sheriff/CPS Pair 3 (foot patrol)"
    );
    let description = unescape(&night["DESCRIPTION"]);
    assert!(
        description.contains("Hotspots: Olympic Plaza; City Hall, east side"),
        "{description}"
    );
    assert!(
        description.contains("Partners: Blake Chen"),
        "{description}"
    );
    assert!(
        !description.contains("Avery Quinn"),
        "the officer is not their own partner"
    );
    assert!(
        description.contains("radios\\spare batteries.\nWatch"),
        "{description}"
    );
}

#[tokio::test]
async fn cancelled_shifts_are_cancelled_in_the_feed() {
    let app = TestApp::empty().await;
    let f = fixture(&app.db).await;
    let cookie = supervisor(&app).await;
    let path = make_link(&app, &cookie, "officer_id", f.blake).await;

    let calendar = Calendar::parse(&fetch(&app, &path).await.body);

    assert_eq!(calendar.events.len(), 3);
    let cancelled = calendar.event(&format!("shift-{}@patrolboard", f.cancelled));
    assert_eq!(cancelled["STATUS"], "CANCELLED");
    assert_eq!(cancelled["SEQUENCE"], "3");
    assert_eq!(
        (instant(&cancelled["DTEND"]) - instant(&cancelled["DTSTART"])).num_hours(),
        8
    );
    let bike = calendar.event(&format!("shift-{}@patrolboard", f.bike));
    assert_eq!(bike["STATUS"], "CONFIRMED");
    assert!(unescape(&bike["DESCRIPTION"]).contains("Partners: none"));
}

#[tokio::test]
async fn uids_are_stable_across_two_fetches() {
    let app = TestApp::empty().await;
    let f = fixture(&app.db).await;
    let cookie = supervisor(&app).await;
    let path = make_link(&app, &cookie, "team_id", f.pair).await;

    let first = fetch(&app, &path).await;
    let second = fetch(&app, &path).await;

    let uids = |r: &TestResponse| -> Vec<String> {
        Calendar::parse(&r.body)
            .events
            .iter()
            .map(|e| e["UID"].clone())
            .collect()
    };
    assert_eq!(
        uids(&first),
        [
            format!("shift-{}@patrolboard", f.dst_night),
            format!("shift-{}@patrolboard", f.cancelled)
        ]
    );
    assert_eq!(uids(&first), uids(&second));
    assert_eq!(
        first.body, second.body,
        "nothing changed, so the feed is the same"
    );
}

#[tokio::test]
async fn a_team_feed_lists_every_shift_of_the_team_with_its_officers() {
    let app = TestApp::empty().await;
    let f = fixture(&app.db).await;
    let cookie = supervisor(&app).await;
    let path = make_link(&app, &cookie, "team_id", f.pair).await;
    assert!(
        path.starts_with("/calendar/teams/") && path.ends_with(".ics"),
        "{path}"
    );

    let calendar = Calendar::parse(&fetch(&app, &path).await.body);

    let night = calendar.event(&format!("shift-{}@patrolboard", f.dst_night));
    assert!(unescape(&night["DESCRIPTION"]).contains("Officers: Avery Quinn, Blake Chen"));
    assert!(calendar.properties["X-WR-CALNAME"].contains("Sheriff/CPS Pair 3"));
}

#[tokio::test]
async fn every_line_is_folded_to_at_most_75_octets() {
    let app = TestApp::empty().await;
    let f = fixture(&app.db).await;
    let cookie = supervisor(&app).await;
    let path = make_link(&app, &cookie, "officer_id", f.avery).await;

    let body = fetch(&app, &path).await.body;

    let physical: Vec<&str> = body.trim_end_matches("\r\n").split("\r\n").collect();
    for line in &physical {
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
    }
    assert!(
        physical.iter().any(|l| l.starts_with(' ')),
        "the long description is folded"
    );
    let description = unescape(
        &Calendar::parse(&body).event(&format!("shift-{}@patrolboard", f.dst_night))["DESCRIPTION"],
    );
    assert!(
        description.contains(
            &"café crowd after midnight, "
                .repeat(6)
                .trim_end()
                .to_string()
        )
    );
}
