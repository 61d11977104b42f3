//! `patrolboard import` on the command line.

use super::{BOUNDARIES_CSV, CRIME_CSV, PILOT, data, fresh_pilot, replace_line};
use crate::common;
use crate::common::app::TestApp;
use crate::common::fixture::Fixture;
use crate::common::patrolboard;
use crate::common::scalar;

#[tokio::test]
async fn the_command_fails_on_a_bad_file_and_imports_a_good_one() {
    let app = TestApp::empty().await;
    fresh_pilot(&app.db).await;
    let dir = common::scratch_dir("imports");
    let text = String::from_utf8(data(CRIME_CSV)).unwrap();
    let bad = dir.join("crime-bad.csv");
    std::fs::write(
        &bad,
        replace_line(&text, 4, |l| l.replace(",2018,", ",twenty,")),
    )
    .unwrap();
    let good = dir.join("crime.csv");
    std::fs::write(&good, &text).unwrap();
    let boundaries = dir.join("boundaries.txt");
    std::fs::write(&boundaries, data(BOUNDARIES_CSV)).unwrap();
    let patrolboard = |args: &[&str]| patrolboard(&app.db, args);

    let failed = patrolboard(&["import", "community-stats", bad.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(!failed.status.success());
    assert!(
        stderr.contains("line 4: Year \"twenty\" is not a whole number"),
        "{stderr}"
    );
    assert_eq!(
        scalar(&app.db, "select count(*) from community_stats").await,
        0
    );

    let dry = patrolboard(&[
        "import",
        "community-stats",
        "--dry-run",
        good.to_str().unwrap(),
    ]);
    assert!(
        dry.status.success(),
        "{}",
        String::from_utf8_lossy(&dry.stderr)
    );
    assert!(String::from_utf8_lossy(&dry.stdout).contains("6038 new, 0 updated, 0 unchanged"));
    assert_eq!(
        scalar(&app.db, "select count(*) from community_stats").await,
        0
    );

    let applied = patrolboard(&[
        "import",
        "districts",
        "--pilot",
        PILOT,
        boundaries.to_str().unwrap(),
    ]);
    assert!(
        applied.status.success(),
        "{}",
        String::from_utf8_lossy(&applied.stderr)
    );
    assert!(String::from_utf8_lossy(&applied.stdout).contains("13 new, 0 updated, 0 unchanged"));
    let again = patrolboard(&[
        "import",
        "districts",
        "--pilot",
        PILOT,
        boundaries.to_str().unwrap(),
    ]);
    assert!(String::from_utf8_lossy(&again.stdout).contains("0 new, 0 updated, 13 unchanged"));

    let unknown = patrolboard(&[
        "import",
        "hotspots",
        "--pilot",
        "nope",
        good.to_str().unwrap(),
    ]);
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no pilot \"nope\""));
}

#[tokio::test]
async fn communities_need_a_city_and_statistics_need_one_when_the_pilots_have_several() {
    let app = TestApp::empty().await;
    for (slug, city) in [("calgary-test", "Calgary"), ("edmonton-test", "Edmonton")] {
        Fixture::pilot(slug).city(city).build(&app.db).await;
    }
    let dir = common::scratch_dir("imports-city");
    let boundaries = dir.join("communities.csv");
    std::fs::write(&boundaries, data(BOUNDARIES_CSV)).unwrap();
    let crime = dir.join("crime.csv");
    std::fs::write(&crime, data(CRIME_CSV)).unwrap();
    let patrolboard = |args: &[&str]| patrolboard(&app.db, args);

    let no_city = patrolboard(&["import", "communities", boundaries.to_str().unwrap()]);
    let communities = patrolboard(&[
        "import",
        "communities",
        "--city",
        "Edmonton",
        boundaries.to_str().unwrap(),
    ]);
    let which_city = patrolboard(&["import", "community-stats", crime.to_str().unwrap()]);
    let stats = patrolboard(&[
        "import",
        "community-stats",
        "--city",
        "calgary",
        crime.to_str().unwrap(),
    ]);

    assert!(
        !no_city.status.success(),
        "--city is required for communities"
    );
    assert!(
        communities.status.success(),
        "{}",
        String::from_utf8_lossy(&communities.stderr)
    );
    assert!(
        String::from_utf8_lossy(&communities.stdout)
            .contains("into city Edmonton (CSV with a WKT boundary column")
    );
    let refusal = String::from_utf8_lossy(&which_city.stderr);
    assert!(!which_city.status.success());
    assert!(
        refusal.contains("--city") && refusal.contains("Calgary, Edmonton"),
        "{refusal}"
    );
    assert!(String::from_utf8_lossy(&stats.stdout).contains("into city Calgary"));
    assert_eq!(
        scalar(
            &app.db,
            "select count(*) from community_stats where city = 'Calgary'"
        )
        .await,
        6038
    );
    assert_eq!(
        scalar(
            &app.db,
            "select count(*) from communities where city = 'Edmonton'"
        )
        .await,
        13
    );
}
