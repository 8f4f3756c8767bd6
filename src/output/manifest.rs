//! What the live site and the spare hold, page by page, kept between builds in
//! `.stepbook-cache/sites/NAME-HASH.bin` (HASH: of the build dir's real path): for each page
//! file, the render key it was written with ([`crate::render::incremental`]) and the file's
//! identity when it was written (inode, length, modification time); in a second file
//! (`NAME-HASH.slices.bin`, [`slices_path_for`]), for each file written from a slice of a cache
//! file (the search bundles' files), that slice. The file is postcard
//! (serde's compact binary format) behind a magic string and a CRC-32 (JSON until version 3,
//! whose 8.5 MB at 10,000 pages with search took a warm build about 5% of its CPU to read and
//! write). A page file is trusted to
//! hold the HTML of its key only while its identity is unchanged, so a manifest that is stale
//! (an interrupted build, a file edited by hand, a concurrent build) costs a render, never
//! wrong output.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Bumped when the file's meaning changes; another version is ignored.
const VERSION: u32 = 3;

/// The manifest file's first bytes, before the CRC-32 of the rest.
const MAGIC: &[u8; 18] = b"stepbook-sites 3\n\0";

/// One page file as the build that wrote it left it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The render key (hex SHA-256) of a page; what a file written from a cache file's slice
    /// was written from (see [`crate::output::Staging::fill`]).
    pub key: String,
    /// The file's identity: length, modification time, inode and device.
    pub stamp: Stamp,
}

/// A page file's identity ([`crate::cache::Stamp`]). A page file may be a hard link shared
/// with the other site folder (see [`super::buffer::put_bytes`]); stepbook never writes into a
/// file in place, so its stamp changes whenever its bytes do.
pub use crate::cache::{Stamp, stamp_of};

/// The pages of the live site and of the spare (site path → entry).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    version: u32,
    /// The build dir's pages.
    pub live: HashMap<String, Entry>,
    /// The spare's pages.
    pub spare: HashMap<String, Entry>,
}

impl Manifest {
    /// A manifest of these pages.
    pub fn new(live: HashMap<String, Entry>, spare: HashMap<String, Entry>) -> Manifest {
        Manifest {
            version: VERSION,
            live,
            spare,
        }
    }

    /// Reads the manifest at `path`; empty when it is missing, unreadable or of another
    /// version.
    pub fn load(path: &Path) -> Manifest {
        let read = || -> Option<Manifest> {
            let bytes = crate::cache::map(path).ok()?;
            let crc = u32::from_le_bytes(bytes.get(MAGIC.len()..MAGIC.len() + 4)?.try_into().ok()?);
            let body = bytes.get(MAGIC.len() + 4..)?;
            if bytes.get(..MAGIC.len())? != MAGIC || crate::cache::checksum(body) != crc {
                return None;
            }
            postcard::from_bytes::<Manifest>(body).ok()
        };
        read().filter(|m| m.version == VERSION).unwrap_or_default()
    }

    /// Writes the manifest to `path` (through a temporary file renamed over it). A failure is
    /// returned as a sentence for the build's notes: the site is fine, the next build only
    /// renders more.
    pub fn save(mut self, path: &Path) -> Option<String> {
        self.version = VERSION;
        let write = || -> std::io::Result<()> {
            let body = postcard::to_allocvec(&self).map_err(std::io::Error::other)?;
            let mut bytes = Vec::with_capacity(MAGIC.len() + 4 + body.len());
            bytes.extend_from_slice(MAGIC);
            bytes.extend_from_slice(&crate::cache::checksum(&body).to_le_bytes());
            bytes.extend_from_slice(&body);
            crate::cache::write_atomically(path, &bytes)?;
            // The JSON file of versions before 3.
            let _ = std::fs::remove_file(path.with_extension("json"));
            Ok(())
        };
        write().err().map(|e| {
            format!(
                "cannot write {} ({e}); the next build renders every page",
                path.display()
            )
        })
    }
}

/// Where the manifest of build dir `build` (its real path) lives below project `root`.
pub fn path_for(root: &Path, build: &Path) -> PathBuf {
    root.join(crate::cache::DIR)
        .join("sites")
        .join(format!("{}.bin", cache_name(build)))
}

/// Where the manifest of the files of build dir `build` written from cache slices (the search
/// bundles' files, see [`crate::output::Staging::fill`]) lives below project `root`: beside
/// the pages' manifest, read apart from it.
pub fn slices_path_for(root: &Path, build: &Path) -> PathBuf {
    root.join(crate::cache::DIR)
        .join("sites")
        .join(format!("{}.slices.bin", cache_name(build)))
}

/// The name of build dir `build`'s entries in the cache: its folder name and 12 hex digits of
/// SHA-256 of its real path (`book-3fa2c01b9d4e`), so two build dirs of one project (`-d`)
/// never share an entry.
pub fn cache_name(build: &Path) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(build.to_string_lossy().as_bytes());
    let short: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
    let name = build
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("{name}-{short}")
}
