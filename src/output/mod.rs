//! Writing a rendered [`Site`] to disk: into a staging folder (in the cache), then
//! swapped in whole, so a failed build leaves the previous site intact (SPEC.md, Quality bars);
//! [`check_build_dir`] refuses a build dir whose replacement would destroy input, and
//! [`BUILD_MARKER`] marks a folder as stepbook's to replace. The site replaced by a swap is kept
//! as the spare (in `.stepbook-cache/spare/`), which the next build updates in place instead of
//! writing every file anew ([`buffer`]).

pub mod buffer;
pub mod manifest;
mod safety;

pub use safety::{check_build_dir, real_path};

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use manifest::{Entry, Manifest, stamp_of};

use rayon::prelude::*;

use crate::config::Settings;
use crate::error::{Error, Result};
use crate::images::links::Ledger;
use crate::render::site::{Site, SiteFile};

/// What [`write_site`] reports besides success: things the user should know about the state it
/// left, each a sentence.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    /// Warnings: leftovers of interrupted builds that were removed, or the previous site that
    /// could not be deleted after the swap (and where it is).
    pub notes: Vec<String>,
}

/// Writes `site` into `settings.build_dir`: first into a staging folder in the cache
/// (`.stepbook-cache/spare/`, or beside the build dir when the cache is on another file
/// system), then swaps it in (the old site is renamed away, the new one renamed in, the old one
/// kept as the spare, `.stepbook-cache/spare/NAME-HASH`, or deleted when a spare exists already
/// or cannot be kept). The staging folder is the
/// previous spare when there is one, updated in place ([`buffer`]), else a new folder. When
/// anything fails before the swap, the staging folder goes back to being the spare (or is
/// removed when it was new) and the previous site is left as it was. The build dir is resolved
/// through its real path (symbolic links followed) before it is checked and written
/// ([`check_build_dir`]). Leftovers of builds that were interrupted (`…stepbook-new-PID`,
/// `…stepbook-old-PID` of processes that are gone, in the cache or beside the build dir) are
/// removed first. Equivalent to [`Staging::start`], [`Staging::fill`], [`Staging::swap`].
///
/// Errors: [`Error::Io`] naming the file or folder that could not be written or renamed. After
/// the swap nothing fails: when the previous site can be neither kept as the spare nor
/// deleted, [`Written::notes`] says where it was left.
pub fn write_site(site: &Site, settings: &Settings) -> Result<Written> {
    let mut staging = Staging::start(settings)?;
    staging.fill(site)?;
    staging.swap()
}

/// A site being written: the staging folder that files are written to
/// one by one (so a build need not hold every page in memory), swapped in whole by
/// [`Staging::swap`]. Dropped without a swap (an error, a failed check), it leaves the previous
/// site as it was, and the staging folder becomes the spare again (when it was the spare) or is
/// removed.
#[derive(Debug)]
pub struct Staging {
    /// The build dir's real path.
    build: PathBuf,
    /// The staging folder being filled (`.stepbook-cache/spare/NAME-HASH.stepbook-new-PID`, or
    /// `.NAME.stepbook-new-PID` beside the build dir when the cache is on another file system).
    tmp: PathBuf,
    /// Where the previous site goes during the swap (`….stepbook-old-PID`, beside `tmp`).
    old: PathBuf,
    /// The spare (`.stepbook-cache/spare/NAME-HASH`, [`buffer::spare_path`]): taken as the
    /// staging folder, the previous site kept there after the swap.
    spare: PathBuf,
    /// The build dir when it holds a site stepbook built: files with the same bytes are
    /// hard-linked from it instead of written anew ([`buffer::put_bytes`]).
    live: Option<PathBuf>,
    /// What the staging folder held when it was taken from the spare; `None` for a new folder.
    reused: Option<buffer::Tree>,
    /// Site paths written (or found up to date) so far: what the new site holds.
    written: Mutex<HashSet<String>>,
    /// Where the pages of the live site and the spare are recorded ([`manifest`]).
    manifest_path: PathBuf,
    /// The manifest as this build found it.
    previous: Manifest,
    /// Where the files written from cache slices (search bundles) are recorded: a manifest of
    /// its own ([`manifest::slices_path_for`]), read only when the first such file is written
    /// or at the swap, after the build freed its pages (about 21,000 entries at 10,000 pages
    /// with search, 4-5 MiB, which the manifest read at the start held through rendering,
    /// where a build's memory peaks).
    slices_path: PathBuf,
    /// That manifest as this build found it, once read.
    previous_slices: std::sync::OnceLock<Manifest>,
    /// The files written from cache slices so far, as the new site holds them.
    slices: Mutex<HashMap<String, Entry>>,
    /// Site path of each page of the new site → its render key ([`Staging::expect_pages`]).
    keys: HashMap<String, String>,
    /// The pages of the new site as written: its manifest.
    pages: Mutex<HashMap<String, Entry>>,
    /// Pages found up to date in the reused staging folder.
    kept: AtomicUsize,
    /// Pages copied from the live site.
    copied: AtomicUsize,
    /// Files from a cache file's slice found up to date in the reused staging folder.
    slices_kept: AtomicUsize,
    /// Notes gathered so far (leftovers removed).
    notes: Vec<String>,
    /// Set once the staging folder was swapped in (or given up): nothing to clean on drop.
    done: bool,
    /// Links made and removed on source images, and the ctimes they left (saved on drop).
    links: Ledger,
}

