//! Every response carries the security headers, including the ones middleware answers by itself
//! (a refused cross-site post, a timeout, a 404), and nothing signed-in is kept by shared caches.

use std::time::Duration;

use patrolboard::domain::Role;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::server::{RealServer, client};

/// Asserts the headers every response must carry.
fn assert_secure(headers: &HeaderMap, what: &str) {
    let csp = headers
        .get("content-security-policy")
        .unwrap_or_else(|| panic!("{what} has no Content-Security-Policy"))
        .to_str()
        .unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    assert_eq!(
        headers.get("x-frame-options").map(|v| v.as_bytes()),
        Some(&b"DENY"[..]),
        "{what}"
    );
    assert_eq!(
        headers.get("x-content-type-options").map(|v| v.as_bytes()),
        Some(&b"nosniff"[..]),
        "{what}"
    );
    assert!(headers.contains_key("referrer-policy"), "{what}");
}

/// Asserts that no shared cache may keep the response.
fn assert_not_stored(headers: &HeaderMap, what: &str) {
    let cache = headers
        .get("cache-control")
        .unwrap_or_else(|| panic!("{what} has no Cache-Control"))
        .to_str()
        .unwrap();
    assert!(
        cache.contains("no-store") || cache.contains("private"),
        "{what}: Cache-Control {cache}"
    );
    assert!(!cache.contains("public"), "{what}: Cache-Control {cache}");
}

/// The head of a raw HTTP response: status and headers.
fn parse_head(head: &str) -> (u16, HeaderMap) {
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut headers = HeaderMap::new();
    for line in lines {
        if let Some((name, value)) = line.split_once(':') {
            headers.append(
                HeaderName::from_bytes(name.trim().as_bytes()).unwrap(),
                HeaderValue::from_str(value.trim()).unwrap(),
            );
        }
    }
    (status, headers)
}

#[tokio::test]
async fn pages_api_exports_and_errors_carry_the_security_headers_and_are_not_cached() {
    let server = RealServer::seeded().await;
    let supervisor = server.signed_in(Role::Supervisor).await;
    for path in [
        "/pilots/calgary-2023",
        "/api/v1/pilots/calgary-2023/coverage",
        "/exports/visits.csv?pilot=calgary-2023",
        "/exports",
        "/no/such/page",
    ] {
        let response = supervisor.get(server.url(path)).send().await.unwrap();
        assert_secure(response.headers(), path);
        assert_not_stored(response.headers(), path);
    }
    let login = client().get(server.url("/login")).send().await.unwrap();
    assert_secure(login.headers(), "the sign-in form");
    assert_not_stored(login.headers(), "the sign-in form");

    let cross_site = client()
        .post(server.url("/login"))
        .header("origin", "http://evil.example")
        .header("sec-fetch-site", "cross-site")
        .form(&[("username", "someone"), ("password", "anything at all")])
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), 403);
    assert_secure(cross_site.headers(), "the cross-site refusal");
    assert_not_stored(cross_site.headers(), "the cross-site refusal");
}

#[tokio::test]
async fn static_files_carry_the_security_headers_and_are_cached() {
    let server = RealServer::seeded().await;
    let style = client()
        .get(server.url("/static/style.css"))
        .send()
        .await
        .unwrap();
    assert_eq!(style.status(), 200);
    assert_secure(style.headers(), "the stylesheet");
    let cache = style.headers()["cache-control"].to_str().unwrap();
    assert!(cache.contains("max-age="), "the stylesheet: {cache}");
    assert!(!cache.contains("no-store"), "the stylesheet: {cache}");
}

#[tokio::test]
async fn a_request_that_times_out_gets_503_with_the_security_headers() {
    let server = RealServer::over(
        crate::common::seeded_db().await,
        &[("PATROLBOARD_REQUEST_TIMEOUT", "1")],
    )
    .await;
    // A sign-in whose body never arrives whole keeps its handler waiting past the timeout.
    let mut socket = TcpStream::connect(server.addr).await.unwrap();
    let request = format!(
        "POST /login HTTP/1.1\r\nHost: {}\r\nOrigin: {}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nusername=a",
        server.addr, server.base
    );
    socket.write_all(request.as_bytes()).await.unwrap();
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    let head = tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            let read = socket.read(&mut buffer).await.unwrap();
            received.extend_from_slice(&buffer[..read]);
            if let Some(end) = received.windows(4).position(|w| w == b"\r\n\r\n") {
                break String::from_utf8_lossy(&received[..end]).to_string();
            }
            assert!(read > 0, "the connection closed without an answer");
        }
    })
    .await
    .expect("the request is answered when it times out");
    let (status, headers) = parse_head(&head);
    assert_eq!(status, 503, "{head}");
    assert_secure(&headers, "the timeout");
    assert_not_stored(&headers, "the timeout");
    assert!(headers.contains_key("retry-after"), "{head}");
}
