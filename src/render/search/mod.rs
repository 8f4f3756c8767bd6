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

/// One page for the index, as the renderer hands it over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    /// A page rendered in this build: its document, and its render key when the build has
    /// them ([`crate::render::incremental`]; the document is then kept in the cache under it).
    Rendered(Doc, Option<String>),
    /// A page whose render key is the same as when an earlier build rendered it: its site
    /// path and that key. Its document is the one the cache holds under the key, so a build
    /// whose pages are all unchanged needs none rendered to reuse the index.
    Unchanged {
        /// The page's site path.
        url: String,
        /// Its render key (hex).
        key: String,
    },
}

impl Page {
    /// The page's site path.
    pub fn url(&self) -> &str {
        match self {
            Page::Rendered(doc, _) => &doc.url,
            Page::Unchanged { url, .. } => url,
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

/// Indexes `pages` (in the given order) for a site in `language` (an ISO 639-1 code such as
/// `en`, which picks Pagefind's stemmer). Returns the files of the bundle as (site path under
/// [`BUNDLE_DIR`], file), sorted by path.
///
/// With `cache` (the project's `.stepbook-cache/search/` folder) the index of the last build
/// is reused when its pages (documents, or render keys where every page has one), the
/// language and Pagefind's version are the same, and a new index is kept there for the next
/// build; the files are then [`SiteFile::Copied`] from the cache. The documents of
/// [`Page::Unchanged`] pages come from the cache, or from `render` (site path → document) when
/// the cache does not hold them. A cache that cannot be written is not an error: the files
/// are then [`SiteFile::Generated`], as without a cache.
///
/// Errors: [`Error::Invalid`] with Pagefind's message when a page cannot be indexed or the
/// index cannot be built; the first error of `render`.
pub fn build_index(
    pages: Vec<Page>,
    language: &str,
    cache: Option<PathBuf>,
    render: &dyn Fn(&str) -> Result<Doc>,
) -> Result<Vec<(String, SiteFile)>> {
    let cache = cache.map(cache::Cache::new);
    let key = cache::key(&pages, language);
    if let Some(files) = cache.as_ref().and_then(|c| c.lookup(&key)) {
        return Ok(files
            .into_iter()
            .map(|(name, disk)| (format!("{BUNDLE_DIR}/{name}"), SiteFile::Copied(disk)))
            .collect());
    }
    let mut known = match &cache {
        Some(c) if pages.iter().any(|p| matches!(p, Page::Unchanged { .. })) => c.docs(),
        _ => Default::default(),
    };
    let mut keyed = Vec::new();
    let mut docs = Vec::with_capacity(pages.len());
    for page in pages {
        let (doc, key) = match page {
            Page::Rendered(doc, key) => (doc, key),
            Page::Unchanged { url, key } => match known.remove(&(url.clone(), key.clone())) {
                Some(doc) => (doc, Some(key)),
                None => (render(&url)?, Some(key)),
            },
        };
        if let Some(key) = key {
            keyed.push((key, doc.clone()));
        }
        docs.push(doc);
    }
    drop(known);
    let files = index(docs, language)?;
    if let Some(cache) = &cache
        && let Ok(disk) = cache.store(&key, &files, &keyed)
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

    /// The pages of `docs`, without render keys.
    fn pages(docs: Vec<Doc>) -> Vec<Page> {
        docs.into_iter().map(|d| Page::Rendered(d, None)).collect()
    }

    /// No page is rendered again.
    fn none(url: &str) -> Result<Doc> {
        panic!("{url} rendered again")
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
        let a = build_index(pages(docs()), "en", None, &none).unwrap();
        let b = build_index(pages(docs()), "en", None, &none).unwrap();
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
        let files = bytes(&build_index(pages(docs()), "en", None, &none).unwrap());
        let entry = &files
            .iter()
            .find(|(n, _)| n == "pagefind/pagefind-entry.json")
            .unwrap()
            .1;
        let entry: serde_json::Value = serde_json::from_slice(entry).unwrap();
        assert_eq!(
            entry["version"],
            cache::PAGEFIND_VERSION,
            "Pagefind was upgraded: update cache::PAGEFIND_VERSION"
        );
    }

    #[test]
    fn cached_index_is_the_uncached_one_and_is_reused() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("search");
        let uncached = bytes(&build_index(pages(docs()), "en", None, &none).unwrap());
        let first = build_index(pages(docs()), "en", Some(cache.clone()), &none).unwrap();
        assert!(
            first
                .iter()
                .all(|(_, f)| matches!(f, SiteFile::Copied(p) if p.starts_with(&cache)))
        );
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
        let second = build_index(pages(docs()), "en", Some(cache.clone()), &none).unwrap();
        assert_eq!(second, first);
        assert_eq!(std::fs::read(entry).unwrap(), b"{}");
    }

    #[test]
    fn a_changed_page_misses_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("search");
        let first = bytes(&build_index(pages(docs()), "en", Some(cache.clone()), &none).unwrap());
        let mut changed = docs();
        changed[0] = Doc::new(
            changed[0].url.clone(),
            "Structs".into(),
            "<h1 id=\"s\">Structs</h1><p>A struct groups named fields.</p>",
        );
        let second =
            bytes(&build_index(pages(changed.clone()), "en", Some(cache.clone()), &none).unwrap());
        assert_ne!(second, first);
        assert_eq!(
            second,
            bytes(&build_index(pages(changed), "en", None, &none).unwrap())
        );
        // Only the files of the new index are left in the cache.
        let left = walkdir::WalkDir::new(cache.join("bundle"))
            .into_iter()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_file())
            .count();
        assert_eq!(left, second.len());
        // Another language is another index.
        let other = bytes(&build_index(pages(docs()), "de", Some(cache), &none).unwrap());
        assert_ne!(other, first);
    }

