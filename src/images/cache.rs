//! The image facts of a project, kept between runs in `.stepbook-cache/images.bin`: postcard
//! (serde's compact binary format) behind a magic string, the format's version and a CRC-32
//! (JSON until version 3: reading its 2.6 MB at 10,000 images took a warm `check` 4% of its
//! time).
//!
//! A file's facts are reused while its *stamp* ([`crate::cache::Stamp`]: length, modification
//! time in nanoseconds, inode, device) and its inode's change time (ctime) are unchanged, as
//! Git's index trusts them; otherwise the file is inspected again. The ctime catches bytes
//! rewritten in place with the same length and the old modification time put back (`cp -p`,
//! tools that keep times): no program can set it. The build's own hard links of an image into
//! the site, and their removal, change it too; the build records the ctime its own operations
//! left ([`super::links`]), so a second build inspects nothing. Content hashes (SHA-256, hex) are computed only where they are needed: for images
//! whose length equals another image's (the `duplicate-image` candidates) and for images the
//! build resizes (the derivative cache key). Build, check and serve share the file; a cache that
//! is missing, unreadable or of another version is ignored and rewritten, and failing to write
//! it never fails a run.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{ImageInfo, inspect, is_image_path};

/// Bumped when [`Entry`] or the inspection changes meaning (4: the inode's change time; 5: a
/// sound image of another raster format than its extension is a mismatch, with its size).
pub(super) const VERSION: u32 = 5;

/// The cache file's name inside [`crate::cache::DIR`].
const FILE: &str = "images.bin";

/// The cache file's first bytes.
const MAGIC: &[u8; 16] = b"stepbook-images\n";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Entry {
    pub(super) stamp: crate::cache::Stamp,
    /// The inode's change time in nanoseconds since the Unix epoch (0 where the platform has
    /// none), as inspected or as the build's own link operations left it.
    pub(super) ctime_ns: i64,
    pub(super) info: ImageInfo,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct File {
    pub(super) version: u32,
    /// Disk path → entry.
    pub(super) entries: BTreeMap<String, Entry>,
}

/// The stamp and change time of the plain file at `path` (links followed), from one `stat`.
pub(super) fn stamp_and_ctime(path: &Path) -> Option<(crate::cache::Stamp, i64)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((crate::cache::stamp_of(&meta)?, ctime_ns(&meta)))
}

/// The inode's change time in nanoseconds since the Unix epoch; 0 where the platform has none.
fn ctime_ns(meta: &std::fs::Metadata) -> i64 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // Saturating: a file system may report any time (an NFS or FUSE server, a damaged
        // inode); one past the year 2262 must not overflow.
        meta.ctime()
            .saturating_mul(1_000_000_000)
            .saturating_add(meta.ctime_nsec())
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        0
    }
}

/// The image cache of the project at `root` as the file holds it (empty when missing, damaged
/// or of another version).
pub(super) fn load(root: &Path) -> File {
    let cache_path = root.join(crate::cache::DIR).join(FILE);
    crate::cache::map(&cache_path)
        .ok()
        .and_then(|b| read_cache(&b))
        .filter(|f| f.version == VERSION)
        .unwrap_or_default()
}

/// Writes `file` as the image cache of the project at `root` (see [`write_cache`]).
pub(super) fn save(root: &Path, file: &File) {
    write_cache(&root.join(crate::cache::DIR).join(FILE), file);
}

/// How the image facts of one run were obtained (for tests and the benchmark's notes).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IndexStats {
    /// Files whose facts came from the cache.
    pub reused: usize,
    /// Files opened and inspected.
    pub inspected: usize,
}

