//! `url` sources: the on-disk cache (`<project root>/.stepbook-cache/scopes/<hash>.json`) and
//! the HTTP fetch that fills it (`stepbook check --refresh-sources`).
//!
//! A normal check only reads the cache; it never opens a connection. A refresh sends the cached
//! `ETag` as `If-None-Match` and `Last-Modified` as `If-Modified-Since` (RFC 9110 §13.1); a
//! `304 Not Modified` keeps the cached body.

use std::path::{Path, PathBuf};
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED, USER_AGENT};
use serde::{Deserialize, Serialize};

/// The folder of the project's cache ([`crate::cache::DIR`]) that holds fetched sources.
const CACHE_SUB: &str = "scopes";

/// One cached response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheEntry {
    /// The URL that was fetched.
    pub url: String,
    /// The response's `ETag`, if any.
    pub etag: Option<String>,
    /// The response's `Last-Modified`, if any.
    pub last_modified: Option<String>,
    /// The response body (UTF-8 text).
    pub body: String,
}

/// What a refresh did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refreshed {
    /// The server sent a new body (200), now in the cache.
    Fetched,
    /// The server answered 304 Not Modified; the cache was kept.
    NotModified,
}

/// The cache file for `url` under project `root`: a 64-bit FNV-1a hash of the URL, in hex, so
/// the name is stable across runs, platforms and Rust versions.
pub fn cache_path(root: &Path, url: &str) -> PathBuf {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in url.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    root.join(crate::cache::DIR)
        .join(CACHE_SUB)
        .join(format!("{h:016x}.json"))
}

/// Reads the cache entry for `url`. `Ok(None)` when there is none.
///
/// Errors: the cache file exists but cannot be read or is not a cache entry (message names the
/// file).
pub fn read_cache(root: &Path, url: &str) -> Result<Option<CacheEntry>, String> {
    let path = cache_path(root, url);
    let text = match crate::project::read_regular_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(format!(
                "cannot read the cache file {}: {e}",
                path.display()
            ));
        }
    };
    let entry: CacheEntry = serde_json::from_str(&text).map_err(|e| {
        format!(
            "the cache file {} is damaged ({e}); run `stepbook check --refresh-sources`",
            path.display()
        )
    })?;
    Ok(Some(entry))
}

/// Writes the cache entry for `entry.url` (to a temporary file, then renamed, so a failed write
/// never leaves half a cache).
///
/// Errors: the folder or file cannot be written.
pub fn write_cache(root: &Path, entry: &CacheEntry) -> Result<(), String> {
    let path = cache_path(root, &entry.url);
    crate::cache::create_dir(root);
    let text = serde_json::to_string_pretty(entry).map_err(|e| e.to_string())?;
    crate::cache::write_atomically(&path, text.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Fetches `url` with a blocking reqwest client (rustls; 10 s to connect, 30 s in all),
/// revalidating against `cached`. `validate` checks a new body before it is accepted (the
/// caller parses it and applies the pointer); nothing is cached when it fails.
///
/// Returns the entry to cache and whether it is new.
///
/// Errors: connection failures, any status other than 200 and 304, a body that is not UTF-8,
/// or `validate`'s message.
pub fn fetch(
    url: &str,
    cached: Option<&CacheEntry>,
    validate: impl Fn(&str) -> Result<(), String>,
) -> Result<(CacheEntry, Refreshed), String> {
    let client = reqwest::blocking::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| format!("cannot start the HTTP client: {e}"))?;
    let mut req = client
        .get(url)
        .header(USER_AGENT, concat!("stepbook/", env!("CARGO_PKG_VERSION")));
    if let Some(c) = cached {
        if let Some(etag) = &c.etag {
            req = req.header(IF_NONE_MATCH, etag);
        }
        if let Some(lm) = &c.last_modified {
            req = req.header(IF_MODIFIED_SINCE, lm);
        }
    }
    let resp = req.send().map_err(|e| format!("cannot fetch it: {e}"))?;
    let status = resp.status();
    if status == StatusCode::NOT_MODIFIED {
        return match cached {
            Some(c) => Ok((c.clone(), Refreshed::NotModified)),
            None => {
                Err("the server answered 304 Not Modified, but there is no cached copy".to_string())
            }
        };
    }
    if status != StatusCode::OK {
        return Err(format!("the server answered HTTP {status}"));
    }
    let header = |name| {
        resp.headers()
            .get(name)
            .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
            .map(str::to_string)
    };
    let etag = header(ETAG);
    let last_modified = header(LAST_MODIFIED);
    let bytes = resp
        .bytes()
        .map_err(|e| format!("cannot read the response body: {e}"))?;
    let body = String::from_utf8(bytes.to_vec())
        .map_err(|_| "the response body is not UTF-8 text".to_string())?;
    validate(&body)?;
    Ok((
        CacheEntry {
            url: url.to_string(),
            etag,
            last_modified,
            body,
        },
        Refreshed::Fetched,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_path_is_stable_and_distinct() {
        let root = Path::new("/p");
        let a = cache_path(root, "https://example.com/a.json");
        assert_eq!(a, cache_path(root, "https://example.com/a.json"));
        assert_ne!(a, cache_path(root, "https://example.com/b.json"));
        assert!(a.starts_with("/p/.stepbook-cache/scopes"));
        assert_eq!(a.file_name().unwrap().len(), 16 + 5);
    }

    #[test]
    fn cache_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read_cache(dir.path(), "http://x/").unwrap(), None);
        let e = CacheEntry {
            url: "http://x/".into(),
            etag: Some("\"v1\"".into()),
            last_modified: None,
            body: "[]".into(),
        };
        write_cache(dir.path(), &e).unwrap();
        assert_eq!(read_cache(dir.path(), "http://x/").unwrap(), Some(e));
    }
}
