//! `.stepbook-cache/`, the folder of a project where build, check and serve keep what they can
//! reuse: image facts, parsed pages, screenshot derivatives, render keys, the search index, scope sources
//! and the spare site. Everything in it may be deleted; the next run rebuilds what it needs,
//! and failing to write it never fails a run. This module holds what every cache shares: the
//! folder, file stamps and writes that are whole or absent.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The cache folder's name, directly below the project folder.
pub const DIR: &str = ".stepbook-cache";

/// CRC-32 (IEEE 802.3, as zlib and PNG compute it) of `bytes`: what a cache file records
/// beside an entry so that a damaged entry is refused instead of trusted.
pub fn checksum(bytes: &[u8]) -> u32 {
    crc32fast::hash(bytes)
}

/// The body of a cache file laid out as `magic` (16 bytes), `version` (`u32`, little-endian),
/// the CRC-32 ([`checksum`]) of the body (`u32`), then the body: `None` when the bytes are not
/// a sound file of this kind and version (`images.bin`, `facts.bin`, `checks.bin`).
pub fn checked_body<'a>(bytes: &'a [u8], magic: &[u8; 16], version: u32) -> Option<&'a [u8]> {
    let u32_at = |at: usize| -> Option<u32> {
        Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
    };
    if bytes.get(..16)? != magic || u32_at(16)? != version {
        return None;
    }
    let body = bytes.get(24..)?;
    (checksum(body) == u32_at(20)?).then_some(body)
}

/// Project folders where this process may use a cache folder that exists but never creates
/// one ([`never_create_in`]).
static NO_NEW_DIR: std::sync::Mutex<Vec<std::path::PathBuf>> = std::sync::Mutex::new(Vec::new());

/// From now on, [`create_dir`] does not create `root`'s cache folder (it still uses one that
/// exists): `check FILE…` names files, and a pre-commit hook that passes a list of files must
/// not leave a `.stepbook-cache/` in every folder holding one.
pub fn never_create_in(root: &Path) {
    if let Ok(mut roots) = NO_NEW_DIR.lock() {
        roots.push(root.to_path_buf());
        if let Ok(real) = std::fs::canonicalize(root) {
            roots.push(real);
        }
    }
}

/// Creates `root`'s [`DIR`] with a `.gitignore` of `*` inside, as pytest's and ruff's caches
/// do, so that the cache never shows in `git status` whatever the repository's own
/// `.gitignore` says. Returns true when the folder exists afterwards; writers skip their file
/// otherwise. Errors are ignored: a cache that cannot be written only makes the next run
/// slower.
pub fn create_dir(root: &Path) -> bool {
    let dir = root.join(DIR);
    if dir.is_dir() {
        return true;
    }
    let refused = NO_NEW_DIR
        .lock()
        .map(|roots| roots.iter().any(|r| r == root))
        .unwrap_or(false);
    if refused {
        return false;
    }
    if std::fs::create_dir_all(&dir).is_ok() {
        let ignore = dir.join(".gitignore");
        if !ignore.exists() {
            let _ = std::fs::write(ignore, "# stepbook's cache: never committed\n*\n");
        }
        return true;
    }
    false
}

/// What a cache trusts a file by, as Git's index and Make do: it is taken to be unchanged
/// while its stamp is. stepbook never writes into a file in place (see [`write_atomically`]),
/// so a file it wrote changes its stamp whenever its bytes change.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// Length in bytes.
    pub len: u64,
    /// Modification time in nanoseconds since the Unix epoch.
    pub mtime_ns: i64,
    /// Inode number (0 where the platform has none).
    pub inode: u64,
    /// Device number (0 where the platform has none).
    pub device: u64,
}

impl std::fmt::Display for Stamp {
    /// `LENGTH MTIME_NS INODE DEVICE`, for caches that record stamps in a text file.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {} {} {}",
            self.len, self.mtime_ns, self.inode, self.device
        )
    }
}

/// The stamp of a plain file from its metadata; `None` for a folder, link or other kind.
pub fn stamp_of(meta: &std::fs::Metadata) -> Option<Stamp> {
    if !meta.is_file() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some(Stamp {
            len: meta.len(),
            // Saturating: a file may carry any time (`touch -d 3000-01-01`, ext4 keeps up to
            // the year 2446), past what nanoseconds in an i64 hold (the year 2262).
            mtime_ns: meta
                .mtime()
                .saturating_mul(1_000_000_000)
                .saturating_add(meta.mtime_nsec()),
            inode: meta.ino(),
            device: meta.dev(),
        })
    }
    #[cfg(not(unix))]
    {
        let mtime_ns = meta
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_nanos() as i64;
        Some(Stamp {
            len: meta.len(),
            mtime_ns,
            ..Stamp::default()
        })
    }
}

