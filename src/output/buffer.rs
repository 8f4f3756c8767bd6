//! The double buffer behind [`super::Staging`]: after a swap the previous site is kept in the
//! project's cache as the spare (`.stepbook-cache/spare/NAME-HASH`, with the [`BUILD_MARKER`];
//! see [`spare_path`]) instead of being deleted, and the next build renames it to its staging folder and brings it up to date
//! in place. Creating and deleting a whole site per build is what made builds slow on ext4
//! (inode allocation scans recently deleted inodes); updating in place writes only what
//! changed.
//!
//! Correctness never rests on the spare's history: a generated file is left only when its bytes
//! equal the new ones (size, then bytes); a resource only when it is already the same hard link
//! (same device and inode as the source); everything else is replaced (unlinked first, so a
//! hard link to a source file is never written through); files and folders the new site does
//! not have are removed before the swap ([`Tree::prune`]); symbolic links and other special
//! files found in the spare are removed before anything is written, so nothing is written
//! through them. The result is byte-identical to a build into an empty folder.
//!
//! A file whose bytes equal the live site's file at the same path is hard-linked from it
//! rather than written ([`put_bytes`]), so even a build without a spare allocates inodes only
//! for what changed. The live site and the spare then share those files; that is safe because
//! no build ever writes into an existing file (it unlinks first), and a change made by hand to
//! a shared file changes its stamp ([`super::manifest`]) and its bytes in both.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::images::links::Ledger;

use super::BUILD_MARKER;

/// The cache folder that holds spare sites (`.stepbook-cache/spare/`): the site before the
/// live one, kept for the next build to update in place. No PID: any later build may take it.
pub const SPARE: &str = "spare";

/// True when `dir` is a folder (not a link to one) holding the [`BUILD_MARKER`] as a file: a
/// site stepbook built, safe to update or remove. Anything else is never touched.
pub fn is_site_folder(dir: &Path) -> bool {
    std::fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir())
        && std::fs::symlink_metadata(dir.join(BUILD_MARKER)).is_ok_and(|m| m.is_file())
}

/// Takes the spare at `spare` as the staging folder `tmp` (an atomic rename: a concurrent build
/// that took it first leaves nothing, and this build starts fresh). Returns whether it did.
pub fn take_spare(spare: &Path, tmp: &Path) -> bool {
    is_site_folder(spare) && std::fs::rename(spare, tmp).is_ok()
}

/// After the swap: keeps the previous site at `old` as the spare when no spare exists (a
/// concurrent build may have made one, and a user's file of that name is never replaced);
/// returns `false` when it could not (the cache on another file system, say), and `old` is
/// still there to delete.
pub fn keep_as_spare(old: &Path, spare: &Path) -> bool {
    if let Some(folder) = spare.parent() {
        let _ = std::fs::create_dir_all(folder);
    }
    std::fs::symlink_metadata(spare).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
        && is_site_folder(old)
        && std::fs::rename(old, spare).is_ok()
}

/// What a reused staging folder held when it was taken: every file and folder, relative and
/// `/`-separated, so that [`Tree::prune`] can remove what the new site does not have without
/// walking it again.
#[derive(Debug, Default)]
pub struct Tree {
    files: Vec<String>,
    dirs: Vec<String>,
}

impl Tree {
    /// Walks `root`, removing every entry that is neither a plain file nor a folder (symbolic
    /// links above all, so that no later write goes through one).
    ///
    /// Errors: [`Error::Io`] naming a folder that cannot be read or a link that cannot be
    /// removed.
    pub fn scan(root: &Path) -> Result<Tree> {
        let mut tree = Tree::default();
        let mut stack = vec![String::new()];
        while let Some(rel) = stack.pop() {
            let dir = if rel.is_empty() {
                root.to_path_buf()
            } else {
                root.join(&rel)
            };
            for entry in std::fs::read_dir(&dir).map_err(|e| Error::io(&dir, e))? {
                let entry = entry.map_err(|e| Error::io(&dir, e))?;
                let name = entry.file_name().to_string_lossy().into_owned();
                let child = if rel.is_empty() {
                    name
                } else {
                    format!("{rel}/{name}")
                };
                let kind = entry.file_type().map_err(|e| Error::io(entry.path(), e))?;
                if kind.is_dir() {
                    tree.dirs.push(child.clone());
                    stack.push(child);
                } else if kind.is_file() {
                    tree.files.push(child);
                } else {
                    let path = entry.path();
                    std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
                }
            }
        }
        Ok(tree)
    }

