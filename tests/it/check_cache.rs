//! Issue 13, check records: a page whose text and world (settings, rules, other pages' facts,
//! site files, image facts, scope sources…) are unchanged is neither decoded nor checked again;
//! its findings come from `.stepbook-cache/checks.bin`. Every test here changes one input that
//! a stale record would miss and expects exactly the findings of a run without any cache.

use stepbook::check::{CheckOptions, CheckStats, run_counted};
use stepbook::diag::Report;

use crate::support::{Project, places};

/// Checks `h` as `check` does: pages checked and reused, pages whose model was decoded, and
/// every finding (rule, file, line, message, help).
fn check(h: &Project) -> (CheckStats, usize, Vec<String>) {
    let project = h.load();
    let (report, stats) = run_counted(&project, &CheckOptions::default()).expect("check runs");
    let decoded = project.pages.iter().filter(|p| p.is_decoded()).count();
    (stats, decoded, described(&report))
}

fn described(report: &Report) -> Vec<String> {
    report
        .diagnostics
        .iter()
        .zip(places(report))
        .map(|(d, (rule, file, line))| {
            format!(
                "{file}:{line} {rule}: {} | {}",
                d.message,
                d.help.as_deref().unwrap_or_default()
            )
        })
        .collect()
}

/// The findings of `h` with no cache at all (removed first).
fn uncached(h: &Project) -> Vec<String> {
    let _ = std::fs::remove_dir_all(h.root.join(".stepbook-cache"));
    let (stats, _, found) = check(h);
    assert_eq!(stats.reused, 0);
    found
}

fn stats(checked: usize, reused: usize) -> CheckStats {
    CheckStats { checked, reused }
}

fn project() -> Project {
    Project::with(&[
        ("book.toml", "[book]\ntitle = \"T\"\nsrc = \"content\"\n"),
        (
            "content/a.md",
            "# A\n\n## Setup\n\nSee [B](b.md#step-1-go).\n",
        ),
        (
            "content/b.md",
            "# B\n\nRead [setup](a.md#setup) first.\n\n## Step 1: Go\n\n![Shot](res/shot.png)\n",
        ),
        ("content/c.md", "# C\n\nThen do [Step 1](b.md).\n"),
    ])
    .png("res/shot.png")
}

#[test]
fn a_warm_check_decodes_no_page_and_an_edit_checks_only_that_page() {
    let h = project();
    let (first, _, expected) = check(&h);
    assert_eq!(first, stats(3, 0));
    let (second, decoded, found) = check(&h);
    assert_eq!(second, stats(0, 3));
    assert_eq!(decoded, 0, "nothing changed: no page model is decoded");
    assert_eq!(found, expected);
    // A paragraph added to C changes none of its facts: only C is checked again.
    h.write(
        "content/c.md",
        "# C\n\nThen do [Step 1](b.md).\n\nAnd a [broken](gone.md) link.\n",
    );
    let (third, decoded, found) = check(&h);
    assert_eq!(third, stats(1, 2));
    assert_eq!(decoded, 1);
    assert!(
        found
            .iter()
            .any(|f| f.starts_with("content/c.md:5 broken-link:")),
        "{found:?}"
    );
    assert_eq!(found, uncached(&h));
}

#[test]
fn renaming_a_heading_reports_the_link_of_an_unchanged_page() {
    let h = project();
    let (_, _, before) = check(&h);
    assert!(before.is_empty(), "{before:?}");
    check(&h);
    // Only A changes; B links to A#setup.
    h.write(
        "content/a.md",
        "# A\n\n## Set up\n\nSee [B](b.md#step-1-go).\n",
    );
    let (after, _, found) = check(&h);
    assert_eq!(
        after,
        stats(3, 0),
        "A's anchors changed: every page is checked again"
    );
    assert_eq!(
        found,
        [
            "content/b.md:3 broken-anchor: fragment #setup matches no heading or id in content/a.md | did you mean #set-up?"
        ]
    );
    assert_eq!(found, uncached(&h));
}

