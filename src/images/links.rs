//! The build's own link operations on source images, and the change times they leave.
//!
//! The image facts in `.stepbook-cache/images.bin` are trusted while a file's stamp and its
//! inode's change time (ctime) hold ([`super::cache`]). A build publishes each image as a hard
//! link to its source, and removing an old site unlinks those links: both change the source's
//! ctime as a rewrite does. A [`Ledger`] runs those operations for the build and records the
//! ctime each left, so that the next run trusts the facts again; it does so only when the
//! ctime just before the operation was still the one the facts were recorded with, so a change
//! made by anyone else before is never covered up: that file is inspected again.
//!
//! One operation is checked right before and read right after it (under a lock per file, so the
//! build's own parallel operations on one file do not look foreign to each other); the removal
//! of a whole folder ([`Ledger::bulk`]) checks every image before and reads it after. A change
//! made by another program inside that window, within the clock tick of the operation, goes
//! unseen, as with Git's racily clean files. The ledger reads `images.bin` only when an
//! operation touches a file that may be an image, so a build that links and removes nothing
//! (the spare site already holds every link) pays nothing.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use super::cache::{self, File};

/// The image cache's entries and what the build's operations did to each file's ctime.
#[derive(Debug)]
pub struct Ledger {
    root: PathBuf,
    loaded: OnceLock<Loaded>,
}

#[derive(Debug)]
struct Loaded {
    file: Mutex<File>,
    /// Disk path (as the cache spells it) → slot.
    by_path: HashMap<String, usize>,
    /// (device, inode) → slot.
    by_inode: HashMap<(u64, u64), usize>,
    slots: Vec<Slot>,
}

#[derive(Debug)]
struct Slot {
    /// The disk path, as the cache's key.
    key: String,
    stamp: crate::cache::Stamp,
    state: Mutex<State>,
}

#[derive(Debug, Clone, Copy)]
struct State {
    /// The ctime the facts hold for: recorded, or left by the build's last operation.
    ctime: i64,
    /// Moved by the build's own operations (the cache is written again).
    moved: bool,
    /// Found changed by someone else before an operation: never updated again.
    foreign: bool,
}

impl Ledger {
    /// A ledger for the project at `root`; reads nothing yet.
    pub fn new(root: &Path) -> Ledger {
        Ledger {
            root: root.to_path_buf(),
            loaded: OnceLock::new(),
        }
    }

    fn loaded(&self) -> &Loaded {
        self.loaded.get_or_init(|| {
            let file = cache::load(&self.root);
            let mut by_path = HashMap::with_capacity(file.entries.len());
            let mut by_inode = HashMap::with_capacity(file.entries.len());
            let mut slots = Vec::with_capacity(file.entries.len());
            for (key, e) in &file.entries {
                by_path.insert(key.clone(), slots.len());
                if e.stamp.inode != 0 {
                    by_inode.insert((e.stamp.device, e.stamp.inode), slots.len());
                }
                slots.push(Slot {
                    key: key.clone(),
                    stamp: e.stamp,
                    state: Mutex::new(State {
                        ctime: e.ctime_ns,
                        moved: false,
                        foreign: false,
                    }),
                });
            }
            Loaded {
                file: Mutex::new(file),
                by_path,
                by_inode,
                slots,
            }
        })
    }

    /// Runs `op`, which hard-links (or copies) the source file `src`; when `src` is an image of
    /// the cache, records the ctime the link left.
    pub fn link<T>(
        &self,
        src: &Path,
        op: impl FnOnce() -> std::io::Result<T>,
    ) -> std::io::Result<T> {
        let image = src
            .file_name()
            .is_some_and(|n| super::is_image_path(&n.to_string_lossy()));
        if !image {
            return op();
        }
        let loaded = self.loaded();
        match loaded.by_path.get(src.to_string_lossy().as_ref()) {
            Some(&i) => guarded(&loaded.slots[i], src, op),
            None => op(),
        }
    }

    /// Runs `op`, which unlinks the file at `path` whose metadata (taken before) is `meta`;
    /// when that file is one of the cache's images (another link to it: same device and inode),
    /// records the ctime the removal left. Files that cannot be an image's link (a single link,
    /// or a name without an image extension) are removed without reading the cache.
    pub fn unlink<T>(
        &self,
        path: &Path,
        meta: &std::fs::Metadata,
        op: impl FnOnce() -> std::io::Result<T>,
    ) -> std::io::Result<T> {
        let maybe_image = meta.is_file()
            && nlink(meta) > 1
            && path
                .file_name()
                .is_some_and(|n| super::is_image_path(&n.to_string_lossy()));
        if !maybe_image {
            return op();
        }
        let loaded = self.loaded();
        match identity(meta).and_then(|id| loaded.by_inode.get(&id)) {
            Some(&i) => guarded(&loaded.slots[i], path, op),
            None => op(),
        }
    }

    /// Runs `op`, which removes a whole folder (an old site), checking every image of the
    /// cache before and recording the ctime after.
    pub fn bulk<T>(&self, op: impl FnOnce() -> T) -> T {
        let loaded = self.loaded();
        let before: Vec<bool> = loaded
            .slots
            .iter()
            .map(|slot| {
                let mut state = lock(&slot.state);
                let same =
                    cache::stamp_and_ctime(Path::new(&slot.key)) == Some((slot.stamp, state.ctime));
                if !same {
                    state.foreign = true;
                }
                same
            })
            .collect();
        let out = op();
        for (slot, same) in loaded.slots.iter().zip(before) {
            if same {
                settle(slot, &mut lock(&slot.state));
            }
        }
        out
    }

