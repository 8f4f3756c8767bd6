//! The search index kept between builds in `.stepbook-cache/search/`, reused while nothing it
//! is made from changed.
//!
//! Layout: one folder per shard of the index (`shard-0/`, `shard-1/`, …, see
//! [`super::shard`]), each a [`Cache`] of its own holding three files:
//!
//! - `pack`: the files of the last bundle built, as one file ([`pack`]: the key they were built
//!   under, then each file's path under the site's `pagefind/` and its bytes). One file per
//!   shard rather than one per bundle file: at 10,000 pages a bundle has about 10,000 files,
//!   and creating them in the cache as well as in the site doubled the inodes a cold build
//!   allocates (the costliest thing it does on ext4). The site's copies are written from the
//!   bytes ([`crate::render::SiteFile::Generated`]), never hard-linked to the pack, so an
//!   in-place edit of a built file cannot reach the cache;
//! - `key`: the key (a SHA-256, hex, of the format below, Pagefind's version, the language and
//!   every page in order: its site path and its render key, or its document where it has no
//!   render key) on the first line and the pack's [`crate::cache::Stamp`] as written on the
//!   second, which [`Cache::lookup`] checks before trusting the pack;
//! - `docs`: the documents of the pages that had a render key (site path, key, title, text,
//!   each a little-endian `u64` length and the bytes), so the next build need not render an
//!   unchanged page to index it again when another page changed.
//!
//! A build whose key matches publishes the pack's files as they are instead of indexing; a
//! build whose key differs indexes, then replaces `docs` and `pack` and writes `key` last.
//! Every file is written to a temporary name and renamed ([`crate::cache::write_atomically`]),
//! so a pack is whole or absent; one that is truncated, corrupt, or of another key is not
//! used (the shard is indexed again), never a panic.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::{Doc, Page};

/// The version of what [`super::build_index`] hands Pagefind and of the cache's layout; part
/// of the key, so changing the digest, the index options, the layout or the gzip backend (6:
/// zlib-rs, whose bytes differ from miniz_oxide's) must bump it.
const FORMAT: &str = "stepbook-search-6";

/// Pagefind's version, part of the key (a test checks it against the bundle Pagefind writes).
pub(super) const PAGEFIND_VERSION: &str = "1.6.0";

/// The cache of one shard: `root` is its `.stepbook-cache/search/shard-N/` folder.
#[derive(Debug)]
pub(super) struct Cache {
    root: PathBuf,
}

impl Cache {
    pub(super) fn new(root: PathBuf) -> Cache {
        crate::cache::remove_stale_temps(&root);
        Cache { root }
    }

    /// The bundle files (path under `pagefind/`, where in the pack) when the cached index was
    /// built under `key`, its pack is the file `key` names (same stamp: a pack replaced or
    /// edited since is not trusted) and its index is whole and accounts for every byte of it;
    /// `None` otherwise. Only the pack's index is read, not the files' bytes.
    pub(super) fn lookup(&self, key: &str) -> Option<Packed> {
        let list = std::fs::read_to_string(self.root.join("key")).ok()?;
        let mut lines = list.lines();
        if lines.next()? != key {
            return None;
        }
        let stamp = lines.next()?;
        let path = self.root.join("pack");
        let file = std::fs::File::open(&path).ok()?;
        let found = crate::cache::stamp_of(&file.metadata().ok()?)?;
        if found.to_string() != stamp {
            return None;
        }
        let (packed_key, index) = pack::read_index(std::io::BufReader::new(file), found.len)?;
        (packed_key == key).then(|| slices(&path, found, index))
    }