    /// Removes from `root` every file of this tree that is not in `written` (nor the
    /// [`BUILD_MARKER`]) and every folder that holds nothing written, through `links` (the
    /// removed files may be links to source images). Returns the number of files and folders
    /// removed.
    ///
    /// Errors: [`Error::Io`] naming what could not be removed.
    pub fn prune(&self, root: &Path, written: &HashSet<String>, links: &Ledger) -> Result<usize> {
        let mut needed: HashSet<&str> = HashSet::new();
        for path in written {
            let mut p = path.as_str();
            while let Some(i) = p.rfind('/') {
                p = &p[..i];
                if !needed.insert(p) {
                    break;
                }
            }
        }
        let mut removed = 0;
        // Topmost unneeded folders go whole; the files below them with them.
        let gone: BTreeSet<&str> = self
            .dirs
            .iter()
            .map(String::as_str)
            .filter(|d| !needed.contains(d) && !written.contains(*d))
            .collect();
        // Below a removed folder, or below a folder the new site replaced by a file (already
        // removed with it when the file was written).
        let under_gone = |p: &str| {
            let mut q = p;
            while let Some(i) = q.rfind('/') {
                q = &q[..i];
                if gone.contains(q) || written.contains(q) {
                    return true;
                }
            }
            false
        };
        for dir in &gone {
            if under_gone(dir) {
                continue;
            }
            let path = root.join(dir);
            // A folder of the site holding images: their ctimes are checked and recorded.
            let prefix = format!("{dir}/");
            let images = self
                .files
                .iter()
                .any(|f| f.starts_with(&prefix) && crate::images::is_image_path(f));
            let removed_dir = if images {
                links.bulk(|| std::fs::remove_dir_all(&path))
            } else {
                std::fs::remove_dir_all(&path)
            };
            match removed_dir {
                Ok(()) => removed += 1,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(Error::io(&path, e)),
            }
        }
        for file in &self.files {
            if file == BUILD_MARKER
                || written.contains(file)
                || needed.contains(file.as_str())
                || under_gone(file)
            {
                continue;
            }
            let path = root.join(file);
            let removed_file = match std::fs::symlink_metadata(&path) {
                Ok(meta) => links.unlink(&path, &meta, || std::fs::remove_file(&path)),
                Err(e) => Err(e),
            };
            match removed_file {
                Ok(()) => removed += 1,
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
                    ) => {}
                Err(e) => return Err(Error::io(&path, e)),
            }
        }
        Ok(removed)
    }
}

/// Makes room for a new file at `dest` in a reused folder: removes a folder, link or file there
/// (unlinking, so a hard link to a source file is never written through), through `links`.
fn clear(dest: &Path, meta: &std::fs::Metadata, links: &Ledger) -> Result<()> {
    if meta.is_dir() {
        links
            .bulk(|| std::fs::remove_dir_all(dest))
            .map_err(|e| Error::io(dest, e))
    } else {
        links
            .unlink(dest, meta, || std::fs::remove_file(dest))
            .map_err(|e| Error::io(dest, e))
    }
}

/// Creates folder `dir` below `root`; in a reused folder a file standing where a folder must be
/// (a page that became a folder) is removed first.
pub fn make_dir(root: &Path, dir: &Path) -> Result<()> {
    if std::fs::create_dir_all(dir).is_ok() {
        return Ok(());
    }
    let mut blockers = Vec::new();
    let mut p = dir;
    while p != root && p.starts_with(root) {
        if std::fs::symlink_metadata(p).is_ok_and(|m| !m.is_dir()) {
            blockers.push(p.to_path_buf());
        }
        match p.parent() {
            Some(up) => p = up,
            None => break,
        }
    }
    for b in blockers {
        std::fs::remove_file(&b).map_err(|e| Error::io(&b, e))?;
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))
}

