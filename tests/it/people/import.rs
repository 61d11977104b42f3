//! The officers import through `service::imports::run`: dry runs, applying, importing again,
//! joint teams, and bad rows with their line numbers, none of which writes anything.

use patrolboard::import::{self, Kind, Report};
use sqlx::PgPool;

use super::*;
use crate::common::scalar;

/// The sample officers file, for the tests' pilot.
pub(super) const SAMPLE: &str = include_str!("officers.csv");

pub(super) async fn run(db: &PgPool, file: &str, dry_run: bool) -> Report {
    let bytes = format!("\u{feff}{file}");
    patrolboard::service::imports::run(
        db,
        import::Request {
            kind: Kind::Officers,
            pilot: Some(PILOT),
            city: None,
            bytes: bytes.as_bytes(),
            dry_run,
            user_id: None,
        },
    )
    .await
    .expect("the import runs")
}

/// Rows of every table the import writes, and of the audit log.
pub(super) async fn snapshot(db: &PgPool) -> [i64; 4] {
    [
        count(db, "officers").await,
        count(db, "teams").await,
        count(db, "assignments").await,
        count(db, "audit_log").await,
    ]
}

fn counts(report: &Report) -> (usize, usize, usize) {
    (
        report.counts.new,
        report.counts.updated,
        report.counts.unchanged,
    )
}

fn reasons(report: &Report) -> Vec<String> {
    report.errors.iter().map(ToString::to_string).collect()
}

#[tokio::test]
async fn a_dry_run_reports_the_officers_file_and_writes_nothing_then_it_is_imported() {
    let db = crate::common::fresh_db().await;
    pilot().build(&db).await;
    let before = snapshot(&db).await;

    let dry = run(&db, SAMPLE, true).await;

    assert!(dry.errors.is_empty(), "{:?}", dry.errors);
    assert_eq!((dry.rows, counts(&dry), dry.applied), (5, (5, 0, 0), false));
    assert_eq!(snapshot(&db).await, before);

    let applied = run(&db, SAMPLE, false).await;

    assert!(applied.applied);
    assert_eq!(counts(&applied), (5, 0, 0));
    let teams: Vec<(String, String, String)> =
        sqlx::query_as("select name, agency, mode from teams order by name")
            .fetch_all(&db)
            .await
            .unwrap();
    assert_eq!(
        teams,
        [
            ("Bike Unit A".into(), "cps".into(), "bike".into()),
            ("D1 Beat Team 1".into(), "cps".into(), "foot".into()),
            ("Sheriff/CPS Pair 1".into(), "joint".into(), "foot".into()),
        ]
    );
    let (dana, _) = officer_by_badge(&db, "alberta_sheriffs", "S-1041")
        .await
        .unwrap();
    assert_eq!(
        assignments_of(&db, dana).await,
        [(
            "2023-03-01".into(),
            "2023-03-31".into(),
            "sheriff_pilot".into(),
            Some("Sheriff/CPS Pair 1".into())
        )]
    );
    for (entity, n) in [("officer", 5), ("team", 3), ("assignment", 5)] {
        let entries = audited(&db, entity).await;
        assert_eq!(entries.len(), n, "{entity}");
        assert!(
            entries
                .iter()
                .all(|e| e.0.is_none() && e.1 == "import" && e.3.is_none())
        );
    }
}

#[tokio::test]
async fn importing_again_updates_officers_by_badge_and_assignments_by_first_day() {
    let db = crate::common::fresh_db().await;
    pilot().build(&db).await;
    run(&db, SAMPLE, false).await;
    let changed = SAMPLE
        .replace("cps,4127,Kevin Ashdown,", "cps,4127,Kevin Ashdown-Reid,")
        .replace("beat,2023-03-01,2023-03-15", "beat,2023-03-01,2023-03-10")
        + "cps,3912,Graham Pettigrew,Sergeant,Bike Unit A,bike,bike,2023-03-11,2023-03-31\n";

    let again = run(&db, &changed, false).await;

    assert!(again.errors.is_empty(), "{:?}", again.errors);
    assert_eq!(counts(&again), (1, 2, 3));
    assert_eq!(count(&db, "officers").await, 5);
    let (graham, _) = officer_by_badge(&db, "cps", "3912").await.unwrap();
    let days: Vec<_> = assignments_of(&db, graham)
        .await
        .into_iter()
        .map(|a| (a.1, a.3))
        .collect();
    assert_eq!(
        days,
        [
            ("2023-03-10".into(), Some("D1 Beat Team 1".into())),
            ("2023-03-31".into(), Some("Bike Unit A".into()))
        ]
    );
    assert_eq!(
        officer_by_badge(&db, "cps", "4127").await.unwrap().1.2,
        "Kevin Ashdown-Reid"
    );
    let audit = count(&db, "audit_log").await;
    let same = run(&db, &changed, false).await;
    assert_eq!(counts(&same), (0, 0, 6));
    assert_eq!(
        count(&db, "audit_log").await,
        audit,
        "an unchanged file changes nothing"
    );
}

