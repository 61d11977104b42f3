//! The guard in front of every handler: a request whose path, query string or form body holds a
//! NUL byte, another control character or bytes that are not UTF-8 text is answered 400 with a
//! sentence, before any handler (and so any query) sees it. The extractors would otherwise
//! pass NUL on to PostgreSQL, which refuses it (a 500), and turn bad bytes into replacement
//! characters that get stored. Multipart uploads and JSON are left to their handlers: imported
//! files are checked line by line by the import itself.

use axum::Json;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::page::ErrorPage;
use crate::domain::plain_text::percent_decoded_is_storable;

/// What people are told; tools under `/api/` get it as JSON.
pub const REFUSED: &str = "The request holds a NUL byte or another control character, or bytes \
     that are not UTF-8 text, so it was refused and nothing was changed. Remove them (paste the \
     text as plain text) and try again.";

/// Refuses the request when its path, query or urlencoded form body cannot be stored as text;
/// the form body (at most `body_limit` bytes, like every form) is read here and handed on.
pub async fn refuse_unstorable(request: Request, next: Next, body_limit: usize) -> Response {
    let uri = request.uri();
    let api = uri.path().starts_with("/api/");
    let address_ok = percent_decoded_is_storable(uri.path().as_bytes())
        && uri
            .query()
            .is_none_or(|q| percent_decoded_is_storable(q.as_bytes()));
    if !address_ok {
        return refused(StatusCode::BAD_REQUEST, REFUSED, api);
    }
    if !is_form(request.headers()) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let bytes = match axum::body::to_bytes(body, body_limit).await {
        Ok(bytes) => bytes,
        Err(_) => {
            let message = format!(
                "The form is larger than {} KB, or it could not be read; nothing was changed.",
                body_limit / 1024
            );
            return refused(StatusCode::PAYLOAD_TOO_LARGE, &message, api);
        }
    };
    if !percent_decoded_is_storable(&bytes) {
        return refused(StatusCode::BAD_REQUEST, REFUSED, api);
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| {
            v.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
}

fn refused(status: StatusCode, message: &str, api: bool) -> Response {
    tracing::warn!(%status, "request refused: its text cannot be stored");
    if api {
        (status, Json(serde_json::json!({ "error": message }))).into_response()
    } else {
        ErrorPage::render(status, message.to_string(), None)
    }
}