#[test]
fn renumbering_a_step_reports_the_mention_of_an_unchanged_page() {
    let h = project();
    check(&h);
    check(&h);
    h.write(
        "content/b.md",
        "# B\n\nRead [setup](a.md#setup) first.\n\n## Step 2: Go\n\n![Shot](res/shot.png)\n",
    );
    let (_, _, found) = check(&h);
    let c: Vec<&String> = found
        .iter()
        .filter(|f| f.starts_with("content/c.md"))
        .collect();
    assert_eq!(
        c,
        [
            "content/c.md:3 broken-step-ref: reference to Step 1, but b.md has no Step 1 | did you mean Step 2 of b.md \"Go\"?"
        ]
    );
    assert_eq!(found, uncached(&h));
}

#[test]
fn deleting_an_image_reports_it_missing_on_an_unchanged_page() {
    let h = project();
    check(&h);
    let (warm, _, found) = check(&h);
    assert_eq!(warm, stats(0, 3));
    assert!(found.is_empty(), "{found:?}");
    std::fs::remove_file(h.root.join("res/shot.png")).expect("remove");
    let (after, _, found) = check(&h);
    assert_eq!(after, stats(3, 0));
    let places: Vec<&str> = found.iter().filter_map(|f| f.split(": ").next()).collect();
    assert_eq!(places, ["content/b.md:7 missing-image"]);
    assert_eq!(found, uncached(&h));
}

#[test]
fn rule_levels_and_options_in_book_toml_change_the_findings() {
    let h = project();
    h.write(
        "content/c.md",
        "# C\n\nThen do [Step 1](b.md).\n\nA [broken](gone.md) link.\n",
    );
    h.write(
        "book.toml",
        "[book]\ntitle = \"T\"\nsrc = \"content\"\n\n[check.rules]\nbroken-link = \"allow\"\n",
    );
    check(&h);
    let (_, _, found) = check(&h);
    assert!(found.is_empty(), "{found:?}");
    // The rule runs again: its findings are not missing from the records.
    h.write("book.toml", "[book]\ntitle = \"T\"\nsrc = \"content\"\n");
    let (after, _, default) = check(&h);
    assert_eq!(after, stats(3, 0));
    assert_eq!(default.len(), 1, "{default:?}");
    assert!(
        default[0].starts_with("content/c.md:5 broken-link:"),
        "{default:?}"
    );
    assert_eq!(default, uncached(&h));
    // Another link convention: the same link, another help.
    check(&h);
    h.write(
        "book.toml",
        "[book]\ntitle = \"T\"\nsrc = \"content\"\n\n[check]\nlinks = \"github\"\n",
    );
    let (after, _, github) = check(&h);
    assert_eq!(after, stats(3, 0));
    assert_ne!(github, default);
    assert_eq!(github, uncached(&h));
}

#[test]
fn a_page_whose_check_reads_the_disk_is_checked_every_time() {
    // `shot.png` is an empty folder: not a file of the site, but missing-image says what it is.
    let h = project();
    std::fs::remove_file(h.root.join("res/shot.png")).expect("remove");
    std::fs::create_dir_all(h.root.join("res/shot.png")).expect("folder");
    check(&h);
    let (warm, _, found) = check(&h);
    assert_eq!(warm, stats(1, 2), "B looked at the disk: checked again");
    assert!(found[0].contains("is a folder"), "{found:?}");
    std::fs::remove_dir(h.root.join("res/shot.png")).expect("remove the folder");
    let (_, _, found) = check(&h);
    assert!(!found[0].contains("is a folder"), "{found:?}");
    assert_eq!(found, uncached(&h));
}

