//! The real `patrolboard` binary: the private cluster default, its lifecycle, and the shell commands.

use crate::common;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use patrolboard::db::cluster::alive;

const BIN: &str = env!("CARGO_BIN_EXE_patrolboard");

/// A running `patrolboard serve` and what it printed before it began serving.
struct Server {
    child: Child,
    base: String,
    printed: Vec<String>,
}

/// Starts `patrolboard serve` on a free port with the private cluster under `data`.
fn serve(data: &Path) -> Server {
    let mut child = Command::new(BIN)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env_remove("DATABASE_URL")
        .env("PATROLBOARD_DATA", data)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("patrolboard starts");
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in stdout.lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut printed = Vec::new();
    // Waits for the line that says where it serves (first start: after initdb and the demo seed).
    let base = loop {
        let line = rx
            .recv_timeout(Duration::from_secs(300))
            .expect("the server says where it serves");
        if let Some(url) = line.strip_prefix("patrolboard is serving on ") {
            break url.to_string();
        }
        printed.push(line);
    };
    Server {
        child,
        base,
        printed,
    }
}

impl Server {
    fn postmaster_pid(data: &Path) -> i32 {
        let pid_file =
            std::fs::read_to_string(data.join("pg/postmaster.pid")).expect("postgres is running");
        pid_file.lines().next().unwrap().trim().parse().unwrap()
    }

    /// Sends SIGTERM and waits for a clean exit.
    fn terminate(mut self) -> std::process::ExitStatus {
        self.stop()
    }

    fn stop(&mut self) -> std::process::ExitStatus {
        if let Ok(Some(status)) = self.child.try_wait() {
            return status;
        }
        // SAFETY: kill has no memory-safety preconditions.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        self.child.wait().unwrap()
    }
}

impl Drop for Server {
    /// A failing test still stops its server (and so the server's PostgreSQL).
    fn drop(&mut self) {
        self.stop();
    }
}

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn run(args: &[&str], env: &[(&str, &str)], stdin: &str) -> Output {
    let mut command = Command::new(BIN);
    command.args(args).env_remove("DATABASE_URL");
    for (k, v) in env {
        command.env(k, v);
    }
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The command may exit before reading its input (a bad flag): a closed pipe is not a failure.
    if let Err(e) = child.stdin.take().unwrap().write_all(stdin.as_bytes()) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    child.wait_with_output().unwrap()
}

#[tokio::test]
async fn the_private_cluster_is_made_reused_and_stopped_with_the_server() {
    let data = common::scratch_dir("serve");

    // First start: a new cluster, the demo pilot and four demo accounts.
    let first = serve(&data);
    let accounts: Vec<(String, String)> = first
        .printed
        .iter()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            let (user, pass) = (words.next()?, words.next()?);
            (["viewer", "supervisor", "analyst", "admin"].contains(&user) && words.next().is_none())
                .then(|| (user.to_string(), pass.to_string()))
        })
        .collect();
    assert_eq!(accounts.len(), 4, "printed: {:?}", first.printed);
    let file = data.join("demo-accounts.txt");
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&file).unwrap().permissions());
    assert_eq!(mode & 0o777, 0o600);
    let kept = std::fs::read_to_string(&file).unwrap();
    assert!(
        accounts
            .iter()
            .all(|(u, p)| kept.contains(&format!("{u:<11} {p}")))
    );

    let client = http();
    let login = client
        .get(format!("{}/login", first.base))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    let (user, pass) = &accounts[0];
    let signed_in = client
        .post(format!("{}/login", first.base))
        .form(&[("username", user.as_str()), ("password", pass.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 303);
    let home = client
        .get(format!("{}/", first.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(home.contains("data-slug=\"calgary-2023\""));

    let postmaster = Server::postmaster_pid(&data);
    assert!(alive(postmaster));
    let status = first.terminate();
    assert!(status.success(), "{status}");
    assert!(!alive(postmaster), "PostgreSQL stopped with the server");
    assert!(!data.join("pg/postmaster.pid").exists());

    // Second start: the same cluster and data, no new accounts.
    let initdb_log = std::fs::metadata(data.join("initdb.log"))
        .unwrap()
        .modified()
        .unwrap();
    let second = serve(&data);
    assert!(
        second.printed.iter().all(|l| !l.contains("Demo accounts")),
        "{:?}",
        second.printed
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), kept);
    assert_eq!(
        std::fs::metadata(data.join("initdb.log"))
            .unwrap()
            .modified()
            .unwrap(),
        initdb_log
    );
    let client = http();
    let again = client
        .post(format!("{}/login", second.base))
        .form(&[("username", user.as_str()), ("password", pass.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 303, "the first run's accounts still work");

    // A second server on the same folder refuses; one-off commands use the running cluster.
    let refused = run(
        &["serve", "--addr", "127.0.0.1:0"],
        &[("PATROLBOARD_DATA", data.to_str().unwrap())],
        "",
    );
    assert!(!refused.status.success());
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(
        message.contains("already using the data folder"),
        "{message}"
    );
    let added = run(
        &["user", "add", "dispatcher", "--role", "supervisor"],
        &[("PATROLBOARD_DATA", data.to_str().unwrap())],
        "a long enough password\n",
    );
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let dispatcher = client
        .post(format!("{}/login", second.base))
        .form(&[
            ("username", "dispatcher"),
            ("password", "a long enough password"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(dispatcher.status(), 303);

    let postmaster = Server::postmaster_pid(&data);
    assert!(second.terminate().success());
    assert!(!alive(postmaster));
}

#[test]
fn without_server_programs_or_database_url_it_says_what_to_install() {
    let data = common::scratch_dir("no-programs");
    let empty = common::scratch_dir("no-bin");
    let output = run(
        &["serve"],
        &[
            ("PATROLBOARD_DATA", data.to_str().unwrap()),
            ("PATROLBOARD_PG_BINDIR", empty.to_str().unwrap()),
        ],
        "",
    );
    assert!(!output.status.success());
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(
        message.contains("install them (Debian: apt-get install postgresql) or set DATABASE_URL"),
        "{message}"
    );
    assert_eq!(message.trim().lines().count(), 1, "one sentence: {message}");
}

#[tokio::test]
async fn migrate_and_seed_demo_twice_on_a_database_url_give_the_same_counts() {
    let db = common::fresh_db().await;
    let url = common::url_for(&db);
    let env = [("DATABASE_URL", url.as_str())];

    let migrated = run(&["migrate"], &env, "");
    let first = run(&["seed", "demo"], &env, "");
    let second = run(&["seed", "demo"], &env, "");

    for output in [&migrated, &first, &second] {
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let first = String::from_utf8_lossy(&first.stdout).to_string();
    let second = String::from_utf8_lossy(&second.stdout).to_string();
    assert!(first.contains("loaded"), "{first}");
    assert!(
        second.contains("already present, nothing changed"),
        "{second}"
    );
    let counts = |s: &str| s.split_once(':').map(|(_, c)| c.to_string());
    assert_eq!(counts(&first), counts(&second));
}

#[test]
fn user_add_refuses_a_short_password_and_an_unknown_role() {
    let data = common::scratch_dir("user-add");
    let env = [("PATROLBOARD_DATA", data.to_str().unwrap())];
    let unknown_role = run(
        &["user", "add", "dispatcher", "--role", "root"],
        &env,
        "a long enough password\n",
    );
    assert!(!unknown_role.status.success());
    assert!(String::from_utf8_lossy(&unknown_role.stderr).contains("unknown role"));
    let short = run(
        &["user", "add", "dispatcher", "--role", "viewer"],
        &env,
        "short\n",
    );
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 12 characters"));
}
