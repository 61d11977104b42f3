//! The roster week narrowed to a district or a team, and a city's many teams twenty-five to a page.

use axum::http::StatusCode;
use patrolboard::domain::Role;

use crate::common::app::{TestApp, attr};
use crate::common::fixture::Fixture;

#[tokio::test]
async fn a_district_shows_the_teams_with_shifts_to_its_hotspots_and_only_those_shifts() {
    let app = TestApp::seeded().await;
    let cookie = app.sign_in_as(Role::Viewer).await;
    let (monday, sunday) = ("2023-03-13", "2023-03-19");
    let expected: Vec<String> = sqlx::query_scalar(
        r#"select distinct t.name from shifts s
             join pilots p on p.id = s.pilot_id and p.slug = 'calgary-2023'
             join teams t on t.id = s.team_id
             join shift_hotspots sh on sh.shift_id = s.id
             join hotspots h on h.id = sh.hotspot_id
             join districts d on d.id = h.district_id and d.code = 'DNC'
            where (s.starts_at at time zone p.time_zone)::date between $1::date and $2::date
            order by t.name"#,
    )
    .bind(monday)
    .bind(sunday)
    .fetch_all(&app.db)
    .await
    .unwrap();
    let dnc_hotspots: Vec<String> = sqlx::query_scalar(
        "select h.name from hotspots h join districts d on d.id = h.district_id where d.code = 'DNC'",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert!(!expected.is_empty());

    let all = app
        .get("/pilots/calgary-2023/roster?week=2023-W11", Some(&cookie))
        .await;
    let page = app
        .get(
            "/pilots/calgary-2023/roster?week=2023-W11&district=DNC",
            Some(&cookie),
        )
        .await;

    assert_eq!(page.status, StatusCode::OK);
    let rows = page.texts("table.roster tbody th[scope=row]");
    assert_eq!(rows.len(), expected.len(), "{rows:?}");
    for (row, team) in rows.iter().zip(&expected) {
        assert!(row.starts_with(team.as_str()), "{row:?} is {team:?}");
    }
    let cards = page.texts("table.roster article p.hotspots");
    assert!(!cards.is_empty());
    for card in &cards {
        assert!(
            dnc_hotspots.iter().any(|h| card.contains(h.as_str())),
            "{card}"
        );
    }
    assert!(page.texts("table.roster article").len() < all.texts("table.roster article").len());
    assert_eq!(
        attr(&page, "#district option[selected]", "value").as_deref(),
        Some("DNC")
    );
    let next_week = attr(&page, "nav.weeks a[rel=next]", "href").unwrap();
    assert!(next_week.contains("district=DNC"), "{next_week}");
}

#[tokio::test]
async fn sixty_teams_come_twenty_five_to_a_page_and_one_team_can_be_shown_alone() {
    let app = TestApp::empty().await;
    let mut fixture = Fixture::pilot("many-teams").days("2023-03-01", "2023-03-31");
    for n in 1..=60 {
        fixture = fixture.team(&format!("Team {n:02}"), "foot", &[]);
    }
    let f = fixture.build(&app.db).await;
    let cookie = app.sign_in_as(Role::Viewer).await;
    let week = "/pilots/many-teams/roster?week=2023-W10";

    let first = app.get(week, Some(&cookie)).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.texts("table.roster tbody tr").len(), 25);
    assert_eq!(first.texts("#teams-shown"), ["Teams 1 to 25 of 60"]);
    assert!(attr(&first, "nav.pager a[rel=prev]", "href").is_none());
    let more = attr(&first, "nav.pager a[rel=next]", "href").unwrap();

    let second = app.get(&more, Some(&cookie)).await;
    assert_eq!(second.texts("table.roster tbody tr").len(), 25);
    assert_eq!(second.texts("#teams-shown"), ["Teams 26 to 50 of 60"]);
    assert!(attr(&second, "nav.pager a[rel=prev]", "href").is_some());
    let last = attr(&second, "nav.pager a[rel=next]", "href").unwrap();
    let third = app.get(&last, Some(&cookie)).await;
    assert_eq!(third.texts("table.roster tbody tr").len(), 10);
    assert_eq!(third.texts("#teams-shown"), ["Teams 51 to 60 of 60"]);
    assert!(attr(&third, "nav.pager a[rel=next]", "href").is_none());

    let team = f.team("Team 42");
    let alone = app.get(&format!("{week}&team={team}"), Some(&cookie)).await;
    assert_eq!(alone.texts("#teams-shown"), ["1 team"]);
    assert!(alone.texts("table.roster tbody th[scope=row]")[0].starts_with("Team 42"));

    let bad = app
        .get(&format!("{week}&team=forty-two"), Some(&cookie))
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}