impl Staging {
    /// Checks the build dir ([`check_build_dir`]), removes leftovers of interrupted builds and
    /// takes the spare as the staging folder (or creates a new one), with the [`BUILD_MARKER`].
    ///
    /// Errors: [`Error::Invalid`] for an unsafe build dir; [`Error::Io`] naming the folder that
    /// could not be created or read.
    pub fn start(settings: &Settings) -> Result<Staging> {
        check_build_dir(settings)?;
        let build = real_path(&settings.build_dir);
        let parent = build
            .parent()
            .ok_or_else(|| {
                Error::Invalid(format!(
                    "build dir {} has no parent folder",
                    build.display()
                ))
            })?
            .to_path_buf();
        let name = build
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| Error::Invalid(format!("build dir {} has no name", build.display())))?;
        std::fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
        crate::cache::create_dir(&settings.root);
        let spare = buffer::spare_path(&settings.root, &build);
        let spares = spare.parent().unwrap_or(&parent).to_path_buf();
        let cached = format!("{}.", manifest::cache_name(&build));
        let mut notes = remove_leftovers(&parent, &format!(".{name}."));
        notes.extend(remove_leftovers(&spares, &cached));
        let pid = std::process::id();
        // The staging folder and the previous site during the swap live in the cache beside the
        // spare (out of sight, ignored by git) when it shares the build dir's file system, since
        // a rename cannot cross file systems; else beside the build dir.
        let (tmp, old) =
            if std::fs::create_dir_all(&spares).is_ok() && same_file_system(&spares, &parent) {
                (
                    spares.join(format!("{cached}{NEW}{pid}")),
                    spares.join(format!("{cached}{OLD}{pid}")),
                )
            } else {
                (
                    parent.join(format!(".{name}.{NEW}{pid}")),
                    parent.join(format!(".{name}.{OLD}{pid}")),
                )
            };
        let manifest_path = manifest::path_for(&settings.root, &build);
        let slices_path = manifest::slices_path_for(&settings.root, &build);
        remove_dir_if_exists(&tmp)?;
        let taken = buffer::take_spare(&spare, &tmp);
        let mut staging = Staging {
            build,
            tmp,
            old,
            spare,
            live: None,
            reused: None,
            written: Mutex::new(HashSet::new()),
            previous: Manifest::load(&manifest_path),
            slices_path,
            previous_slices: std::sync::OnceLock::new(),
            slices: Mutex::new(HashMap::new()),
            manifest_path,
            keys: HashMap::new(),
            pages: Mutex::new(HashMap::new()),
            kept: AtomicUsize::new(0),
            copied: AtomicUsize::new(0),
            slices_kept: AtomicUsize::new(0),
            notes,
            done: false,
            links: Ledger::new(&settings.root),
        };
        if taken {
            staging.reused = Some(buffer::Tree::scan(&staging.tmp)?);
        }
        if buffer::is_site_folder(&staging.build) {
            staging.live = Some(staging.build.clone());
        }
        start_folder(&staging.tmp, taken, &staging.links)?;
        Ok(staging)
    }

    /// True when the staging folder is the previous spare, updated in place.
    pub fn reuses_spare(&self) -> bool {
        self.reused.is_some()
    }

    /// Sets the render key of every page the new site will hold (site path → key, see
    /// [`crate::render::incremental::page_keys`]): pages written at these paths are recorded
    /// with their key, and [`Staging::reuse_page`] can skip those an earlier build wrote with
    /// the same key.
    pub fn expect_pages(&mut self, keys: HashMap<String, String>) {
        self.keys = keys;
    }

    /// True when the page at site path `rel` needs no rendering: the reused staging folder
    /// already holds the file an earlier build wrote with the same render key (untouched since,
    /// by its inode, length and modification time), or the live site does and its bytes were
    /// copied into the staging folder.
    ///
    /// Errors: [`Error::Io`] naming a file that could not be written.
    pub fn reuse_page(&self, rel: &str) -> Result<bool> {
        let Some(key) = self.keys.get(rel) else {
            return Ok(false);
        };
        if self.reused.is_some()
            && let Some(entry) = self.previous.spare.get(rel)
            && entry.key == *key
            && std::fs::symlink_metadata(self.tmp.join(rel))
                .is_ok_and(|m| stamp_of(&m) == Some(entry.stamp))
        {
            self.record(rel);
            self.lock_pages().insert(rel.to_string(), entry.clone());
            self.kept.fetch_add(1, Ordering::Relaxed);
            return Ok(true);
        }
        if let Some(entry) = self.previous.live.get(rel)
            && entry.key == *key
            && let Some(bytes) = read_if_stamped(&self.build.join(rel), entry.stamp)
        {
            self.write(rel, &bytes)?;
            self.copied.fetch_add(1, Ordering::Relaxed);
            return Ok(true);
        }
        Ok(false)
    }

    /// Pages not rendered so far: (kept in the reused staging folder, copied from the live
    /// site).
    pub fn pages_reused(&self) -> (usize, usize) {
        (
            self.kept.load(Ordering::Relaxed),
            self.copied.load(Ordering::Relaxed),
        )
    }

    /// Files from a cache file's slice (search bundles) left in the reused staging folder
    /// without being read, so far.
    pub fn slices_reused(&self) -> usize {
        self.slices_kept.load(Ordering::Relaxed)
    }

    fn lock_pages(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        self.pages.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Records site path `rel` as part of the new site.
    fn record(&self, rel: &str) {
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(rel.to_string());
    }

    /// Writes one generated file at site path `rel` (`/`-separated), creating its folders.
    /// Safe to call from several threads.
    ///
    /// Errors: [`Error::Io`] naming the file or folder that could not be written.
    /// In a reused staging folder, a file that already holds exactly these bytes is left as
    /// it is.
    ///
    /// Errors: [`Error::Io`] naming the file or folder that could not be written.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let dest = self.tmp.join(rel);
        if let Some(folder) = dest.parent() {
            buffer::make_dir(&self.tmp, folder)?;
        }
        let live = self.live.as_ref().map(|l| l.join(rel));
        buffer::put_bytes(
            &dest,
            bytes,
            self.reused.is_some(),
            live.as_deref(),
            &self.links,
        )?;
        self.record(rel);
        if let Some(key) = self.keys.get(rel)
            && let Some(stamp) = std::fs::symlink_metadata(&dest)
                .ok()
                .and_then(|m| stamp_of(&m))
        {
            let key = key.clone();
            self.lock_pages()
                .insert(rel.to_string(), Entry { key, stamp });
        }
        Ok(())
    }

    /// Writes the file at site path `rel` from `slice` of a cache file (a search bundle's file
    /// in its shard's pack), recorded in the manifest under the slice's identity (the pack's
    /// stamp, offset and length): a reused staging folder whose file at `rel` an earlier build
    /// wrote from the same slice, untouched since (same stamp), is left without reading either
    /// (at 10,000 pages a warm build with search on reads and compares about 10,400 such
    /// files otherwise).
    ///
    /// Errors: [`Error::Io`] naming the cache file or the file that could not be written.
    fn put_cached(&self, rel: &str, slice: &crate::cache::Slice) -> Result<()> {
        let key = slice_key(slice);
        let kept = self.reused.is_some()
            && self
                .previous_slices()
                .spare
                .get(rel)
                .filter(|entry| {
                    entry.key == key
                        && std::fs::symlink_metadata(self.tmp.join(rel))
                            .is_ok_and(|m| stamp_of(&m) == Some(entry.stamp))
                })
                .is_some_and(|entry| {
                    lock(&self.slices).insert(rel.to_string(), entry.clone());
                    true
                });
        if kept {
            self.slices_kept.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        let bytes = slice.read().map_err(|e| Error::io(&*slice.file, e))?;
        let dest = self.tmp.join(rel);
        let live = self.live.as_ref().map(|l| l.join(rel));
        buffer::put_bytes(
            &dest,
            &bytes,
            self.reused.is_some(),
            live.as_deref(),
            &self.links,
        )?;
        if let Some(stamp) = std::fs::symlink_metadata(&dest)
            .ok()
            .and_then(|m| stamp_of(&m))
        {
            lock(&self.slices).insert(rel.to_string(), Entry { key, stamp });
        }
        Ok(())
    }

    /// The slices manifest as this build found it (read on first use).
    fn previous_slices(&self) -> &Manifest {
        self.previous_slices
            .get_or_init(|| Manifest::load(&self.slices_path))
    }

    /// Records site path `rel` as part of the new site without writing it: the caller knows
    /// the staging folder already holds its right bytes (a page rendered by an earlier build
    /// with the same inputs, see [`crate::render::incremental`]).
    pub fn keep(&self, rel: &str) {
        self.record(rel);
    }

    /// Writes every file of `site` (folders first, files in parallel); a file of `site`
    /// replaces one written before at the same path. In a reused staging folder, files already
    /// up to date are left (see [`buffer`]).
    ///
    /// Errors: [`Error::Io`] naming the file that could not be written or copied.
    pub fn fill(&mut self, site: &Site) -> Result<()> {
        fill(
            &self.tmp,
            site,
            self.reused.is_some(),
            self.live.as_deref(),
            &self.links,
            &|rel, slice| self.put_cached(rel, slice),
        )?;
        let mut written = self.written.lock().unwrap_or_else(|e| e.into_inner());
        written.extend(site.files.keys().cloned());
        Ok(())
    }

    /// Swaps the filled temporary folder in as the build dir (see [`write_site`]).
    ///
    /// Errors: [`Error::Io`] or [`Error::Invalid`] when the swap fails; the previous site is
    /// then back in place (or the message says where it is).
    pub fn swap(mut self) -> Result<Written> {
        // Files of the spare that the new site does not have go before the swap, so that a
        // failure here still leaves the previous site live.
        if let Some(tree) = &self.reused {
            let written = self.written.lock().unwrap_or_else(|e| e.into_inner());
            tree.prune(&self.tmp, &written, &self.links)?;
        }
        self.done = true;
        let (build, tmp, old) = (&self.build, &self.tmp, &self.old);
        let mut written = Written {
            notes: std::mem::take(&mut self.notes),
        };
        let had_old = build.exists();
        if had_old {
            if let Err(e) = remove_dir_if_exists(old) {
                let _ = std::fs::remove_dir_all(tmp);
                return Err(e);
            }
            if let Err(e) = std::fs::rename(build, old) {
                let _ = std::fs::remove_dir_all(tmp);
                return Err(cannot_move_away(build, e));
            }
        }
        if let Err(e) = std::fs::rename(tmp, build) {
            let restored = !had_old || std::fs::rename(old, build).is_ok();
            let _ = std::fs::remove_dir_all(tmp);
            if !restored {
                return Err(Error::Invalid(format!(
                    "{}: cannot move the new site into place ({e}), nor the previous site back from \
                     {}; the previous site is in {}",
                    build.display(),
                    old.display(),
                    old.display()
                )));
            }
            return Err(Error::io(build, e));
        }
        let kept = had_old && buffer::keep_as_spare(old, &self.spare);
        if had_old && !kept {
            // Its links to source images go: their ctimes are recorded ([`Ledger::bulk`]).
            let links = &self.links;
            written.notes.extend(delete_previous(build, old, |p| {
                links.bulk(|| std::fs::remove_dir_all(p))
            }));
        }
        let live = std::mem::take(&mut *self.lock_pages());
        let spare = if kept {
            std::mem::take(&mut self.previous.live)
        } else {
            HashMap::new()
        };
        // Without render keys ([`write_site`]) there is nothing to record; a manifest left
        // from before can only miss (its files' stamps no longer match), never mislead.
        if !self.keys.is_empty() {
            let pages = Manifest::new(live, spare);
            written.notes.extend(pages.save(&self.manifest_path));
        }
        let live = std::mem::take(&mut *lock(&self.slices));
        let spare = if kept {
            self.previous_slices();
            self.previous_slices
                .take()
                .map(|m| m.live)
                .unwrap_or_default()
        } else {
            HashMap::new()
        };
        if !(live.is_empty() && spare.is_empty()) || self.slices_path.exists() {
            let slices = Manifest::new(live, spare);
            written.notes.extend(slices.save(&self.slices_path));
        }
        Ok(written)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            // A half-updated spare is still a spare: content is compared, never trusted.
            if !(self.reused.is_some() && buffer::keep_as_spare(&self.tmp, &self.spare)) {
                let _ = self.links.bulk(|| std::fs::remove_dir_all(&self.tmp));
            }
            // The spare changed: what the manifest says of it no longer holds.
            if self.reused.is_some() && !self.previous.spare.is_empty() {
                let previous =
                    Manifest::new(std::mem::take(&mut self.previous.live), HashMap::new());
                let _ = previous.save(&self.manifest_path);
            }
            if self.reused.is_some()
                && let Some(slices) = self.previous_slices.take()
                && !slices.spare.is_empty()
            {
                let _ = Manifest::new(slices.live, HashMap::new()).save(&self.slices_path);
            }
        }
        // The ctimes the build's own links left on source images, so that the next run trusts
        // their facts.
        self.links.save();
    }
}