    /// The documents kept by the last [`Cache::store_docs`], by (site path, render key); none
    /// when there are none or the file cannot be read.
    pub(super) fn docs(&self) -> HashMap<(String, String), Doc> {
        let bytes = std::fs::read(self.root.join("docs")).unwrap_or_default();
        // The file ends with the CRC-32 of what comes before; a damaged file holds no
        // document (every page is rendered again and the file rewritten).
        let Some(body) = checked(&bytes) else {
            return HashMap::new();
        };
        let mut rest = body;
        let mut next = || -> Option<String> {
            let len = usize::try_from(u64::from_le_bytes(rest.get(..8)?.try_into().ok()?)).ok()?;
            let s = std::str::from_utf8(rest.get(8..8usize.checked_add(len)?)?)
                .ok()?
                .to_string();
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

    /// Keeps `docs` (render key, document of that page) for the next build. Documents are
    /// found by site path and render key, which name the page's content, so they may be
    /// written before the index they belong to. Nothing is written for no documents (the
    /// preview server has no render keys): the documents of the last build stay.
    ///
    /// Errors: the file could not be written.
    pub(super) fn store_docs(&self, docs: &[(&str, &Doc)]) -> std::io::Result<()> {
        if docs.is_empty() {
            return Ok(());
        }
        let size: usize = docs
            .iter()
            .map(|(k, d)| 32 + k.len() + d.url.len() + d.title.len() + d.text.len())
            .sum();
        let mut stored = Vec::with_capacity(size);
        for (key, doc) in docs {
            for part in [doc.url.as_str(), key, &doc.title, &doc.text] {
                stored.extend_from_slice(&(part.len() as u64).to_le_bytes());
                stored.extend_from_slice(part.as_bytes());
            }
        }
        stored.extend_from_slice(&crate::cache::checksum(&stored).to_le_bytes());
        crate::cache::write_atomically(&self.root.join("docs"), &stored)
    }

    /// Stores `files` (path under `pagefind/`, bytes) as the index of `key`: its pack first,
    /// then `key` naming it, and returns where each file is in the pack, in the same order.
    /// The bundle files of the layout of earlier versions (`bundle/`, one file each) are
    /// removed.
    ///
    /// Errors: the first file or folder that could not be written; the cache is then left
    /// without a valid `key` (the next build indexes again).
    pub(super) fn store(&self, key: &str, files: &[(String, Vec<u8>)]) -> std::io::Result<Packed> {
        let key_file = self.root.join("key");
        // The old key goes first: a build interrupted below must not trust a new pack under
        // it (the pack's own key would refuse it anyway).
        match std::fs::remove_file(&key_file) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        let old = self.root.join("bundle");
        if old.is_dir() {
            std::fs::remove_dir_all(&old)?;
        }
        let path = self.root.join("pack");
        let (bytes, index) = pack::write(key, files);
        crate::cache::write_atomically(&path, &bytes)?;
        let stamp = crate::cache::stamp(&path)
            .ok_or_else(|| std::io::Error::other(format!("cannot read {} back", path.display())))?;
        crate::cache::write_atomically(&key_file, format!("{key}\n{stamp}\n").as_bytes())?;
        Ok(slices(&path, stamp, index))
    }
}

/// A bundle kept in a pack: each file's path under `pagefind/` and where its bytes are.
pub(super) type Packed = Vec<(String, crate::cache::Slice)>;

/// The files of pack `path` (stamped `stamp`) from its index.
fn slices(path: &Path, stamp: crate::cache::Stamp, index: Vec<pack::Entry>) -> Packed {
    let file: std::sync::Arc<Path> = path.into();
    index
        .into_iter()
        .map(|e| {
            let slice = crate::cache::Slice {
                file: file.clone(),
                offset: e.offset,
                len: e.len,
                stamp,
            };
            (e.name, slice)
        })
        .collect()
}

/// The pack file: a bundle's files in one file.
///
/// Layout: the line `stepbook-search-pack 2`; the key the bundle was built under; the number
/// of files; each file's path and length; then the files' bytes, one after another in the same
/// order, and nothing after them. Every number is a little-endian `u64`, every string its
/// length (such a number) and its UTF-8 bytes. The index comes first so that a build that
/// reuses the bundle reads only the index.
pub(super) mod pack {
    use std::io::Read;

    /// The first bytes of every pack; another version is not read.
    const MAGIC: &[u8] = b"stepbook-search-pack 2\n";

    /// One file of a pack: its path and where its bytes are.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Entry {
        /// The path under `pagefind/`.
        pub name: String,
        /// Where its bytes start, from the start of the pack.
        pub offset: u64,
        /// How many bytes.
        pub len: u64,
    }

    /// The pack of `files` (path under `pagefind/`, bytes) built under `key`, and its index.
    pub fn write(key: &str, files: &[(String, Vec<u8>)]) -> (Vec<u8>, Vec<Entry>) {
        let head =
            MAGIC.len() + 16 + key.len() + files.iter().map(|(n, _)| 16 + n.len()).sum::<usize>();
        let body: usize = files.iter().map(|(_, b)| b.len()).sum();
        let mut out = Vec::with_capacity(head + body);
        out.extend_from_slice(MAGIC);
        put(&mut out, key.as_bytes());
        out.extend_from_slice(&(files.len() as u64).to_le_bytes());
        for (name, bytes) in files {
            put(&mut out, name.as_bytes());
            out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        }
        let mut index = Vec::with_capacity(files.len());
        for (name, bytes) in files {
            index.push(Entry {
                name: name.clone(),
                offset: out.len() as u64,
                len: bytes.len() as u64,
            });
            out.extend_from_slice(bytes);
        }
        (out, index)
    }

    /// The key and index of the pack read from `from`, a file of `size` bytes; `None` when it
    /// is not a whole pack (another version, cut short, a length past the end, a path that is
    /// not UTF-8, bytes after the last file).
    pub fn read_index(mut from: impl Read, size: u64) -> Option<(String, Vec<Entry>)> {
        let mut magic = [0; MAGIC.len()];
        from.read_exact(&mut magic).ok()?;
        if magic != MAGIC {
            return None;
        }
        let mut at = MAGIC.len() as u64;
        let string = |from: &mut dyn Read, at: &mut u64| -> Option<String> {
            let len = number(from, at)?;
            if len > size.saturating_sub(*at) {
                return None;
            }
            let mut bytes = vec![0; usize::try_from(len).ok()?];
            from.read_exact(&mut bytes).ok()?;
            *at += len;
            String::from_utf8(bytes).ok()
        };
        let key = string(&mut from, &mut at)?;
        let count = number(&mut from, &mut at)?;
        // Each file takes at least 16 bytes of the index: a larger count is corrupt, not a
        // reason to reserve memory.
        if count > size / 16 {
            return None;
        }
        let mut names = Vec::with_capacity(usize::try_from(count).ok()?);
        for _ in 0..count {
            let name = string(&mut from, &mut at)?;
            let len = number(&mut from, &mut at)?;
            names.push((name, len));
        }
        let mut index = Vec::with_capacity(names.len());
        for (name, len) in names {
            let offset = at;
            at = at.checked_add(len)?;
            index.push(Entry { name, offset, len });
        }
        (at == size).then_some((key, index))
    }

    fn put(out: &mut Vec<u8>, bytes: &[u8]) {
        out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        out.extend_from_slice(bytes);
    }

    fn number(from: &mut dyn Read, at: &mut u64) -> Option<u64> {
        let mut bytes = [0; 8];
        from.read_exact(&mut bytes).ok()?;
        *at += 8;
        Some(u64::from_le_bytes(bytes))
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn files() -> Vec<(String, Vec<u8>)> {
            vec![
                ("pagefind-entry.json".into(), b"{}".to_vec()),
                ("fragment/en_1.pf_fragment".into(), vec![0x1f, 0x8b, 0, 255]),
                ("empty".into(), Vec::new()),
            ]
        }

        fn read(bytes: &[u8]) -> Option<(String, Vec<Entry>)> {
            read_index(bytes, bytes.len() as u64)
        }

        #[test]
        fn a_pack_reads_back() {
            let (bytes, index) = write("k1", &files());
            assert_eq!(read(&bytes), Some(("k1".to_string(), index.clone())));
            for (entry, (name, data)) in index.iter().zip(files()) {
                assert_eq!(entry.name, name);
                let start = entry.offset as usize;
                assert_eq!(&bytes[start..start + entry.len as usize], data.as_slice());
            }
            let (empty, _) = write("", &[]);
            assert_eq!(read(&empty), Some((String::new(), Vec::new())));
        }

        #[test]
        fn a_damaged_pack_is_refused() {
            let (bytes, _) = write("k1", &files());
            // Cut anywhere short of the end.
            for len in 0..bytes.len() {
                assert_eq!(read(&bytes[..len]), None, "cut at {len}");
            }
            // Extra bytes, another version, a length past the end, a huge count.
            let mut longer = bytes.clone();
            longer.push(0);
            assert_eq!(read(&longer), None);
            let mut other = bytes.clone();
            other[MAGIC.len() - 2] = b'9';
            assert_eq!(read(&other), None);
            let mut huge = bytes.clone();
            huge[MAGIC.len()..MAGIC.len() + 8].copy_from_slice(&u64::MAX.to_le_bytes());
            assert_eq!(read(&huge), None);
            let mut count = bytes;
            let at = MAGIC.len() + 8 + 2;
            count[at..at + 8].copy_from_slice(&u64::MAX.to_le_bytes());
            assert_eq!(read(&count), None);
        }
    }
}

/// `bytes` without its last 4 bytes when those are the little-endian CRC-32 of the rest.
fn checked(bytes: &[u8]) -> Option<&[u8]> {
    let (body, crc) = bytes.split_at(bytes.len().checked_sub(4)?);
    (u32::from_le_bytes(crc.try_into().ok()?) == crate::cache::checksum(body)).then_some(body)
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
            Page::Rendered(_, Some(key))
            | Page::Unchanged { key, .. }
            | Page::Spilled { key, .. } => {
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
