//! Pilots made and changed by administrators, in the browser and from the shell: the forms, who
//! may use them, the audit log, dates that would leave shifts outside, the stored coverage a new
//! zone rewrites, and every page of a pilot that has nothing in it yet.

mod answer;
mod command;
mod coverage;
mod dates;
mod empty;
mod form;
mod map;

use serde_json::Value;
use sqlx::PgPool;

use crate::common::app::TestResponse;

/// The new-pilot form's fields for `slug`, an Edmonton pilot of March to May 2024, with `changes`
/// made.
pub fn new_pilot<'a>(slug: &'a str, changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let fields = vec![
        ("slug", slug),
        ("name", "Downtown Edmonton 2024"),
        ("city", "Edmonton"),
        ("time_zone", "America/Edmonton"),
        ("starts_on", "2024-03-01"),
        ("ends_on", "2024-05-31"),
        ("block_minutes", "60"),
    ];
    changed(fields, changes)
}

/// The settings form's fields of the demo pilot as stored, with `changes` made.
pub fn demo_settings<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let fields = vec![
        ("name", "Calgary Downtown Sheriffs Pilot 2023"),
        ("city", "Calgary"),
        ("time_zone", "America/Edmonton"),
        ("starts_on", "2023-02-27"),
        ("ends_on", "2023-05-31"),
        ("block_minutes", "60"),
    ];
    changed(fields, changes)
}

/// The settings form of the fixture's pilot `test` as stored (March 2023 in America/Edmonton),
/// with `changes` made.
pub fn settings_of_test<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let fields = vec![
        ("name", "Test pilot"),
        ("city", "Calgary"),
        ("time_zone", "America/Edmonton"),
        ("starts_on", "2023-03-01"),
        ("ends_on", "2023-03-31"),
        ("block_minutes", "60"),
    ];
    changed(fields, changes)
}

/// `fields` with the values of `changes`.
fn changed<'a>(
    mut fields: Vec<(&'a str, &'a str)>,
    changes: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    for (name, value) in changes {
        let field = fields.iter_mut().find(|(n, _)| n == name);
        field.unwrap_or_else(|| panic!("no field {name}")).1 = value;
    }
    fields
}

/// A pilot as stored: name, city, zone, first and last day (as text), block length.
pub type Stored = (String, String, String, String, String, i32);

pub async fn stored(db: &PgPool, slug: &str) -> Option<Stored> {
    sqlx::query_as(
        "select name, city, time_zone, starts_on::text, ends_on::text, block_minutes
           from pilots where slug = $1",
    )
    .bind(slug)
    .fetch_optional(db)
    .await
    .unwrap()
}

pub async fn pilot_count(db: &PgPool) -> i64 {
    crate::common::scalar(db, "select count(*) from pilots").await
}

/// Audit entries about pilots: author, action, pilot, before and after.
pub async fn audited(
    db: &PgPool,
) -> Vec<(
    Option<i64>,
    String,
    Option<i64>,
    Option<Value>,
    Option<Value>,
)> {
    sqlx::query_as(
        "select user_id, action, entity_id, before, after
           from audit_log where entity = 'pilot' order by id",
    )
    .fetch_all(db)
    .await
    .unwrap()
}

/// Whether the field `id` is marked invalid and its problem shown beside it.
pub fn marked(response: &TestResponse, id: &str) -> Option<String> {
    let selector = scraper::Selector::parse(&format!(r#"#{id}[aria-invalid="true"]"#)).unwrap();
    if response.html().select(&selector).count() != 1 {
        return None;
    }
    response.texts(&format!("#{id}-error")).into_iter().next()
}