/// The bytes of the file at `path` when its stamp is still `stamp` (read through one open
/// handle, so the file checked is the file read).
fn read_if_stamped(path: &Path, stamp: manifest::Stamp) -> Option<Vec<u8>> {
    let mut file = std::fs::File::open(path).ok()?;
    let meta = file.metadata().ok()?;
    if stamp_of(&meta) != Some(stamp) {
        return None;
    }
    let mut bytes = Vec::with_capacity(stamp.len as usize);
    file.read_to_end(&mut bytes).ok()?;
    (bytes.len() as u64 == stamp.len).then_some(bytes)
}

/// After the swap: deletes the previous site at `old` with `remove`; when that fails, the note
/// that says what state the build left (the new site live, the previous one where).
fn delete_previous(
    build: &Path,
    old: &Path,
    remove: impl Fn(&Path) -> std::io::Result<()>,
) -> Option<String> {
    remove(old).err().map(|e| {
        format!(
            "the new site is in {}, but the previous site, moved to {}, could not be deleted \
             ({e}); the next build removes it, or delete it yourself",
            build.display(),
            old.display()
        )
    })
}

/// Name part of the temporary folder a build fills (`.book.stepbook-new-PID`).
const NEW: &str = "stepbook-new-";
/// Name part of the folder the previous site is moved to during the swap.
const OLD: &str = "stepbook-old-";

