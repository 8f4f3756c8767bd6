//! Issue 13 items 1 and 2: a rebuild updates the spare site in place
//! (`.stepbook-cache/spare/book-HASH`, the site before the live one) and skips rendering unchanged pages, and the result is the
//! same tree, byte for byte, as a build into an empty folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::support::{Project, Run, png, write_file};

/// Every folder (value `None`) and file (its bytes) below `dir`, by relative path.
fn tree(dir: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|e| {
            let e = e.expect("walk");
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("below")
                .to_string_lossy()
                .replace('\\', "/");
            let bytes = e
                .file_type()
                .is_file()
                .then(|| std::fs::read(e.path()).expect("read"));
            (rel, bytes)
        })
        .collect()
}

/// The spare site of `h`'s build dir `book/`.
fn spare(h: &Project) -> PathBuf {
    stepbook::output::buffer::spare_path(
        &h.root,
        &stepbook::output::real_path(&h.root.join("book")),
    )
}

fn build(h: &Project, args: &[&str]) -> Run {
    let mut all = vec!["build"];
    all.extend_from_slice(args);
    let out = h.run(&all);
    assert_eq!(out.code, 0, "{}", out.stderr);
    out
}

/// Builds `h` into `book/` and into a new empty folder, and asserts both trees are equal.
fn assert_same_as_fresh(h: &Project, round: usize) {
    build(h, &[]);
    let fresh = format!("fresh{round}");
    build(h, &["-d", &fresh]);
    let live = tree(&h.root.join("book"));
    let expected = tree(&h.root.join(&fresh));
    let keys = |t: &BTreeMap<String, Option<Vec<u8>>>| t.keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&live), keys(&expected), "round {round}: paths differ");
    for (path, bytes) in &expected {
        assert!(live[path] == *bytes, "round {round}: {path} differs");
    }
    std::fs::remove_dir_all(h.root.join(&fresh)).expect("remove the fresh build");
}

fn project() -> Project {
    Project::with(&[
        ("book.toml", "[book]\ntitle = \"T\"\nsrc = \"content\"\n"),
        (
            "content/a.md",
            "# A\n\nSee [B](b.md) and ![shot](img/shot.png).\n",
        ),
        ("content/b.md", "# B\n\nText.\n"),
        ("content/sub/c.md", "# C\n\n## Step 1: Go\n\nGo.\n"),
        ("content/files/notes.txt", "notes\n"),
    ])
    .bytes("content/img/shot.png", &png(3, 2))
    .bytes("res/logo.png", &png(2, 2))
}

#[test]
fn rebuilds_through_the_spare_equal_a_fresh_build() {
    let h = project();
    assert_same_as_fresh(&h, 0);
    assert!(!spare(&h).exists(), "no old site yet");
    assert_same_as_fresh(&h, 1);
    let spare = spare(&h);
    assert!(
        spare.join(".stepbook-build").is_file(),
        "the old site is kept"
    );
    // Edit a page, add one, remove one, replace a resource, remove another, add a folder.
    h.write("content/a.md", "# A\n\nSee [C](sub/c.md) now.\n");
    h.write("content/d.md", "# D\n\nNew.\n");
    std::fs::remove_file(h.root.join("content/b.md")).expect("remove b");
    write_file(&h.root.join("content/img/shot.png"), &png(5, 4));
    std::fs::remove_file(h.root.join("content/files/notes.txt")).expect("remove notes");
    h.write("content/deep/er/e.md", "# E\n");
    #[cfg(unix)]
    let spare_inode = {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(&spare).expect("spare").ino()
    };
    assert_same_as_fresh(&h, 2);
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let live = std::fs::metadata(h.root.join("book")).expect("live").ino();
        assert_eq!(live, spare_inode, "the spare was updated and swapped in");
    }
    // Back and forth: the spare is two builds old.
    h.write("content/b.md", "# B\n\nBack.\n");
    std::fs::remove_dir_all(h.root.join("content/deep")).expect("remove deep");
    h.write("content/sub/c.md", "# C title changed\n");
    assert_same_as_fresh(&h, 3);
    assert_same_as_fresh(&h, 4);
    let names: Vec<String> = std::fs::read_dir(&h.root)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("stepbook-new") || n.contains("stepbook-old"))
        .collect();
    assert!(names.is_empty(), "{names:?}");
}

