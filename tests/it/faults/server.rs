//! A real `patrolboard serve` over a test database, on a free port, and what the tests ask of it.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use patrolboard::domain::Role;
use sqlx::PgPool;

use crate::common::app::{PASSWORD, TestApp};

const BIN: &str = env!("CARGO_BIN_EXE_patrolboard");

/// A running server process and the database it serves.
pub struct RealServer {
    child: Child,
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub base: String,
    /// The address to open raw sockets to.
    pub addr: std::net::SocketAddr,
    pub db: PgPool,
}

impl RealServer {
    /// Serves a fresh copy of the demo database.
    pub async fn seeded() -> RealServer {
        RealServer::over(crate::common::seeded_db().await, &[]).await
    }

    /// Serves `db`, with extra environment variables (`PATROLBOARD_REQUEST_TIMEOUT`, …).
    pub async fn over(db: PgPool, env: &[(&str, &str)]) -> RealServer {
        let mut command = Command::new(BIN);
        command.env("DATABASE_URL", crate::common::url_for(&db));
        for (k, v) in env {
            command.env(k, v);
        }
        let (child, base) = launch(command).await;
        RealServer::new(child, base, db)
    }

    /// Serves the private cluster under `data` (made and seeded with the demo on first start),
    /// as `patrolboard serve` does without `DATABASE_URL`; `db` reaches it through its socket.
    pub async fn private(data: &std::path::Path, env: &[(&str, &str)]) -> RealServer {
        let mut command = Command::new(BIN);
        command
            .env_remove("DATABASE_URL")
            .env("PATROLBOARD_DATA", data);
        for (k, v) in env {
            command.env(k, v);
        }
        let (child, base) = launch(command).await;
        let url = patrolboard::db::cluster::Cluster::url_in(
            &data.canonicalize().unwrap(),
            patrolboard::db::PRIVATE_DATABASE,
        );
        let db = PgPool::connect(&url)
            .await
            .expect("the private cluster answers");
        RealServer::new(child, base, db)
    }

    fn new(child: Child, base: String, db: PgPool) -> RealServer {
        let addr = base.trim_start_matches("http://").parse().unwrap();
        RealServer {
            child,
            base,
            addr,
            db,
        }
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The server's resident memory in bytes, from `/proc`.
    pub fn rss_bytes(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()))
            .expect("the server is running");
        let kib: u64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .expect("VmRSS is reported");
        kib * 1024
    }

    /// `base` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Adds an account for `role` and returns a client signed in as it (cookies kept, redirects
    /// not followed, the same-origin headers a browser sends on form posts).
    pub async fn signed_in(&self, role: Role) -> reqwest::Client {
        let username = format!("fault-{role}");
        TestApp::over(self.db.clone())
            .add_user(&username, role)
            .await;
        let client = client();
        let response = client
            .post(self.url("/login"))
            .header("origin", &self.base)
            .form(&[("username", username.as_str()), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303, "{role} signs in");
        client
    }

    /// Sends SIGTERM and waits for the process to end; returns how long that took.
    pub fn terminate(&mut self) -> Duration {
        let started = std::time::Instant::now();
        // SAFETY: kill has no memory-safety preconditions.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        self.child.wait().unwrap();
        started.elapsed()
    }

    /// Sends SIGTERM and waits up to `limit` for the process to end: how long it took, or `None`
    /// if it was still running then (it is killed when the `RealServer` is dropped).
    pub fn terminate_within(&mut self, limit: Duration) -> Option<Duration> {
        let started = std::time::Instant::now();
        // SAFETY: kill has no memory-safety preconditions.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        while started.elapsed() < limit {
            if let Ok(Some(_)) = self.child.try_wait() {
                return Some(started.elapsed());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for RealServer {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Starts `command` as `patrolboard serve` on a free port; returns it once it says where it serves.
async fn launch(mut command: Command) -> (Child, String) {
    command
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env("RUST_LOG", "patrolboard=warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = command.spawn().expect("patrolboard starts");
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in stdout.lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let base = tokio::task::spawn_blocking(move || {
        loop {
            // A first start on a private cluster runs initdb and loads the demo first.
            let line = rx
                .recv_timeout(Duration::from_secs(300))
                .expect("the server says where it serves");
            if let Some(url) = line.strip_prefix("patrolboard is serving on ") {
                break url.to_string();
            }
        }
    })
    .await
    .unwrap();
    (child, base)
}

/// A client that keeps cookies and does not follow redirects.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn the_real_server_serves_health_and_a_signed_in_dashboard() {
    let server = RealServer::seeded().await;
    let health = client().get(server.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    let viewer = server.signed_in(Role::Viewer).await;
    let dashboard = viewer
        .get(server.url("/pilots/calgary-2023"))
        .send()
        .await
        .unwrap();
    assert_eq!(dashboard.status(), 200);
    assert!(server.rss_bytes() > 0);
}
