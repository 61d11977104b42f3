//! `patrolboard pilot add` on the command line, through the same service as the form.

use super::{audited, pilot_count, stored};
use crate::common::app::TestApp;
use crate::common::patrolboard;

fn add_args<'a>(slug: &'a str, time_zone: &'a str, ends_on: &'a str) -> Vec<&'a str> {
    vec![
        "pilot",
        "add",
        slug,
        "--name",
        "Downtown Edmonton 2024",
        "--city",
        "Edmonton",
        "--time-zone",
        time_zone,
        "--starts-on",
        "2024-03-01",
        "--ends-on",
        ends_on,
    ]
}

#[tokio::test]
async fn pilot_add_adds_a_pilot_with_an_audit_entry_by_the_system() {
    let app = TestApp::empty().await;

    let mut args = add_args("edmonton-2024", "America/Edmonton", "2024-05-31");
    args.extend(["--block-minutes", "15"]);
    let added = patrolboard(&app.db, &args);

    let stderr = String::from_utf8_lossy(&added.stderr);
    assert!(added.status.success(), "{stderr}");
    assert!(String::from_utf8_lossy(&added.stdout).starts_with("added pilot edmonton-2024"));
    let pilot = stored(&app.db, "edmonton-2024").await.expect("stored");
    assert_eq!((pilot.2.as_str(), pilot.5), ("America/Edmonton", 15));
    let entries = audited(&app.db).await;
    assert_eq!(entries.len(), 1);
    assert_eq!((entries[0].0, entries[0].1.as_str()), (None, "create"));
}

#[tokio::test]
async fn pilot_add_lists_every_problem_on_its_own_line_and_writes_nothing() {
    let app = TestApp::empty().await;

    let mut args = add_args("Bad Slug", "Mountain", "2024-02-01");
    args.extend(["--block-minutes", "3"]);
    let refused = patrolboard(&app.db, &args);

    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    for start in [
        "--block-minutes: ",
        "--ends-on: ",
        "--time-zone: ",
        "SLUG: ",
    ] {
        assert_eq!(
            lines.iter().filter(|line| line.starts_with(start)).count(),
            1,
            "{start} in {stderr}"
        );
    }
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(pilot_count(&app.db).await, 0);
    assert!(audited(&app.db).await.is_empty());
}

#[tokio::test]
async fn pilot_add_refuses_a_slug_another_pilot_has() {
    let app = TestApp::empty().await;
    let args = add_args("edmonton-2024", "America/Edmonton", "2024-05-31");
    assert!(patrolboard(&app.db, &args).status.success());

    let again = patrolboard(
        &app.db,
        &add_args("edmonton-2024", "Europe/London", "2024-05-31"),
    );

    assert!(!again.status.success());
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(
        stderr.contains(
            "the slug edmonton-2024 is already used by another pilot; nothing was written"
        ),
        "{stderr}"
    );
    assert_eq!(pilot_count(&app.db).await, 1);
    assert_eq!(
        stored(&app.db, "edmonton-2024").await.unwrap().2,
        "America/Edmonton"
    );
}