/// The stamp of the plain file at `path` (links followed); `None` when there is none.
pub fn stamp(path: &Path) -> Option<Stamp> {
    stamp_of(&std::fs::metadata(path).ok()?)
}

/// Cache files being written on threads of their own ([`write_in_background`]).
static WRITES: std::sync::Mutex<Vec<(PathBuf, std::thread::JoinHandle<()>)>> =
    std::sync::Mutex::new(Vec::new());

/// Whether [`write_in_background`] may use a thread ([`allow_background_writes`]).
static BACKGROUND: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Lets [`write_in_background`] write on threads of its own from now on. The command line
/// does, and waits for them before it exits ([`wait_for_writes`]); a program using the library
/// without calling this gets every cache file written before the call that writes it returns.
pub fn allow_background_writes() {
    BACKGROUND.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Runs `write`, which writes the cache file `path`, on a thread of its own when
/// [`allow_background_writes`] was called, so that the run goes on meanwhile (a 10,000-page
/// project's page cache is about 50 MB); at once otherwise, or when no thread can be started.
/// [`wait_for_writes`] waits for it: the command line before the process exits, and a reader
/// of the same file before it reads.
pub fn write_in_background(path: PathBuf, write: impl FnOnce() + Send + 'static) {
    if !BACKGROUND.load(std::sync::atomic::Ordering::Relaxed) {
        write();
        return;
    }
    // Shared with the thread, so that the job can still run here when no thread starts.
    let job = std::sync::Arc::new(std::sync::Mutex::new(Some(write)));
    let take = |job: &std::sync::Mutex<Option<_>>| {
        job.lock()
            .unwrap_or_else(|e: std::sync::PoisonError<_>| e.into_inner())
            .take()
    };
    let theirs = job.clone();
    let started = std::thread::Builder::new()
        .name("stepbook-cache-write".into())
        .spawn(move || {
            if let Some(write) = take(&theirs) {
                write();
            }
        });
    match started {
        Ok(handle) => lock_writes().push((path, handle)),
        Err(_) => {
            if let Some(write) = take(&job) {
                write();
            }
        }
    }
}

/// Waits for the background writes of `path` ([`write_in_background`]), or of every cache
/// file when `path` is `None`.
pub fn wait_for_writes(path: Option<&Path>) {
    let waiting: Vec<_> = {
        let mut writes = lock_writes();
        let (wait, keep) = std::mem::take(&mut *writes)
            .into_iter()
            .partition(|(p, _)| path.is_none_or(|path| p == path));
        *writes = keep;
        wait
    };
    for (_, handle) in waiting {
        let _ = handle.join();
    }
}

fn lock_writes() -> std::sync::MutexGuard<'static, Vec<(PathBuf, std::thread::JoinHandle<()>)>> {
    WRITES.lock().unwrap_or_else(|e| e.into_inner())
}

/// The running program's length and modification time, for cache keys: a rebuilt binary of
/// the same version (a development build) trusts nothing an older one cached.
pub fn program_stamp() -> String {
    std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| format!("{} {:?}", m.len(), m.modified().ok()))
        .unwrap_or_default()
}

/// Writes `bytes` to `path` through a temporary file beside it (named with this process's id)
/// renamed over it, creating the folder first: the file is whole or absent, and it is a new
/// file, so a hard link to the old one keeps the old bytes.
///
/// Errors: the folder or the temporary file cannot be written, or the rename fails (the
/// temporary file is then removed).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomically_with(path, |w| w.write_all(bytes))
}

/// Removes from `dir` (not below it) the temporary files [`write_atomically`] leaves when its
/// process is killed before the rename (`pages.bin.tmp4242`): those whose process no longer
/// runs, as `/proc` shows. Where there is no `/proc`, nothing is removed. Errors are ignored.
pub fn remove_stale_temps(dir: &Path) {
    let proc = Path::new("/proc");
    if !proc.is_dir() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let own = std::process::id().to_string();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.rsplit_once(".tmp"))
            .map(|(_, pid)| pid)
            .filter(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
        else {
            continue;
        };
        if pid != own && !proc.join(pid).exists() && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// [`write_atomically`] for a file written in pieces: `write` gets a buffered writer of the
/// temporary file. Errors: as [`write_atomically`], and any error `write` returns.
pub fn write_atomically_with(
    path: &Path,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".tmp{}", std::process::id()));
    let tmp = std::path::PathBuf::from(tmp);
    let written = std::fs::File::create(&tmp)
        .and_then(|f| {
            let mut w = std::io::BufWriter::with_capacity(1 << 16, f);
            write(&mut w)?;
            w.flush()
        })
        .and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// The bytes of a cache file as [`map`] gives them: the file mapped into memory, or read into
