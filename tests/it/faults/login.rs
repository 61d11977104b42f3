//! Sign-in under attack: a flood of attempts must not exhaust memory, the throttle must hold under
//! concurrency, and failures from one address must not lock an account out of the address it
//! usually signs in from.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use patrolboard::domain::Role;
use reqwest::StatusCode;

use super::server::RealServer;
use crate::common::app::{PASSWORD, TestApp};

/// How much the server may grow over its idle size while a flood of sign-ins is checked.
const MEMORY_BUDGET: u64 = 200 * 1024 * 1024;

/// A client whose connections come from `address` (any of 127.0.0.0/8 reaches the server on Linux),
/// keeping cookies and not following redirects.
fn client_from(address: Ipv4Addr) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(IpAddr::V4(address))
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// What a sign-in attempt was answered with.
struct Answer {
    status: StatusCode,
    retry_after: Option<u64>,
    body: String,
}

async fn sign_in(
    server: &RealServer,
    client: &reqwest::Client,
    username: &str,
    password: &str,
) -> reqwest::Result<Answer> {
    let response = client
        .post(server.url("/login"))
        .header("origin", &server.base)
        .form(&[("username", username), ("password", password)])
        .send()
        .await?;
    let status = response.status();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    let body = response.text().await?;
    Ok(Answer {
        status,
        retry_after,
        body,
    })
}

/// The sentence the sign-in page shows above the form.
fn login_error(body: &str) -> String {
    let html = scraper::Html::parse_document(body);
    let selector = scraper::Selector::parse("#login-error").unwrap();
    html.select(&selector)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .next()
        .unwrap_or_default()
}

/// Watches the server's resident memory until stopped; past `limit` it kills the server, so that
/// an unbounded server fails this test instead of taking the machine's memory with it.
struct MemoryWatch {
    peak: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
    thread: std::thread::JoinHandle<()>,
}

impl MemoryWatch {
    fn start(server: &RealServer, limit: u64) -> MemoryWatch {
        let pid = server.pid();
        let peak = Arc::new(AtomicU64::new(server.rss_bytes()));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = std::thread::spawn({
            let (peak, stop) = (peak.clone(), stop.clone());
            move || {
                while !stop.load(Ordering::Relaxed) {
                    let Some(rss) = rss_of(pid) else { break };
                    peak.fetch_max(rss, Ordering::Relaxed);
                    if rss > limit {
                        // SAFETY: kill has no memory-safety preconditions.
                        unsafe { libc::kill(pid as i32, libc::SIGKILL) };
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(5));
                }
            }
        });
        MemoryWatch { peak, stop, thread }
    }

    fn finish(self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().unwrap();
        self.peak.load(Ordering::Relaxed)
    }
}