/// The facts of every image among `files` (site path → disk path), by site path: from the cache
/// in `root/.stepbook-cache/` where the stamp matches, else inspected (in parallel). Images wider
/// than `hash_wider_than` and images whose length equals another's get their content hash.
/// The cache is written back when anything changed.
pub fn index(
    root: &Path,
    files: &BTreeMap<String, PathBuf>,
    hash_wider_than: u32,
) -> (HashMap<String, ImageInfo>, IndexStats) {
    let cache_path = root.join(crate::cache::DIR).join(FILE);
    let old = load(root);
    let images: Vec<(&String, &PathBuf)> = files
        .iter()
        .filter(|(site, _)| is_image_path(site))
        .collect();
    let mut looked: Vec<(String, String, Entry, bool)> = images
        .par_iter()
        .map(|(site, disk)| {
            let key = disk.to_string_lossy().into_owned();
            let now = stamp_and_ctime(disk);
            match old.entries.get(&key) {
                Some(e) if Some((e.stamp, e.ctime_ns)) == now => {
                    ((*site).clone(), key, e.clone(), false)
                }
                _ => {
                    // Stamped before it is read: a change made meanwhile shows next time.
                    let info = inspect(disk);
                    let (stamp, ctime_ns) = now.unwrap_or_default();
                    let entry = Entry {
                        stamp,
                        ctime_ns,
                        info,
                    };
                    ((*site).clone(), key, entry, true)
                }
            }
        })
        .collect();
    // Content hashes where needed: equal lengths (duplicate candidates) and wide screenshots.
    let mut by_len: HashMap<u64, usize> = HashMap::new();
    for (_, _, e, _) in &looked {
        if e.info.problem.is_none() {
            *by_len.entry(e.info.bytes).or_default() += 1;
        }
    }
    looked.par_iter_mut().for_each(|(_, key, e, changed)| {
        let wide = e.info.size.is_some_and(|(w, _)| w > hash_wider_than);
        let collides = by_len.get(&e.info.bytes).copied().unwrap_or(0) > 1;
        if e.info.problem.is_none() && e.info.hash.is_none() && (wide || collides) {
            e.info.hash = content_hash(Path::new(key.as_str()));
            *changed = true;
        }
    });
    let stats = IndexStats {
        reused: looked.iter().filter(|l| !l.3).count(),
        inspected: looked.iter().filter(|l| l.3).count(),
    };
    let changed = looked.iter().any(|l| l.3) || looked.len() != old.entries.len();
    let mut out = HashMap::with_capacity(looked.len());
    // The cache file's entries are only needed when it is written again.
    let mut entries = BTreeMap::new();
    for (site, key, entry, _) in looked {
        if changed {
            out.insert(site, entry.info.clone());
            entries.insert(key, entry);
        } else {
            out.insert(site, entry.info);
        }
    }
    if changed {
        let file = File {
            version: VERSION,
            entries,
        };
        write_cache(&cache_path, &file);
    }
    (out, stats)
}

/// Writes `file` in postcard through a temporary file and a rename; errors are ignored (a cache
/// that cannot be written only makes the next run slower).
fn write_cache(path: &Path, file: &File) {
    if let Some(root) = path.parent().and_then(Path::parent)
        && !crate::cache::create_dir(root)
    {
        return;
    }
    let Ok(body) = postcard::to_allocvec(file) else {
        return;
    };
    let mut bytes = Vec::with_capacity(24 + body.len());
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&VERSION.to_le_bytes());
    bytes.extend_from_slice(&crate::cache::checksum(&body).to_le_bytes());
    bytes.extend_from_slice(&body);
    if crate::cache::write_atomically(path, &bytes).is_ok()
        && let Some(dir) = path.parent()
    {
        // The JSON file of versions before 3.
        let _ = std::fs::remove_file(dir.join("images.json"));
    }
}

/// The cache in a file's `bytes`: magic, version (`u32`), CRC-32 of the rest (`u32`), then
/// [`File`] in postcard; `None` when the bytes are not a sound file of this version.
fn read_cache(bytes: &[u8]) -> Option<File> {
    let body = crate::cache::checked_body(bytes, MAGIC, VERSION)?;
    postcard::from_bytes(body).ok()
}

/// SHA-256 of the file's bytes, lowercase hex; `None` when it cannot be read.
pub fn content_hash(path: &Path) -> Option<String> {
    let mut file = std::fs::File::open(path).ok()?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Some(hex(&hasher.finalize()))
}

/// SHA-256 of `bytes`, lowercase hex.
pub fn bytes_hash(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_are_reused_from_the_file_and_a_damaged_file_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let png = root.join("a.png");
        image::RgbImage::new(3, 2).save(&png).unwrap();
        let files: BTreeMap<String, PathBuf> = [("a.png".to_string(), png)].into();
        let (first, stats) = index(root, &files, 1600);
        assert_eq!((stats.inspected, stats.reused), (1, 0));
        assert_eq!(first["a.png"].size, Some((3, 2)));
        let (again, stats) = index(root, &files, 1600);
        assert_eq!((stats.inspected, stats.reused), (0, 1));
        assert_eq!(again, first);
        let cache = root.join(crate::cache::DIR).join(FILE);
        let mut bytes = std::fs::read(&cache).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&cache, bytes).unwrap();
        let (damaged, stats) = index(root, &files, 1600);
        assert_eq!((stats.inspected, stats.reused), (1, 0));
        assert_eq!(damaged, first);
    }
}
