//! End-to-end support: the real router on a real socket, driven by a real headless Chromium through
//! chromedriver (WebDriver), with axe-core to check each page's accessibility.
//!
//! Only the `browser` tests use it; the other tests need no browser.
//!
//! Without `chromium` and `chromedriver` on `PATH`, [`Browser::seeded`] prints why and returns
//! `None`, so `cargo test` passes on a machine with only Rust and PostgreSQL; with
//! `PATROLBOARD_BROWSER_TESTS=required` (set by `.ci/run`) a missing browser fails the test instead.

mod axe;
mod driver;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use patrolboard::domain::Role;
use serde_json::Value;
use sqlx::PgPool;

pub use axe::axe_violations;
use driver::{Driver, Server, capabilities, programs};

use crate::common;
use crate::common::app::{PASSWORD, TestApp};

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
    /// printed why) when no browser is installed and `PATROLBOARD_BROWSER_TESTS` does not ask for
    /// one.
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

    /// Runs axe with every rule of the WCAG 2.2 AA and best-practice tags on the page shown and
    /// fails, listing every finding, if it finds any violation, whatever its impact.
    pub async fn assert_no_axe_violations(&self) {
        if let Some(report) = self.axe_report().await {
            panic!("{report}");
        }
    }

    /// What axe finds broken on the page shown, as a report naming the page; `None` when nothing.
    pub async fn axe_report(&self) -> Option<String> {
        let path = self.path().await;
        let violations = axe_violations(&self.client).await;
        (!violations.is_empty()).then(|| {
            format!(
                "axe finds {} violation(s) on {path}:\n\n{}",
                violations.len(),
                violations
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        })
    }

    /// Sizes the browser's window, as a laptop's (1366 × 900) or a phone's (390 × 844) screen.
    pub async fn resize(&self, width: u32, height: u32) {
        self.client
            .set_window_size(width, height)
            .await
            .expect("the window is resized");
    }

    /// How much wider than the window the page is, in CSS pixels (0 when it fits): a reader would
    /// have to scroll sideways to see it all.
    pub async fn overflow(&self) -> i64 {
        let widths = self
            .client
            .execute(
                "return [window.innerWidth, document.documentElement.scrollWidth];",
                vec![],
            )
            .await
            .expect("the widths are read");
        let width = |i: usize| widths[i].as_i64().expect("a width in pixels");
        (width(1) - width(0)).max(0)
    }

    /// Fails if the page is wider than the window.
    pub async fn assert_fits_the_window(&self) {
        let overflow = self.overflow().await;
        assert_eq!(
            overflow,
            0,
            "{} scrolls sideways by {overflow}px",
            self.path().await
        );
    }

    /// Ends the browser session cleanly. Dropping a `Browser` without it (a failed test) still
    /// stops chromedriver and the browser.
    pub async fn close(self) {
        let Browser { client, .. } = self;
        let _ = client.close().await;
    }
}
