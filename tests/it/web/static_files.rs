//! Static files under names that carry their content's hash, kept by browsers for a year; the
//! plain names still answer, briefly cached, for pages rendered before a release.

use axum::http::{StatusCode, header};

use crate::common::app::{TestApp, attr};

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The eight hex digits between `stem.` and `.extension` in `url`, when it has that shape.
fn hash_in<'a>(url: &'a str, stem: &str, extension: &str) -> Option<&'a str> {
    url.strip_prefix("/static/")?
        .strip_prefix(stem)?
        .strip_prefix('.')?
        .strip_suffix(extension)?
        .strip_suffix('.')
        .filter(|hash| hash.len() == 8 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[tokio::test]
async fn pages_link_the_hashed_stylesheet_and_script_which_are_kept_a_year() {
    let app = TestApp::empty().await;
    let page = app.get("/login", None).await;
    let stylesheet = attr(&page, "link[rel=stylesheet]", "href").unwrap();
    let script = attr(&page, "script[src]", "src").unwrap();
    assert!(
        hash_in(&stylesheet, "style", "css").is_some(),
        "{stylesheet}"
    );
    assert!(hash_in(&script, "htmx", "min.js").is_some(), "{script}");

    for (hashed, plain) in [
        (&stylesheet, "/static/style.css"),
        (&script, "/static/htmx.min.js"),
    ] {
        let file = app.get(hashed, None).await;
        assert_eq!(file.status, StatusCode::OK, "{hashed}");
        assert_eq!(file.headers[header::CACHE_CONTROL], IMMUTABLE, "{hashed}");
        let old_link = app.get(plain, None).await;
        assert_eq!(old_link.status, StatusCode::OK, "{plain}");
        assert_eq!(old_link.body, file.body, "{plain} is the same file");
        let cache = old_link.headers[header::CACHE_CONTROL].to_str().unwrap();
        assert!(
            cache.contains("max-age=") && !cache.contains("immutable"),
            "{plain}: {cache}"
        );
    }
}

#[tokio::test]
async fn a_stylesheet_under_a_wrong_hash_is_not_found() {
    let app = TestApp::empty().await;
    let page = app.get("/login", None).await;
    let stylesheet = attr(&page, "link[rel=stylesheet]", "href").unwrap();
    let hash = hash_in(&stylesheet, "style", "css").unwrap();
    let wrong = if hash == "00000000" {
        "11111111"
    } else {
        "00000000"
    };
    for path in [
        stylesheet.replace(hash, wrong),
        stylesheet.replace(hash, &hash[..7]),
        "/static/style.css.css".to_string(),
        format!("/static/htmx.{hash}.min.js"),
    ] {
        let response = app.get(&path, None).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{path}");
    }
}

#[tokio::test]
async fn pages_name_their_icon_and_describe_themselves_and_favicon_ico_leads_to_the_icon() {
    let app = TestApp::empty().await;
    let page = app.get("/login", None).await;

    let icon = attr(&page, "link[rel=icon]", "href").unwrap();
    assert!(hash_in(&icon, "favicon", "svg").is_some(), "{icon}");
    let description = attr(&page, "meta[name=description]", "content").unwrap();
    assert!(description.starts_with("patrolboard"), "{description}");
    let file = app.get(&icon, None).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.headers[header::CONTENT_TYPE], "image/svg+xml");
    assert_eq!(file.headers[header::CACHE_CONTROL], IMMUTABLE);
    assert!(file.body.starts_with("<svg"));

    let asked = app.get("/favicon.ico", None).await;
    assert_eq!(asked.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(asked.location(), Some(icon.as_str()));
}