#[test]
fn check_verbose_says_how_many_pages_were_checked_and_reused() {
    let h = project();
    let first = h.run(&["check", "-v"]);
    assert!(
        first
            .stderr
            .contains("checks: 3 pages checked, 0 unchanged"),
        "{}",
        first.stderr
    );
    let second = h.run(&["check", "-v"]);
    assert!(
        second
            .stderr
            .contains("checks: 0 pages checked, 3 unchanged"),
        "{}",
        second.stderr
    );
    assert_eq!(first.stdout, second.stdout);
}

#[test]
fn a_rule_turned_off_on_the_command_line_runs_again_in_the_next_check() {
    let h = project();
    h.write("content/c.md", "# C\n\nA [broken](gone.md) link.\n");
    let off = h.run(&["check", "--rule", "broken-link=allow", "--format", "json"]);
    assert_eq!(off.code, 0, "{}", off.stderr);
    assert_eq!(off.json().len(), 0, "{}", off.stdout);
    let on = h.run(&["check", "--format", "json", "-v"]);
    assert!(
        on.stderr.contains("checks: 3 pages checked, 0 unchanged"),
        "{}",
        on.stderr
    );
    let rules: Vec<String> = on
        .json()
        .iter()
        .map(|d| d["rule"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(rules, ["broken-link"]);
}

/// Bytes rewritten in place with the same length and the old mtime put back (`cp -p` over
/// the file, a tool that keeps times): the inode's change time, in the image facts' stamp,
/// moved.
#[test]
fn an_image_rewritten_in_place_with_its_old_mtime_is_inspected_again() {
    let h = project();
    check(&h);
    rewrite_keeping_mtime(&h, "res/shot.png");
    let (_, _, found) = check(&h);
    let places: Vec<&str> = found.iter().filter_map(|f| f.split(": ").next()).collect();
    assert_eq!(places, ["content/b.md:7 unreadable-image"]);
    assert_eq!(found, uncached(&h));
}

/// Rewrites `rel` in place as `cp -p` over it would: one byte changed (the IHDR width, so the
/// PNG's CRC fails), same length, the old modification time put back.
fn rewrite_keeping_mtime(h: &Project, rel: &str) {
    // A clock tick after the last run (kernels without fine-grained ctimes).
    std::thread::sleep(std::time::Duration::from_millis(20));
    let path = h.root.join(rel);
    let mtime = std::fs::metadata(&path)
        .and_then(|m| m.modified())
        .expect("mtime");
    let mut bytes = std::fs::read(&path).expect("read");
    bytes[18] ^= 0xff;
    std::fs::write(&path, &bytes).expect("write in place");
    std::fs::File::options()
        .write(true)
        .open(&path)
        .and_then(|f| f.set_modified(mtime))
        .expect("restore mtime");
}

/// Image facts (reused, inspected) of a load of `h` now.
fn image_stats(h: &Project) -> (usize, usize) {
    let stats = h.load().site.image_stats;
    (stats.reused, stats.inspected)
}

/// Every build hard-links the screenshot into the site, and the one after keeps the previous
/// site as its spare: both change the source's ctime, which its facts are keyed by. The build
/// records the ctime its own links left, so no build inspects an image again, and a rewrite
/// that keeps the mtime after them is still seen.
#[test]
fn builds_link_images_without_their_facts_going_stale() {
    let h = project();
    assert_eq!(image_stats(&h), (0, 1));
    for build in 1..=3 {
        let run = h.run(&["build"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(
            run.stdout.contains("and 1 image into"),
            "build {build}: {}",
            run.stdout
        );
        assert_eq!(image_stats(&h), (1, 0), "after build {build}");
    }
    let published = h.root.join("book/res/shot.png");
    assert_eq!(
        std::fs::read(&published).unwrap(),
        std::fs::read(h.root.join("res/shot.png")).unwrap()
    );
    rewrite_keeping_mtime(&h, "res/shot.png");
    assert_eq!(image_stats(&h), (0, 1));
    let (_, _, found) = check(&h);
    let places: Vec<&str> = found.iter().filter_map(|f| f.split(": ").next()).collect();
    assert_eq!(places, ["content/b.md:7 unreadable-image"]);
}
