//! Headers that every response carries, and the answer to a cross-site form post.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, Response, StatusCode, header};
use axum::middleware::Next;
use tower_http::csrf::ProtectionError;

use super::page::ErrorPage;

/// No inline script or style, nothing from other origins, never inside a frame.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'";

/// Adds the security headers to every response, and `Cache-Control: no-store` to any that does
/// not say how to cache it: pages show what one signed-in user may see, so no shared cache may
/// keep them. Static files and downloads set their own.
pub async fn headers(request: Request, next: Next) -> Response<Body> {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}

/// The page for a form posted from another site (refused by `CsrfLayer`).
pub fn cross_site_refused(error: ProtectionError) -> Response<Body> {
    tracing::warn!(?error, "cross-site request refused");
    ErrorPage::render(
        StatusCode::FORBIDDEN,
        "This form was sent from another site, so it was refused. Open patrolboard directly and try again."
            .into(),
        None,
    )
}
