//! The processes behind a [`Browser`](super::Browser): chromedriver with its Chromium, found on
//! `PATH`, and the application served on a real socket.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Instant;

use patrolboard::config::Config;
use patrolboard::state::AppState;
use serde_json::{Value, json};
use sqlx::PgPool;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use super::{PATIENCE, POLL};
use crate::common;

/// Set to `required` to make a missing browser a failure rather than a skip.
const REQUIRE_VAR: &str = "PATROLBOARD_BROWSER_TESTS";

const SKIPPED: &str =
    "skipped: chromium/chromedriver not installed (apt-get install chromium chromium-driver)";

/// Chromium and chromedriver, if installed. Otherwise the test is skipped (`None`), or fails
/// when [`REQUIRE_VAR`] is `required`.
pub(super) fn programs() -> Option<(PathBuf, PathBuf)> {
    let chromium = ["chromium", "chromium-browser"]
        .into_iter()
        .find_map(on_path);
    let chromedriver = on_path("chromedriver");
    let missing = match (&chromium, &chromedriver) {
        (Some(chromium), Some(chromedriver)) => {
            return Some((chromium.clone(), chromedriver.clone()));
        }
        (None, _) => "chromium",
        (_, None) => "chromedriver",
    };
    let required =
        std::env::var(REQUIRE_VAR).is_ok_and(|v| v.trim().eq_ignore_ascii_case("required"));
    assert!(
        !required,
        "{REQUIRE_VAR}=required, but {missing} is not on PATH: \
         apt-get install chromium chromium-driver"
    );
    // Straight to standard error, past the test harness's capture: a skip should be seen.
    let _ = writeln!(std::io::stderr(), "{SKIPPED}");
    None
}

fn on_path(program: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(program))
        .find(|path| {
            path.metadata()
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

/// A fresh profile, no sandbox (tests run as root in CI), and nothing that reaches the network.
pub(super) fn capabilities(chromium: &Path, profile: &Path) -> fantoccini::wd::Capabilities {
    let options = json!({
        "pageLoadStrategy": "normal",
        "goog:chromeOptions": {
            "binary": chromium,
            "args": [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
                "--window-size=1280,1024",
                format!("--user-data-dir={}", profile.display()),
            ],
        },
    });
    match options {
        Value::Object(map) => map,
        _ => unreachable!("the capabilities are an object"),
    }
}

/// The application's router on a real socket, for as long as the test holds it.
pub(super) struct Server {
    pub(super) base: String,
    task: JoinHandle<()>,
}

impl Server {
    pub(super) async fn start(db: PgPool) -> Server {
        let app = patrolboard::web::router(AppState::new(db, Config::default()));
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free local port");
        let base = format!("http://{}", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("the server runs");
        });
        Server { base, task }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A chromedriver process, in a process group of its own with the browsers it starts, so that
/// dropping it (even when a test fails before closing its session) stops them all.
pub(super) struct Driver {
    child: Child,
    pub(super) url: String,
    /// The browser's profile, new for every browser.
    pub(super) profile: PathBuf,
    output: Arc<std::sync::Mutex<Vec<String>>>,
}

impl Driver {
    pub(super) async fn start(chromedriver: &Path) -> Driver {
        let profile = common::scratch_dir("chromium");
        // Port 0: chromedriver takes a free port and says which, so no other process can take it
        // between our choosing it and chromedriver binding it.
        let mut child = Command::new(chromedriver)
            .arg("--port=0")
            .arg("--log-level=WARNING")
            .current_dir(&profile)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("{} starts: {e}", chromedriver.display()));
        let output = Arc::new(std::sync::Mutex::new(Vec::new()));
        let (port_tx, port_rx) = mpsc::channel();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let kept = Arc::clone(&output);
        // Keeps reading, so chromedriver never blocks on a full pipe; the lines explain failures.
        std::thread::spawn(move || {
            for line in stdout.lines().map_while(Result::ok) {
                if let Some(port) = line
                    .strip_prefix("ChromeDriver was started successfully on port ")
                    .and_then(|rest| rest.trim_end_matches('.').parse::<u16>().ok())
                {
                    let _ = port_tx.send(port);
                }
                kept.lock().unwrap().push(line);
            }
        });
        let mut driver = Driver {
            child,
            url: String::new(),
            profile,
            output,
        };
        let port = tokio::task::spawn_blocking(move || port_rx.recv_timeout(PATIENCE))
            .await
            .unwrap()
            .unwrap_or_else(|_| panic!("chromedriver says its port:\n{}", driver.output()));
        driver.url = format!("http://127.0.0.1:{port}");
        driver.wait_until_ready().await;
        driver
    }

    /// Polls `/status` until chromedriver says it is ready for a new session.
    async fn wait_until_ready(&mut self) {
        let http = reqwest::Client::new();
        let status = format!("{}/status", self.url);
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Ok(response) = http.get(&status).send().await
                && let Ok(body) = response.text().await
                && let Ok(answer) = serde_json::from_str::<Value>(&body)
                && answer["value"]["ready"] == Value::Bool(true)
            {
                return;
            }
            if let Ok(Some(exit)) = self.child.try_wait() {
                panic!("chromedriver ended ({exit}):\n{}", self.output());
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver is ready within {PATIENCE:?}:\n{}",
                self.output()
            );
            tokio::time::sleep(POLL).await;
        }
    }

    pub(super) fn output(&self) -> String {
        self.output.lock().unwrap().join("\n")
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The whole group: chromedriver and the Chromium processes it started.
        let group = self.child.id() as i32;
        unsafe { libc::kill(-group, libc::SIGKILL) };
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}
