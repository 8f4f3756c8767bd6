//! Issue 13 item 2, parsed pages cached: build, check and serve decode the model of every page
//! whose text (mdBook directives expanded) is unchanged from `.stepbook-cache/pages.bin` and
//! parse only the others; what they find is the same as without the cache.

use stepbook::check::{CheckOptions, run};
use stepbook::page::cache::ParseStats;

use crate::support::{Project, Run, findings, places};

fn project() -> Project {
    Project::with(&[
        ("book.toml", "[book]\ntitle = \"T\"\nsrc = \"content\"\n"),
        (
            "content/a.md",
            "# A\n\nSee [B](b.md) and [C](c.md#part-two).\n",
        ),
        ("content/b.md", "# B\n\n## Step 1: Go\n\n## Step 2: Stop\n"),
        (
            "content/c.md",
            "# C\n\n{{#include ../snippets/part.md}}\n\n## Part two\n",
        ),
        ("snippets/part.md", "Intro.\n\nA [broken](gone.md) link.\n"),
    ])
}

fn stats(parsed: usize, cached: usize) -> ParseStats {
    ParseStats { parsed, cached }
}

/// Loads `h` as `check` does: its parse counts and its findings.
fn check(h: &Project) -> (ParseStats, String) {
    let project = h.load();
    let report = run(&project, &CheckOptions::default()).expect("check runs");
    (project.parse_stats, findings(&report))
}

/// The findings of `h` with no page cache (removed first; this load writes it again).
fn uncached(h: &Project) -> String {
    let _ = std::fs::remove_file(h.root.join(".stepbook-cache/pages.bin"));
    let (s, found) = check(h);
    assert_eq!(s.cached, 0);
    found
}

#[test]
fn a_second_check_decodes_unchanged_pages_and_parses_the_changed_one() {
    let h = project();
    let (first, expected) = check(&h);
    assert_eq!(first, stats(3, 0));
    assert!(h.root.join(".stepbook-cache/pages.bin").is_file());
    let (second, found) = check(&h);
    assert_eq!(second, stats(0, 3));
    assert_eq!(found, expected);

    h.write("content/b.md", "# B\n\n## Step 1: Go\n\n## Step 3: Stop\n");
    let (third, found) = check(&h);
    assert_eq!(third, stats(1, 2));
    assert!(found.contains("step-sequence"), "{found}");
    assert_eq!(found, uncached(&h));
    // A page that appears is parsed; one that disappears leaves the cache.
    h.write("content/d.md", "# D\n");
    assert_eq!(check(&h).0, stats(1, 3));
    std::fs::remove_file(h.root.join("content/d.md")).expect("remove");
    assert_eq!(check(&h).0, stats(0, 3));
}

#[test]
fn editing_an_included_file_parses_the_including_page_again() {
    let h = project();
    let broken = |found: &[(String, String, usize)]| -> Vec<(String, usize)> {
        found
            .iter()
            .filter(|(rule, _, _)| rule == "broken-link")
            .map(|(_, file, line)| (file.clone(), *line))
            .collect()
    };
    let load = |h: &Project| {
        let project = h.load();
        let report = run(&project, &CheckOptions::default()).expect("check runs");
        (project.parse_stats, places(&report))
    };
    let (s, found) = load(&h);
    assert_eq!(s, stats(3, 0));
    assert_eq!(broken(&found), [("snippets/part.md".to_string(), 3)]);
    assert_eq!(load(&h).0, stats(0, 3));

    h.write(
        "snippets/part.md",
        "Intro.\n\nTwo more\nlines.\n\nA [broken](gone.md) link.\n",
    );
    let (s, found) = load(&h);
    assert_eq!(s, stats(1, 2), "only c.md, which includes the file");
    assert_eq!(broken(&found), [("snippets/part.md".to_string(), 6)]);
    let headings = h.load();
    let c = headings.page("c.md").expect("c.md");
    assert_eq!(c.source_map.as_ref().map(|m| m.files().len()), Some(2));
    assert!(c.has_anchor("part-two"));
}

