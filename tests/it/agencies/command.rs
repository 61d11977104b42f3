//! `patrolboard agency add` on the command line.

use std::process::Output;

use super::{agency, audited, stored};
use crate::common::app::TestApp;
use crate::common::patrolboard;

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test]
async fn agency_add_stores_an_agency_and_adding_its_code_again_updates_it_audited() {
    let app = TestApp::empty().await;
    const NAME: &str = "Edmonton Police Service";

    let added = patrolboard(&app.db, &["agency", "add", " EPS ", "--name", NAME]);
    assert!(added.status.success(), "{}", stderr(&added));
    assert_eq!(stdout(&added).trim(), format!("added eps ({NAME}, {NAME})"));
    assert_eq!(stored(&app.db).await, [agency("eps", NAME, NAME)]);

    let args = ["agency", "add", "eps", "--name", NAME, "--label", "EPS"];
    let updated = patrolboard(&app.db, &args);
    assert!(updated.status.success(), "{}", stderr(&updated));
    assert!(stdout(&updated).starts_with("updated eps"));
    assert_eq!(stored(&app.db).await, [agency("eps", NAME, "EPS")]);

    let again = patrolboard(&app.db, &args);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(stdout(&again).contains("unchanged"));

    let entries = audited(&app.db).await;
    assert_eq!(entries.len(), 2, "the unchanged run records nothing");
    let (create, update) = (&entries[0], &entries[1]);
    assert_eq!((create.user_id, create.action.as_str()), (None, "create"));
    assert_eq!((create.entity_id, &create.before), (None, &None));
    assert_eq!(create.after.as_ref().unwrap()["code"], "eps");
    assert_eq!(update.action, "update");
    assert_eq!(update.before.as_ref().unwrap()["label"], NAME);
    assert_eq!(update.after.as_ref().unwrap()["label"], "EPS");
}

#[tokio::test]
async fn agency_add_refuses_bad_input_in_one_line_and_writes_nothing() {
    let app = TestApp::empty().await;
    let cases = [
        (
            ["joint", "Joint patrols"],
            "CODE: The code joint is kept for teams of several agencies",
        ),
        (
            ["E PS", "Edmonton"],
            "CODE: An agency code is 1 to 40 lower-case letters",
        ),
        (["eps", "  "], "--name: Enter the agency's name"),
    ];
    for ([code, name], message) in cases {
        let refused = patrolboard(&app.db, &["agency", "add", code, "--name", name]);

        let said = stderr(&refused);
        assert!(!refused.status.success(), "{code:?} {name:?} was accepted");
        assert_eq!(said.trim().lines().count(), 1, "one line: {said}");
        assert!(said.contains("nothing was stored"), "{said}");
        assert!(said.contains(message), "{said}");
    }
    assert!(stored(&app.db).await.is_empty());
    assert!(audited(&app.db).await.is_empty());
}
