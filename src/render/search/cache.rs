//! The search index kept between builds in `.stepbook-cache/search/`, reused while nothing it
//! is made from changed.
//!
//! Layout: one folder per shard of the index (`shard-0/`, `shard-1/`, …, see
//! [`super::shard`]), each a [`Cache`] of its own: `bundle/` holds the files of the last index built (paths as under the site's
//! `pagefind/`), and `key` names them: its first line is the key (a SHA-256, hex, of the
//! format below, Pagefind's version, the language and every page in order: its site path and
//! its render key, or its document where it has no render key), then one bundle file a line:
//! its path, a tab, and its [`crate::cache::Stamp`] as written, which
//! [`Cache::lookup`] checks before trusting it.
//! `docs` holds the documents of the pages that had a render key (site path, key, title,
//! text, each a little-endian `u64` length and the bytes), so the next build need not render
//! an unchanged page to index it again when another page changed. A build whose key matches publishes `bundle/`'s files as they are
//! (hard links where the file system allows, see [`crate::output`]) instead of indexing; a
//! build whose key differs indexes, then writes into `bundle/` only the files whose bytes
//! changed (Pagefind names most of its files by their content, so an edit to one page rewrites
//! a handful of files, not one per page), removes the files no longer used, and writes `key`
//! last. Every file is written to a temporary name and renamed, never rewritten in place, so a
//! site published from an earlier bundle keeps its bytes.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use super::{Doc, Page};

/// The version of what [`super::build_index`] hands Pagefind; part of the key, so changing
/// the digest or the index options must bump it.
const FORMAT: &str = "stepbook-search-3";

/// Pagefind's version, part of the key (a test checks it against the bundle Pagefind writes).
pub(super) const PAGEFIND_VERSION: &str = "1.6.0";

/// The cache of one project: `root` is its `.stepbook-cache/search/` folder.
pub(super) struct Cache {
    root: PathBuf,
}

impl Cache {
    pub(super) fn new(root: PathBuf) -> Cache {
        Cache { root }
    }

    fn bundle(&self) -> PathBuf {
        self.root.join("bundle")
    }

    /// The bundle files (site path under `pagefind/`, file on disk) when the cached index was
    /// built under `key` and all its files are there as they were written (same length and
    /// modification time: the site publishes them as hard links, so a tool that edits a
    /// published file in place edits the cached one too, and that file is then not trusted);
    /// `None` otherwise.
    pub(super) fn lookup(&self, key: &str) -> Option<Vec<(String, PathBuf)>> {
        let list = std::fs::read_to_string(self.root.join("key")).ok()?;
        let mut lines = list.lines();
        if lines.next()? != key {
            return None;
        }
        let bundle = self.bundle();
        let mut files = Vec::new();
        for line in lines {
            let (name, stamp) = line.rsplit_once('\t')?;
            let disk = bundle.join(name);
            if crate::cache::stamp(&disk)?.to_string() != stamp {
                return None;
            }
            files.push((name.to_string(), disk));
        }
        Some(files)
    }

    /// The documents kept by the last [`Cache::store`], by (site path, render key); none when
    /// there are none or the file cannot be read.
    pub(super) fn docs(&self) -> HashMap<(String, String), Doc> {
        let bytes = std::fs::read(self.root.join("docs")).unwrap_or_default();
        let mut rest = bytes.as_slice();
        let mut next = || -> Option<String> {
            let len = u64::from_le_bytes(rest.get(..8)?.try_into().ok()?) as usize;
            let s = std::str::from_utf8(rest.get(8..8 + len)?).ok()?.to_string();
            rest = &rest[8 + len..];
            Some(s)
        };
        let mut out = HashMap::new();
        while let (Some(url), Some(key), Some(title), Some(text)) = (next(), next(), next(), next())
        {
            out.insert((url.clone(), key), Doc { url, title, text });
        }
        out
    }

