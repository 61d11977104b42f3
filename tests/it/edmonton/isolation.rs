//! Two pilots side by side: each one's dashboard, officer list and roster show its own
//! districts, officers and teams, and none of the other's.

use super::files::{BIKES, DISTRICTS, OFFICERS, PAIR};
use super::{Pilots, SLUG, enter_edmonton};

const CALGARY: &str = "calgary-2023";

/// The district rows of a pilot's dashboard for the week of 13 March, sorted.
async fn district_names(pilots: &Pilots, slug: &str) -> Vec<String> {
    let page = pilots
        .get_ok(&format!("/pilots/{slug}?from=2023-03-13&to=2023-03-19"))
        .await;
    sorted(page.texts("table.figures tbody th[scope=row] a"))
}

/// The officers listed on a pilot's officer page, sorted.
async fn officer_names(pilots: &Pilots, slug: &str) -> Vec<String> {
    let page = pilots.get_ok(&format!("/pilots/{slug}/officers")).await;
    sorted(page.texts("table.figures tbody th[scope=row] a"))
}

/// The row headings (team name, then its kind) of a pilot's roster for the week of 13 March.
async fn roster_rows(pilots: &Pilots, slug: &str) -> Vec<String> {
    let page = pilots
        .get_ok(&format!("/pilots/{slug}/roster?week=2023-W11"))
        .await;
    page.texts("table.roster tbody th[scope=row]")
}

fn sorted(mut names: Vec<String>) -> Vec<String> {
    names.sort();
    names
}

#[tokio::test]
async fn each_pilots_pages_show_only_its_own_districts_officers_and_teams() {
    let pilots = enter_edmonton().await;
    let calgary_districts: Vec<String> = {
        let all = pilots.calgary_before["districts"].as_array().unwrap();
        sorted(
            all.iter()
                .map(|d| d["name"].as_str().unwrap().to_string())
                .collect(),
        )
    };
    let ours = |names: &[&str]| sorted(names.iter().map(|n| n.to_string()).collect());

    assert_eq!(
        district_names(&pilots, SLUG).await,
        ours(&DISTRICTS.map(|d| d.name))
    );
    assert_eq!(district_names(&pilots, CALGARY).await, calgary_districts);

    let edmonton_officers = ours(&OFFICERS.map(|(_, _, name, _)| name));
    assert_eq!(officer_names(&pilots, SLUG).await, edmonton_officers);
    let calgary_officers = officer_names(&pilots, CALGARY).await;
    assert!(!calgary_officers.is_empty());
    assert!(
        calgary_officers
            .iter()
            .all(|name| !edmonton_officers.contains(name)),
        "{calgary_officers:?}"
    );

    let teams = roster_rows(&pilots, SLUG).await;
    assert_eq!(teams.len(), 2, "{teams:?}");
    for team in [PAIR, BIKES] {
        assert!(
            teams.iter().any(|row| row.starts_with(team)),
            "{team}: {teams:?}"
        );
    }
    let calgary_teams = roster_rows(&pilots, CALGARY).await;
    assert!(!calgary_teams.is_empty());
    assert!(
        calgary_teams
            .iter()
            .all(|row| !row.starts_with(PAIR) && !row.starts_with(BIKES)),
        "{calgary_teams:?}"
    );
}
