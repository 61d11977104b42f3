//! Officers, teams and assignments: the forms of analysts and admins (adding an officer to a
//! pilot, editing one, editing and ending their assignments, the teams page), who may use them,
//! their audit entries, the officer-hours an agency change moves, and the officers import from
//! the service, the shell and the upload page.

mod assignments;
mod hours;
mod import;
mod import_runs;
mod officers;
mod paging;
mod pilots;
mod teams;

use patrolboard::domain::ids::OfficerId;
use serde_json::Value;
use sqlx::PgPool;

use crate::common::app::TestResponse;
use crate::common::fixture::{Fixture, PilotBuilder};

/// The slug of the tests' pilot.
const PILOT: &str = "people-2023";

/// A pilot for March 2023 with the two agencies of the Calgary pilot on file.
fn pilot() -> PilotBuilder {
    Fixture::pilot(PILOT)
        .agency("alberta_sheriffs", "Alberta Sheriffs", "Sheriffs")
        .agency("cps", "Calgary Police Service", "CPS")
}

/// An officer as stored: agency, badge number, name, rank, home unit.
type StoredOfficer = (String, String, String, String, String);

async fn officer_by_badge(
    db: &PgPool,
    agency: &str,
    badge: &str,
) -> Option<(OfficerId, StoredOfficer)> {
    let row: Option<(i64, String, String, String, String, String)> = sqlx::query_as(
        "select id, agency, badge_number, name, rank, home_unit from officers
          where agency = $1 and badge_number = $2",
    )
    .bind(agency)
    .bind(badge)
    .fetch_optional(db)
    .await
    .unwrap();
    row.map(|(id, a, b, n, r, h)| (OfficerId(id), (a, b, n, r, h)))
}

/// An assignment as stored: first and last day, role, team's name.
type StoredAssignment = (String, String, String, Option<String>);

/// The officer's assignments to the tests' pilot, in date order.
async fn assignments_of(db: &PgPool, officer_id: OfficerId) -> Vec<StoredAssignment> {
    sqlx::query_as(
        "select a.starts_on::text, a.ends_on::text, a.role, t.name
           from assignments a join pilots p on p.id = a.pilot_id
           left join teams t on t.id = a.team_id
          where p.slug = $1 and a.officer_id = $2
          order by a.starts_on",
    )
    .bind(PILOT)
    .bind(officer_id)
    .fetch_all(db)
    .await
    .unwrap()
}

/// Audit entries about `entity`: author, action, entity id, before and after.
type Entry = (
    Option<i64>,
    String,
    Option<i64>,
    Option<Value>,
    Option<Value>,
);

async fn audited(db: &PgPool, entity: &str) -> Vec<Entry> {
    sqlx::query_as(
        "select user_id, action, entity_id, before, after from audit_log
          where entity = $1 order by id",
    )
    .bind(entity)
    .fetch_all(db)
    .await
    .unwrap()
}

/// How many rows `table` holds.
async fn count(db: &PgPool, table: &str) -> i64 {
    crate::common::scalar(db, &format!("select count(*) from {table}")).await
}

/// The problem shown beside the field with id `id`, if any.
fn problem(response: &TestResponse, id: &str) -> Option<String> {
    response.texts(&format!("#{id}-error")).into_iter().next()
}

/// The rows of the table matching `table`, each as its cells' texts joined by ` | `.
fn rows(response: &TestResponse, table: &str) -> Vec<String> {
    let html = response.html();
    let row = scraper::Selector::parse(&format!("{table} tbody tr")).unwrap();
    let cell = scraper::Selector::parse("th, td").unwrap();
    html.select(&row)
        .map(|tr| {
            let cells: Vec<String> = tr
                .select(&cell)
                .map(|c| c.text().collect::<String>().trim().to_string())
                .collect();
            cells.join(" | ")
        })
        .collect()
}

/// The id of the signed-in test account of `role`.
async fn user_id(db: &PgPool, role: &str) -> i64 {
    sqlx::query_scalar("select id from users where username = $1")
        .bind(format!("test-{role}"))
        .fetch_one(db)
        .await
        .unwrap()
}
