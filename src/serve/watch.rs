//! Watching the project: one notify watcher behind notify-debouncer-full, on the content root,
//! every resource folder, `templates/`, the extra watch dirs, and the project root itself
//! (not recursively: book.toml, and a `templates/` folder created later).
//!
//! The debouncer merges the events of an editor's atomic save (write a temporary file, rename it
//! over the page) and of bursts into one batch per quiet period of [`DEBOUNCE`]; the batch's
//! paths, sorted and deduplicated, go to the rebuild thread, which keeps collecting batches
//! until [`SETTLE`] passes without one, so a burst over several files makes one rebuild.

use std::collections::BTreeSet;
use std::path::PathBuf;
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
    /// The watcher failed (e.g. too many watches); the message names the cause.
    Failed(String),
    /// The server is shutting down: the rebuild thread ends.
    Stop,
}

/// The folders to watch for `settings`, each with whether to watch it recursively. Folders that
/// do not exist are left out (the root watch sees them appear only at the top level).
pub fn watch_list(settings: &Settings) -> Vec<(PathBuf, RecursiveMode)> {
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
    out
}

/// Starts watching the folders of `settings`; batches of changes go to `tx`.
///
/// Errors: the operating system refused a watch (the message names the folder).
pub fn start(settings: &Settings, tx: Sender<WatchEvent>) -> Result<Watcher> {
    let handler = move |result: DebounceEventResult| {
        let event = match result {
            Ok(events) => {
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
    for (dir, mode) in watch_list(settings) {
        debouncer
            .watch(&dir, mode)
            .map_err(|e| Error::Invalid(format!("cannot watch {}: {e}", dir.display())))?;
    }
    Ok(debouncer)
}

/// Brings the watches of `watcher` (currently `watched`) in line with [`watch_list`] for
/// `settings`: new folders are watched, folders gone or no longer wanted are unwatched. Returns
/// true when the list changed. A folder that cannot be watched is reported on standard error.
pub fn update(
    watcher: &mut Watcher,
    watched: &mut Vec<(PathBuf, RecursiveMode)>,
    settings: &Settings,
) -> bool {
    let now = watch_list(settings);
    if now == *watched {
        return false;
    }
    for (dir, mode) in watched.iter() {
        if !now.contains(&(dir.clone(), *mode)) {
            // The folder may be gone already; nothing to do then.
            let _ = watcher.unwatch(dir);
        }
    }
    for (dir, mode) in &now {
        if !watched.contains(&(dir.clone(), *mode))
            && let Err(e) = watcher.watch(dir, *mode)
        {
            eprintln!("warning: cannot watch {}: {e}", dir.display());
        }
    }
    *watched = now;
    true
}
