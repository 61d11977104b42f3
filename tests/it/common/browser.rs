//! End-to-end support: the real router on a real socket, driven by a real headless Chromium through
//! chromedriver (WebDriver), with axe-core to check each page's accessibility.
//!
//! Only the `browser` tests use it; the other tests need no browser.
//!
//! Without `chromium` and `chromedriver` on `PATH`, [`Browser::seeded`] prints why and returns
//! `None`, so `cargo test` passes on a machine with only Rust and PostgreSQL; with
//! `PATROLBOARD_BROWSER_TESTS=required` (set by `.ci/run`) a missing browser fails the test instead.

use std::fmt;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use patrolboard::config::Config;
use patrolboard::domain::Role;
use patrolboard::state::AppState;
use serde::Deserialize;
use serde_json::{Value, json};
use sqlx::PgPool;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::common;
use crate::common::app::{PASSWORD, TestApp};

/// axe-core, vendored (see `tests/vendor/README.md`): pages are never given anything from a CDN.
const AXE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/vendor/axe.min.js"
));

/// Set to `required` to make a missing browser a failure rather than a skip.
const REQUIRE_VAR: &str = "PATROLBOARD_BROWSER_TESTS";

const SKIPPED: &str =
    "skipped: chromium/chromedriver not installed (apt-get install chromium chromium-driver)";

/// How long the browser may take to show what a test waits for. Generous: CI machines are slow, and
/// a wait that succeeds returns as soon as it does.
const PATIENCE: Duration = Duration::from_secs(30);

/// How often a wait checks again.
const POLL: Duration = Duration::from_millis(25);

/// A headless Chromium on the application, served over a real socket from the test's database.
pub struct Browser {
    client: Client,
    base: String,
    db: PgPool,
    _server: Server,
    _driver: Driver,
}

impl Browser {
    /// A browser on the application over a fresh database holding the demo pilot; `None` (having
    /// printed why) when no browser is installed and [`REQUIRE_VAR`] does not ask for one.
    pub async fn seeded() -> Option<Browser> {
        let programs = programs()?;
        Some(Browser::start(common::seeded_db().await, programs).await)
    }

