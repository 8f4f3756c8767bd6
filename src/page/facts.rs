//! A loaded page as the rest of a run holds it ([`PageRef`]): its paths, text and
//! [`PageFacts`] (the few parts of the model that other pages, site rules, the navigation and
//! render keys read) always at hand, and the whole [`Page`] model decoded from the page cache
//! only when something reads it.
//!
//! At 10,000 pages, decoding every model from `.stepbook-cache/pages.bin` is about a million
//! strings; a warm `check` or a one-page rebuild reads the facts of unchanged pages
//! (`.stepbook-cache/facts.bin`) and the findings their rules gave last time
//! ([`crate::check::records`]) instead. Reading any other field of a [`PageRef`] (through
//! `Deref`) decodes that page's model then, so code that needs the model always gets it whole.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::cache::PageCache;
use super::include::IncludeProblem;
use super::source_map::SourceMap;
use super::{FrontMatterProblem, Heading, HtmlId, Page, ParseOptions, Step, Suppression};
use crate::record_file::Key;

/// The facts file's name inside [`crate::cache::DIR`].
pub const FILE: &str = "facts.bin";

/// The facts file's first bytes.
pub const MAGIC: &[u8; 16] = b"stepbook-facts\n\0";

/// Bumped whenever [`PageFacts`] changes shape or meaning.
pub const VERSION: u32 = 3;

/// What other pages' rules, the site rules, the navigation and render keys read of a page,
/// small enough to be kept for every page and read back instead of the page's model.
///
/// Every run reads the fields here ([`Head`]) of every page; the others (headings, HTML ids,
/// anchors, steps: [`Facts`]) only a rule checking a page that links to this one reads. They
/// stay encoded (postcard, as the facts file holds them) until then: a warm `check` at 10,000
/// pages decodes a few dozen pages' instead of about 300,000 strings.
#[derive(Debug, Serialize, Deserialize)]
pub struct PageFacts {
    /// [`Page::title`].
    pub title: String,
    /// Front matter `draft`.
    pub draft: bool,
    /// Front matter `weight` (the folder tree's order).
    pub weight: Option<i64>,
    /// [`Page::front_matter_problem`].
    pub front_matter_problem: Option<FrontMatterProblem>,
    /// [`Page::suppressions`].
    pub suppressions: Vec<Suppression>,
    /// [`Facts::digest`].
    pub digest: Key,
    /// [`Rest`], encoded.
    rest: Encoded,
    /// [`Rest`], decoded the first time it is read.
    #[serde(skip)]
    decoded: OnceLock<Rest>,
}

/// The part of [`PageFacts`] decoded only when read.
#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
struct Rest {
    /// [`Page::headings`].
    headings: Vec<Heading>,
    /// [`Page::html_ids`].
    html_ids: Vec<HtmlId>,
    /// [`Page::anchors`], sorted.
    anchors: Vec<String>,
    /// [`Page::steps`].
    steps: Vec<Step>,
}

/// Bytes that serde writes and reads as one byte string (postcard: a length, then the bytes),
/// not as a sequence of numbers.
#[derive(Debug, Default, Clone, PartialEq)]
struct Encoded(Vec<u8>);

impl Serialize for Encoded {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&self.0)
    }
}

impl<'de> Deserialize<'de> for Encoded {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Encoded, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Encoded;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("bytes")
            }

            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Encoded, E> {
                Ok(Encoded(v.to_vec()))
            }

            fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<Encoded, E> {
                Ok(Encoded(v))
            }
        }
        d.deserialize_byte_buf(Visitor)
    }
}

impl PartialEq for PageFacts {
    /// Equal facts, whether or not their rest was decoded.
    fn eq(&self, other: &PageFacts) -> bool {
        (
            &self.title,
            self.draft,
            self.weight,
            &self.front_matter_problem,
            &self.suppressions,
            self.digest,
        ) == (
            &other.title,
            other.draft,
            other.weight,
            &other.front_matter_problem,
            &other.suppressions,
            other.digest,
        ) && self.rest() == other.rest()
    }
}

impl PageFacts {
    /// The facts of `page` (as loaded: mdBook's additions and the convention's adjustments
    /// made).
    pub fn of(page: &Page) -> PageFacts {
        let view = Facts::of_page(page);
        PageFacts {
            title: view.title.to_string(),
            draft: view.draft,
            weight: view.weight,
            front_matter_problem: view.front_matter_problem.cloned(),
            suppressions: view.suppressions.to_vec(),
            digest: view.digest(),
            rest: Encoded(view.encode_rest()),
            decoded: OnceLock::new(),
        }
    }

