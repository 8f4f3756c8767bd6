//! Full-text search: the rendered pages indexed with Pagefind's Rust API into `pagefind/` of
//! the site, the one module that knows the `pagefind` crate. The browser side is `search.js`
//! (a search box in the top bar that loads `pagefind/pagefind.js` on first use); Pagefind's
//! own UI bundles are not published.
//!
//! Each page is handed to Pagefind as a record of text ([`Doc`]): its title as the result's
//! title and the text of its body in the form Pagefind's HTML reader makes ([`digest`]: heading
//! weights, sentences, heading anchors and code-block tools left out), made while the page is
//! rendered, in parallel. Pagefind then has no HTML to parse (its parser takes pages one at a
//! time behind a lock), and a build holds a page's text rather than its HTML. The sidebar,
//! table of contents and footer are not part of it: they would only add noise to results.
//!
//! Pagefind's API is async (tokio) and takes pages one at a time; the index is built on its
//! own thread with a current-thread runtime, so it runs the same under `build` and inside the
//! preview server's runtime. Pages are added in site-path order, so the index is the same
//! bytes for the same site. With a cache folder ([`build_index`]), an index whose documents
//! did not change since the last build is reused instead of rebuilt ([`cache`]).

mod cache;
mod digest;

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::render::SiteFile;

/// The folder of the site that holds the index and Pagefind's script.
pub const BUNDLE_DIR: &str = "pagefind";

/// One page to index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doc {
    /// The page's site path (`guide/a.html`), relative to the site root; `search.js` prefixes
    /// the root of the page the reader is on.
    pub url: String,
    /// The page title (shown as the result's title).
    pub title: String,
    /// The page's text as Pagefind indexes it (see [`Doc::new`]).
    pub text: String,
}

impl Doc {
    /// The document of the page at site path `url` titled `title`, from its rendered body
    /// HTML: the text Pagefind would read from it (headings weighted, heading anchors and
    /// elements marked `data-pagefind-ignore` left out, character references decoded).
    pub fn new(url: String, title: String, body_html: &str) -> Doc {
        Doc {
            url,
            title,
            text: digest::digest(body_html),
        }
    }
}

/// Pagefind's browser files the site does not use (stepbook has its own search box).
const UNUSED: &[&str] = &[
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
];

/// Indexes `docs` (in the given order) for a site in `language` (an ISO 639-1 code such as
/// `en`, which picks Pagefind's stemmer). Returns the files of the bundle as (site path under
/// [`BUNDLE_DIR`], file), sorted by path.
///
/// With `cache` (the project's `.stepbook-cache/search/` folder) the index of the last build
/// is reused when its documents, the language and Pagefind's version are the same, and a new
/// index is kept there for the next build; the files are then [`SiteFile::Copied`] from the
/// cache. A cache that cannot be written is not an error: the files are then
/// [`SiteFile::Generated`], as without a cache.
///
/// Errors: [`Error::Invalid`] with Pagefind's message when a page cannot be indexed or the
/// index cannot be built.
pub fn build_index(
    docs: Vec<Doc>,
    language: &str,
    cache: Option<PathBuf>,
) -> Result<Vec<(String, SiteFile)>> {
    let cache = cache.map(cache::Cache::new);
    let key = cache.as_ref().map(|_| cache::key(&docs, language));
    if let (Some(cache), Some(key)) = (&cache, &key)
        && let Some(files) = cache.lookup(key)
    {
        return Ok(files
            .into_iter()
            .map(|(name, disk)| (format!("{BUNDLE_DIR}/{name}"), SiteFile::Copied(disk)))
            .collect());
    }
    let files = index(docs, language)?;
    if let (Some(cache), Some(key)) = (&cache, &key)
        && let Ok(disk) = cache.store(key, &files)
    {
        return Ok(files
            .into_iter()
            .zip(disk)
            .map(|((name, _), disk)| (format!("{BUNDLE_DIR}/{name}"), SiteFile::Copied(disk)))
            .collect());
    }
    Ok(files
        .into_iter()
        .map(|(name, bytes)| (format!("{BUNDLE_DIR}/{name}"), SiteFile::Generated(bytes)))
        .collect())
}

/// The bundle of `docs`: (path under [`BUNDLE_DIR`], bytes), sorted by path.
fn index(docs: Vec<Doc>, language: &str) -> Result<Vec<(String, Vec<u8>)>> {
    let language = language.to_string();
    std::thread::scope(|s| {
        s.spawn(move || index_on_this_thread(docs, language))
            .join()
            .unwrap_or_else(|_| Err(Error::Invalid("search index: Pagefind panicked".into())))
    })
}

