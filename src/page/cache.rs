//! The parsed-page cache, `.stepbook-cache/pages.bin`: the page model of every page as the
//! last run parsed it, so that build, check and serve's first load decode unchanged pages
//! instead of parsing them again.
//!
//! A page's entry is found by its *key*: SHA-256 of the settings fingerprint (this format's
//! [`VERSION`], stepbook's version, the running program's length and modification time, the
//! step pattern and the Markdown extensions), the page's `rel` and `file` (its paths relative to
//! the content root and the project), and exactly the text that is parsed (mdBook's directives expanded). An edit of the page or of a file it
//! includes changes the text and so the key; nothing else needs to be tracked. The entry holds
//! every field [`super::parse_page`] fills except [`Page::source`] (the text just hashed),
//! [`Page::anchors`] (recomputed from the headings and HTML ids), [`Page::events`] (pages that
//! keep them are parsed, never cached) and what the expansion adds (title, source map,
//! problems: [`Expansion::attach_to`]). Entries are [postcard](https://postcard.jamesmunns.com)
//! (serde's stable compact binary format), each behind its CRC-32, so that every rayon worker
//! decodes the pages it loads.
//!
//! The file (integers little-endian):
//!
//! ```text
//! "stepbook-pages\n\0"  16 bytes
//! VERSION               u32
//! data                  the entries, in table order
//! N × (key [u8; 32], offset u64, length u32, crc32 u32)   offsets from the data's start
//! N                     u32   entries
//! crc32                 u32   of the table and N
//! ```
//!
//! The table comes last so that a load that parsed every page (a first build) streams the
//! file: pages are encoded a chunk at a time while it is written, instead of every encoded
//! entry being held through the load (20 MiB of peak memory at 10,000 pages).
//!
//! A missing, truncated, corrupt or older file, or a damaged entry, is ignored: the pages are
//! parsed and the file is written again. The file is written (atomically) only when an entry
//! was added or dropped, and failing to write it never fails a run.

use std::borrow::Borrow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::facts::{self, PageFacts, PageRef};
use super::include::Expansion;
use super::*;
use crate::error::Result;

/// The file's name inside [`crate::cache::DIR`].
pub const FILE: &str = "pages.bin";

/// Bumped whenever the page model or what the parser puts in it changes meaning (the program's
/// stamp in the key covers development builds; this covers releases).
pub const VERSION: u32 = 3;

const MAGIC: &[u8; 16] = b"stepbook-pages\n\0";
const HEADER: usize = 16 + 4;
const FOOTER: usize = 4 + 4;
const ROW: usize = 32 + 8 + 4 + 4;

type Key = crate::record_file::Key;

/// How the pages of one load were obtained.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ParseStats {
    /// Pages parsed (not in the cache, or keeping their event stream).
    pub parsed: usize,
    /// Pages decoded from the cache.
    pub cached: usize,
}

/// Where an entry's bytes are.
#[derive(Debug, Clone, Copy)]
struct Slot {
    /// Offset in the old file's bytes (from the file's start).
    start: usize,
    len: usize,
    crc: u32,
}

/// The cache as read at the start of a load: the old file and its table.
#[derive(Debug)]
pub struct PageCache {
    path: PathBuf,
    fingerprint: Key,
    bytes: crate::cache::FileBytes,
    slots: FxHashMap<Key, Slot>,
    /// Pages of this load parsed so far (found in no entry).
    parsed: std::sync::atomic::AtomicUsize,
}

/// Past this many pages parsed in one load, the rest are encoded when the file is written
/// ([`Stored::Later`]), not at once: a new program (whose fingerprint no old key has) or an
/// edit of every page would otherwise hold every page's encoding (51 MB at 10,000 pages) until
/// the file is written.
const ENCODE_NOW_AT_MOST: usize = 256;

/// What one page of a load contributes to the next cache file.
#[derive(Debug)]
pub struct Entry {
    key: Key,
    bytes: Stored,
}