    /// Writes the cache again when the build's operations moved any image's ctime, with the
    /// ctime they left; an image found changed by someone else keeps its old entry (inspected
    /// again next time). Errors are ignored, as for every cache write.
    pub fn save(&self) {
        let Some(loaded) = self.loaded.get() else {
            return;
        };
        let mut file = lock(&loaded.file);
        let mut moved = false;
        for slot in &loaded.slots {
            let state = *lock(&slot.state);
            if state.moved
                && !state.foreign
                && let Some(entry) = file.entries.get_mut(&slot.key)
            {
                entry.ctime_ns = state.ctime;
                moved = true;
            }
        }
        if moved {
            cache::save(&self.root, &file);
        }
    }
}

/// Runs `op` on a link of `slot`'s file reached through `path`: the file must hold the stamp
/// and ctime the ledger knows right before, and its ctime after is recorded.
fn guarded<T>(
    slot: &Slot,
    path: &Path,
    op: impl FnOnce() -> std::io::Result<T>,
) -> std::io::Result<T> {
    let mut state = lock(&slot.state);
    let same = !state.foreign
        && cache::stamp_and_ctime(path)
            .is_some_and(|(stamp, ctime)| stamp == slot.stamp && ctime == state.ctime);
    if !same {
        state.foreign = true;
        return op();
    }
    let out = op();
    settle(slot, &mut state);
    out
}

/// After the build's own operation: the ctime the slot's file has now (its stamp unchanged).
fn settle(slot: &Slot, state: &mut State) {
    match cache::stamp_and_ctime(Path::new(&slot.key)) {
        Some((stamp, ctime)) if stamp == slot.stamp => {
            if ctime != state.ctime {
                state.ctime = ctime;
                state.moved = true;
            }
        }
        _ => state.foreign = true,
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(unix)]
fn identity(meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn identity(_: &std::fs::Metadata) -> Option<(u64, u64)> {
    None
}

#[cfg(unix)]
fn nlink(meta: &std::fs::Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt;
    meta.nlink()
}

#[cfg(not(unix))]
fn nlink(_: &std::fs::Metadata) -> u64 {
    1
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    /// (reused, inspected) of an image index of `files` now.
    fn index(root: &Path, files: &BTreeMap<String, PathBuf>) -> (usize, usize) {
        let stats = cache::index(root, files, 1600).1;
        (stats.reused, stats.inspected)
    }

    /// One byte rewritten in place, the modification time put back (as `cp -p` over it),
    /// a clock tick after what came before (kernels without fine-grained ctimes).
    fn rewrite_keeping_mtime(path: &Path) {
        std::thread::sleep(std::time::Duration::from_millis(20));
        let mtime = std::fs::metadata(path).unwrap().modified().unwrap();
        let mut bytes = std::fs::read(path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(path, &bytes).unwrap();
        let file = std::fs::File::options().write(true).open(path).unwrap();
        file.set_modified(mtime).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn the_ctime_of_the_builds_own_links_is_recorded_and_a_foreign_change_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let (a, b) = (root.join("a.png"), root.join("b.png"));
        image::RgbImage::new(3, 2).save(&a).unwrap();
        image::RgbImage::new(4, 2).save(&b).unwrap();
        let files: BTreeMap<String, PathBuf> = [
            ("a.png".to_string(), a.clone()),
            ("b.png".to_string(), b.clone()),
        ]
        .into();
        assert_eq!(index(root, &files), (0, 2));
        // A link alone moves the ctime the facts are keyed by.
        let site = root.join("site");
        std::fs::create_dir(&site).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::hard_link(&a, site.join("a.png")).unwrap();
        assert_eq!(index(root, &files), (1, 1), "a's ctime moved");
        std::fs::remove_file(site.join("a.png")).unwrap();
        assert_eq!(index(root, &files), (1, 1));
        // Through the ledger: a's link is the build's own; b was rewritten by someone else
        // before the build linked it, which its link must not cover up.
        let links = Ledger::new(root);
        links
            .link(&a, || std::fs::hard_link(&a, site.join("a.png")))
            .unwrap();
        rewrite_keeping_mtime(&b);
        links
            .link(&b, || std::fs::hard_link(&b, site.join("b.png")))
            .unwrap();
        links.save();
        assert_eq!(index(root, &files), (1, 1), "b inspected again");
        // Removing one link, then the whole folder with the other.
        let links = Ledger::new(root);
        let one = site.join("a.png");
        let meta = std::fs::symlink_metadata(&one).unwrap();
        links
            .unlink(&one, &meta, || std::fs::remove_file(&one))
            .unwrap();
        links.bulk(|| std::fs::remove_dir_all(&site)).unwrap();
        links.save();
        assert_eq!(index(root, &files), (2, 0));
        // And a rewrite after all that is seen.
        rewrite_keeping_mtime(&a);
        assert_eq!(index(root, &files), (1, 1));
    }

    #[test]
    fn a_build_that_links_no_image_reads_no_cache() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let css = root.join("a.css");
        std::fs::write(&css, "a {}").unwrap();
        let links = Ledger::new(root);
        links
            .link(&css, || std::fs::hard_link(&css, root.join("b.css")))
            .unwrap();
        let meta = std::fs::symlink_metadata(root.join("b.css")).unwrap();
        links
            .unlink(&root.join("b.css"), &meta, || {
                std::fs::remove_file(root.join("b.css"))
            })
            .unwrap();
        assert!(links.loaded.get().is_none());
        links.save();
        assert!(!root.join(crate::cache::DIR).exists());
    }
}