    #[test]
    fn unchanged_pages_need_no_document() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("search");
        let keyed = |docs: Vec<Doc>, keys: [&str; 2]| -> Vec<Page> {
            docs.into_iter()
                .zip(keys)
                .map(|(d, k)| Page::Rendered(d, Some(k.to_string())))
                .collect()
        };
        let unchanged = |i: usize, key: &str| Page::Unchanged {
            url: docs()[i].url.clone(),
            key: key.into(),
        };
        let first = bytes(
            &build_index(
                keyed(docs(), ["k0", "k1"]),
                "en",
                Some(cache.clone()),
                &none,
            )
            .unwrap(),
        );
        // Nothing changed: the index is reused by the keys alone.
        let again = vec![unchanged(0, "k0"), unchanged(1, "k1")];
        assert_eq!(
            bytes(&build_index(again, "en", Some(cache.clone()), &none).unwrap()),
            first
        );
        // One page changed: the other's document comes from the cache, and the index is the
        // one an uncached build makes.
        let mut changed = docs();
        changed[1] = Doc::new(
            changed[1].url.clone(),
            changed[1].title.clone(),
            "<p>Ownership moves values.</p>",
        );
        let mixed = vec![
            unchanged(0, "k0"),
            Page::Rendered(changed[1].clone(), Some("k2".into())),
        ];
        let second = bytes(&build_index(mixed, "en", Some(cache.clone()), &none).unwrap());
        assert_eq!(
            second,
            bytes(&build_index(pages(changed.clone()), "en", None, &none).unwrap())
        );
        // A key the cache holds no document for: the page is rendered.
        let render = |url: &str| Ok(changed.iter().find(|d| d.url == url).unwrap().clone());
        let unknown = vec![unchanged(0, "k9"), unchanged(1, "k2")];
        let third = bytes(&build_index(unknown, "en", Some(cache), &render).unwrap());
        assert_eq!(third, second);
    }
}
