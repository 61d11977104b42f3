//! Computed views kept by pilot data version, and the ETag and 304 built on the same key
//! (docs/architecture.md, "Caches").
//!
//! A view is cached under the version read before its data, so a view computed from newer data
//! may sit under an older key but never the reverse; every committed change bumps the version in
//! the database, so each server instance sees it on its next request.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use crate::db::pilots::DataVersion;
use crate::db::users::User;
use crate::domain::ids::PilotId;

/// What a cached view depends on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ViewKey {
    pub pilot: PilotId,
    pub version: DataVersion,
    /// The view's name and normalised query: the resolved range and anything else it filters by.
    pub view: String,
    /// The pilot's local date, for a view with "today"-dependent parts (progress, gaps); `None`
    /// for a view that depends on no date but its range.
    pub today: Option<NaiveDate>,
}

impl ViewKey {
    /// A weak validator of the view as `viewer` sees it (`None` when the answer is the same for
    /// everyone): a digest of the key, so every instance gives the same view the same ETag, and
    /// any change of the pilot's data changes it.
    pub fn etag(&self, viewer: Option<&User>) -> HeaderValue {
        let who = viewer.map_or_else(String::new, |u| format!("{}:{}", u.id, u.role));
        let text = format!(
            "{}|{}|{}|{}|{}|{}",
            env!("CARGO_PKG_VERSION"),
            self.pilot,
            self.version.0,
            self.view,
            self.today.map(|d| d.to_string()).unwrap_or_default(),
            who
        );
        let digest = Sha256::digest(text.as_bytes());
        let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
        HeaderValue::from_str(&format!("W/\"{hex}\"")).expect("hex digits are a valid header")
    }
}

/// Whether the request's `If-None-Match` names `etag` (weak comparison, as for GET).
pub fn is_fresh(request: &HeaderMap, etag: &HeaderValue) -> bool {
    let Ok(etag) = etag.to_str() else {
        return false;
    };
    let opaque = |tag: &str| tag.trim().trim_start_matches("W/").to_string();
    request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|tag| tag.trim() == "*" || opaque(tag) == opaque(etag))
}

/// `304 Not Modified` for a client that holds the view of `etag`.
pub fn not_modified(etag: HeaderValue) -> Response {
    validated(StatusCode::NOT_MODIFIED.into_response(), etag)
}

/// `response` with its ETag, and told to be checked again before each use: pages are per user,
/// so only the user's own browser may keep them. A failure is sent as it is.
pub fn validated(mut response: Response, etag: HeaderValue) -> Response {
    if !(response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED) {
        return response;
    }
    let headers = response.headers_mut();
    headers.insert(header::ETAG, etag);
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    response
}

/// A bounded map from [`ViewKey`] to a computed view, shared by the clones of one server's state;
/// when full, the least recently used entry makes room.
#[derive(Clone)]
pub struct ViewCache<V> {
    entries: Arc<Mutex<Entries<V>>>,
    capacity: usize,
}

struct Entries<V> {
    map: HashMap<ViewKey, (u64, V)>,
    clock: u64,
}

impl<V: Clone> ViewCache<V> {
    /// A cache of at most `capacity` views; 0 keeps none.
    pub fn new(capacity: usize) -> ViewCache<V> {
        ViewCache {
            entries: Arc::new(Mutex::new(Entries {
                map: HashMap::new(),
                clock: 0,
            })),
            capacity,
        }
    }

    /// The view stored under `key`, marked as just used.
    pub fn get(&self, key: &ViewKey) -> Option<V> {
        let mut entries = self.lock();
        entries.clock += 1;
        let now = entries.clock;
        entries.map.get_mut(key).map(|(used, view)| {
            *used = now;
            view.clone()
        })
    }

    /// Stores `view` under `key`. Views of an older version of the same pilot are dropped first:
    /// no request asks for them again.
    pub fn insert(&self, key: ViewKey, view: V) {
        if self.capacity == 0 {
            return;
        }
        let mut entries = self.lock();
        entries
            .map
            .retain(|k, _| k.pilot != key.pilot || k.version >= key.version);
        if entries.map.len() >= self.capacity && !entries.map.contains_key(&key) {
            let oldest = entries
                .map
                .iter()
                .min_by_key(|(_, (used, _))| *used)
                .map(|(k, _)| k.clone());
            if let Some(oldest) = oldest {
                entries.map.remove(&oldest);
            }
        }
        entries.clock += 1;
        let now = entries.clock;
        entries.map.insert(key, (now, view));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries<V>> {
        // A panic while holding the lock leaves a map that is still whole: keep using it.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(pilot: i64, version: i64, view: &str) -> ViewKey {
        ViewKey {
            pilot: PilotId(pilot),
            version: DataVersion(version),
            view: view.into(),
            today: NaiveDate::from_ymd_opt(2023, 3, 13),
        }
    }

    #[test]
    fn a_full_cache_drops_the_least_recently_used_view() {
        let cache = ViewCache::new(2);
        cache.insert(key(1, 1, "a"), "a");
        cache.insert(key(1, 1, "b"), "b");
        assert_eq!(cache.get(&key(1, 1, "a")), Some("a"));

        cache.insert(key(1, 1, "c"), "c");

        assert_eq!(cache.get(&key(1, 1, "a")), Some("a"));
        assert_eq!(cache.get(&key(1, 1, "b")), None);
        assert_eq!(cache.get(&key(1, 1, "c")), Some("c"));
    }

    #[test]
    fn a_newer_version_of_a_pilot_drops_its_older_views_only() {
        let cache = ViewCache::new(10);
        cache.insert(key(1, 1, "a"), "old");
        cache.insert(key(2, 1, "a"), "other pilot");

        cache.insert(key(1, 2, "b"), "new");

        assert_eq!(cache.get(&key(1, 1, "a")), None);
        assert_eq!(cache.get(&key(2, 1, "a")), Some("other pilot"));
        assert_eq!(cache.get(&key(1, 2, "b")), Some("new"));
    }

    #[test]
    fn a_cache_of_no_entries_keeps_nothing() {
        let cache = ViewCache::new(0);
        cache.insert(key(1, 1, "a"), "a");
        assert_eq!(cache.get(&key(1, 1, "a")), None);
    }

    #[test]
    fn the_etag_follows_the_key_and_the_viewer_and_nothing_else() {
        let etag = key(1, 1, "a").etag(None);
        assert_eq!(key(1, 1, "a").etag(None), etag, "the same for the same key");
        for other in [key(2, 1, "a"), key(1, 2, "a"), key(1, 1, "b")] {
            assert_ne!(other.etag(None), etag);
        }
        let tomorrow = ViewKey {
            today: NaiveDate::from_ymd_opt(2023, 3, 14),
            ..key(1, 1, "a")
        };
        assert_ne!(tomorrow.etag(None), etag);
        assert!(etag.to_str().unwrap().starts_with("W/\""));
    }

    #[test]
    fn if_none_match_matches_any_listed_tag_weak_or_strong() {
        let etag = key(1, 1, "a").etag(None);
        let opaque = etag.to_str().unwrap().trim_start_matches("W/").to_string();
        let mut headers = HeaderMap::new();
        assert!(!is_fresh(&headers, &etag));
        headers.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_str(&format!("\"other\", {opaque}")).unwrap(),
        );
        assert!(is_fresh(&headers, &etag));
        headers.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"other\""));
        assert!(!is_fresh(&headers, &etag));
        headers.insert(header::IF_NONE_MATCH, HeaderValue::from_static("*"));
        assert!(is_fresh(&headers, &etag));
    }
}
