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
//! Pagefind's API is async (tokio) and takes pages one at a time, and it has no incremental
//! update; a large site's index is therefore split into shards ([`shard`]), independent
//! bundles merged in the browser. Each shard to index is built on a thread of its own (not a
//! rayon worker: see [`Pending::build`]) by its own Pagefind instance with a current-thread
//! runtime, so it runs the same under `build` and inside the preview server's runtime; two
//! such lanes run at once, of which one builds its files at a time (`LANES`,
//! `BUILDING_AT_ONCE`). Pages are added in site-path order, so the index is
//! the same bytes for the same site. With a cache folder ([`build_index`]), a shard whose
//! documents did not change since the last build is reused instead of rebuilt ([`cache`]).

mod cache;
mod digest;
pub mod shard;
mod spill;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

pub use spill::{Spill, Spilled};

use rayon::prelude::*;

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
    /// A page rendered in this build whose document was written to the build's [`Spill`]
    /// file instead of kept in memory.
    Spilled {
        /// The page's site path.
        url: String,
        /// Its render key (hex).
        key: String,
        /// Where its document is.
        at: Spilled,
    },
}

impl Page {
    /// The page's site path.
    pub fn url(&self) -> &str {
        match self {
            Page::Rendered(doc, _) => &doc.url,
            Page::Unchanged { url, .. } | Page::Spilled { url, .. } => url,
        }
    }
}

/// The files of one bundle: path under its folder (`fragment/en_1a2b.pf_fragment`), bytes.
type Bundle = Vec<(String, Vec<u8>)>;

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
/// `en`, which picks Pagefind's stemmer). Returns the files of the bundles as (site path under
/// [`BUNDLE_DIR`], file), sorted by path.
///
/// A site of at most [`shard::MAX_SHARD_PAGES`] pages has one bundle in [`BUNDLE_DIR`]; a
/// larger one is split into shards ([`shard::assign`]): the first is the bundle in
/// [`BUNDLE_DIR`] (with Pagefind's script), shard K (from 1) is the bundle in
/// `pagefind/shard-K/` (its index only), and [`SHARDS_FILE`] lists those folders for
/// `search.js`, which merges them into the first with Pagefind's `mergeIndex`. Shards that
/// must be indexed are indexed in parallel, each by its own Pagefind instance.
///
/// With `cache` (the project's `.stepbook-cache/search/` folder) each shard's index of the
/// last build is reused when its pages (documents, or render keys where every page has one),
/// the language and Pagefind's version are the same, and a new one is kept there for the next
/// build ([`cache`]: one pack file a shard). The documents of [`Page::Unchanged`] pages come
/// from the cache, or from `render` (site path → document) when the cache does not hold them.
/// A cache that cannot be written is not an error. A bundle kept in the cache is returned as
/// [`SiteFile::Cached`] slices of its pack (written into the site as bytes, never linked to
/// the cache), else as [`SiteFile::Generated`].
///
/// Errors: [`Error::Invalid`] with Pagefind's message when a page cannot be indexed or the
/// index cannot be built; the first error of `render`.
pub fn build_index(
    pages: Vec<Page>,
    language: &str,
    cache: Option<PathBuf>,
    render: &dyn Fn(&str) -> Result<Doc>,
) -> Result<Vec<(String, SiteFile)>> {
    Ok(prepare(pages, language, cache, None, render, None)?
        .build()?
        .files)
}

/// Shard size for [`build_index`] when not 0 (tests only; see [`set_shard_pages`]).
static SHARD_PAGES: AtomicUsize = AtomicUsize::new(0);

/// Makes [`build_index`] cut shards of at most `pages` pages instead of
/// [`shard::MAX_SHARD_PAGES`], for the rest of the process. For tests of sharded sites that
/// are small (set by a hidden command-line option); not part of the interface.
#[doc(hidden)]
pub fn set_shard_pages(pages: usize) {
    SHARD_PAGES.store(pages, Ordering::Relaxed);
}

/// The file of [`BUNDLE_DIR`] that lists the folders of the other shards' bundles (relative to
/// [`BUNDLE_DIR`], e.g. `["shard-1/"]`; `[]` for a site with one bundle), as JSON.
pub const SHARDS_FILE: &str = "stepbook-shards.json";

