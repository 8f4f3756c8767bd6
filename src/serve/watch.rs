//! Watching the project: one notify watcher behind notify-debouncer-full, on the content root,
//! every resource folder, `templates/`, the extra watch dirs, the project root itself
//! (not recursively: book.toml, and a `templates/` folder created later), and each folder
//! outside those that holds a file a page includes (not recursively: mdBook's
//! `{{#include ../listings/…}}`, MkDocs snippets under `includes/`).
//!
//! The debouncer merges the events of an editor's atomic save (write a temporary file, rename it
//! over the page) and of bursts into one batch per quiet period of [`DEBOUNCE`]; the batch's
//! paths, sorted and deduplicated, go to the rebuild thread, which keeps collecting batches
//! until [`SETTLE`] passes without one, so a burst over several files makes one rebuild.
//!
//! A watched folder that is removed and created again (`git checkout`, `git stash`) is a new
//! folder: the operating system dropped the old watch with the old folder. [`update`] compares
//! each folder's identity (device and inode on Unix) with the one it watched and watches the
//! new folder again; when the kernel's event queue overflowed (notify's rescan flag) or the
//! watcher reported an error, every folder is watched again and the project reloaded
//! ([`WatchEvent::Rescan`]). What cannot be watched is returned, and the server says that what
//! it serves may be stale.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::config::Settings;
use crate::error::{Error, Result};

/// Quiet time after a path's last event before the debouncer hands it on.
pub const DEBOUNCE: Duration = Duration::from_millis(20);

/// After a batch arrives, the rebuild thread keeps collecting batches until none has come for
/// this long: the debouncer releases each path after its own quiet time, so a burst over several
/// files arrives as batches a few milliseconds apart, and becomes one rebuild.
pub const SETTLE: Duration = Duration::from_millis(25);

/// The running watcher; dropping it stops watching.
pub type Watcher = Debouncer<notify::RecommendedWatcher, RecommendedCache>;

/// What the watcher sends: changed paths, or a watcher error to print.
#[derive(Debug)]
pub enum WatchEvent {
    /// Paths that changed (created, written, removed, renamed from or to), sorted.
    Changed(Vec<PathBuf>),
    /// The watcher failed (e.g. too many watches); the message names the cause. Every folder
    /// is watched again and the project reloaded.
    Failed(String),
    /// Events were lost (the kernel's queue overflowed): watch every folder again and reload.
    Rescan,
    /// The server is shutting down: the rebuild thread ends.
    Stop,
}

/// The folders to watch for `settings`, each with whether to watch it recursively, then the
/// folders of `included` (files pages include, absolute) that no watch covers yet, not
/// recursively. Folders that do not exist are left out (the root watch sees them appear only
/// at the top level).
pub fn watch_list(settings: &Settings, included: &[PathBuf]) -> Vec<(PathBuf, RecursiveMode)> {
    let mut out: Vec<(PathBuf, RecursiveMode)> = Vec::new();
    let mut add = |p: PathBuf, mode: RecursiveMode| {
        if p.is_dir() && !out.iter().any(|(q, _)| *q == p) {
            out.push((p, mode));
        }
    };
    add(settings.root.clone(), RecursiveMode::NonRecursive);
    add(settings.content_dir.clone(), RecursiveMode::Recursive);
    for r in &settings.resource_dirs {
        add(r.dir.clone(), RecursiveMode::Recursive);
    }
    add(
        settings.root.join(super::plan::TEMPLATES_DIR),
        RecursiveMode::Recursive,
    );
    for d in &settings.extra_watch_dirs {
        add(d.clone(), RecursiveMode::Recursive);
    }
    // The root listed non-recursively and as the content root (zero-config): keep recursive.
    if let Some(first) = out.first_mut()
        && first.0 == settings.content_dir
    {
        first.1 = RecursiveMode::Recursive;
    }
    let mut folders: Vec<PathBuf> = included
        .iter()
        .filter_map(|f| f.parent().map(Path::to_path_buf))
        .collect();
    folders.sort();
    folders.dedup();
    for dir in folders {
        let covered = out.iter().any(|(q, mode)| {
            *q == dir || (*mode == RecursiveMode::Recursive && dir.starts_with(q))
        });
        if !covered && dir.is_dir() {
            out.push((dir, RecursiveMode::NonRecursive));
        }
    }
    out
}

