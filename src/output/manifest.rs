//! What the live site and the spare hold, page by page, kept between builds in
//! `.stepbook-cache/sites/NAME-HASH.json` (HASH: of the build dir's real path): for each page
//! file, the render key it was written with ([`crate::render::incremental`]) and the file's
//! identity when it was written (inode, length, modification time). A page file is trusted to
//! hold the HTML of its key only while its identity is unchanged, so a manifest that is stale
//! (an interrupted build, a file edited by hand, a concurrent build) costs a render, never
//! wrong output.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Bumped when the file's meaning changes; another version is ignored.
const VERSION: u32 = 2;

/// One page file as the build that wrote it left it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The render key (hex SHA-256).
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
        std::fs::read(path)
            .ok()
            .and_then(|b| serde_json::from_slice::<Manifest>(&b).ok())
            .filter(|m| m.version == VERSION)
            .unwrap_or_default()
    }

    /// Writes the manifest to `path` (through a temporary file renamed over it). A failure is
    /// returned as a sentence for the build's notes: the site is fine, the next build only
    /// renders more.
    pub fn save(mut self, path: &Path) -> Option<String> {
        self.version = VERSION;
        let write = || -> std::io::Result<()> {
            let bytes = serde_json::to_vec(&self).map_err(std::io::Error::other)?;
            crate::cache::write_atomically(path, &bytes)
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
        .join(format!("{}.json", cache_name(build)))
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
