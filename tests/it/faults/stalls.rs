//! Clients that stall: exports nobody reads, a request that never finishes its header, and a
//! SIGTERM while they hang on. None of them may starve the others or keep the process alive.

use std::net::SocketAddr;
use std::time::Duration;

use patrolboard::db::cluster::alive;
use patrolboard::domain::Role;
use patrolboard::export::stream::MAX_RUNNING;
use sqlx::PgPool;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::server::RealServer;
use crate::common::app::TestApp;

/// More visits than the socket buffers between server and client hold (about 12 MB of CSV), so
/// an export whose client stops reading stays half-sent.
const MANY_VISITS: &str =
    "insert into visits (shift_id, hotspot_id, arrived_at, departed_at, source)
     select shift_id, hotspot_id, arrived_at, departed_at, source
       from visits cross join generate_series(1, 16)";

const EXPORT: &str = "/exports/visits.csv?pilot=calgary-2023";

/// The demo pilot with 16 times its visits (about 70,000).
async fn many_visits(db: &PgPool) {
    sqlx::query(MANY_VISITS).execute(db).await.unwrap();
}

/// A supervisor's session cookie (`name=value`), for raw requests.
async fn supervisor_cookie(db: &PgPool) -> String {
    TestApp::over(db.clone()).sign_in_as(Role::Supervisor).await
}

/// Sends `GET path` on a new connection and reads only until the head and the first bytes of
/// the body have arrived (so the server has started sending), then never reads again.
/// Returns the socket, kept open, and the response head.
async fn stalled_get(addr: SocketAddr, path: &str, cookie: &str) -> (TcpStream, String) {
    let mut socket = TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\n\r\n");
    socket.write_all(request.as_bytes()).await.unwrap();
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let read = tokio::time::timeout(Duration::from_secs(60), socket.read(&mut buffer))
            .await
            .expect("the server starts answering")
            .unwrap();
        received.extend_from_slice(&buffer[..read]);
        let head_end = received.windows(4).position(|w| w == b"\r\n\r\n");
        if read == 0 || head_end.is_some_and(|end| received.len() > end + 4) {
            let head = String::from_utf8_lossy(&received[..head_end.unwrap_or(received.len())]);
            return (socket, head.to_string());
        }
    }
}

fn status_of(head: &str) -> u16 {
    head.split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// 16 exports whose clients stopped reading; each either runs (200) or is told to come back
/// later (503 with Retry-After). Returns the sockets and how many run.
async fn stall_sixteen_exports(server: &RealServer, cookie: &str) -> (Vec<TcpStream>, usize) {
    let mut stalled = Vec::new();
    let mut running = 0;
    for _ in 0..16 {
        let (socket, head) = stalled_get(server.addr, EXPORT, cookie).await;
        match status_of(&head) {
            200 => running += 1,
            503 => assert!(
                head.to_ascii_lowercase().contains("\r\nretry-after:"),
                "{head}"
            ),
            _ => panic!("an export answered {head}"),
        }
        stalled.push(socket);
    }
    (stalled, running)
}

/// A client that gives up after `seconds`: an answer has to come before that.
fn impatient(seconds: u64) -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(seconds))
        .build()
        .unwrap()
}

#[tokio::test]
async fn sixteen_stalled_exports_leave_the_app_answering_and_sigterm_still_stops_it() {
    let db = crate::common::seeded_db().await;
    many_visits(&db).await;
    let cookie = supervisor_cookie(&db).await;
    let mut server = RealServer::over(db, &[]).await;

    let (stalled, running) = stall_sixteen_exports(&server, &cookie).await;
    assert!(
        running <= MAX_RUNNING,
        "{running} exports hold a database connection at once"
    );

    let client = impatient(10);
    let dashboard = client
        .get(server.url("/pilots/calgary-2023"))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("the dashboard answers");
    assert_eq!(dashboard.status(), 200, "the dashboard");
    let ready = client.get(server.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 200, "/readyz");
    let login_form = client.get(server.url("/login")).send().await.unwrap();
    assert_eq!(login_form.status(), 200, "the sign-in form");
    let wrong_password = client
        .post(server.url("/login"))
        .header("origin", &server.base)
        .form(&[("username", "nobody"), ("password", "not the password")])
        .send()
        .await
        .expect("a sign-in is answered");
    assert_eq!(wrong_password.status(), 401, "a sign-in is checked");

    let took = server.terminate_within(Duration::from_secs(15));
    assert!(
        took.is_some(),
        "the server was still running 15 s after SIGTERM with 16 stalled exports"
    );
    drop(stalled);
}

#[tokio::test]
async fn a_request_whose_header_never_ends_is_closed_after_the_header_timeout() {
    let server = RealServer::over(
        crate::common::seeded_db().await,
        &[("PATROLBOARD_HEADER_TIMEOUT", "2")],
    )
    .await;
    let mut socket = TcpStream::connect(server.addr).await.unwrap();
    socket
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let mut buffer = [0u8; 1024];
    let closed = tokio::time::timeout(Duration::from_secs(10), async {
        // Whatever the server says (a 408 or nothing), the connection must end.
        loop {
            match socket.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(_) => continue,
            }
        }
    })
    .await;
    assert!(
        closed.is_ok(),
        "a half-sent request was still open 10 s later"
    );
}

/// Stops a private cluster's PostgreSQL if a failed test left it running.
struct Postmaster(i32);

impl Drop for Postmaster {
    fn drop(&mut self) {
        if alive(self.0) {
            // SAFETY: kill has no memory-safety preconditions.
            unsafe { libc::kill(self.0, libc::SIGQUIT) };
        }
    }
}

#[tokio::test]
async fn sigterm_with_a_stalled_export_on_the_private_cluster_stops_postgres_cleanly() {
    let data = crate::common::scratch_dir("stalled-private");
    let mut server = RealServer::private(&data, &[("PATROLBOARD_SHUTDOWN_DEADLINE", "2")]).await;
    let pid_file = data.join("pg/postmaster.pid");
    let postmaster = Postmaster(
        std::fs::read_to_string(&pid_file)
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .trim()
            .parse()
            .unwrap(),
    );
    many_visits(&server.db).await;
    let cookie = supervisor_cookie(&server.db).await;
    server.db.close().await;
    let (stalled, head) = stalled_get(server.addr, EXPORT, &cookie).await;
    assert_eq!(status_of(&head), 200, "{head}");

    let took = server.terminate_within(Duration::from_secs(15));
    assert!(
        took.is_some(),
        "the server was still running 15 s after SIGTERM with a stalled export"
    );
    assert!(!alive(postmaster.0), "PostgreSQL stopped with the server");
    assert!(!pid_file.exists(), "PostgreSQL stopped cleanly");
    drop(stalled);
}