/// Starts watching the folders of `settings` and of the `included` files (see
/// [`watch_list`]); batches of changes go to `tx`.
///
/// Errors: the operating system refused a watch (the message names the folder).
pub fn start(settings: &Settings, included: &[PathBuf], tx: Sender<WatchEvent>) -> Result<Watcher> {
    let handler = move |result: DebounceEventResult| {
        let event = match result {
            Ok(events) => {
                if events.iter().any(|e| e.need_rescan()) {
                    let _ = tx.send(WatchEvent::Rescan);
                }
                let paths: BTreeSet<PathBuf> = events
                    .into_iter()
                    .filter(|e| !matches!(e.kind, EventKind::Access(_) | EventKind::Other))
                    .flat_map(|e| e.event.paths)
                    .collect();
                if paths.is_empty() {
                    return;
                }
                WatchEvent::Changed(paths.into_iter().collect())
            }
            Err(errors) => WatchEvent::Failed(
                errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
        };
        let _ = tx.send(event);
    };
    let mut debouncer = new_debouncer(DEBOUNCE, None, handler)
        .map_err(|e| Error::Invalid(format!("cannot start the file watcher: {e}")))?;
    for (dir, mode) in watch_list(settings, included) {
        debouncer
            .watch(&dir, mode)
            .map_err(|e| Error::Invalid(format!("cannot watch {}: {e}", dir.display())))?;
    }
    Ok(debouncer)
}

/// Which folder a watched path is: device and inode on Unix, so that a folder removed and
/// created again under the same name is told apart; `None` elsewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FolderId(u64, u64);

/// The identity of the folder at `dir`, if it exists (and the platform has one).
pub fn folder_id(dir: &Path) -> Option<FolderId> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(dir).ok()?;
        Some(FolderId(meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        None
    }
}

/// One folder being watched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Watched {
    /// The folder.
    pub dir: PathBuf,
    /// Recursive or not.
    pub mode: RecursiveMode,
    /// Its identity when the watch was set; `None` when it could not be watched (or the
    /// platform has no identity).
    pub id: Option<FolderId>,
    /// The watch could not be set.
    pub failed: bool,
}

/// What [`update`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Updated {
    /// A watch was added, removed or set again: what happened before it may have been missed,
    /// so the project should be reloaded.
    pub changed: bool,
    /// Folders that cannot be watched, with the reason: edits there go unseen.
    pub failures: Vec<String>,
}

/// The watches of `settings` and `included` as first set by [`start`] (identities read now).
pub fn watched(settings: &Settings, included: &[PathBuf]) -> Vec<Watched> {
    watch_list(settings, included)
        .into_iter()
        .map(|(dir, mode)| Watched {
            id: folder_id(&dir),
            dir,
            mode,
            failed: false,
        })
        .collect()
}

/// Brings the watches of `watcher` (currently `watched`) in line with [`watch_list`] for
/// `settings` and the `included` files: new folders are watched, folders gone or no longer wanted are unwatched, and a
/// folder that was replaced (another identity, or named itself, or through a parent, in
/// `changed`: removed, created or moved) or whose watch failed is watched again. With `all`, every folder is watched again
/// (after lost events or a watcher error).
pub fn update(
    watcher: &mut Watcher,
    watched: &mut Vec<Watched>,
    settings: &Settings,
    included: &[PathBuf],
    changed: &[PathBuf],
    all: bool,
) -> Updated {
    let now = watch_list(settings, included);
    let mut out = Updated::default();
    for old in watched.iter() {
        if !now.contains(&(old.dir.clone(), old.mode)) {
            // The folder may be gone already; nothing to do then.
            let _ = watcher.unwatch(&old.dir);
            out.changed = true;
        }
    }
    let mut next = Vec::with_capacity(now.len());
    for (dir, mode) in now {
        let id = folder_id(&dir);
        let before = watched.iter().find(|w| w.dir == dir && w.mode == mode);
        let again = match before {
            None => true,
            Some(w) => {
                // The identity alone is not enough: a new folder may get the inode number the
                // removed one had.
                all || w.failed || w.id != id || changed.iter().any(|c| dir.starts_with(c))
            }
        };
        let mut failed = false;
        if again {
            if before.is_some() {
                let _ = watcher.unwatch(&dir);
            }
            failed = match watcher.watch(&dir, mode) {
                Ok(()) => false,
                Err(e) => {
                    out.failures
                        .push(format!("cannot watch {}: {e}", dir.display()));
                    true
                }
            };
            out.changed = true;
        }
        next.push(Watched {
            dir,
            mode,
            id,
            failed,
        });
    }
    *watched = next;
    out
}
