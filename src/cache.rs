//! `.stepbook-cache/`, the folder of a project where build, check and serve keep what they can
//! reuse: image facts, screenshot derivatives, render keys, the search index, scope sources
//! and the spare site. Everything in it may be deleted; the next run rebuilds what it needs,
//! and failing to write it never fails a run. This module holds what every cache shares: the
//! folder, file stamps and writes that are whole or absent.

use std::io::Write as _;
use std::path::Path;

/// The cache folder's name, directly below the project folder.
pub const DIR: &str = ".stepbook-cache";

/// Creates `root`'s [`DIR`] with a `.gitignore` of `*` inside, as pytest's and ruff's caches
/// do, so that the cache never shows in `git status` whatever the repository's own
/// `.gitignore` says. Errors are ignored: a cache that cannot be written only makes the next
/// run slower.
pub fn create_dir(root: &Path) {
    let dir = root.join(DIR);
    if std::fs::create_dir_all(&dir).is_ok() {
        let ignore = dir.join(".gitignore");
        if !ignore.exists() {
            let _ = std::fs::write(ignore, "# stepbook's cache: never committed\n*\n");
        }
    }
}

/// `(length, modification time in ns since the epoch, inode)` of the file at `path`, or `None`
/// when it cannot be stat'ed: what a cache trusts a file by, as Git's index and Make do.
pub fn stamp(path: &Path) -> Option<(u64, i64, u64)> {
    let m = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((m.len(), m.mtime() * 1_000_000_000 + m.mtime_nsec(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        let mtime = m
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_nanos() as i64;
        Some((m.len(), mtime, 0))
    }
}

/// [`stamp`] as text, `LENGTH MTIME_NS INODE`, for caches that record it in a file.
pub fn stamp_text(path: &Path) -> Option<String> {
    let (len, mtime, inode) = stamp(path)?;
    Some(format!("{len} {mtime} {inode}"))
}

/// Writes `bytes` to `path` through a temporary file beside it (named with this process's id)
/// renamed over it, creating the folder first: the file is whole or absent, and it is a new
/// file, so a hard link to the old one keeps the old bytes.
///
/// Errors: the folder or the temporary file cannot be written, or the rename fails (the
/// temporary file is then removed).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".tmp{}", std::process::id()));
    let tmp = std::path::PathBuf::from(tmp);
    let written = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(bytes))
        .and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_writes_replace_the_file_not_its_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/file");
        write_atomically(&path, b"one").unwrap();
        let link = dir.path().join("link");
        std::fs::hard_link(&path, &link).unwrap();
        let before = stamp_text(&path).unwrap();
        write_atomically(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(
            std::fs::read(&link).unwrap(),
            b"one",
            "the old file keeps its bytes"
        );
        assert_ne!(stamp_text(&path).unwrap(), before);
        let names: Vec<_> = std::fs::read_dir(dir.path().join("sub")).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file left");
    }

    #[test]
    fn the_cache_ignores_itself() {
        let dir = tempfile::tempdir().unwrap();
        create_dir(dir.path());
        let ignore = std::fs::read_to_string(dir.path().join(DIR).join(".gitignore")).unwrap();
        assert!(ignore.lines().any(|l| l == "*"), "{ignore}");
    }
}
