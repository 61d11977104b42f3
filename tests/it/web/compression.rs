//! Responses compressed with brotli or gzip as the client asks: a page, the JSON API, a streamed
//! export and the stylesheet decode to exactly what an uncompressed request gets.

use std::convert::Infallible;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Request, Response, StatusCode, header};
use futures_util::StreamExt;
use patrolboard::domain::Role;
use tower::ServiceExt;
use tower::service_fn;
use tower_http::decompression::Decompression;

use crate::common::app::TestApp;

/// The encodings the server offers, as a client names them in `Accept-Encoding`.
const ENCODINGS: [&str; 2] = ["gzip", "br"];

/// `GET path` with `Accept-Encoding: accept` (none when `None`): the headers and the body's
/// bytes as sent, and how many frames the body came in.
async fn fetch(
    app: &TestApp,
    path: &str,
    cookie: Option<&str>,
    accept: Option<&str>,
) -> (HeaderMap, Bytes, usize) {
    let mut request = Request::get(path);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    if let Some(accept) = accept {
        request = request.header(header::ACCEPT_ENCODING, accept);
    }
    let response = app.respond(request.body(Body::empty()).unwrap()).await;
    assert_eq!(response.status(), StatusCode::OK, "{path} with {accept:?}");
    let headers = response.headers().clone();
    let mut frames = response.into_body().into_data_stream();
    let (mut body, mut count) = (Vec::new(), 0);
    while let Some(frame) = frames.next().await {
        body.extend_from_slice(&frame.expect("the body is read whole"));
        count += 1;
    }
    (headers, body.into(), count)
}

/// `body` decoded as its `Content-Encoding` says, by tower-http's decompression: the response is
/// handed to a `Decompression` service as though an inner service had answered it.
async fn decode(headers: &HeaderMap, body: Bytes) -> Bytes {
    let mut response = Response::new(Body::from(body));
    *response.headers_mut() = headers.clone();
    let mut response = Some(response);
    let answer = service_fn(move |_: Request<Body>| {
        let response = response.take().expect("asked once");
        async move { Ok::<_, Infallible>(response) }
    });
    let decoded = Decompression::new(answer)
        .oneshot(Request::new(Body::empty()))
        .await
        .unwrap();
    axum::body::to_bytes(Body::new(decoded.into_body()), usize::MAX)
        .await
        .expect("the body decodes")
}

/// Asserts that `path` is sent compressed in each encoding, smaller, and decodes to the body sent
/// without compression.
async fn assert_compressed_alike(app: &TestApp, path: &str, cookie: Option<&str>) {
    let (headers, plain, _) = fetch(app, path, cookie, None).await;
    assert!(!headers.contains_key(header::CONTENT_ENCODING), "{path}");
    for encoding in ENCODINGS {
        let (headers, sent, _) = fetch(app, path, cookie, Some(encoding)).await;
        assert_eq!(headers[header::CONTENT_ENCODING], encoding, "{path}");
        assert!(
            headers[header::VARY]
                .to_str()
                .unwrap()
                .to_ascii_lowercase()
                .contains("accept-encoding"),
            "{path}: shared caches must keep the encodings apart"
        );
        assert!(
            sent.len() < plain.len() / 2,
            "{path} in {encoding}: {} bytes of {}",
            sent.len(),
            plain.len()
        );
        assert_eq!(decode(&headers, sent).await, plain, "{path} in {encoding}");
    }
}

#[tokio::test]
async fn the_demo_dashboard_decodes_to_the_page_sent_without_compression() {
    let app = TestApp::seeded().await;
    let viewer = app.sign_in_as(Role::Viewer).await;
    assert_compressed_alike(&app, "/pilots/calgary-2023", Some(&viewer)).await;
}

#[tokio::test]
async fn the_coverage_api_decodes_to_the_json_sent_without_compression() {
    let app = TestApp::seeded().await;
    let viewer = app.sign_in_as(Role::Viewer).await;
    assert_compressed_alike(&app, "/api/v1/pilots/calgary-2023/coverage", Some(&viewer)).await;
}

#[tokio::test]
async fn an_export_decodes_to_the_csv_sent_without_compression_and_still_streams() {
    let app = TestApp::seeded().await;
    let supervisor = app.sign_in_as(Role::Supervisor).await;
    let path = "/exports/visits.csv?pilot=calgary-2023";
    assert_compressed_alike(&app, path, Some(&supervisor)).await;

    // The demo's visits are several chunks of CSV: compressed, they still come chunk by chunk,
    // not as one body built in memory.
    let (_, plain, plain_frames) = fetch(&app, path, Some(&supervisor), None).await;
    let (headers, sent, frames) = fetch(&app, path, Some(&supervisor), Some("gzip")).await;
    assert!(plain_frames > 2, "{plain_frames} frames of CSV");
    assert!(frames > 2, "the compressed export came in {frames} frames");
    assert!(!headers.contains_key(header::CONTENT_LENGTH));
    assert_eq!(decode(&headers, sent).await, plain);
}

#[tokio::test]
async fn the_stylesheet_decodes_to_the_file_sent_without_compression() {
    let app = TestApp::empty().await;
    assert_compressed_alike(&app, "/static/style.css", None).await;
}

#[tokio::test]
async fn a_client_that_prefers_brotli_gets_brotli() {
    let app = TestApp::empty().await;
    let (headers, _, _) = fetch(&app, "/login", None, Some("gzip, deflate, br")).await;
    assert_eq!(headers[header::CONTENT_ENCODING], "br");
}

#[tokio::test]
async fn a_tiny_body_is_sent_as_it_is() {
    let app = TestApp::empty().await;
    for encoding in ENCODINGS {
        let (headers, body, _) = fetch(&app, "/healthz", None, Some(encoding)).await;
        assert!(!headers.contains_key(header::CONTENT_ENCODING), "{body:?}");
    }
}
