//! Tests of writing and swapping a site.

use super::safety::tests::settings;
use super::*;

#[test]
fn a_build_dir_that_cannot_be_renamed_away_says_why_and_what_to_do() {
    let busy = super::cannot_move_away(
        std::path::Path::new("/srv/docs/book"),
        std::io::Error::from_raw_os_error(16),
    )
    .to_string();
    assert!(
        busy.starts_with("/srv/docs/book: cannot replace the build dir ("),
        "{busy}"
    );
    assert!(busy.contains("mount point"), "{busy}");
    assert!(
        busy.contains("`build-dir = \"book/site\"` under `[build]`"),
        "{busy}"
    );
    assert!(busy.ends_with("The previous site is unchanged"), "{busy}");
    let denied = super::cannot_move_away(
        std::path::Path::new("/srv/docs/book"),
        std::io::Error::from_raw_os_error(13),
    )
    .to_string();
    assert!(!denied.contains("mount point"), "{denied}");
}

/// Issue 8: when the previous site cannot be deleted after the swap, the build says what
/// state it left.
#[test]
fn undeletable_previous_site_is_named() {
    let note = delete_previous(
        Path::new("/p/book"),
        Path::new("/p/.book.stepbook-old-7"),
        |_| {
            Err(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                "permission denied",
            ))
        },
    )
    .expect("a note");
    assert_eq!(
        note,
        "the new site is in /p/book, but the previous site, moved to /p/.book.stepbook-old-7, \
         could not be deleted (permission denied); the next build removes it, or delete it \
         yourself"
    );
    assert_eq!(
        delete_previous(Path::new("/p/book"), Path::new("/p/old"), |_| Ok(())),
        None
    );
}

#[test]
fn leftovers_of_interrupted_builds_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let s = settings(root, "book");
    // A pid that is not running: above the kernel's pid_max.
    let gone = root.join(".book.stepbook-new-4194305");
    std::fs::create_dir_all(gone.join("res")).unwrap();
    std::fs::write(gone.join("res/big.png"), b"x").unwrap();
    let running = root.join(format!(".book.stepbook-old-{}", 1));
    std::fs::create_dir_all(&running).unwrap();
    // A folder where the spare goes, without the build marker: not stepbook's.
    let spare = buffer::spare_path(root, &real_path(&root.join("book")));
    std::fs::create_dir_all(&spare).unwrap();
    // The same in the cache, where builds stage now.
    let cached_gone = spare.with_file_name(format!(
        "{}.stepbook-old-4194306",
        manifest::cache_name(&real_path(&root.join("book")))
    ));
    std::fs::create_dir_all(&cached_gone).unwrap();
    let mut site = Site::default();
    site.files
        .insert("a.html".into(), SiteFile::Generated(b"one".to_vec()));
    let written = write_site(&site, &s).unwrap();
    assert!(!gone.exists());
    assert!(running.exists(), "pid 1 is running: its folder stays");
    assert!(spare.exists(), "the spare (no marker: not taken) stays");
    assert!(!cached_gone.exists());
    assert_eq!(written.notes.len(), 2, "{:?}", written.notes);
    assert!(
        written
            .notes
            .iter()
            .all(|n| n.contains("left by an interrupted build"))
    );
}

/// The names in `root` other than the cache folder (which holds the spare), sorted: no
/// staging or old folder may be left beside the build dir.
fn names_beside_the_cache(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != crate::cache::DIR)
        .collect();
    names.sort();
    names
}

#[test]
fn write_swaps_and_keeps_old_site_on_failure() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let s = settings(root, "book");
    let mut site = Site::default();
    site.files
        .insert("a/b.html".into(), SiteFile::Generated(b"one".to_vec()));
    write_site(&site, &s).unwrap();
    assert_eq!(std::fs::read(root.join("book/a/b.html")).unwrap(), b"one");
    let mut broken = Site::default();
    broken
        .files
        .insert("x.html".into(), SiteFile::Generated(b"two".to_vec()));
    broken.files.insert(
        "y.png".into(),
        SiteFile::Copied(root.join("does-not-exist.png")),
    );
    assert!(write_site(&broken, &s).is_err());
    assert_eq!(std::fs::read(root.join("book/a/b.html")).unwrap(), b"one");
    assert!(!root.join("book/x.html").exists());
    assert_eq!(names_beside_the_cache(root), ["book"]);
}