    /// The headings, HTML ids, anchors and steps, decoded now if they were not yet. The facts
    /// file's checksum vouches for the bytes; bytes that still do not decode (a file written
    /// by a program with another layout under the same version) read as no headings, ids,
    /// anchors or steps.
    fn rest(&self) -> &Rest {
        self.decoded
            .get_or_init(|| postcard::from_bytes(&self.rest.0).unwrap_or_default())
    }
}

/// What every run reads of every page: [`PageFacts`]' own fields, read from the model when it
/// is at hand, else from the facts without decoding the rest ([`PageRef::head`]).
#[derive(Debug, Clone, Copy)]
pub struct Head<'a> {
    /// [`PageFacts::title`].
    pub title: &'a str,
    /// [`PageFacts::draft`].
    pub draft: bool,
    /// [`PageFacts::weight`].
    pub weight: Option<i64>,
    /// [`PageFacts::front_matter_problem`].
    pub front_matter_problem: Option<&'a FrontMatterProblem>,
    /// [`PageFacts::suppressions`].
    pub suppressions: &'a [Suppression],
    digest: HeadDigest<'a>,
}

#[derive(Debug, Clone, Copy)]
enum HeadDigest<'a> {
    Stored(&'a Key),
    Page(&'a Page),
}

impl Head<'_> {
    /// [`Facts::digest`]: stored with the facts, or computed from the model.
    pub fn digest(&self) -> Key {
        match self.digest {
            HeadDigest::Stored(d) => *d,
            HeadDigest::Page(page) => Facts::of_page(page).digest(),
        }
    }
}

/// A page's facts as read: from its [`PageFacts`] when its model was not decoded, else from the
/// model itself (a page parsed in this run keeps no second copy).
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    /// [`PageFacts::title`].
    pub title: &'a str,
    /// [`PageFacts::draft`].
    pub draft: bool,
    /// [`PageFacts::weight`].
    pub weight: Option<i64>,
    /// [`PageFacts::front_matter_problem`].
    pub front_matter_problem: Option<&'a FrontMatterProblem>,
    /// [`PageFacts::headings`].
    pub headings: &'a [Heading],
    /// [`PageFacts::html_ids`].
    pub html_ids: &'a [HtmlId],
    /// [`PageFacts::steps`].
    pub steps: &'a [Step],
    /// [`PageFacts::suppressions`].
    pub suppressions: &'a [Suppression],
    anchors: AnchorSet<'a>,
    digest: Option<&'a Key>,
}