#[derive(Debug)]
enum Stored {
    /// The old file's entry, still valid.
    Old(Slot),
    /// A page parsed in this load, encoded, with its CRC-32.
    New(Vec<u8>, u32),
    /// A page parsed in this load, encoded when the file is written: the page at this index of
    /// the pages given to [`PageCache::store`] (see [`Entry::at`]).
    Later(usize),
}

impl Entry {
    /// Tells an entry left to encode later which page of the load it is: its index in the
    /// pages later given to [`PageCache::store`].
    pub fn at(mut self, index: usize) -> Entry {
        if let Stored::Later(i) = &mut self.bytes {
            *i = index;
        }
        self
    }
}

impl PageCache {
    /// The cache of the project in `root` for pages parsed with `opts` (mapped now, see
    /// [`crate::cache::map`]; empty when the file is missing or cannot be trusted).
    pub fn open(root: &Path, opts: &ParseOptions) -> PageCache {
        let path = root.join(crate::cache::DIR).join(FILE);
        crate::cache::wait_for_writes(Some(&path));
        crate::cache::remove_stale_temps(&root.join(crate::cache::DIR));
        // Mapped on demand: a run reads the entries of the pages it decodes, and a run whose
        // cache is stale none.
        let bytes = crate::cache::map_on_demand(&path).unwrap_or_default();
        let slots = read_table(&bytes).unwrap_or_default();
        PageCache {
            path,
            fingerprint: fingerprint(opts),
            bytes,
            slots,
            parsed: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// Number of entries the old file held.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// True when the old file held no entry (or none could be trusted).
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// The page `path` (`rel`, `file`: see [`super::parse_page`]) with the text of `ex`: decoded
    /// from its entry when there is a sound one, else parsed with `opts` (which must not keep
    /// events) and encoded. Returns the page and its entry for [`PageCache::store`], and
    /// whether it came from the cache.
    ///
    /// Errors: as [`super::parse_page`], for a page that is parsed.
    pub fn load(
        &self,
        path: PathBuf,
        rel: String,
        file: String,
        mut ex: Expansion,
        opts: &ParseOptions,
    ) -> Result<(Page, Entry, bool)> {
        let text = Arc::from(std::mem::take(&mut ex.text));
        self.load_source((path, rel, file), text, ex, opts)
    }

    /// [`PageCache::load`] for the text of `ex` given apart, as `text`.
    fn load_source(
        &self,
        (path, rel, file): (PathBuf, String, String),
        text: Arc<str>,
        ex: Expansion,
        opts: &ParseOptions,
    ) -> Result<(Page, Entry, bool)> {
        let key = self.key(&rel, &file, &text);
        if let Some((slot, model)) = self.decode(&key) {
            let mut page = model.into_page(path, rel, file, text);
            ex.attach_to(&mut page);
            let entry = Entry {
                key,
                bytes: Stored::Old(slot),
            };
            return Ok((page, entry, true));
        }
        let mut page = parse::parse_shared(path, rel, file, text, opts)?;
        // With no old entry to keep (a first build), or many pages parsed (a new program, an
        // edit of every page), the file is written whole and streamed: the page is encoded
        // then. Otherwise a few pages changed, and their entries are encoded now so that the
        // file can be written on a thread of its own.
        let parsed = self
            .parsed
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let bytes = if self.slots.is_empty() || parsed >= ENCODE_NOW_AT_MOST {
            Stored::Later(0)
        } else {
            let bytes = encode(&page);
            let crc = crate::cache::checksum(&bytes);
            Stored::New(bytes, crc)
        };
        ex.attach_to(&mut page);
        Ok((page, Entry { key, bytes }, false))
    }

    /// [`PageCache::load`] for a project load, the text of `ex` given apart as `text`: the page
    /// as a [`PageRef`] with its facts and id ([`super::facts`]). When the cache holds its model and `facts` its facts, the model is
    /// not decoded now but when something reads it; otherwise it is decoded or parsed now,
    /// adjusted for its convention ([`crate::project::prepare_page`], `mkdocs` for an MkDocs
    /// site).
    /// Returns the page, its entry for [`PageCache::store_shared`] and whether it came from
    /// the cache.
    ///
    /// Errors: as [`PageCache::load`].
    pub fn load_ref(
        self: &Arc<Self>,
        (path, rel, file): (PathBuf, String, String),
        text: Arc<str>,
        ex: Expansion,
        (opts, mkdocs): (&Arc<ParseOptions>, bool),
        facts: &crate::record_file::RecordFile<PageFacts>,
    ) -> Result<(PageRef, Entry, bool)> {
        let key = self.key(&rel, &file, &text);
        let id = facts::page_id(&key, &path, &ex, mkdocs);
        if let (Some(slot), Some(known)) = (self.slots.get(&key), facts.get(&id)) {
            let entry = Entry {
                key,
                bytes: Stored::Old(*slot),
            };
            let page = PageRef::cached(
                self.clone(),
                key,
                (opts.clone(), mkdocs),
                (path, rel, file),
                text,
                ex,
                known.clone(),
                id,
            );
            return Ok((page, entry, true));
        }
        let (mut page, entry, cached) = self.load_source((path, rel, file), text, ex, opts)?;
        crate::project::prepare_page(&mut page, mkdocs);
        Ok((PageRef::whole(page, Some(id)), entry, cached))
    }

    /// The model in the entry of `key`, as the page `path` (`rel`, `file`) with the text
    /// `source` the key was made from; `None` when there is no sound entry. What the expansion
    /// adds is not set.
    pub(crate) fn decode_page(
        &self,
        key: &Key,
        (path, rel, file): (PathBuf, String, String),
        source: Arc<str>,
    ) -> Option<Page> {
        let (_, model) = self.decode(key)?;
        Some(model.into_page(path, rel, file, source))
    }

    /// Writes the cache file of this load's `entries` (in the order given) when it differs
    /// from the old one: an entry was parsed, or an old one is no longer used. `pages` are the
    /// load's pages, which entries left to encode later point into ([`Entry::at`]). With such
    /// entries the file is written now, encoding a chunk of pages at a time; otherwise on a
    /// thread of its own ([`crate::cache::write_in_background`]). Errors are ignored (the next
    /// run parses again).
    pub fn store<P: Borrow<Page> + Sync>(self, entries: Vec<Entry>, pages: &[P]) {
        Arc::new(self).store_shared(entries, pages);
    }

    /// [`PageCache::store`] for a cache that pages not yet decoded still read
    /// ([`PageCache::load_ref`]).
    pub fn store_shared<P: Borrow<Page> + Sync>(
        self: &Arc<Self>,
        entries: Vec<Entry>,
        pages: &[P],
    ) {
        let changed = entries.len() != self.slots.len()
            || entries.iter().any(|e| !matches!(e.bytes, Stored::Old(..)));
        if !changed {
            return;
        }
        if entries.iter().any(|e| matches!(e.bytes, Stored::Later(..))) {
            self.write(&entries, pages);
        } else {
            let path = self.path.clone();
            let cache = self.clone();
            crate::cache::write_in_background(path, move || cache.write::<Page>(&entries, &[]));
        }
    }

    fn write<P: Borrow<Page> + Sync>(&self, entries: &[Entry], pages: &[P]) {
        use rayon::prelude::*;
        if let Some(root) = self.path.parent().and_then(Path::parent)
            && !crate::cache::create_dir(root)
        {
            return;
        }
        let _ = crate::cache::write_atomically_with(&self.path, |w| {
            w.write_all(MAGIC)?;
            w.write_all(&VERSION.to_le_bytes())?;
            let mut table = Vec::with_capacity(ROW * entries.len() + FOOTER);
            let mut offset = 0u64;
            let mut row = |table: &mut Vec<u8>, key: &Key, len: usize, crc: u32| {
                table.extend_from_slice(key);
                table.extend_from_slice(&offset.to_le_bytes());
                table.extend_from_slice(&count(len)?.to_le_bytes());
                table.extend_from_slice(&crc.to_le_bytes());
                offset += len as u64;
                Ok::<(), std::io::Error>(())
            };
            for chunk in entries.chunks(256) {
                // The chunk's pages left for now are encoded in parallel, then written in order.
                let encoded: Vec<Option<Vec<u8>>> = chunk
                    .par_iter()
                    .map(|e| match e.bytes {
                        Stored::Later(i) => pages.get(i).map(|p| encode(p.borrow())),
                        _ => None,
                    })
                    .collect();
                for (e, later) in chunk.iter().zip(encoded) {
                    let bytes: &[u8] = match (&e.bytes, &later) {
                        (Stored::Old(s), _) => &self.bytes[s.start..s.start + s.len],
                        (Stored::New(b, _), _) => b,
                        (Stored::Later(_), Some(b)) => b,
                        (Stored::Later(_), None) => {
                            return Err(std::io::Error::other("page cache: no such page"));
                        }
                    };
                    w.write_all(bytes)?;
                    let crc = match &e.bytes {
                        Stored::Old(s) => s.crc,
                        Stored::New(_, crc) => *crc,
                        Stored::Later(_) => crate::cache::checksum(bytes),
                    };
                    row(&mut table, &e.key, bytes.len(), crc)?;
                }
            }
            table.extend_from_slice(&count(entries.len())?.to_le_bytes());
            let crc = crate::cache::checksum(&table);
            table.extend_from_slice(&crc.to_le_bytes());
            w.write_all(&table)
        });
    }

    /// The key of a page. Its path on disk is left out: the model depends on it only through
    /// its file name (the title of a page without one), which `rel` ends with, and a project
    /// reached through a symbolic link and through its real path (`build` and `check` may
    /// resolve it differently) then shares its entries.
    fn key(&self, rel: &str, file: &str, text: &str) -> Key {
        let mut h = Sha256::new();
        h.update(self.fingerprint);
        for part in [rel.as_bytes(), file.as_bytes(), text.as_bytes()] {
            h.update((part.len() as u64).to_le_bytes());
            h.update(part);
        }
        h.finalize().into()
    }

    /// The model in the entry of `key`, when there is one whose CRC matches and that decodes.
    fn decode(&self, key: &Key) -> Option<(Slot, Model)> {
        let slot = *self.slots.get(key)?;
        let bytes = self
            .bytes
            .get(slot.start..slot.start.checked_add(slot.len)?)?;
        if crate::cache::checksum(bytes) != slot.crc {
            return None;
        }
        postcard::from_bytes::<Model>(bytes)
            .ok()
            .map(|model| (slot, model))
    }
}

/// A length as the file's `u32`. Errors: over 4 GiB (the file is then not written).
fn count(n: usize) -> std::io::Result<u32> {
    u32::try_from(n).map_err(|_| std::io::Error::other("page cache entry over 4 GiB"))
}

/// The entries of a cache file, by key; `None` when the file is not one of this version or its
/// table is damaged.
fn read_table(bytes: &[u8]) -> Option<FxHashMap<Key, Slot>> {
    let u32_at = |at: usize| -> Option<u32> {
        Some(u32::from_le_bytes(
            bytes.get(at..at.checked_add(4)?)?.try_into().ok()?,
        ))
    };
    if bytes.get(..16)? != MAGIC || u32_at(16)? != VERSION {
        return None;
    }
    let footer = bytes.len().checked_sub(FOOTER)?;
    let n = u32_at(footer)? as usize;
    let table = footer.checked_sub(n.checked_mul(ROW)?)?;
    if table < HEADER || crate::cache::checksum(&bytes[table..footer + 4]) != u32_at(footer + 4)? {
        return None;
    }
    let mut slots = FxHashMap::with_capacity_and_hasher(n, Default::default());
    for row in bytes[table..footer].chunks_exact(ROW) {
        let key: Key = row[..32].try_into().ok()?;
        let offset = usize::try_from(u64::from_le_bytes(row[32..40].try_into().ok()?)).ok()?;
        let len = u32::from_le_bytes(row[40..44].try_into().ok()?) as usize;
        let crc = u32::from_le_bytes(row[44..48].try_into().ok()?);
        let start = HEADER.checked_add(offset)?;
        // An entry must lie in the data, before the table.
        if start.checked_add(len)? > table {
            return None;
        }
        slots.insert(key, Slot { start, len, crc });
    }
    Some(slots)
}

/// SHA-256 of everything besides a page's path and text that changes its model.
fn fingerprint(opts: &ParseOptions) -> Key {
    let mut h = Sha256::new();
    for part in [
        VERSION.to_string().as_str(),
        env!("CARGO_PKG_VERSION"),
        &crate::cache::program_stamp(),
        opts.step_pattern.as_str(),
        &format!("{:?}", parse::markdown_options()),
    ] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    h.finalize().into()
}

/// [`FrontMatter`] in the cache: `extra` as [`Json`], which postcard can read back (it cannot
/// read `serde_json::Value`, which needs a self-describing format).
#[derive(Debug, Serialize, Deserialize)]
struct FrontMatterEntry {
    title: Option<String>,
    weight: Option<i64>,
    description: Option<String>,
    scopes: Vec<String>,
    draft: bool,
    extra: Vec<(String, Json)>,
}

/// A JSON value, each number kept as the kind serde_json holds it (so it reads back equal).
#[derive(Debug, Serialize, Deserialize)]
enum Json {
    Null,
    Bool(bool),
    U64(u64),
    I64(i64),
    F64(f64),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl From<&serde_json::Value> for Json {
    fn from(v: &serde_json::Value) -> Json {
        use serde_json::Value;
        match v {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => Json::U64(u),
                (None, Some(i), _) => Json::I64(i),
                (None, None, Some(f)) => Json::F64(f),
                (None, None, None) => Json::Null,
            },
            Value::String(s) => Json::String(s.clone()),
            Value::Array(a) => Json::Array(a.iter().map(Json::from).collect()),
            Value::Object(o) => {
                Json::Object(o.iter().map(|(k, v)| (k.clone(), v.into())).collect())
            }
        }
    }
}

impl From<Json> for serde_json::Value {
    fn from(j: Json) -> serde_json::Value {
        use serde_json::Value;
        match j {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(b),
            Json::U64(u) => Value::from(u),
            Json::I64(i) => Value::from(i),
            Json::F64(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
            Json::String(s) => Value::String(s),
            Json::Array(a) => Value::Array(a.into_iter().map(Value::from).collect()),
            Json::Object(o) => Value::Object(o.into_iter().map(|(k, v)| (k, v.into())).collect()),
        }
    }
}

impl From<&FrontMatter> for FrontMatterEntry {
    fn from(f: &FrontMatter) -> FrontMatterEntry {
        FrontMatterEntry {
            title: f.title.clone(),
            weight: f.weight,
            description: f.description.clone(),
            scopes: f.scopes.clone(),
            draft: f.draft,
            extra: f.extra.iter().map(|(k, v)| (k.clone(), v.into())).collect(),
        }
    }
}

impl From<FrontMatterEntry> for FrontMatter {
    fn from(f: FrontMatterEntry) -> FrontMatter {
        FrontMatter {
            title: f.title,
            weight: f.weight,
            description: f.description,
            scopes: f.scopes,
            draft: f.draft,
            extra: f
                .extra
                .into_iter()
                .map(|(k, v)| (k, v.into()))
                .collect::<BTreeMap<_, _>>(),
        }
    }
}

/// An entry as written: borrowed from the page. Its fields are [`Model`]'s, in the same order.
#[derive(Serialize)]
struct ModelRef<'a> {
    body_start: usize,
    front_matter: FrontMatterEntry,
    front_matter_problem: &'a Option<FrontMatterProblem>,
    title: &'a str,
    headings: &'a [Heading],
    links: &'a [Link],
    images: &'a [Image],
    code_blocks: &'a [CodeBlock],
    html_ids: &'a [HtmlId],
    steps: &'a [Step],
    step_refs: &'a [StepRef],
    lists: &'a [List],
    tables: &'a [Table],
    paragraphs: &'a [Paragraph],
    blocks: &'a [Block],
    undefined_refs: &'a [UndefinedRef],
    suppressions: &'a [Suppression],
    malformed_suppressions: &'a [MalformedSuppression],
}

/// An entry as read.
#[derive(Deserialize)]
struct Model {
    body_start: usize,
    front_matter: FrontMatterEntry,
    front_matter_problem: Option<FrontMatterProblem>,
    title: String,
    headings: Vec<Heading>,
    links: Vec<Link>,
    images: Vec<Image>,
    code_blocks: Vec<CodeBlock>,
    html_ids: Vec<HtmlId>,
    steps: Vec<Step>,
    step_refs: Vec<StepRef>,
    lists: Vec<List>,
    tables: Vec<Table>,
    paragraphs: Vec<Paragraph>,
    blocks: Vec<Block>,
    undefined_refs: Vec<UndefinedRef>,
    suppressions: Vec<Suppression>,
    malformed_suppressions: Vec<MalformedSuppression>,
}

/// The entry of a page just parsed (before the expansion's additions). Empty when postcard
/// cannot encode it (it always can: every field is a plain serde type); the entry then fails
/// to decode and the page is parsed next time.
fn encode(page: &Page) -> Vec<u8> {
    let model = ModelRef {
        body_start: page.body_start,
        front_matter: (&page.front_matter).into(),
        front_matter_problem: &page.front_matter_problem,
        title: &page.title,
        headings: &page.headings,
        links: &page.links,
        images: &page.images,
        code_blocks: &page.code_blocks,
        html_ids: &page.html_ids,
        steps: &page.steps,
        step_refs: &page.step_refs,
        lists: &page.lists,
        tables: &page.tables,
        paragraphs: &page.paragraphs,
        blocks: &page.blocks,
        undefined_refs: &page.undefined_refs,
        suppressions: &page.suppressions,
        malformed_suppressions: &page.malformed_suppressions,
    };
    let mut bytes = postcard::to_allocvec(&model).unwrap_or_default();
    // Held until the file is written: without the room the growing left.
    bytes.shrink_to_fit();
    bytes
}

impl Model {
    fn into_page(self, path: PathBuf, rel: String, file: String, source: Arc<str>) -> Page {
        Page {
            anchors: parse::anchors_of(&self.headings, &self.html_ids),
            path,
            rel,
            file,
            source,
            body_start: self.body_start,
            front_matter: self.front_matter.into(),
            front_matter_problem: self.front_matter_problem,
            title: self.title,
            headings: self.headings,
            links: self.links,
            images: self.images,
            code_blocks: self.code_blocks,
            html_ids: self.html_ids,
            steps: self.steps,
            step_refs: self.step_refs,
            lists: self.lists,
            tables: self.tables,
            paragraphs: self.paragraphs,
            blocks: self.blocks,
            undefined_refs: self.undefined_refs,
            suppressions: self.suppressions,
            malformed_suppressions: self.malformed_suppressions,
            events: Vec::new(),
            source_map: None,
            include_problems: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests;