    /// Stores `files` (path under `pagefind/`, bytes) as the index of `key`, and `docs`
    /// (render key, document) for the next build, and returns where each file is on disk, in
    /// the same order.
    ///
    /// Errors: the first file or folder that could not be written; the cache is then left
    /// without a valid `key` (the next build indexes again).
    pub(super) fn store(
        &self,
        key: &str,
        files: &[(String, Vec<u8>)],
        docs: &[(String, Doc)],
    ) -> std::io::Result<Vec<PathBuf>> {
        let bundle = self.bundle();
        let key_file = self.root.join("key");
        std::fs::create_dir_all(&bundle)?;
        // The old key goes first: a build interrupted below must not trust a mixed bundle.
        match std::fs::remove_file(&key_file) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        // In parallel: at 10,000 pages this is as many files, most of them new.
        let out = files
            .par_iter()
            .map(|(name, bytes)| {
                let disk = bundle.join(name);
                if std::fs::read(&disk).ok().as_deref() != Some(bytes.as_slice()) {
                    if let Some(folder) = disk.parent() {
                        std::fs::create_dir_all(folder)?;
                    }
                    crate::cache::write_atomically(&disk, bytes)?;
                }
                Ok(disk)
            })
            .collect::<std::io::Result<Vec<PathBuf>>>()?;
        let keep: BTreeSet<PathBuf> = out.iter().cloned().collect();
        remove_others(&bundle, &keep)?;
        let mut stored = Vec::new();
        // Without render keys (the preview server) the documents of the last build stay.
        for (key, doc) in docs {
            for part in [&doc.url, key, &doc.title, &doc.text] {
                stored.extend_from_slice(&(part.len() as u64).to_le_bytes());
                stored.extend_from_slice(part.as_bytes());
            }
        }
        if !docs.is_empty() {
            crate::cache::write_atomically(&self.root.join("docs"), &stored)?;
        }
        let mut list = format!("{key}\n");
        for ((name, _), disk) in files.iter().zip(&out) {
            let stamp = crate::cache::stamp(disk).ok_or_else(|| {
                std::io::Error::other(format!("cannot read {} back", disk.display()))
            })?;
            list.push_str(&format!("{name}\t{stamp}\n"));
        }
        crate::cache::write_atomically(&key_file, list.as_bytes())?;
        Ok(out)
    }
}

/// The documents kept by every shard's cache below `root` (see [`Cache::docs`]).
pub(super) fn docs_below(root: &Path) -> HashMap<(String, String), Doc> {
    let mut out = HashMap::new();
    for i in 0.. {
        let dir = root.join(format!("shard-{i}"));
        if !dir.is_dir() {
            break;
        }
        out.extend(Cache::new(dir).docs());
    }
    out
}

/// Removes from `root` the caches of shards from `shards` on (left by a larger site) and the
/// files of the one-bundle layout of earlier versions (`bundle/`, `key`, `docs`). Failures
/// are ignored: the next build tries again, and a stale folder is never read as current.
pub(super) fn prune(root: &Path, shards: usize) {
    for i in shards.. {
        let dir = root.join(format!("shard-{i}"));
        if !dir.is_dir() {
            break;
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
    let _ = std::fs::remove_dir_all(root.join("bundle"));
    let _ = std::fs::remove_file(root.join("key"));
    let _ = std::fs::remove_file(root.join("docs"));
}

/// The key of an index of `pages` (in this order) for `language`.
pub(super) fn key(pages: &[Page], language: &str) -> String {
    let mut h = Sha256::new();
    for part in [FORMAT, PAGEFIND_VERSION, language] {
        field(&mut h, part);
    }
    for page in pages {
        field(&mut h, page.url());
        match page {
            Page::Rendered(_, Some(key)) | Page::Unchanged { key, .. } => {
                field(&mut h, "key");
                field(&mut h, key);
            }
            Page::Rendered(doc, None) => {
                field(&mut h, "doc");
                field(&mut h, &doc.title);
                field(&mut h, &doc.text);
            }
        }
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// One length-prefixed field, so `("ab", "c")` and `("a", "bc")` hash differently.
fn field(h: &mut Sha256, s: &str) {
    h.update((s.len() as u64).to_le_bytes());
    h.update(s.as_bytes());
}

/// Removes every file below `dir` not in `keep` (folders left empty stay).
fn remove_others(dir: &Path, keep: &BTreeSet<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            remove_others(&path, keep)?;
        } else if !keep.contains(&path) {
            std::fs::remove_file(&path)?;
        }
    }
    Ok(())
}