#[derive(Debug, Clone, Copy)]
enum AnchorSet<'a> {
    Sorted(&'a [String]),
    Hashed(&'a rustc_hash::FxHashSet<String>),
}

impl<'a> Facts<'a> {
    fn of_page(page: &'a Page) -> Facts<'a> {
        Facts {
            title: &page.title,
            draft: page.front_matter.draft,
            weight: page.front_matter.weight,
            front_matter_problem: page.front_matter_problem.as_ref(),
            headings: &page.headings,
            html_ids: &page.html_ids,
            steps: &page.steps,
            suppressions: &page.suppressions,
            anchors: AnchorSet::Hashed(&page.anchors),
            digest: None,
        }
    }

    fn of_facts(f: &'a PageFacts) -> Facts<'a> {
        let rest = f.rest();
        Facts {
            title: &f.title,
            draft: f.draft,
            weight: f.weight,
            front_matter_problem: f.front_matter_problem.as_ref(),
            headings: &rest.headings,
            html_ids: &rest.html_ids,
            steps: &rest.steps,
            suppressions: &f.suppressions,
            anchors: AnchorSet::Sorted(&rest.anchors),
            digest: Some(&f.digest),
        }
    }

    /// [`Page::has_anchor`], read from the facts.
    pub fn has_anchor(&self, fragment: &str) -> bool {
        let f = fragment.strip_prefix("user-content-").unwrap_or(fragment);
        let has = |a: &str| match self.anchors {
            AnchorSet::Sorted(v) => v.binary_search_by(|x| x.as_str().cmp(a)).is_ok(),
            AnchorSet::Hashed(set) => set.contains(a),
        };
        has(fragment) || has(f) || super::is_member_anchor(fragment, has)
    }

    /// Every anchor of the page ([`Page::anchors`]), sorted.
    pub fn sorted_anchors(&self) -> Vec<&'a str> {
        match self.anchors {
            AnchorSet::Sorted(v) => v.iter().map(String::as_str).collect(),
            AnchorSet::Hashed(set) => {
                let mut v: Vec<&str> = set.iter().map(String::as_str).collect();
                v.sort_unstable();
                v
            }
        }
    }

    /// SHA-256 of what other pages' checks and pages' HTML may read of this page: the title,
    /// each heading's level, id and text, the HTML ids, the anchors and the steps (number,
    /// sub-step, heading, title), positions left out (no rule reads another page's). Stored
    /// with the facts, so that a run hashes 32 bytes per unchanged page.
    pub fn digest(&self) -> Key {
        if let Some(d) = self.digest {
            return *d;
        }
        let mut h = Sha256::new();
        let mut put = |bytes: &[u8]| {
            h.update((bytes.len() as u64).to_le_bytes());
            h.update(bytes);
        };
        put(self.title.as_bytes());
        put(&(self.headings.len() as u64).to_le_bytes());
        for hd in self.headings {
            put(&[hd.level]);
            put(hd.id.as_bytes());
            put(hd.text.as_bytes());
        }
        put(&(self.html_ids.len() as u64).to_le_bytes());
        for a in self.html_ids {
            put(a.id.as_bytes());
        }
        let anchors = self.sorted_anchors();
        put(&(anchors.len() as u64).to_le_bytes());
        for a in anchors {
            put(a.as_bytes());
        }
        put(&(self.steps.len() as u64).to_le_bytes());
        for s in self.steps {
            put(&s.number.to_le_bytes());
            put(format!("{:?} {}", s.sub, s.heading).as_bytes());
            put(s.title.as_bytes());
        }
        h.finalize().into()
    }

    /// The facts encoded as [`PageFacts`] are (postcard), for the facts file.
    pub(crate) fn encode(&self) -> Vec<u8> {
        #[derive(Serialize)]
        struct Out<'a> {
            title: &'a str,
            draft: bool,
            weight: Option<i64>,
            front_matter_problem: Option<&'a FrontMatterProblem>,
            suppressions: &'a [Suppression],
            digest: Key,
            rest: Encoded,
        }
        postcard::to_allocvec(&Out {
            title: self.title,
            draft: self.draft,
            weight: self.weight,
            front_matter_problem: self.front_matter_problem,
            suppressions: self.suppressions,
            digest: self.digest(),
            rest: Encoded(self.encode_rest()),
        })
        .unwrap_or_default()
    }

    /// The headings, HTML ids, sorted anchors and steps encoded as [`Rest`] is (postcard).
    fn encode_rest(&self) -> Vec<u8> {
        #[derive(Serialize)]
        struct Out<'a> {
            headings: &'a [Heading],
            html_ids: &'a [HtmlId],
            anchors: Vec<&'a str>,
            steps: &'a [Step],
        }
        postcard::to_allocvec(&Out {
            headings: self.headings,
            html_ids: self.html_ids,
            anchors: self.sorted_anchors(),
            steps: self.steps,
        })
        .unwrap_or_default()
    }
}

/// How a page that was not decoded is decoded when its model is read.
#[derive(Debug)]
struct Lazy {
    cache: Arc<PageCache>,
    key: Key,
    opts: Arc<ParseOptions>,
    /// The page is one of an MkDocs site ([`crate::project::prepare_page`]).
    mkdocs: bool,
    /// `{{#title}}`'s title.
    title: Option<String>,
    include_problems: Vec<IncludeProblem>,
}

/// One page of a loaded project: paths, text and [`PageFacts`] at hand, and the [`Page`] model
/// (through `Deref`) decoded from the page cache the first time any other field is read. The
/// fields here are the model's own values (`rel`, `file`, `title`… read the same through either).
pub struct PageRef {
    /// [`Page::path`].
    pub path: PathBuf,
    /// [`Page::rel`].
    pub rel: String,
    /// [`Page::file`].
    pub file: String,
    /// [`Page::source`].
    pub source: Arc<str>,
    /// [`Page::source_map`].
    pub source_map: Option<Arc<SourceMap>>,
    /// [`Page::title`].
    pub title: String,
    /// The page's facts, for a page whose model was not decoded when it was loaded.
    facts: Option<Arc<PageFacts>>,
    /// What the page's model and facts are made from (the page cache's key, the file's path
    /// and what mdBook's directives added), for records that depend on the page; `None` for a
    /// page that is never looked up in a cache (rewritten by a preprocessor, or given whole).
    pub id: Option<Key>,
    page: OnceLock<Box<Page>>,
    lazy: Option<Arc<Lazy>>,
}

