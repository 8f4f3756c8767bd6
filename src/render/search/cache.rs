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

use super::{Bundle, Doc, Page};

/// The version of what [`super::build_index`] hands Pagefind and of the cache's layout; part
/// of the key, so changing the digest, the index options or the layout must bump it.
const FORMAT: &str = "stepbook-search-4";

/// Pagefind's version, part of the key (a test checks it against the bundle Pagefind writes).
pub(super) const PAGEFIND_VERSION: &str = "1.6.0";

/// The cache of one shard: `root` is its `.stepbook-cache/search/shard-N/` folder.
pub(super) struct Cache {
    root: PathBuf,
}

impl Cache {
    pub(super) fn new(root: PathBuf) -> Cache {
        Cache { root }
    }

    /// The bundle files (path under `pagefind/`, bytes) when the cached index was built under
    /// `key`, its pack is the file `key` names (same stamp: a pack replaced or edited since is
    /// not trusted) and it reads back whole; `None` otherwise.
    pub(super) fn lookup(&self, key: &str) -> Option<Bundle> {
        let list = std::fs::read_to_string(self.root.join("key")).ok()?;
        let mut lines = list.lines();
        if lines.next()? != key {
            return None;
        }
        let stamp = lines.next()?;
        let bytes = read_stamped(&self.root.join("pack"), stamp)?;
        let (packed_key, files) = pack::read(&bytes)?;
        (packed_key == key).then_some(files)
    }

    /// The documents kept by the last [`Cache::store_docs`], by (site path, render key); none
    /// when there are none or the file cannot be read.
    pub(super) fn docs(&self) -> HashMap<(String, String), Doc> {
        let bytes = std::fs::read(self.root.join("docs")).unwrap_or_default();
        let mut rest = bytes.as_slice();
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
        crate::cache::write_atomically(&self.root.join("docs"), &stored)
    }

    /// Stores `files` (path under `pagefind/`, bytes) as the index of `key`: its pack first,
    /// then `key` naming it. The bundle files of the layout of earlier versions (`bundle/`,
    /// one file each) are removed.
    ///
    /// Errors: the first file or folder that could not be written; the cache is then left
    /// without a valid `key` (the next build indexes again).
    pub(super) fn store(&self, key: &str, files: &[(String, Vec<u8>)]) -> std::io::Result<()> {
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
        crate::cache::write_atomically(&path, &pack::write(key, files))?;
        let stamp = crate::cache::stamp(&path)
            .ok_or_else(|| std::io::Error::other(format!("cannot read {} back", path.display())))?;
        crate::cache::write_atomically(&key_file, format!("{key}\n{stamp}\n").as_bytes())
    }
}

/// The bytes of the file at `path` when its stamp, as [`crate::cache::Stamp`] shows it, is
/// still `stamp` (read through one open handle, so the file checked is the file read).
fn read_stamped(path: &Path, stamp: &str) -> Option<Vec<u8>> {
    use std::io::Read as _;
    let mut file = std::fs::File::open(path).ok()?;
    let meta = file.metadata().ok()?;
    let found = crate::cache::stamp_of(&meta)?;
    if found.to_string() != stamp {
        return None;
    }
    let mut bytes = Vec::with_capacity(usize::try_from(found.len).ok()?);
    file.read_to_end(&mut bytes).ok()?;
    (bytes.len() as u64 == found.len).then_some(bytes)
}

/// The pack file: a bundle's files in one file.
///
/// Layout: the line `stepbook-search-pack 1`, then the key the bundle was built under, the
/// number of files, and each file's path and bytes, every string and byte run preceded by
/// its length as a little-endian `u64`; nothing after the last file.
pub(super) mod pack {
    /// The first bytes of every pack; another version is not read.
    const MAGIC: &[u8] = b"stepbook-search-pack 1\n";

    /// The pack of `files` (path under `pagefind/`, bytes) built under `key`.
    pub fn write(key: &str, files: &[(String, Vec<u8>)]) -> Vec<u8> {
        let size = MAGIC.len()
            + 16
            + key.len()
            + files
                .iter()
                .map(|(n, b)| 16 + n.len() + b.len())
                .sum::<usize>();
        let mut out = Vec::with_capacity(size);
        out.extend_from_slice(MAGIC);
        put(&mut out, key.as_bytes());
        out.extend_from_slice(&(files.len() as u64).to_le_bytes());
        for (name, bytes) in files {
            put(&mut out, name.as_bytes());
            put(&mut out, bytes);
        }
        out
    }

    /// The key and files of a pack; `None` when `bytes` is not a whole pack (another
    /// version, cut short, a length past the end, a path that is not UTF-8, bytes after the
    /// last file).
    pub fn read(bytes: &[u8]) -> Option<(String, super::Bundle)> {
        let mut rest = bytes.strip_prefix(MAGIC)?;
        let key = String::from_utf8(take(&mut rest)?.to_vec()).ok()?;
        let count = usize::try_from(number(&mut rest)?).ok()?;
        // Each file takes at least 16 bytes: a count past that is corrupt, not a reason to
        // reserve memory.
        let mut files = Vec::with_capacity(count.min(rest.len() / 16));
        for _ in 0..count {
            let name = String::from_utf8(take(&mut rest)?.to_vec()).ok()?;
            let data = take(&mut rest)?.to_vec();
            files.push((name, data));
        }
        rest.is_empty().then_some((key, files))
    }

    fn put(out: &mut Vec<u8>, bytes: &[u8]) {
        out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        out.extend_from_slice(bytes);
    }

    fn number(rest: &mut &[u8]) -> Option<u64> {
        let (head, tail) = rest.split_first_chunk::<8>()?;
        *rest = tail;
        Some(u64::from_le_bytes(*head))
    }

    fn take<'a>(rest: &mut &'a [u8]) -> Option<&'a [u8]> {
        let len = usize::try_from(number(rest)?).ok()?;
        if len > rest.len() {
            return None;
        }
        let (head, tail) = rest.split_at(len);
        *rest = tail;
        Some(head)
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

        #[test]
        fn a_pack_reads_back() {
            let bytes = write("k1", &files());
            assert_eq!(read(&bytes), Some(("k1".to_string(), files())));
            assert_eq!(read(&write("", &[])), Some((String::new(), Vec::new())));
        }

        #[test]
        fn a_damaged_pack_is_refused() {
            let bytes = write("k1", &files());
            // Cut anywhere short of the end.
            for len in 0..bytes.len() {
                assert_eq!(read(&bytes[..len]), None, "cut at {len}");
            }
            // Extra bytes, another version, a length past the end.
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