/// Removes `PREFIXstepbook-new-PID` and `PREFIXstepbook-old-PID` folders in `parent` whose
/// process is gone (an interrupted build); returns one note per folder removed or not
/// removable. A folder of a build still running is left alone. `prefix` is `.NAME.` beside
/// the build dir, `NAME-HASH.` in the cache.
fn remove_leftovers(parent: &Path, prefix: &str) -> Vec<String> {
    let mut notes = Vec::new();
    let Ok(entries) = std::fs::read_dir(parent) else {
        return notes;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file_name.strip_prefix(prefix) else {
            continue;
        };
        let Some(pid) = rest
            .strip_prefix(NEW)
            .or_else(|| rest.strip_prefix(OLD))
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        let path = entry.path();
        // Only folders this naming made, never a link to elsewhere.
        let is_dir = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
        if !is_dir || (pid != std::process::id() && process_is_running(pid)) {
            continue;
        }
        match std::fs::remove_dir_all(&path) {
            Ok(()) => notes.push(format!(
                "removed {}, left by an interrupted build",
                path.display()
            )),
            Err(e) => notes.push(format!(
                "cannot remove {}, left by an interrupted build: {e}",
                path.display()
            )),
        }
    }
    notes
}

/// The error of a build dir that cannot be renamed away to make room for the new site. A
/// mount point (a Docker volume, `mount --bind`) cannot be renamed (`EBUSY`), nor moved to
/// another file system (`EXDEV`): the message says so and what to do instead, since the swap
/// that keeps the previous site intact until the new one is complete needs an ordinary folder.
fn cannot_move_away(build: &Path, e: std::io::Error) -> Error {
    const EBUSY: i32 = 16;
    const EXDEV: i32 = 18;
    match e.raw_os_error() {
        Some(EBUSY | EXDEV) => Error::Invalid(format!(
            "{}: cannot replace the build dir ({e}); it is probably a mount point (a Docker \
             volume, a bind mount). stepbook puts a finished site in place by renaming folders, \
             so that a failed build leaves the previous site as it was, and a mount point cannot \
             be renamed: build into a folder inside the mount (`build-dir = \"{}/site\"` under \
             `[build]` in book.toml, or `--dest-dir`) or mount the folder above it. The previous site is \
             unchanged",
            build.display(),
            build
                .file_name()
                .map_or_else(|| "book".into(), |n| n.to_string_lossy().into_owned()),
        )),
        _ => Error::io(build, e),
    }
}