impl std::fmt::Debug for PageRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageRef")
            .field("rel", &self.rel)
            .field("file", &self.file)
            .field("decoded", &self.is_decoded())
            .finish_non_exhaustive()
    }
}

impl Clone for PageRef {
    fn clone(&self) -> Self {
        PageRef {
            path: self.path.clone(),
            rel: self.rel.clone(),
            file: self.file.clone(),
            source: self.source.clone(),
            source_map: self.source_map.clone(),
            title: self.title.clone(),
            facts: self.facts.clone(),
            id: self.id,
            page: self.page.clone(),
            lazy: self.lazy.clone(),
        }
    }
}

impl From<Page> for PageRef {
    fn from(page: Page) -> PageRef {
        PageRef::whole(page, None)
    }
}

impl std::borrow::Borrow<Page> for PageRef {
    fn borrow(&self) -> &Page {
        self
    }
}

impl std::ops::Deref for PageRef {
    type Target = Page;

    fn deref(&self) -> &Page {
        self.page.get_or_init(|| Box::new(self.decode()))
    }
}

impl PageRef {
    /// A page whose model is at hand, with its `id`.
    pub(crate) fn whole(page: Page, id: Option<Key>) -> PageRef {
        PageRef {
            path: page.path.clone(),
            rel: page.rel.clone(),
            file: page.file.clone(),
            source: page.source.clone(),
            source_map: page.source_map.clone(),
            title: page.title.clone(),
            facts: None,
            id,
            page: OnceLock::from(Box::new(page)),
            lazy: None,
        }
    }

    /// A page of the page cache, not decoded: its entry `key` in `cache` holds the model
    /// parsed with `opts` from `source`; `title` and `include_problems` are what mdBook's
    /// directives added.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn cached(
        cache: Arc<PageCache>,
        key: Key,
        (opts, mkdocs): (Arc<ParseOptions>, bool),
        (path, rel, file): (PathBuf, String, String),
        source: Arc<str>,
        expansion: super::include::Expansion,
        facts: Arc<PageFacts>,
        id: Key,
    ) -> PageRef {
        PageRef {
            path,
            rel,
            file,
            source,
            source_map: expansion.map,
            title: facts.title.clone(),
            facts: Some(facts),
            id: Some(id),
            page: OnceLock::new(),
            lazy: Some(Arc::new(Lazy {
                cache,
                key,
                opts,
                mkdocs,
                title: expansion.title,
                include_problems: expansion.problems,
            })),
        }
    }

    /// The page's facts: from the model when it is at hand, else from the facts it was
    /// loaded with.
    pub fn facts(&self) -> Facts<'_> {
        match (self.page.get(), &self.facts) {
            (None, Some(f)) => Facts::of_facts(f),
            _ => Facts::of_page(self),
        }
    }

    /// What every run reads of the page ([`Head`]): from the model when it is at hand, else
    /// from the facts it was loaded with, whose other parts stay encoded.
    pub fn head(&self) -> Head<'_> {
        match (self.page.get(), &self.facts) {
            (None, Some(f)) => Head {
                title: &f.title,
                draft: f.draft,
                weight: f.weight,
                front_matter_problem: f.front_matter_problem.as_ref(),
                suppressions: &f.suppressions,
                digest: HeadDigest::Stored(&f.digest),
            },
            _ => {
                let page: &Page = self;
                Head {
                    title: &page.title,
                    draft: page.front_matter.draft,
                    weight: page.front_matter.weight,
                    front_matter_problem: page.front_matter_problem.as_ref(),
                    suppressions: &page.suppressions,
                    digest: HeadDigest::Page(page),
                }
            }
        }
    }

    /// True when the page's model has been decoded (or was never encoded).
    pub fn is_decoded(&self) -> bool {
        self.page.get().is_some()
    }

    /// The page's model: decoded from its cache entry, or parsed again when the entry cannot be
    /// read (its text is the one the entry was made from, so the model is the same).
    fn decode(&self) -> Page {
        let Some(lazy) = &self.lazy else {
            return Page::empty(self.path.clone(), self.rel.clone(), self.file.clone());
        };
        let names = (self.path.clone(), self.rel.clone(), self.file.clone());
        let mut page = lazy
            .cache
            .decode_page(&lazy.key, names.clone(), self.source.clone())
            .or_else(|| {
                let (path, rel, file) = names.clone();
                super::parse_page(path, rel, file, self.source.to_string(), &lazy.opts).ok()
            })
            .unwrap_or_else(|| Page::empty(names.0, names.1, names.2));
        if let Some(title) = &lazy.title {
            page.title = title.clone();
        }
        page.source_map = self.source_map.clone();
        page.include_problems = lazy.include_problems.clone();
        crate::project::prepare_page(&mut page, lazy.mkdocs);
        page
    }
}