/// it where it cannot be mapped. Derefs to the bytes.
#[derive(Debug, Default)]
pub struct FileBytes(Held);

#[derive(Debug, Default)]
enum Held {
    /// No file, or an empty one.
    #[default]
    None,
    /// Mapped read-only: the kernel's page cache itself, not a copy.
    Mapped(memmap2::Mmap),
    /// Read, where the file could not be mapped.
    Read(Vec<u8>),
}

impl std::ops::Deref for FileBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match &self.0 {
            Held::None => &[],
            Held::Mapped(map) => map,
            Held::Read(bytes) => bytes,
        }
    }
}

/// The bytes of the cache file at `path`, mapped read-only (memmap2, `MAP_POPULATE`) instead of
/// read: a 10,000-page project's page cache is about 50 MB, which a read copies out of the
/// kernel's page cache into as much freshly allocated memory first. The file is read instead
/// where it cannot be mapped (a file system without mappings); an empty file gives no bytes.
///
/// A mapping shows the file's later changes, so this is only for files that are replaced, never
/// written in place: stepbook writes every cache file through [`write_atomically`] (a new file
/// renamed over the old one, which the mapping keeps). Readers check every entry's CRC-32 all
/// the same, as they did for bytes read.
///
/// Errors: the file cannot be opened or read (missing: [`std::io::ErrorKind::NotFound`]).
pub fn map(path: &Path) -> std::io::Result<FileBytes> {
    map_with(path, true)
}

/// [`map`] without `MAP_POPULATE`: the file's pages are read as they are touched, and only
/// those count in the process's memory. For a file of which a run may read only a small part:
/// the page cache (`pages.bin`, about 50 MB at 10,000 pages) whose entries a run with a stale
/// cache (a new binary, every page edited) never reads, and a warm run reads only for the pages
/// whose model it needs. Populated, it held 51 MB of the 318 MiB peak of a stale build.
///
/// Errors: as [`map`].
pub fn map_on_demand(path: &Path) -> std::io::Result<FileBytes> {
    map_with(path, false)
}

fn map_with(path: &Path, populate: bool) -> std::io::Result<FileBytes> {
    let file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok(FileBytes(Held::None));
    }
    // SAFETY: the mapping is read-only and private to this process. stepbook never changes a
    // cache file in place (it renames a new file over it, and the mapping keeps the old file),
    // so the bytes behind the slice do not change while it is held unless another program
    // writes into the file, as with every tool that maps its caches (rustc's incremental
    // cache, ripgrep's inputs).
    let mut options = memmap2::MmapOptions::new();
    if populate {
        options.populate();
    }
    let mapped = unsafe { options.map(&file) };
    match mapped {
        Ok(map) => Ok(FileBytes(Held::Mapped(map))),
        Err(_) => {
            use std::io::Read as _;
            let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
            (&file).read_to_end(&mut bytes)?;
            Ok(FileBytes(Held::Read(bytes)))
        }
    }
}

/// A run of bytes inside a cache file: `len` bytes from `offset` of `file`, trusted while the
/// file's stamp is `stamp` (the search index keeps each bundle as one pack file and the site
/// publishes its files from there, see [`crate::render::search`]). Holding a slice instead of
/// the bytes keeps a build from holding a whole index in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slice {
    /// The cache file.
    pub file: std::sync::Arc<Path>,
    /// Where the bytes start, in bytes from the start of the file.
    pub offset: u64,
    /// How many bytes.
    pub len: u64,
    /// The file's stamp when the slice was taken.
    pub stamp: Stamp,
}

impl Slice {
    /// The bytes, read through one open handle after checking the file's stamp.
    ///
    /// Errors: the file cannot be read, or it changed since the slice was taken (another
    /// build replaced it; this build must not publish bytes it did not index).
    pub fn read(&self) -> std::io::Result<Vec<u8>> {
        use std::io::{Read as _, Seek as _};
        let mut file = std::fs::File::open(&self.file)?;
        if stamp_of(&file.metadata()?) != Some(self.stamp) {
            return Err(std::io::Error::other(
                "the cache file changed during the build (another build of this project?); build again",
            ));
        }
        let len = usize::try_from(self.len).map_err(std::io::Error::other)?;
        let mut bytes = vec![0; len];
        file.seek(std::io::SeekFrom::Start(self.offset))?;
        file.read_exact(&mut bytes)?;
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mapped_file_shows_its_bytes_and_a_replaced_one_keeps_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pages.bin");
        assert_eq!(map(&path).unwrap_err().kind(), std::io::ErrorKind::NotFound);
        std::fs::write(&path, b"").unwrap();
        assert!(map(&path).unwrap().is_empty());
        write_atomically(&path, b"first bytes").unwrap();
        let mapped = map(&path).unwrap();
        assert_eq!(&*mapped, b"first bytes");
        // A cache file is replaced, never written in place: the mapping keeps the old file.
        write_atomically(&path, b"second").unwrap();
        assert_eq!(&*mapped, b"first bytes");
        assert_eq!(&*map(&path).unwrap(), b"second");
    }