/// True when folders `a` and `b` are on one file system (so a rename between them works);
/// false where this cannot be known.
fn same_file_system(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(a), std::fs::metadata(b)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        false
    }
}

/// Whether process `pid` exists. Where this cannot be known (no `/proc`), every process counts
/// as running, so that nothing of a running build is ever removed.
fn process_is_running(pid: u32) -> bool {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return true;
    }
    proc.join(pid.to_string()).exists()
}

/// The file every build dir holds, so that a later build knows the folder is stepbook's to
/// replace; [`check_build_dir`] refuses to replace a non-empty folder without it.
pub const BUILD_MARKER: &str = ".stepbook-build";

/// Creates `dir` with the [`BUILD_MARKER`] in it (`reuse`: `dir` is a taken spare, where the
/// marker is rewritten only when its text differs).
fn start_folder(dir: &Path, reuse: bool, links: &Ledger) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    buffer::put_bytes(
        &dir.join(BUILD_MARKER),
        b"This folder is a site built by stepbook; the next build replaces all of it.\n",
        reuse,
        None,
        links,
    )
    .map(|_| ())
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The manifest key of a file written from `slice`: `slice:` and the cache file's stamp,
/// offset and length (a replaced or edited pack has another stamp).
fn slice_key(slice: &crate::cache::Slice) -> String {
    let s = slice.stamp;
    format!(
        "slice:{:x}.{:x}.{:x}.{:x}.{:x}.{:x}",
        s.len, s.mtime_ns, s.inode, s.device, slice.offset, slice.len
    )
}