/// What a page's model and facts are made from: its page cache `key` (settings, paths, text),
/// its path on disk, what mdBook's directives added to the model (title, source map,
/// problems) and whether it is adjusted as an MkDocs page.
pub(crate) fn page_id(
    key: &Key,
    path: &std::path::Path,
    ex: &super::include::Expansion,
    mkdocs: bool,
) -> Key {
    let mut h = Sha256::new();
    let mut put = |bytes: &[u8]| {
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    put(key);
    put(path.as_os_str().as_encoded_bytes());
    put(format!("{:?}", ex.title).as_bytes());
    put(format!("{:?}", ex.problems).as_bytes());
    put(format!("{:?}", ex.map).as_bytes());
    put(&[u8::from(mkdocs)]);
    h.finalize().into()
}

impl Page {
    /// A page with no content: only when a cached page can neither be decoded nor parsed,
    /// which parsing's never failing rules out.
    fn empty(path: PathBuf, rel: String, file: String) -> Page {
        Page {
            path,
            rel,
            file,
            source: Arc::from(""),
            body_start: 0,
            front_matter: Default::default(),
            front_matter_problem: None,
            title: String::new(),
            headings: Vec::new(),
            links: Vec::new(),
            images: Vec::new(),
            code_blocks: Vec::new(),
            html_ids: Vec::new(),
            steps: Vec::new(),
            step_refs: Vec::new(),
            lists: Vec::new(),
            tables: Vec::new(),
            paragraphs: Vec::new(),
            blocks: Vec::new(),
            undefined_refs: Vec::new(),
            suppressions: Vec::new(),
            malformed_suppressions: Vec::new(),
            anchors: Default::default(),
            events: Vec::new(),
            source_map: None,
            include_problems: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_head_is_read_without_decoding_the_rest() {
        let page = super::super::parse_page(
            "a.md".into(),
            "a.md".into(),
            "a.md".into(),
            "---\nweight: 3\n---\n# A\n\n## Step 1: Go\n\n<!-- stepbook-ignore broken-link: on purpose -->\n[x](nowhere.md)\n".into(),
            &ParseOptions::default(),
        )
        .unwrap();
        let view = Facts::of_page(&page);
        let stored: PageFacts = postcard::from_bytes(&view.encode()).unwrap();
        let head = (
            &stored.title,
            stored.weight,
            stored.draft,
            &stored.suppressions,
        );
        assert_eq!(head, (&page.title, Some(3), false, &page.suppressions));
        assert_eq!(page.suppressions.len(), 1);
        assert_eq!(stored.digest, view.digest());
        assert!(stored.decoded.get().is_none());
        let read = Facts::of_facts(&stored);
        assert!(stored.decoded.get().is_some());
        assert_eq!(read.headings, page.headings.as_slice());
        assert_eq!(read.steps, page.steps.as_slice());
        assert_eq!(read.html_ids, page.html_ids.as_slice());
        assert_eq!(read.sorted_anchors(), view.sorted_anchors());
        assert_eq!(stored, PageFacts::of(&page));
    }

    #[test]
    fn anchors_are_found_in_the_facts_as_in_the_page() {
        let page = super::super::parse_page(
            "a.md".into(),
            "a.md".into(),
            "a.md".into(),
            "# A\n\n## Two words\n\n<a id=\"x\"></a>\n".into(),
            &ParseOptions::default(),
        )
        .unwrap();
        let facts = PageFacts::of(&page);
        let bytes = Facts::of_page(&page).encode();
        assert_eq!(postcard::from_bytes::<PageFacts>(&bytes).unwrap(), facts);
        for f in ["a", "two-words", "x", "user-content-x", "y", ""] {
            assert_eq!(
                Facts::of_facts(&facts).has_anchor(f),
                page.has_anchor(f),
                "{f}"
            );
        }
    }
}