#[test]
fn a_failed_build_leaves_the_live_site_and_the_spare_stays_usable() {
    let h = project();
    build(&h, &[]);
    build(&h, &[]);
    let before = tree(&h.root.join("book"));
    h.write("content/a.md", "# A changed\n");
    h.write(
        "book.toml",
        "[book]\ntitle = \"T\"\nsrc = \"content\"\n\n[[scopes]]\nname = \"API\"\nguides = [\"a.md\"]\nfile = \"scopes.json\"\npointer = \"/scopes\"\n",
    );
    let out = h.run(&["build"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(tree(&h.root.join("book")) == before, "live site unchanged");
    assert!(spare(&h).join(".stepbook-build").is_file());
    h.write("book.toml", "[book]\ntitle = \"T\"\nsrc = \"content\"\n");
    assert_same_as_fresh(&h, 0);
}

#[test]
fn a_spare_that_is_not_a_site_is_never_touched() {
    let h = project();
    // A user's file, then a user's folder without the build marker, under the spare's name.
    write_file(&spare(&h), b"mine");
    build(&h, &[]);
    build(&h, &[]);
    build(&h, &[]);
    assert_eq!(std::fs::read(spare(&h)).expect("kept"), b"mine");
    std::fs::remove_file(spare(&h)).expect("remove");
    write_file(&spare(&h).join("keep.txt"), b"mine too");
    assert_same_as_fresh(&h, 0);
    assert_same_as_fresh(&h, 1);
    assert_eq!(
        tree(&spare(&h)).len(),
        1,
        "the folder holds only its own file"
    );
}

/// Pages rendered and pages unchanged, from the build's summary line (`Built 4 pages (1
/// rendered, 3 unchanged) and …`; no parenthesis: every page rendered).
fn rendered(out: &Run) -> (usize, usize) {
    let line = out.stdout.lines().next().expect("summary line");
    let pages: usize = line
        .strip_prefix("Built ")
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{line}"));
    match line.split_once(" rendered, ") {
        None => (pages, 0),
        Some((head, tail)) => {
            let r = head
                .rsplit('(')
                .next()
                .expect("(")
                .parse()
                .expect("rendered");
            let u = tail
                .split(' ')
                .next()
                .expect("n")
                .parse()
                .expect("unchanged");
            assert_eq!(r + u, pages, "{line}");
            (r, u)
        }
    }
}

#[test]
fn only_changed_pages_are_rendered_again() {
    let h = project();
    assert_eq!(
        rendered(&build(&h, &[])),
        (3, 0),
        "a first build renders all"
    );
    // Nothing changed: pages are copied from the live site (there is no spare yet).
    assert_eq!(rendered(&build(&h, &[])), (0, 3));
    assert_eq!(rendered(&build(&h, &[])), (0, 3), "kept in the spare");
    // One page's body.
    h.write("content/b.md", "# B\n\nOther text.\n");
    assert_eq!(rendered(&build(&h, &[])), (1, 2));
    assert_eq!(rendered(&build(&h, &[])), (0, 3));
    // A title is in every page's navigation.
    h.write("content/b.md", "# B renamed\n\nOther text.\n");
    assert_eq!(rendered(&build(&h, &[])), (3, 0));
    // A template.
    h.write(
        "templates/page.html",
        "<html><body>{{ page.content | safe }}</body></html>\n",
    );
    assert_eq!(rendered(&build(&h, &[])), (3, 0));
    assert_eq!(rendered(&build(&h, &[])), (0, 3));
    // An image's pixel size is in the pages that show it.
    write_file(&h.root.join("content/img/shot.png"), &png(7, 7));
    assert_eq!(rendered(&build(&h, &[])), (3, 0));
    // Search on or off.
    h.write(
        "book.toml",
        "[book]\ntitle = \"T\"\nsrc = \"content\"\n\n[output.html.search]\nenable = false\n",
    );
    assert_eq!(rendered(&build(&h, &[])), (3, 0));
    h.write("content/sub/c.md", "# C\n\n## Step 1: Go\n\nGo on.\n");
    assert_eq!(rendered(&build(&h, &[])), (1, 2));
    assert_same_as_fresh(&h, 0);
}

/// A page file edited by hand in the site is not trusted: it is rendered again. (Unchanged
/// files are hard links shared by the live site and the spare, so an edit in place reaches
/// both; their stamps say so.)
#[test]
fn a_page_edited_in_the_site_is_rendered_again() {
    let h = project();
    build(&h, &[]);
    build(&h, &[]);
    let expected = std::fs::read(h.root.join("book/b.html")).expect("b");
    write_file(&h.root.join("book/b.html"), b"edited by hand");
    assert_eq!(rendered(&build(&h, &[])), (1, 2));
    assert_eq!(
        std::fs::read(h.root.join("book/b.html")).expect("b"),
        expected
    );
    write_file(&h.root.join("book/b.html"), b"edited again");
    assert_eq!(rendered(&build(&h, &[])), (1, 2));
    assert_eq!(
        std::fs::read(h.root.join("book/b.html")).expect("b"),
        expected
    );
    assert_eq!(rendered(&build(&h, &[])), (0, 3));
    assert_same_as_fresh(&h, 0);
}

/// A cold build (no cache, no spare) with the previous site live links the pages whose bytes
/// did not change from it instead of writing new files, and its output is still a fresh
/// build's.
#[cfg(unix)]
#[test]
fn a_cold_build_links_unchanged_files_from_the_live_site() {
    use std::os::unix::fs::MetadataExt;
    let h = project();
    build(&h, &[]);
    h.write("content/b.md", "# B\n\nChanged.\n");
    std::fs::remove_dir_all(h.root.join(".stepbook-cache")).expect("no cache");
    let inode = |p: &Path| std::fs::metadata(p).expect("file").ino();
    let a_before = inode(&h.root.join("book/a.html"));
    let b_before = inode(&h.root.join("book/b.html"));
    assert_eq!(rendered(&build(&h, &[])), (3, 0));
    assert_eq!(inode(&h.root.join("book/a.html")), a_before, "linked");
    assert_ne!(inode(&h.root.join("book/b.html")), b_before, "written");
    // The previous site, now the spare, kept its own b.html.
    let old_b = std::fs::read_to_string(spare(&h).join("b.html")).expect("b");
    assert!(old_b.contains("Text.") && !old_b.contains("Changed."));
    assert_same_as_fresh(&h, 0);
    assert_same_as_fresh(&h, 1);
}

/// The spare lives in the cache, and the cache ignores itself: two builds add nothing beside the
/// project's own files but `book/` and `.stepbook-cache/`, and git sees neither the cache nor
/// the spare even without a `.gitignore` of the project's.
#[test]
fn the_spare_lives_in_the_cache_which_git_ignores() {
    let h = project();
    build(&h, &[]);
    build(&h, &[]);
    assert!(spare(&h).join(".stepbook-build").is_file(), "the spare");
    assert!(spare(&h).starts_with(h.root.join(".stepbook-cache/spare")));
    let mut names: Vec<String> = std::fs::read_dir(&h.root)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [".stepbook-cache", "book", "book.toml", "content", "res"]
    );
    let ignore =
        std::fs::read_to_string(h.root.join(".stepbook-cache/.gitignore")).expect("ignore");
    assert_eq!(
        ignore
            .lines()
            .filter(|l| !l.starts_with('#'))
            .collect::<Vec<_>>(),
        ["*"]
    );
    let git = std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(&h.root)
        .status();
    if git.is_ok_and(|s| s.success()) {
        let status = std::process::Command::new("git")
            .args(["status", "--porcelain", "--untracked-files=all"])
            .current_dir(&h.root)
            .output()
            .expect("git status");
        let listed = String::from_utf8_lossy(&status.stdout).into_owned();
        assert!(!listed.contains(".stepbook-cache"), "{listed}");
        assert!(listed.contains("book/"), "{listed}");
    }
}

/// A resource folder replaced by a file of the same name (and back): every build succeeds and
/// equals a fresh one, although the spare still holds the folder from two builds before.
#[test]
fn a_folder_that_becomes_a_file_and_back() {
    let h = project();
    h.write("res/docs/note.txt", "note\n");
    for round in 0..3 {
        assert_same_as_fresh(&h, round);
    }
    std::fs::remove_dir_all(h.root.join("res/docs")).expect("remove the folder");
    h.write("res/docs", "now a file\n");
    for round in 3..7 {
        assert_same_as_fresh(&h, round);
    }
    std::fs::remove_file(h.root.join("res/docs")).expect("remove the file");
    h.write("res/docs/note.txt", "a folder again\n");
    for round in 7..10 {
        assert_same_as_fresh(&h, round);
    }
}