#[tokio::test]
async fn every_bad_row_of_an_officers_file_is_listed_by_line_and_nothing_is_written() {
    let db = crate::common::fresh_db().await;
    pilot().build(&db).await;
    let before = snapshot(&db).await;
    let bad = "agency,badge_number,name,rank,team,team_mode,role,starts_on,ends_on\n\
               cps, ,Kevin Ashdown,,,,cps_partner,2023-03-01,2023-03-31\n\
               cps,4133,Rachel Nakamura,,Bikes,boat,cps_partner,2023-03-01,2023-03-31\n\
               cps,4150,Andre Beaulieu,,,,cps_partner,2023-02-20,2023-03-31\n\
               cps,4162,Tara Whiteley,,,,cps_partner,2023-03-01,2023-03-10\n\
               cps,4162,Tara Whitely,,,,cps_partner,2023-03-11,2023-03-31\n\
               cps,4178,Sam Adeyemi,,,,cps_partner,2023-03-01,2023-03-31\n";

    let report = run(&db, bad, false).await;

    assert!(!report.applied);
    let found = reasons(&report);
    assert_eq!(found.len(), 4, "{found:#?}");
    assert!(
        found[0].starts_with("line 2: badge_number: Enter"),
        "{}",
        found[0]
    );
    assert!(
        found[1].starts_with("line 3: team_mode: \"boat\" is not foot"),
        "{}",
        found[1]
    );
    assert!(
        found[2].starts_with("line 4: starts_on: The pilot runs from 2023-03-01"),
        "{}",
        found[2]
    );
    assert!(
        found[3].starts_with("line 6: badge 4162 of cps is \"Tara Whiteley\""),
        "{}",
        found[3]
    );
    assert_eq!(snapshot(&db).await, before);
}

#[tokio::test]
async fn rows_that_do_not_fit_what_is_stored_are_bad_rows_and_nothing_is_written() {
    let db = crate::common::fresh_db().await;
    let f = pilot()
        .officer("Dana Whitcombe", "alberta_sheriffs", "S-1041")
        .assignment(
            "Dana Whitcombe",
            "sheriff_pilot",
            "2023-03-01",
            "2023-03-15",
        )
        .officer("Kevin Ashdown", "cps", "4127")
        .assignment("Kevin Ashdown", "cps_partner", "2023-03-01", "2023-03-31")
        .team("Pair 1", "foot", &["Kevin Ashdown"])
        .shift("Pair 1", "2023-03-20 08:00", "2023-03-20 16:00", |s| s)
        .build(&db)
        .await;
    let before = snapshot(&db).await;
    let bad = "agency,badge_number,name,rank,team,team_mode,role,starts_on,ends_on\n\
               eps,77,Erin Holloway,,,,partner,2023-03-01,2023-03-31\n\
               alberta_sheriffs,S-1041,Dana Whitcombe,,,,sheriff_pilot,2023-03-10,2023-03-31\n\
               cps,4127,Kevin Ashdown,,,,cps_partner,2023-03-01,2023-03-19\n";

    let unknown = run(&db, bad, false).await;
    assert_eq!(
        reasons(&unknown),
        [
            "line 2: there is no agency eps on file: an administrator adds it first (patrolboard agency add)"
        ]
    );

    let without_eps: String = bad
        .lines()
        .filter(|l| !l.starts_with("eps"))
        .map(|l| format!("{l}\n"))
        .collect();
    let report = run(&db, &without_eps, true).await;

    let found = reasons(&report);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found[0].starts_with("line 2: this assignment shares days with the officer's assignment to the pilot from 2023-03-01 to 2023-03-15"), "{}", found[0]);
    assert_eq!(
        found[1],
        "line 3: The officer has shifts on 2023-03-20, outside these days; take them off those shifts first."
    );
    assert_eq!(snapshot(&db).await, before);
    assert_eq!(
        assignments_of(&db, f.officer("Kevin Ashdown")).await[0].1,
        "2023-03-31"
    );
    assert_eq!(
        scalar(
            &db,
            "select count(*) from audit_log where action = 'import'"
        )
        .await,
        0
    );
}