/// What [`build_index_sharded`] made.
#[doc(hidden)]
#[derive(Debug)]
pub struct Built {
    /// As [`build_index`] returns them.
    pub files: Vec<(String, SiteFile)>,
    /// The number of shards.
    pub shards: usize,
    /// How many of them were indexed (the others were reused from the cache).
    pub indexed: usize,
}

/// [`build_index`] with shards of at most `max` pages.
#[doc(hidden)]
pub fn build_index_sharded(
    pages: Vec<Page>,
    language: &str,
    cache: Option<PathBuf>,
    render: &dyn Fn(&str) -> Result<Doc>,
    max: usize,
) -> Result<Built> {
    prepare(pages, language, cache, None, render, Some(max))?.build()
}

/// The index of a site made in two steps, so that a build can free what indexing does not need
/// (the page models) in between: [`prepare`] finds the shards to index and every document they
/// need (rendering those it must), [`Pending::build`] indexes them.
#[derive(Debug)]
pub struct Pending {
    language: String,
    cache: Option<PathBuf>,
    caches: Vec<Option<cache::Cache>>,
    keys: Vec<String>,
    hits: Vec<Option<cache::Packed>>,
    /// The shards to index: their number and pages, each [`Page::Rendered`] or
    /// [`Page::Spilled`].
    todo: Vec<(usize, Vec<Page>)>,
    spill: Option<Arc<Spill>>,
}

/// The first step of [`build_index`], for `pages` whose documents are kept in memory or in
/// `spill` ([`Page::Spilled`]), with shards of at most `max` pages (default
/// [`shard::MAX_SHARD_PAGES`]): reads which shards the cache holds, and gathers the documents
/// of the shards to index (an unchanged page's from the cache, else from `render`).
///
/// Errors: the first error of `render`.
pub fn prepare(
    pages: Vec<Page>,
    language: &str,
    cache: Option<PathBuf>,
    spill: Option<Arc<Spill>>,
    render: &dyn Fn(&str) -> Result<Doc>,
    max: Option<usize>,
) -> Result<Pending> {
    let max = max.unwrap_or_else(|| match SHARD_PAGES.load(Ordering::Relaxed) {
        0 => shard::MAX_SHARD_PAGES,
        n => n,
    });
    let urls: Vec<&str> = pages.iter().map(Page::url).collect();
    let ranges = shard::assign(&urls, max);
    let caches: Vec<Option<cache::Cache>> = (0..ranges.len())
        .map(|i| {
            cache
                .as_ref()
                .map(|c| cache::Cache::new(c.join(format!("shard-{i}"))))
        })
        .collect();
    let keys: Vec<String> = ranges
        .iter()
        .map(|r| cache::key(&pages[r.clone()], language))
        .collect();
    let hits: Vec<Option<cache::Packed>> = caches
        .par_iter()
        .zip(&keys)
        .map(|(c, key)| c.as_ref().and_then(|c| c.lookup(key)))
        .collect();
    // The documents of unchanged pages of shards to index: those the shard's own cache keeps
    // (where an edited page's neighbours are), then those of every shard's cache.
    let mut known: HashMap<(String, String), Doc> = HashMap::new();
    let mut every_shard = cache.is_none();
    let mut todo = Vec::new();
    let mut pages = pages.into_iter();
    for (i, (range, hit)) in ranges.iter().zip(&hits).enumerate() {
        let shard: Vec<Page> = pages.by_ref().take(range.len()).collect();
        if hit.is_some() {
            continue;
        }
        if shard.iter().any(|p| matches!(p, Page::Unchanged { .. }))
            && let Some(c) = &caches[i]
        {
            known.extend(c.docs());
        }
        let mut ready = Vec::with_capacity(shard.len());
        for page in shard {
            let Page::Unchanged { url, key } = page else {
                ready.push(page);
                continue;
            };
            let id = (url, key);
            let mut doc = known.remove(&id);
            if doc.is_none()
                && !every_shard
                && let Some(root) = &cache
            {
                every_shard = true;
                known.extend(cache::docs_below(root));
                doc = known.remove(&id);
            }
            let (url, key) = id;
            let doc = match doc {
                Some(doc) => doc,
                None => render(&url)?,
            };
            ready.push(Page::Rendered(doc, Some(key)));
        }
        todo.push((i, ready));
    }
    Ok(Pending {
        language: language.to_string(),
        cache,
        caches,
        keys,
        hits,
        todo,
        spill,
    })
}