#[test]
fn changing_the_step_pattern_parses_every_page_again() {
    let h = project().file(
        "content/e.md",
        "# E\n\n## Stage 1: Go\n\n## Stage 3: Stop\n",
    );
    let (s, found) = check(&h);
    assert_eq!(s, stats(4, 0));
    assert!(!found.contains("step-sequence"), "{found}");
    assert_eq!(check(&h).0, stats(0, 4));
    h.write(
        "book.toml",
        "[book]\ntitle = \"T\"\nsrc = \"content\"\n\n[check]\nstep-pattern = '(?i)^stage\\s+(\\d+)\\s*:?\\s*(.*)$'\n",
    );
    let (s, found) = check(&h);
    assert_eq!(s, stats(4, 0), "the pattern is part of every key");
    assert!(found.contains("content/e.md:5:1 "), "{found}");
    assert!(found.contains("step-sequence"), "{found}");
    assert_eq!(check(&h).0, stats(0, 4));
}

#[test]
fn a_damaged_cache_file_gives_the_findings_of_no_cache() {
    let h = project();
    let expected = uncached(&h);
    check(&h);
    let file = h.root.join(".stepbook-cache/pages.bin");
    let good = std::fs::read(&file).expect("cache file");
    let mut flipped = good.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 0xff;
    let damaged = [
        good[..good.len() / 2].to_vec(),
        good[..30].to_vec(),
        flipped,
        vec![0xff; good.len()],
        Vec::new(),
    ];
    for bytes in damaged {
        std::fs::write(&file, &bytes).expect("write");
        let (s, found) = check(&h);
        assert!(s.parsed > 0, "{s:?}");
        assert_eq!(s.parsed + s.cached, 3);
        assert_eq!(found, expected);
        assert_eq!(check(&h).0, stats(0, 3), "the file was written again");
    }
    // A folder where the file should be: nothing is cached, nothing fails.
    std::fs::remove_file(&file).expect("remove");
    std::fs::create_dir(&file).expect("folder");
    assert_eq!(check(&h), (stats(3, 0), expected.clone()));
    assert_eq!(check(&h), (stats(3, 0), expected));
}

fn build(h: &Project) -> Run {
    let out = h.run(&["build"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    out
}

/// The build's summary line reports parsed and cached pages, and `check --verbose` shares the
/// cache the build wrote (one program, one key).
#[test]
fn build_and_check_share_the_cache_and_say_so() {
    let h = project();
    let first = build(&h);
    assert!(!first.stdout.contains("cached"), "{}", first.stdout);
    let second = build(&h);
    assert!(
        second
            .stdout
            .starts_with("Built 3 pages (0 rendered, 3 unchanged; 0 parsed, 3 cached) and "),
        "{}",
        second.stdout
    );
    h.write("content/a.md", "# A\n\nSee [B](b.md).\n");
    let third = build(&h);
    assert!(
        third
            .stdout
            .starts_with("Built 3 pages (1 rendered, 2 unchanged; 1 parsed, 2 cached) and "),
        "{}",
        third.stdout
    );
    let check = h.run(&["check", "--verbose"]);
    assert!(
        check
            .stderr
            .contains("pages: 0 parsed, 3 from the page cache"),
        "{}",
        check.stderr
    );
    let json = h.run(&["check", "--format", "json"]);
    std::fs::remove_file(h.root.join(".stepbook-cache/pages.bin")).expect("remove");
    let fresh = h.run(&["check", "--format", "json"]);
    assert_eq!(json.stdout, fresh.stdout);
    assert_eq!(json.code, fresh.code);
}

/// serve's first load is a [`stepbook::project::Book`] load: it reads the same cache.
#[test]
fn a_book_load_uses_the_cache() {
    let h = project();
    let first = stepbook::project::Book::load(&h.root).expect("load");
    assert_eq!(first.parse_stats, stats(3, 0));
    let second = stepbook::project::Book::load(&h.root).expect("load");
    assert_eq!(second.parse_stats, stats(0, 3));
    assert_eq!(second.pages.len(), first.pages.len());
    for (a, b) in first.pages.iter().zip(&second.pages) {
        assert_eq!(format!("{:?}", a.links), format!("{:?}", b.links));
        assert_eq!(a.title, b.title);
    }
}