#[test]
fn staging_dropped_without_swap_leaves_old_site_and_no_folder() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let s = settings(root, "book");
    let mut site = Site::default();
    site.files
        .insert("a.html".into(), SiteFile::Generated(b"one".to_vec()));
    write_site(&site, &s).unwrap();
    let staging = Staging::start(&s).unwrap();
    assert!(
        staging.tmp.starts_with(root.join(".stepbook-cache/spare")),
        "staged in the cache: {}",
        staging.tmp.display()
    );
    staging.write("dir/page.html", b"two").unwrap();
    drop(staging);
    assert_eq!(std::fs::read(root.join("book/a.html")).unwrap(), b"one");
    assert_eq!(names_beside_the_cache(root), ["book"]);
    let mut staging = Staging::start(&s).unwrap();
    staging.write("dir/page.html", b"two").unwrap();
    staging.fill(&Site::default()).unwrap();
    staging.swap().unwrap();
    assert_eq!(
        std::fs::read(root.join("book/dir/page.html")).unwrap(),
        b"two"
    );
    assert!(!root.join("book/a.html").exists());
    assert!(root.join("book").join(BUILD_MARKER).exists());
}

/// A search bundle's file comes from a slice of its shard's pack. The third build (the first
/// with a spare) leaves the spare's copies that the manifest says were written from the same
/// slice and are untouched; one edited in the spare is written again from the pack.
#[test]
fn files_from_a_cache_slice_are_kept_in_the_spare_by_their_stamp() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let s = settings(root, "book");
    crate::cache::create_dir(root);
    let pack = root.join(crate::cache::DIR).join("pack");
    std::fs::write(&pack, b"headAAAABBBB").unwrap();
    let slice = |offset, len| {
        SiteFile::Cached(crate::cache::Slice {
            file: pack.as_path().into(),
            offset,
            len,
            stamp: crate::cache::stamp(&pack).unwrap(),
        })
    };
    let mut site = Site::default();
    site.files.insert("pagefind/a.pf".into(), slice(4, 4));
    site.files.insert("pagefind/b.pf".into(), slice(8, 4));
    let build = || {
        let mut staging = Staging::start(&s).unwrap();
        staging.expect_pages(HashMap::from([("index.html".into(), "key".into())]));
        staging.write("index.html", b"page").unwrap();
        staging.fill(&site).unwrap();
        let kept = staging.slices_reused();
        staging.swap().unwrap();
        kept
    };
    let read = |rel: &str| std::fs::read(root.join("book").join(rel)).unwrap();
    assert_eq!(build(), 0, "a new folder");
    assert_eq!(build(), 0, "no spare yet");
    assert_eq!(build(), 2);
    assert_eq!(read("pagefind/a.pf"), b"AAAA");
    assert_eq!(read("pagefind/b.pf"), b"BBBB");
    // Pages and slices are recorded apart (the slices are read after rendering).
    let build_dir = real_path(&root.join("book"));
    let sorted = |m: &HashMap<String, manifest::Entry>| {
        let mut keys: Vec<String> = m.keys().cloned().collect();
        keys.sort();
        keys
    };
    let pages = Manifest::load(&manifest::path_for(root, &build_dir));
    assert_eq!(sorted(&pages.live), ["index.html"]);
    let slices = Manifest::load(&manifest::slices_path_for(root, &build_dir));
    assert_eq!(sorted(&slices.live), ["pagefind/a.pf", "pagefind/b.pf"]);
    assert_eq!(sorted(&slices.spare), ["pagefind/a.pf", "pagefind/b.pf"]);
    let spare = buffer::spare_path(root, &real_path(&root.join("book")));
    let edited = spare.join("pagefind/b.pf");
    std::fs::remove_file(&edited).unwrap();
    std::fs::write(&edited, b"XXXX").unwrap();
    assert_eq!(build(), 1);
    assert_eq!(read("pagefind/a.pf"), b"AAAA");
    assert_eq!(read("pagefind/b.pf"), b"BBBB");
}