/// How many shards are indexed at once at most (fewer on a machine with fewer cores): each
/// lane adds its shard's pages to a Pagefind instance of its own (word splitting and stemming,
/// on one thread) while the other builds its index and files, so both cores have work; one
/// lane left a core idle for most of each shard (Pagefind adds pages and gzips files on one
/// thread).
const LANES: usize = 2;

/// How many shards build their index and files at once at most (Pagefind's `get_files`, until
/// the instance is freed): that is where an instance holds its model of the pages two and three
/// times over (a 924-page shard: 46 MiB after adding its pages, 131 MiB at the peak of
/// `get_files`), and two 1,000-page shards doing it at once need about 40 MiB more than the
/// page models freed for them (10k corpus: 306-329 MiB peak against 289 MiB with search off).
/// A lane that has added its pages waits for its turn.
const BUILDING_AT_ONCE: usize = 1;

impl Pending {
    /// The second step of [`build_index`]: indexes the shards to index (at most [`LANES`] at a
    /// time, of which [`BUILDING_AT_ONCE`] build their files, each on a thread of its own, not
    /// one of rayon's, with its own Pagefind instance), keeps them in the cache, and returns
    /// every shard's files.
    ///
    /// Errors: as [`build_index`], and a document that cannot be read back from the spill file.
    pub fn build(self) -> Result<Built> {
        let Pending {
            language,
            cache,
            caches,
            keys,
            hits,
            todo,
            spill,
        } = self;
        let indexed = todo.len();
        let lanes = rayon::current_num_threads()
            .clamp(1, LANES)
            .min(todo.len().max(1));
        // Each lane takes the next shard when it is done with one; none after a lane failed.
        let queue = std::sync::Mutex::new(todo.into_iter());
        let failed = std::sync::atomic::AtomicBool::new(false);
        let next = || {
            if failed.load(Ordering::Relaxed) {
                return None;
            }
            queue.lock().ok().and_then(|mut q| q.next())
        };
        let building = Turns::new(BUILDING_AT_ONCE);
        let index_one =
            |(i, pages): (usize, Vec<Page>)| -> Result<(usize, Vec<(String, SiteFile)>)> {
                let mut page_keys = Vec::with_capacity(pages.len());
                let mut docs = Vec::with_capacity(pages.len());
                for page in pages {
                    let (doc, key) = match page {
                        Page::Rendered(doc, key) => (doc, key),
                        Page::Spilled { url, key, at } => {
                            let spill = spill.as_ref().ok_or_else(|| {
                                Error::Invalid(format!("search index: no spill file for {url}"))
                            })?;
                            let doc = spill.get(url, at).map_err(|e| {
                                Error::Invalid(format!(
                                    "search index: cannot read a page back: {e}"
                                ))
                            })?;
                            (doc, Some(key))
                        }
                        Page::Unchanged { url, .. } => {
                            return Err(Error::Invalid(format!(
                                "search index: no document for {url}"
                            )));
                        }
                    };
                    page_keys.push(key);
                    docs.push(doc);
                }
                // The documents are kept now, not cloned until the index is stored: a copy of
                // every page's text held through the indexing. A cache that cannot be written is
                // not an error.
                if let Some(c) = &caches[i] {
                    let keyed: Vec<(&str, &Doc)> = page_keys
                        .iter()
                        .zip(&docs)
                        .filter_map(|(k, d)| Some((k.as_deref()?, d)))
                        .collect();
                    let _ = c.store_docs(&keyed);
                }
                let mut files = index_on_this_thread(docs, language.clone(), &building)?;
                // Merged bundles are searched with the first one's script and WebAssembly.
                files.retain(|(name, _)| i == 0 || is_index_file(name));
                // Kept in the cache, the bytes are dropped here and read from there when the site
                // is written, so a build does not hold every shard's files at once. A cache that
                // cannot be written only makes the next build index again.
                let stored = caches[i].as_ref().map(|c| c.store(&keys[i], &files));
                let out: Vec<(String, SiteFile)> = match stored {
                    Some(Ok(packed)) => cached(packed),
                    _ => files
                        .into_iter()
                        .map(|(name, bytes)| (name, SiteFile::Generated(bytes)))
                        .collect(),
                };
                Ok((i, out))
            };
        // Each lane on a thread of its own, never on a rayon worker: Pagefind runs rayon
        // inside the lane's runtime, and a rayon worker that waits there for a stolen half
        // runs whatever job is queued meanwhile; when that is another index's lane (another
        // build in the process, as parallel tests are), it would start a runtime inside the
        // one it is driving, which tokio refuses with a panic. A thread that is not a worker
        // waits for rayon without running other jobs.
        let made: Vec<(usize, Vec<(String, SiteFile)>)> = std::thread::scope(|scope| {
            let running: Vec<_> = (0..lanes)
                .map(|_| {
                    std::thread::Builder::new()
                        .name("search-index".into())
                        .spawn_scoped(scope, || {
                            let made = std::iter::from_fn(next)
                                .map(index_one)
                                .collect::<Result<Vec<_>>>();
                            if made.is_err() {
                                failed.store(true, Ordering::Relaxed);
                            }
                            made
                        })
                })
                .collect();
            let mut made = Vec::new();
            for lane in running {
                let lane = lane.map_err(|e| {
                    Error::Invalid(format!("search index: cannot start a thread: {e}"))
                })?;
                match lane.join() {
                    Ok(shards) => made.extend(shards?),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            Ok::<_, Error>(made)
        })?;
        drop(spill);
        let mut bundles: Vec<Vec<(String, SiteFile)>> = hits
            .into_iter()
            .map(|hit| hit.map(cached).unwrap_or_default())
            .collect();
        for (i, out) in made {
            bundles[i] = out;
        }
        if let Some(root) = &cache {
            // Shards of an earlier, larger site, and the one-bundle cache of earlier versions.
            cache::prune(root, bundles.len());
        }
        let shards = bundles.len();
        let mut files = Vec::new();
        let mut folders = Vec::new();
        for (i, bundle) in bundles.into_iter().enumerate() {
            let dir = if i == 0 {
                BUNDLE_DIR.to_string()
            } else {
                let folder = format!("shard-{i}/");
                let dir = format!("{BUNDLE_DIR}/{folder}");
                folders.push(folder);
                dir.trim_end_matches('/').to_string()
            };
            for (name, file) in bundle {
                // Merged bundles are searched with the first one's script and WebAssembly.
                if i > 0 && !is_index_file(&name) {
                    continue;
                }
                files.push((format!("{dir}/{name}"), file));
            }
        }
        let list = serde_json::to_vec(&folders).expect("a list of strings is JSON");
        files.push((
            format!("{BUNDLE_DIR}/{SHARDS_FILE}"),
            SiteFile::Generated(list),
        ));
        files.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(Built {
            files,
            shards,
            indexed,
        })
    }
}

/// True for the files of a bundle that `mergeIndex` reads: the entry, the metadata and the
/// index, filter and fragment chunks (not the scripts and WebAssembly).
fn is_index_file(name: &str) -> bool {
    name == "pagefind-entry.json"
        || name.ends_with(".pf_meta")
        || name.starts_with("index/")
        || name.starts_with("filter/")
        || name.starts_with("fragment/")
}

/// Bundle files as slices of the cache's pack.
fn cached(packed: cache::Packed) -> Vec<(String, SiteFile)> {
    packed
        .into_iter()
        .map(|(name, slice)| (name, SiteFile::Cached(slice)))
        .collect()
}

/// At most N holders at a time of what [`Turns::take`] gives (a counting semaphore).
struct Turns {
    free: std::sync::Mutex<usize>,
    freed: std::sync::Condvar,
}

/// One of the [`Turns`], given back when dropped.
struct Turn<'a>(&'a Turns);

impl Turns {
    fn new(n: usize) -> Turns {
        Turns {
            free: std::sync::Mutex::new(n.max(1)),
            freed: std::sync::Condvar::new(),
        }
    }

    /// Waits for a turn.
    fn take(&self) -> Turn<'_> {
        let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        while *free == 0 {
            free = self.freed.wait(free).unwrap_or_else(|e| e.into_inner());
        }
        *free -= 1;
        Turn(self)
    }
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        *self.0.free.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        self.0.freed.notify_one();
    }
}

/// The bundle of `docs` (path under the bundle folder, bytes), sorted by path. Starts a
/// current-thread runtime of its own, so it must run on a thread that is inside no runtime and
/// is not a rayon worker (see [`Pending::build`]).
fn index_on_this_thread(docs: Vec<Doc>, language: String, building: &Turns) -> Result<Bundle> {
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
        let files = {
            let _turn = building.take();
            let files = index.get_files().await.map_err(failed);
            drop(index);
            files?
        };
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
mod tests;
