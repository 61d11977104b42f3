//! `patrolboard import officers` from the shell, through the real binary, and the officers
//! import on the upload page.

use axum::http::StatusCode;
use patrolboard::domain::Role;

use super::import::{SAMPLE, snapshot};
use super::*;
use crate::common;
use crate::common::app::TestApp;

#[tokio::test]
async fn import_officers_from_the_shell_dry_runs_applies_and_fails_on_a_bad_file() {
    let app = TestApp::empty().await;
    pilot().build(&app.db).await;
    let dir = common::scratch_dir("officers");
    let good = dir.join("officers.csv");
    std::fs::write(&good, SAMPLE).unwrap();
    let bad = dir.join("officers-bad.csv");
    std::fs::write(&bad, SAMPLE.replace("Bike Unit A,bike", "Bike Unit A,boat")).unwrap();
    let patrolboard = |args: &[&str]| common::patrolboard(&app.db, args);
    let before = snapshot(&app.db).await;

    let failed = patrolboard(&[
        "import",
        "officers",
        "--pilot",
        PILOT,
        bad.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(!failed.status.success());
    assert!(
        stderr.contains("line 6: team_mode: \"boat\" is not foot, bike or vehicle."),
        "{stderr}"
    );
    assert_eq!(snapshot(&app.db).await, before);

    let dry = patrolboard(&[
        "import",
        "officers",
        "--pilot",
        PILOT,
        "--dry-run",
        good.to_str().unwrap(),
    ]);
    assert!(
        dry.status.success(),
        "{}",
        String::from_utf8_lossy(&dry.stderr)
    );
    assert!(String::from_utf8_lossy(&dry.stdout).contains("5 new, 0 updated, 0 unchanged"));
    assert_eq!(snapshot(&app.db).await, before);

    let applied = patrolboard(&[
        "import",
        "officers",
        "--pilot",
        PILOT,
        good.to_str().unwrap(),
    ]);
    assert!(
        applied.status.success(),
        "{}",
        String::from_utf8_lossy(&applied.stderr)
    );
    assert!(String::from_utf8_lossy(&applied.stdout).contains("imported officers"));
    assert_eq!(count(&app.db, "officers").await, 5);
    assert_eq!(count(&app.db, "assignments").await, 5);
}

#[tokio::test]
async fn an_analyst_imports_officers_on_the_upload_page() {
    let app = TestApp::empty().await;
    pilot().build(&app.db).await;
    let analyst = app.sign_in_as(Role::Analyst).await;
    let form = app.get("/imports", Some(&analyst)).await;
    assert!(
        form.texts("#kind option")
            .iter()
            .any(|k| k.starts_with("Officers"))
    );

    let response = crate::imports::upload(
        &app,
        &analyst,
        &[("kind", "officers"), ("pilot", PILOT), ("mode", "apply")],
        "officers.csv",
        SAMPLE.as_bytes(),
    )
    .await;

    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    assert_eq!(response.texts("#import-new"), ["5"]);
    assert_eq!(count(&app.db, "assignments").await, 5);
    let author = user_id(&app.db, "analyst").await;
    let entries = audited(&app.db, "assignment").await;
    assert!(
        entries
            .iter()
            .all(|e| e.0 == Some(author) && e.1 == "import")
    );
}
