//! `patrolboard import` with files too large to hold: refused by their size before they are
//! read, with the limit in the message and in `--help`; a bad line of a megabyte is quoted
//! cut short.

use std::process::{Command, Output};

use patrolboard::web::imports::UPLOAD_LIMIT as MAX_FILE_BYTES;
use sqlx::PgPool;

use crate::common::fixture::Fixture;

const BIN: &str = env!("CARGO_BIN_EXE_patrolboard");

fn import(db: &PgPool, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("import")
        .args(args)
        .env("DATABASE_URL", crate::common::url_for(db))
        .env("RUST_LOG", "patrolboard=warn")
        .output()
        .expect("patrolboard runs")
}

async fn snapshot(db: &PgPool) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in [
        "districts",
        "hotspots",
        "community_stats",
        "shifts",
        "audit_log",
    ] {
        let sql = format!("select count(*) from {table}");
        counts.push(sqlx::query_scalar(&sql).fetch_one(db).await.unwrap());
    }
    counts
}

/// The largest resident memory of any child this process has waited for, in bytes.
fn children_max_rss() -> u64 {
    // SAFETY: getrusage only writes into the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    usage.ru_maxrss as u64 * 1024
}

const KINDS: [&[&str]; 4] = [
    &["community-stats"],
    &["districts", "--pilot", "calgary-2023"],
    &["hotspots", "--pilot", "calgary-2023"],
    &["roster", "--pilot", "calgary-2023"],
];

#[tokio::test]
async fn a_two_gigabyte_file_is_refused_by_its_size_before_it_is_read() {
    let db = crate::common::seeded_db().await;
    let dir = crate::common::scratch_dir("big-import");
    let big = dir.join("big.csv");
    // Sparse: two gigabytes of NUL bytes that take no disk space.
    std::fs::File::create(&big)
        .unwrap()
        .set_len(2 * 1024 * 1024 * 1024)
        .unwrap();
    let before = snapshot(&db).await;
    let limit = format!("{} MB", MAX_FILE_BYTES / 1024 / 1024);
    for kind in KINDS {
        let mut args = kind.to_vec();
        args.push(big.to_str().unwrap());
        let output = import(&db, &args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{kind:?} fails");
        assert!(
            stderr.contains("2048.0 MB") && stderr.contains(&limit),
            "{kind:?} names the size and the limit: {stderr}"
        );
        assert!(
            stderr.len() < 1000,
            "{kind:?}: {} bytes of errors",
            stderr.len()
        );
    }
    assert_eq!(snapshot(&db).await, before, "nothing was written");
    let rss = children_max_rss();
    assert!(
        rss < 512 * 1024 * 1024,
        "an import held {} MB",
        rss / 1024 / 1024
    );
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test]
async fn a_megabyte_long_bad_line_is_quoted_cut_short() {
    let db = crate::common::fresh_db().await;
    Fixture::pilot("calgary-2023")
        .name("Test")
        .days("2023-02-27", "2023-05-31")
        .build(&db)
        .await;
    let dir = crate::common::scratch_dir("long-line");
    let long = "x".repeat(1024 * 1024);
    let files = [
        (
            KINDS[0],
            format!("Community,Category,Crime Count,Year,Month\nBELTLINE,Assault,{long},2023,3\n"),
        ),
        (KINDS[1], format!("COMM_CODE,NAME,{long}\nA,B,C\n")),
        (KINDS[3], format!("id,{long}\n1,2\n")),
    ];
    for (kind, text) in files {
        let path = dir.join("long.csv");
        std::fs::write(&path, text).unwrap();
        let mut args = kind.to_vec();
        args.push(path.to_str().unwrap());
        let output = import(&db, &args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{kind:?} fails");
        // Quoted as a value ("xxx"…) or within a list of columns (xxx…).
        let cut = stderr.contains("xxx\"…") || stderr.contains("xxx…");
        assert!(
            stderr.len() < 2000 && cut,
            "{kind:?} quotes the line cut short ({} bytes): {}",
            stderr.len(),
            &stderr[..stderr.len().min(600)]
        );
    }
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn the_import_help_states_the_size_limit() {
    let limit = format!("{} MB", MAX_FILE_BYTES / 1024 / 1024);
    for args in [
        &["import", "--help"][..],
        &["import", "districts", "--help"],
    ] {
        let output = Command::new(BIN).args(args).output().unwrap();
        let help = String::from_utf8_lossy(&output.stdout);
        assert!(help.contains(&limit), "{args:?} says {limit}: {help}");
    }
}