fn rss_of(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    Some(kib * 1024)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_flood_of_unknown_usernames_stays_within_memory_and_signed_in_users_are_served() {
    let server = RealServer::seeded().await;
    let viewer = server.signed_in(Role::Viewer).await;
    let idle = server.rss_bytes();
    let watch = MemoryWatch::start(&server, idle + MEMORY_BUDGET);

    // 400 attempts from 400 addresses, as a botnet would send them, so that no per-address limit
    // spares the password checks.
    let server = Arc::new(server);
    let flood: Vec<_> = (0..400u32)
        .map(|i| {
            let server = server.clone();
            tokio::spawn(async move {
                let client =
                    client_from(Ipv4Addr::new(127, 1, (i / 200) as u8, (i % 200 + 1) as u8));
                sign_in(
                    &server,
                    &client,
                    &format!("nobody-{i}"),
                    "a guessed password",
                )
                .await
            })
        })
        .collect();
    let dashboard = viewer.get(server.url("/pilots/calgary-2023")).send().await;
    let health = viewer.get(server.url("/healthz")).send().await;
    let mut answers = Vec::new();
    for attempt in flood {
        answers.push(attempt.await.unwrap());
    }
    let after = viewer.get(server.url("/pilots/calgary-2023")).send().await;
    let peak = watch.finish();

    assert!(
        peak < idle + MEMORY_BUDGET,
        "the server grew from {} MiB to {} MiB",
        idle >> 20,
        peak >> 20
    );
    assert_eq!(
        dashboard.unwrap().status(),
        200,
        "dashboard during the flood"
    );
    assert_eq!(health.unwrap().status(), 200, "healthz during the flood");
    assert_eq!(after.unwrap().status(), 200, "dashboard after the flood");
    let answers: Vec<Answer> = answers
        .into_iter()
        .map(|a| a.expect("every attempt is answered"))
        .collect();
    let refused = answers.iter().filter(|a| a.status == 401).count();
    assert!(refused > 0, "some attempts were checked and refused");
    for answer in answers.iter().filter(|a| a.status != 401) {
        assert_eq!(answer.status, 503, "{}", login_error(&answer.body));
        assert!(
            answer.retry_after.is_some_and(|s| s > 0),
            "503 without Retry-After"
        );
        assert!(login_error(&answer.body).contains("try again"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_wrong_passwords_get_at_most_five_checked() {
    let server = Arc::new(RealServer::seeded().await);
    TestApp::over(server.db.clone())
        .add_user("dispatcher", Role::Supervisor)
        .await;
    let client = client_from(Ipv4Addr::new(127, 0, 0, 1));

    let attempts: Vec<_> = (0..50)
        .map(|i| {
            let (server, client) = (server.clone(), client.clone());
            tokio::spawn(async move {
                sign_in(&server, &client, "dispatcher", &format!("wrong guess {i}")).await
            })
        })
        .collect();
    let mut answers = Vec::new();
    for attempt in attempts {
        answers.push(attempt.await.unwrap().expect("every attempt is answered"));
    }

    let checked = answers.iter().filter(|a| a.status == 401).count();
    assert!(
        (1..=5).contains(&checked),
        "{checked} of 50 wrong passwords were checked"
    );
    // The rest were refused unchecked: locked out (429), or, on a machine too loaded to get
    // through the queue of checks in time, told to come back (503).
    for answer in answers.iter().filter(|a| a.status != 401) {
        assert!(
            [429, 503].contains(&answer.status.as_u16()),
            "{}",
            answer.status
        );
        assert!(
            answer.retry_after.is_some_and(|s| s > 0),
            "refused without Retry-After"
        );
        assert!(
            login_error(&answer.body)
                .to_lowercase()
                .contains("try again in")
        );
    }
    assert!(
        answers.iter().any(|a| a.status == 429),
        "some were locked out"
    );
    let locked = sign_in(&server, &client, "dispatcher", PASSWORD)
        .await
        .unwrap();
    assert_eq!(
        locked.status, 429,
        "the right password waits out the lock-out too"
    );
}

#[tokio::test]
async fn failures_from_another_address_do_not_lock_out_the_usual_one() {
    let server = RealServer::seeded().await;
    TestApp::over(server.db.clone())
        .add_user("admin-one", Role::Admin)
        .await;
    let usual = client_from(Ipv4Addr::new(127, 0, 0, 1));
    let attacker = client_from(Ipv4Addr::new(127, 0, 0, 2));
    let traveller = client_from(Ipv4Addr::new(127, 0, 0, 3));
    let first = sign_in(&server, &usual, "admin-one", PASSWORD)
        .await
        .unwrap();
    assert_eq!(
        first.status, 303,
        "the admin signs in from the usual address"
    );

    for i in 0..5 {
        let answer = sign_in(&server, &attacker, "admin-one", &format!("guess {i}"))
            .await
            .unwrap();
        assert_eq!(answer.status, 401);
    }
    let attacker_again = sign_in(&server, &attacker, "admin-one", PASSWORD)
        .await
        .unwrap();
    let elsewhere = sign_in(&server, &traveller, "admin-one", PASSWORD)
        .await
        .unwrap();
    let at_usual = sign_in(&server, &usual, "admin-one", PASSWORD)
        .await
        .unwrap();

    assert_eq!(
        attacker_again.status, 429,
        "the guessing address is locked out"
    );
    assert_eq!(
        elsewhere.status, 429,
        "the account is locked for new addresses"
    );
    assert_eq!(
        at_usual.status,
        303,
        "the usual address still signs in: {}",
        login_error(&at_usual.body)
    );
}

#[tokio::test]
async fn one_address_cannot_spray_guesses_over_many_usernames() {
    let server = RealServer::seeded().await;
    TestApp::over(server.db.clone())
        .add_user("dispatcher", Role::Supervisor)
        .await;
    let sprayer = client_from(Ipv4Addr::new(127, 0, 0, 4));

    let mut statuses = Vec::new();
    for i in 0..30 {
        let answer = sign_in(&server, &sprayer, &format!("user-{i}"), "Summer2023!")
            .await
            .unwrap();
        statuses.push(answer.status.as_u16());
    }
    let known = sign_in(&server, &sprayer, "dispatcher", PASSWORD)
        .await
        .unwrap();
    let other_address = sign_in(
        &server,
        &client_from(Ipv4Addr::new(127, 0, 0, 5)),
        "dispatcher",
        PASSWORD,
    )
    .await
    .unwrap();

    assert!(
        statuses.iter().filter(|s| **s == 401).count() <= 20,
        "{statuses:?}"
    );
    assert_eq!(statuses.last(), Some(&429), "{statuses:?}");
    assert_eq!(known.status, 429, "{}", login_error(&known.body));
    assert_eq!(
        other_address.status, 303,
        "other addresses are not affected"
    );
}

#[tokio::test]
async fn first_sign_ins_of_many_accounts_from_one_office_address_are_not_failures() {
    let server = RealServer::seeded().await;
    let app = TestApp::over(server.db.clone());
    let office = client_from(Ipv4Addr::new(127, 0, 0, 6));

    for i in 0..25 {
        let username = format!("officer-{i}");
        app.add_user(&username, Role::Viewer).await;
        let answer = sign_in(&server, &office, &username, PASSWORD)
            .await
            .unwrap();
        assert_eq!(
            answer.status,
            303,
            "{username} signs in: {}",
            login_error(&answer.body)
        );
    }
}
