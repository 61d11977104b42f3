//! Roster editing through the router over a real PostgreSQL: the form contract of docs/interface.md,
//! validation, clashes under concurrency, optimistic locking, short rest and the audit trail.

mod access;
mod cancel;
mod conflicts;
mod day;
mod filter;
mod form;
mod warnings;
mod weeks;

use patrolboard::domain::Role;
use patrolboard::domain::ids::{HotspotId, OfficerId, TeamId};
use sqlx::PgPool;

use crate::common::app::TestApp;
use crate::common::fixture::Fixture;

/// A small pilot: one team, a sheriff and two CPS members (one assigned only from 15 March), a
/// hotspot for the whole pilot and one retired on 10 March.
struct Roster {
    team: TeamId,
    sheriff: OfficerId,
    constable: OfficerId,
    late_constable: OfficerId,
    plaza: HotspotId,
    retired: HotspotId,
}

async fn fixture(db: &PgPool) -> Roster {
    let f = Fixture::pilot("test")
        // No shapes, which no import takes: the roster never looks at the map.
        .places_stored_as_is()
        .district("DNC", |d| d.name("Downtown Commercial Core"))
        .hotspot("Olympic Plaza", |h| h.window("10:00", "02:00"))
        .hotspot("Kerby Station", |h| {
            h.window("10:00", "02:00").active_to("2023-03-10")
        })
        .team("Pair 1", "foot", &[])
        .officer("Sheriff Avery", "alberta_sheriffs", "S-1")
        .officer("Constable Brook", "cps", "4001")
        .officer("Constable Cole", "cps", "4002")
        .assignment("Sheriff Avery", "pilot", "2023-03-01", "2023-03-31")
        .assignment("Constable Brook", "pilot", "2023-03-01", "2023-03-31")
        .assignment("Constable Cole", "pilot", "2023-03-15", "2023-03-31")
        .build(db)
        .await;
    Roster {
        team: f.team("Pair 1"),
        sheriff: f.officer("Sheriff Avery"),
        constable: f.officer("Constable Brook"),
        late_constable: f.officer("Constable Cole"),
        plaza: f.hotspot("Olympic Plaza"),
        retired: f.hotspot("Kerby Station"),
    }
}

/// Form fields in order, repeated keys allowed.
type Fields = Vec<(String, String)>;

/// The form fields of a good shift: 22:00 on 11 March to 06:00 on 12 March (the spring-forward night).
fn fields(f: &Roster) -> Vec<(String, String)> {
    vec![
        ("team_id".into(), f.team.to_string()),
        ("starts_at".into(), "2023-03-11T22:00".into()),
        ("ends_at".into(), "2023-03-12T06:00".into()),
        ("mode".into(), "foot".into()),
        ("officer_ids".into(), f.sheriff.to_string()),
        ("officer_ids".into(), f.constable.to_string()),
        ("hotspot_ids".into(), f.plaza.to_string()),
        ("notes".into(), "Focus on the plaza after close".into()),
    ]
}

fn with(mut fields: Vec<(String, String)>, key: &str, value: &str) -> Vec<(String, String)> {
    fields.retain(|(k, _)| k != key);
    fields.push((key.into(), value.into()));
    fields
}

async fn setup() -> (TestApp, Roster, String) {
    let app = TestApp::empty().await;
    let f = fixture(&app.db).await;
    let cookie = app.sign_in_as(Role::Supervisor).await;
    (app, f, cookie)
}

/// A redirect's address as the browser requests it: the fragment stays in the browser.
fn without_fragment(location: &str) -> &str {
    location.split('#').next().unwrap_or(location)
}