    async fn start(db: PgPool, (chromium, chromedriver): (PathBuf, PathBuf)) -> Browser {
        let server = Server::start(db.clone()).await;
        let driver = Driver::start(&chromedriver).await;
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities(&chromium, &driver.profile))
            .connect(&driver.url)
            .await
            .unwrap_or_else(|e| {
                panic!(
                    "chromedriver opens {}: {e}\nchromedriver said:\n{}",
                    chromium.display(),
                    driver.output()
                )
            });
        Browser {
            client,
            base: server.base.clone(),
            db,
            _server: server,
            _driver: driver,
        }
    }

    /// Adds an account with the password [`PASSWORD`].
    pub async fn add_user(&self, username: &str, role: Role) {
        TestApp::over(self.db.clone())
            .add_user(username, role)
            .await;
    }

    /// The test database behind the application.
    pub fn db(&self) -> &PgPool {
        &self.db
    }

    /// The WebDriver client, for what the helpers here do not cover.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The absolute URL of a path on the application.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Opens `path` and returns once the page has loaded.
    pub async fn goto(&self, path: &str) {
        self.client
            .goto(&self.url(path))
            .await
            .unwrap_or_else(|e| panic!("the browser opens {path}: {e}"));
    }

    /// The path (and query) of the page the browser shows.
    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.expect("the current URL");
        match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_string(),
        }
    }

    /// Waits for an element matching `css` to be on the page.
    pub async fn wait_for(&self, css: &str) -> Element {
        match self
            .client
            .wait()
            .at_most(PATIENCE)
            .every(POLL)
            .for_element(Locator::Css(css))
            .await
        {
            Ok(element) => element,
            Err(e) => panic!(
                "`{css}` appears on {}: {e}\n{}",
                self.path().await,
                self.visible_text().await
            ),
        }
    }

    /// The text of the page, whitespace collapsed: what a failure message shows of the page.
    pub async fn visible_text(&self) -> String {
        let text = self
            .client
            .execute(
                "return document.body ? document.body.innerText : ''",
                vec![],
            )
            .await
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// Signs in through the real form on `/login`: types into `#username` and `#password`, presses
    /// the submit button and waits for the page that answers (the page asked for, or the form again
    /// with its error).
    pub async fn sign_in(&self, username: &str, password: &str) {
        self.goto("/login").await;
        self.wait_for("#username")
            .await
            .send_keys(username)
            .await
            .expect("the username is typed");
        self.wait_for("#password")
            .await
            .send_keys(password)
            .await
            .expect("the password is typed");
        let submit = self
            .wait_for(r#"form[action="/login"] [type="submit"]"#)
            .await;
        self.submit_and_wait(&submit).await;
    }

    /// Adds an account for `role` (password [`PASSWORD`]) and signs it in through the form;
    /// returns its username.
    pub async fn sign_in_as(&self, role: Role) -> String {
        let username = format!("browser-{role}");
        self.add_user(&username, role).await;
        self.sign_in(&username, PASSWORD).await;
        let path = self.path().await;
        assert_ne!(
            path,
            "/login",
            "{username} is signed in: {}",
            self.visible_text().await
        );
        username
    }

    /// Forgets the session, as a new visitor would arrive.
    pub async fn sign_out(&self) {
        self.client
            .delete_all_cookies()
            .await
            .expect("cookies are cleared");
    }

    /// Clicks `button` (a submit button) and waits until the browser shows the page the server
    /// answered with. Marks the current document first so the wait knows when it has been replaced.
    pub async fn submit_and_wait(&self, button: &Element) {
        // A sentinel in the body goes when the page is replaced, whether by a full load or by
        // htmx swapping in the answer (pages with `hx-boost`).
        let mark = "var m = document.createElement('span'); m.id = 'patrolboard-old-page'; \
                    m.hidden = true; document.body.appendChild(m);";
        self.client
            .execute(mark, vec![])
            .await
            .expect("the page is marked");
        button.click().await.expect("the button is pressed");
        let new_page = "return document.readyState === 'complete' \
                        && !document.getElementById('patrolboard-old-page') \
                        && !document.querySelector('.htmx-request');";
        let deadline = Instant::now() + PATIENCE;
        loop {
            // While the browser navigates, a script may fail to run: that is "not yet".
            if let Ok(Value::Bool(true)) = self.client.execute(new_page, vec![]).await {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "a new page follows the form sent from {}",
                self.path().await
            );
            tokio::time::sleep(POLL).await;
        }
    }

    /// Runs axe on the page shown and fails, listing every finding, if any is serious or critical.
    pub async fn assert_no_serious_axe_violations(&self) {
        let path = self.path().await;
        let violations = axe_violations(&self.client).await;
        let (serious, minor): (Vec<_>, Vec<_>) = violations
            .into_iter()
            .partition(|v| matches!(v.impact.as_deref(), Some("serious" | "critical")));
        for violation in &minor {
            println!("axe on {path}, not failing the test: {violation}");
        }
        assert!(
            serious.is_empty(),
            "axe finds {} serious or critical violation(s) on {path}:\n\n{}",
            serious.len(),
            serious
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        );
    }

    /// Ends the browser session cleanly. Dropping a `Browser` without it (a failed test) still
    /// stops chromedriver and the browser.
    pub async fn close(self) {
        let Browser { client, .. } = self;
        let _ = client.close().await;
    }
}

/// One rule axe found broken on the page, with the elements that break it.
#[derive(Debug, Deserialize)]
pub struct Violation {
    /// The rule, e.g. `color-contrast`.
    pub id: String,
    /// `minor`, `moderate`, `serious` or `critical`.
    pub impact: Option<String>,
    /// What the rule asks for, in a sentence.
    pub help: String,
    #[serde(rename = "helpUrl")]
    pub help_url: String,
    pub nodes: Vec<ViolationNode>,
}

/// An element that breaks a rule.
#[derive(Debug, Deserialize)]
pub struct ViolationNode {
    /// CSS selector(s) of the element.
    pub target: Vec<String>,
    /// The element's opening HTML.
    pub html: String,
    /// What is wrong with it and how to fix it.
    #[serde(rename = "failureSummary")]
    pub failure_summary: Option<String>,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "[{}] {}: {} ({})",
            self.impact.as_deref().unwrap_or("unknown impact"),
            self.id,
            self.help,
            self.help_url
        )?;
        for node in &self.nodes {
            writeln!(f, "  at {}", node.target.join(" "))?;
            writeln!(f, "     {}", node.html)?;
            if let Some(summary) = &node.failure_summary {
                for line in summary.lines() {
                    writeln!(f, "     {line}")?;
                }
            }
        }
        Ok(())
    }
}

/// Injects axe-core into the page shown and returns what it finds broken.
///
/// WebDriver's scripts run outside the page's Content-Security-Policy, so axe loads although the
/// application allows only its own scripts; the application's headers are not relaxed for tests.
pub async fn axe_violations(client: &Client) -> Vec<Violation> {
    client
        .execute(AXE, vec![])
        .await
        .expect("axe-core is injected into the page");
    // Targets inside shadow DOM or frames are arrays of selectors: joined to one string each.
    let run = r#"
        const done = arguments[arguments.length - 1];
        axe.run(document, { resultTypes: ['violations'] })
          .then((results) => done({ violations: results.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            helpUrl: v.helpUrl,
            nodes: v.nodes.map((n) => ({
              target: n.target.map((t) => Array.isArray(t) ? t.join(' >>> ') : String(t)),
              html: n.html,
              failureSummary: n.failureSummary,
            })),
          })) }))
          .catch((e) => done({ error: String(e && e.stack || e) }));
    "#;
    let answer = client
        .execute_async(run, vec![])
        .await
        .expect("axe runs on the page");
    if let Some(error) = answer.get("error") {
        panic!("axe failed on the page: {error}");
    }
    serde_json::from_value(answer["violations"].clone()).expect("axe's violations parse")
}

/// Chromium and chromedriver, if installed. Otherwise the test is skipped (`None`), or fails
/// when [`REQUIRE_VAR`] is `required`.
fn programs() -> Option<(PathBuf, PathBuf)> {
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
fn capabilities(chromium: &Path, profile: &Path) -> fantoccini::wd::Capabilities {
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
struct Server {
    base: String,
    task: JoinHandle<()>,
}

impl Server {
    async fn start(db: PgPool) -> Server {
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
struct Driver {
    child: Child,
    url: String,
    /// The browser's profile, new for every browser.
    profile: PathBuf,
    output: Arc<std::sync::Mutex<Vec<String>>>,
}

impl Driver {
    async fn start(chromedriver: &Path) -> Driver {
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

    fn output(&self) -> String {
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