    /// Resident bytes of this process's mapping that holds address `at` (`/proc/self/smaps`).
    #[cfg(target_os = "linux")]
    fn resident_kib(at: usize) -> u64 {
        let smaps = std::fs::read_to_string("/proc/self/smaps").unwrap();
        let mut inside = false;
        for line in smaps.lines() {
            if let Some((range, _)) = line.split_once(' ')
                && let Some((from, to)) = range.split_once('-')
                && let (Ok(from), Ok(to)) = (
                    usize::from_str_radix(from, 16),
                    usize::from_str_radix(to, 16),
                )
            {
                inside = (from..to).contains(&at);
            } else if inside && let Some(kib) = line.strip_prefix("Rss:") {
                return kib.trim().trim_end_matches(" kB").trim().parse().unwrap();
            }
        }
        panic!("no mapping holds {at:#x}");
    }

    /// A populated mapping is resident whole; one on demand only where it was read (the page
    /// cache of a stale run: its table, at the end). The file is in the kernel's page cache
    /// (just written) in both cases: residency is the mapping's, what the process is charged.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_mapping_on_demand_is_resident_only_where_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pages.bin");
        let bytes: Vec<u8> = (0..16 << 20).map(|i: u32| (i % 251) as u8).collect();
        write_atomically(&path, &bytes).unwrap();
        let whole = map(&path).unwrap();
        assert_eq!(resident_kib(whole.as_ptr() as usize), 16 << 10);
        let lazy = map_on_demand(&path).unwrap();
        let r = resident_kib(lazy.as_ptr() as usize);
        assert!(r < 1 << 10, "{r} KiB");
        let tail = &lazy[lazy.len() - 4096..];
        assert_eq!(tail, &bytes[bytes.len() - 4096..]);
        // The kernel maps what it read around it (up to a 2 MiB folio), not the file.
        let r = resident_kib(lazy.as_ptr() as usize);
        assert!(r <= 2 << 10, "{r} KiB after the tail was read");
        assert_eq!(&*lazy, &*whole);
    }

    #[test]
    fn temporary_files_of_dead_processes_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        // No process has pid 4194305 (above Linux's pid_max of 2^22).
        let dead = dir.path().join("pages.bin.tmp4194305");
        let mine = dir.path().join(format!("pack.tmp{}", std::process::id()));
        let other = dir.path().join("notes.tmpx");
        for f in [&dead, &mine, &other] {
            std::fs::write(f, b"x").unwrap();
        }
        remove_stale_temps(dir.path());
        if Path::new("/proc").is_dir() {
            assert!(!dead.exists());
        }
        assert!(mine.exists());
        assert!(other.exists());
    }

    #[test]
    fn atomic_writes_replace_the_file_not_its_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/file");
        write_atomically(&path, b"one").unwrap();
        let link = dir.path().join("link");
        std::fs::hard_link(&path, &link).unwrap();
        let before = stamp(&path).unwrap();
        write_atomically(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(
            std::fs::read(&link).unwrap(),
            b"one",
            "the old file keeps its bytes"
        );
        assert_ne!(stamp(&path).unwrap(), before);
        let names: Vec<_> = std::fs::read_dir(dir.path().join("sub")).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file left");
    }

    #[test]
    fn a_slice_reads_its_bytes_while_the_file_is_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pack");
        write_atomically(&path, b"headerBYTEStail").unwrap();
        let slice = Slice {
            file: path.as_path().into(),
            offset: 6,
            len: 5,
            stamp: stamp(&path).unwrap(),
        };
        assert_eq!(slice.read().unwrap(), b"BYTES");
        // Past the end: an error, not a panic.
        let past = Slice {
            offset: 12,
            ..slice.clone()
        };
        assert!(past.read().is_err());
        // Replaced since: refused, even with the same length.
        write_atomically(&path, b"headerbytestail").unwrap();
        assert!(slice.read().is_err());
    }

    #[test]
    fn the_cache_ignores_itself() {
        let dir = tempfile::tempdir().unwrap();
        create_dir(dir.path());
        let ignore = std::fs::read_to_string(dir.path().join(DIR).join(".gitignore")).unwrap();
        assert!(ignore.lines().any(|l| l == "*"), "{ignore}");
    }
}