/// Writes `bytes` at `dest`; `live` is the file at the same site path in the live site, if
/// any. With `reuse` (the folder is a taken spare), a plain file there with exactly these bytes
/// is left as it is when it has no other link or its other link is `live` (a file this build
/// linked from the live site before); anything else there is removed first. When `live` holds
/// exactly these bytes, `dest` becomes a hard link to it instead of a new file: no inode is
/// allocated, which is what makes writing a whole site slow on ext4 (files are never written in
/// place, so the live site cannot change through the link). Returns whether `dest` was written
/// or linked. What is removed goes through `links` ([`Ledger::unlink`]).
///
/// Errors: [`Error::Io`] naming the file.
pub fn put_bytes(
    dest: &Path,
    bytes: &[u8],
    reuse: bool,
    live: Option<&Path>,
    links: &Ledger,
) -> Result<bool> {
    let live_meta = live.and_then(|l| std::fs::symlink_metadata(l).ok());
    // Whatever is there is unlinked, never written into: it may be a hard link to a file of
    // the live site or to a source file.
    if let Ok(meta) = std::fs::symlink_metadata(dest) {
        if reuse
            && meta.is_file()
            && meta.len() == bytes.len() as u64
            && (single_link(&meta) || live_meta.as_ref().is_some_and(|l| same_file(l, &meta)))
            && std::fs::read(dest).is_ok_and(|old| old == bytes)
        {
            return Ok(false);
        }
        clear(dest, &meta, links)?;
    }
    if let (Some(live), Some(meta)) = (live, &live_meta)
        && meta.is_file()
        && meta.len() == bytes.len() as u64
        && std::fs::read(live).is_ok_and(|old| old == bytes)
        && std::fs::hard_link(live, dest).is_ok()
    {
        return Ok(true);
    }
    std::fs::write(dest, bytes).map_err(|e| Error::io(dest, e))?;
    Ok(true)
}

/// Publishes resource `src` at `dest`: a hard link when both share a file system, else a copy.
/// With `reuse`, a file at `dest` that already is `src` (same device and inode) is left;
/// anything else there is removed first. Links made and removed go through `links`, which
/// records the ctime they leave on source images ([`Ledger`]). Returns whether anything was
/// linked or copied.
///
/// Errors: [`Error::Io`] naming the source that could not be copied.
pub fn put_resource(src: &Path, dest: &Path, reuse: bool, links: &Ledger) -> Result<bool> {
    if let Ok(meta) = std::fs::symlink_metadata(dest) {
        if reuse && meta.is_file() && std::fs::metadata(src).is_ok_and(|s| same_file(&s, &meta)) {
            return Ok(false);
        }
        clear(dest, &meta, links)?;
    }
    // A hard link when source and build dir share a file system (no bytes copied; a tool that
    // edits the built file in place edits the source too), else a copy.
    links
        .link(src, || {
            if std::fs::hard_link(src, dest).is_ok() {
                return Ok(true);
            }
            std::fs::copy(src, dest).map(|_| true)
        })
        .map_err(|e| {
            Error::io(
                src,
                std::io::Error::new(e.kind(), format!("copying to {}: {e}", dest.display())),
            )
        })
}

#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_: &std::fs::Metadata, _: &std::fs::Metadata) -> bool {
    false
}

/// True when the file has no other hard link (a generated file, not a linked resource).
#[cfg(unix)]
fn single_link(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    meta.nlink() == 1
}

#[cfg(not(unix))]
fn single_link(_: &std::fs::Metadata) -> bool {
    true
}