/// Writes every file of `site` below `dir` (already started), folders first, files in
/// parallel; `reuse` when `dir` is a taken spare, `live` the live site (see
/// [`buffer::put_bytes`]); links go through `links`; files from a cache file go through
/// `cached` (site path, slice).
fn fill(
    dir: &Path,
    site: &Site,
    reuse: bool,
    live: Option<&Path>,
    links: &Ledger,
    cached: &(dyn Fn(&str, &crate::cache::Slice) -> Result<()> + Sync),
) -> Result<()> {
    let folders: BTreeSet<&str> = site
        .files
        .keys()
        .filter_map(|p| p.rfind('/').map(|i| &p[..i]))
        .collect();
    for f in folders {
        buffer::make_dir(dir, &dir.join(f))?;
    }
    site.files.par_iter().try_for_each(|(rel, file)| {
        let dest = dir.join(rel);
        match file {
            SiteFile::Generated(bytes) => {
                let live = live.map(|l| l.join(rel));
                buffer::put_bytes(&dest, bytes, reuse, live.as_deref(), links).map(|_| ())
            }
            SiteFile::Copied(src) => buffer::put_resource(src, &dest, reuse, links).map(|_| ()),
            SiteFile::Cached(slice) => cached(rel, slice),
        }
    })
}

fn remove_dir_if_exists(dir: &Path) -> Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