fn index_on_this_thread(docs: Vec<Doc>, language: String) -> Result<Vec<(String, Vec<u8>)>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Invalid(format!("search index: cannot start a runtime: {e}")))?;
    runtime.block_on(async move {
        let options = pagefind::options::PagefindServiceConfig::builder()
            .keep_index_url(true)
            .force_language(language.clone())
            .build();
        let mut index = pagefind::api::PagefindIndex::new(Some(options)).map_err(failed)?;
        for doc in docs {
            let meta = BTreeMap::from([("title".to_string(), doc.title)]);
            index
                .add_custom_record(doc.url, doc.text, language.clone(), Some(meta), None, None)
                .await
                .map_err(failed)?;
        }
        let files = index.get_files().await.map_err(failed)?;
        let mut out: Vec<(String, Vec<u8>)> = files
            .into_iter()
            .filter_map(|f| {
                let name = f.filename.to_string_lossy().replace('\\', "/");
                if UNUSED.contains(&name.as_str()) || name.starts_with("playground/") {
                    return None;
                }
                Some((name, f.contents))
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    })
}

/// A Pagefind error as ours.
fn failed(e: impl std::fmt::Display) -> Error {
    Error::Invalid(format!("search index: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs() -> Vec<Doc> {
        vec![
            Doc::new(
                "guide/structs.html".into(),
                "Structs".into(),
                "<h1 id=\"s\">Structs</h1><p>A struct groups fields.</p>",
            ),
            Doc::new(
                "ownership.html".into(),
                "Understanding Ownership".into(),
                "<h1 id=\"o\">Understanding Ownership</h1><p>Ownership is Rust&#39;s most unique feature.</p>",
            ),
        ]
    }

    /// The files' bytes, read from the cache where they are copied from it.
    fn bytes(files: &[(String, SiteFile)]) -> Vec<(String, Vec<u8>)> {
        files
            .iter()
            .map(|(name, f)| match f {
                SiteFile::Generated(b) => (name.clone(), b.clone()),
                SiteFile::Copied(disk) => (name.clone(), std::fs::read(disk).unwrap()),
            })
            .collect()
    }

    #[test]
    fn index_finds_words_and_is_deterministic() {
        let a = build_index(docs(), "en", None).unwrap();
        let b = build_index(docs(), "en", None).unwrap();
        assert_eq!(a, b);
        assert!(a.iter().all(|(_, f)| matches!(f, SiteFile::Generated(_))));
        let names: Vec<&str> = a.iter().map(|(n, _)| n.as_str()).collect();
        assert!(names.contains(&"pagefind/pagefind.js"), "{names:?}");
        assert!(names.contains(&"pagefind/pagefind-entry.json"), "{names:?}");
        assert!(names.iter().any(|n| n.ends_with(".pf_index")), "{names:?}");
        assert!(!names.contains(&"pagefind/pagefind-ui.js"));
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
    }

    #[test]
    fn pagefind_version_in_the_cache_key_is_pagefinds() {
        let files = bytes(&build_index(docs(), "en", None).unwrap());
        let entry = &files
            .iter()
            .find(|(n, _)| n == "pagefind/pagefind-entry.json")
            .unwrap()
            .1;
        let entry: serde_json::Value = serde_json::from_slice(entry).unwrap();
        assert_eq!(
            entry["version"], cache::PAGEFIND_VERSION,
            "Pagefind was upgraded: update cache::PAGEFIND_VERSION"
        );
    }

    #[test]
    fn cached_index_is_the_uncached_one_and_is_reused() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("search");
        let uncached = bytes(&build_index(docs(), "en", None).unwrap());
        let first = build_index(docs(), "en", Some(cache.clone())).unwrap();
        assert!(first.iter().all(|(_, f)| matches!(f, SiteFile::Copied(p) if p.starts_with(&cache))));
        assert_eq!(bytes(&first), uncached);
        // A hit publishes the cached files without indexing again: a cached file's bytes,
        // changed behind its back, come out as they are.
        let (_, SiteFile::Copied(entry)) = first
            .iter()
            .find(|(n, _)| n == "pagefind/pagefind-entry.json")
            .unwrap()
        else {
            unreachable!()
        };
        std::fs::write(entry, b"{}").unwrap();
        let second = build_index(docs(), "en", Some(cache.clone())).unwrap();
        assert_eq!(second, first);
        assert_eq!(std::fs::read(entry).unwrap(), b"{}");
    }

    #[test]
    fn a_changed_page_misses_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("search");
        let first = bytes(&build_index(docs(), "en", Some(cache.clone())).unwrap());
        let mut changed = docs();
        changed[0] = Doc::new(
            changed[0].url.clone(),
            "Structs".into(),
            "<h1 id=\"s\">Structs</h1><p>A struct groups named fields.</p>",
        );
        let second = bytes(&build_index(changed.clone(), "en", Some(cache.clone())).unwrap());
        assert_ne!(second, first);
        assert_eq!(second, bytes(&build_index(changed, "en", None).unwrap()));
        // Only the files of the new index are left in the cache.
        let left = walkdir::WalkDir::new(cache.join("bundle"))
            .into_iter()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_file())
            .count();
        assert_eq!(left, second.len());
        // Another language is another index.
        let other = bytes(&build_index(docs(), "de", Some(cache)).unwrap());
        assert_ne!(other, first);
    }
}