/// The spare folder of build dir `build` (its real path) of the project at `root`:
/// `.stepbook-cache/spare/NAME-HASH` (see [`super::manifest::cache_name`]). In the cache, it
/// is ignored by git like the rest of the cache and removed with it.
pub fn spare_path(root: &Path, build: &Path) -> PathBuf {
    root.join(crate::cache::DIR)
        .join(SPARE)
        .join(super::manifest::cache_name(build))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prune_removes_what_was_not_written() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for f in [
            "a.html",
            "old.html",
            "gone/x.html",
            "gone/deep/y.png",
            "keep/z.html",
            "keep/w.html",
            BUILD_MARKER,
        ] {
            let p = root.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, f).unwrap();
        }
        let tree = Tree::scan(root).unwrap();
        let written: HashSet<String> = ["a.html", "keep/z.html"]
            .into_iter()
            .map(String::from)
            .collect();
        assert_eq!(tree.prune(root, &written, &Ledger::new(root)).unwrap(), 3);
        let mut left: Vec<String> = Tree::scan(root).unwrap().files;
        left.sort();
        assert_eq!(left, vec![BUILD_MARKER, "a.html", "keep/z.html"]);
        assert!(!root.join("gone").exists());
    }

    /// A folder the new site replaced by a file (`res/docs/` became `res/docs`): the files the
    /// folder held went with it when the file was written, and pruning does not trip on them.
    #[test]
    fn prune_after_a_folder_became_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("res/docs")).unwrap();
        std::fs::write(root.join("res/docs/note.txt"), "note").unwrap();
        std::fs::write(root.join("a.html"), "a").unwrap();
        let tree = Tree::scan(root).unwrap();
        // What writing the new site did: the folder replaced by a file.
        std::fs::remove_dir_all(root.join("res/docs")).unwrap();
        std::fs::write(root.join("res/docs"), "now a file").unwrap();
        let written: HashSet<String> = ["a.html", "res/docs"]
            .into_iter()
            .map(String::from)
            .collect();
        assert_eq!(tree.prune(root, &written, &Ledger::new(root)).unwrap(), 0);
        assert_eq!(
            std::fs::read_to_string(root.join("res/docs")).unwrap(),
            "now a file"
        );
    }

    #[cfg(unix)]
    #[test]
    fn links_in_a_spare_are_removed_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::os::unix::fs::symlink(&outside, root.join("res")).unwrap();
        std::os::unix::fs::symlink(outside.join("f"), root.join("f.html")).unwrap();
        let tree = Tree::scan(&root).unwrap();
        let links = Ledger::new(dir.path());
        assert!(tree.files.is_empty() && tree.dirs.is_empty(), "{tree:?}");
        make_dir(&root, &root.join("res")).unwrap();
        assert!(put_bytes(&root.join("res/a.html"), b"x", true, None, &links).unwrap());
        // Not even in a new folder is anything written through a link found there.
        std::os::unix::fs::symlink(outside.join("g"), root.join("g.html")).unwrap();
        assert!(put_bytes(&root.join("g.html"), b"z", false, None, &links).unwrap());
        assert!(put_bytes(&root.join("f.html"), b"y", true, None, &links).unwrap());
        assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0);
    }

    #[test]
    fn same_bytes_are_not_rewritten_and_hard_links_are_not_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let src = root.join("src.png");
        std::fs::write(&src, b"source").unwrap();
        let links = Ledger::new(root);
        let dest = root.join("dest.png");
        assert!(put_resource(&src, &dest, true, &links).unwrap());
        assert!(
            !put_resource(&src, &dest, true, &links).unwrap(),
            "same inode"
        );
        // The path now holds a generated file with the same bytes: a new file, the source kept.
        assert!(
            put_bytes(&dest, b"source", true, None, &links).unwrap(),
            "a hard link"
        );
        assert!(put_bytes(&dest, b"page", true, None, &links).unwrap());
        assert!(!put_bytes(&dest, b"page", true, None, &links).unwrap());
        assert_eq!(std::fs::read(&src).unwrap(), b"source");
        // The live site's file with the same bytes is linked, and then left.
        let live = root.join("live.html");
        std::fs::write(&live, b"live page").unwrap();
        let linked = root.join("linked.html");
        assert!(put_bytes(&linked, b"live page", false, Some(&live), &links).unwrap());
        assert!(same_file(
            &std::fs::metadata(&live).unwrap(),
            &std::fs::metadata(&linked).unwrap()
        ));
        assert!(!put_bytes(&linked, b"live page", true, Some(&live), &links).unwrap());
        // Other bytes: a new file, the live one untouched.
        assert!(put_bytes(&linked, b"new page", true, Some(&live), &links).unwrap());
        assert_eq!(std::fs::read(&live).unwrap(), b"live page");
        assert_eq!(std::fs::read(&linked).unwrap(), b"new page");
        // A file where a folder must go.
        make_dir(root, &root.join("dest.png/sub")).unwrap();
        assert!(root.join("dest.png/sub").is_dir());
    }
}
