//! Static files, compiled into the binary so it runs from any directory.
//!
//! Each file is linked by a name that carries a hash of its content (`style.3f9a1c2b.css`), so
//! browsers may keep it for a year: a changed file has a new name. The plain name still answers,
//! with a short lifetime, for pages rendered before the file changed.

use std::sync::LazyLock;

use crate::web::path::Path;
use axum::http::header;
use axum::response::{IntoResponse, Redirect};
use sha2::{Digest, Sha256};

use crate::error::AppError;

/// A hashed name never names other content, so any cache may keep it for a year.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The plain name changes content with each release: kept five minutes.
const SHORT_LIVED: &str = "public, max-age=300";

/// Hex digits of the content hash in a file's name: 32 bits, plenty to tell versions apart.
const HASH_HEX_DIGITS: usize = 8;

/// A file under `static/`.
struct Asset {
    /// Its plain name, e.g. `style.css`.
    name: &'static str,
    content_type: &'static str,
    body: &'static [u8],
}

const STYLESHEET: Asset = Asset {
    name: "style.css",
    content_type: "text/css; charset=utf-8",
    body: include_bytes!("../../static/style.css"),
};

const HTMX: Asset = Asset {
    name: "htmx.min.js",
    content_type: "text/javascript; charset=utf-8",
    body: include_bytes!("../../static/vendor/htmx.min.js"),
};

const FAVICON: Asset = Asset {
    name: "favicon.svg",
    content_type: "image/svg+xml",
    body: include_bytes!("../../static/favicon.svg"),
};

/// A file with its hashed name, worked out once.
struct Hashed {
    asset: Asset,
    /// The name with the content hash before the extension, e.g. `style.3f9a1c2b.css`.
    hashed_name: String,
    /// `/static/` and the hashed name: what pages link.
    url: String,
}

static FILES: LazyLock<[Hashed; 3]> =
    LazyLock::new(|| [hashed(STYLESHEET), hashed(HTMX), hashed(FAVICON)]);

fn hashed(asset: Asset) -> Hashed {
    let digest = Sha256::digest(asset.body);
    let hex: String = digest
        .iter()
        .take(HASH_HEX_DIGITS / 2)
        .map(|byte| format!("{byte:02x}"))
        .collect();
    let (stem, extension) = asset.name.split_once('.').unwrap_or((asset.name, ""));
    let hashed_name = format!("{stem}.{hex}.{extension}");
    Hashed {
        url: format!("/static/{hashed_name}"),
        hashed_name,
        asset,
    }
}

/// The URL pages link the stylesheet by.
pub fn stylesheet_url() -> &'static str {
    &FILES[0].url
}

/// The URL pages link htmx by.
pub fn htmx_url() -> &'static str {
    &FILES[1].url
}

/// The URL pages link the icon by.
pub fn favicon_url() -> &'static str {
    &FILES[2].url
}

/// `GET /favicon.ico`, which browsers ask for where no page names an icon (a JSON answer, say):
/// the icon under its hashed name.
pub async fn favicon() -> Redirect {
    Redirect::permanent(favicon_url())
}

/// Serves a file by its hashed name (kept a year) or its plain name (kept minutes); any other
/// name, an out-of-date hash included, is not found.
pub async fn serve(Path(name): Path<String>) -> Result<impl IntoResponse, AppError> {
    let (file, cache) = FILES
        .iter()
        .find_map(|file| {
            if file.hashed_name == name {
                Some((file, IMMUTABLE))
            } else if file.asset.name == name {
                Some((file, SHORT_LIVED))
            } else {
                None
            }
        })
        .ok_or(AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, file.asset.content_type),
            (header::CACHE_CONTROL, cache),
        ],
        file.asset.body,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_keep_the_stem_and_extension_around_eight_hex_digits() {
        let name = &FILES[0].hashed_name;
        let hash = name
            .strip_prefix("style.")
            .and_then(|rest| rest.strip_suffix(".css"))
            .unwrap();
        assert_eq!(hash.len(), HASH_HEX_DIGITS);
        assert!(hash.bytes().all(|b| b.is_ascii_hexdigit()), "{name}");
        assert_eq!(htmx_url(), format!("/static/{}", FILES[1].hashed_name));
        assert!(FILES[1].hashed_name.starts_with("htmx.") && htmx_url().ends_with(".min.js"));
    }
}
