//! Fixture tests for the link, anchor and image rules. Each rule runs on the small projects in
//! `tests/fixtures/rules/<rule-id>/fail/` and `…/pass/` through [`stepbook::check::run`], and
//! each test asserts the exact `(file, line)` of every finding of that rule, plus the message
//! or help where the wording is part of the behaviour.

use std::path::Path;

use stepbook::check::{CheckOptions, run};
use stepbook::diag::Level;
use stepbook::project::Project;

/// One finding of the rule under test: file, 1-based line, level, message, help.
#[derive(Debug)]
struct Found {
    file: String,
    line: usize,
    level: Level,
    message: String,
    help: Option<String>,
}

/// Runs every rule on the fixture `rule/case` and keeps the findings of `rule`, sorted.
fn findings(rule: &str, case: &str) -> Vec<Found> {
    findings_in(rule, case, rule)
}

/// Runs every rule on the fixture `fixture/case` and keeps the findings of `rule`, sorted.
fn findings_in(fixture: &str, case: &str, rule: &str) -> Vec<Found> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/rules")
        .join(fixture)
        .join(case);
    let project = Project::load(&dir).expect("fixture project loads");
    let report = run(&project, &CheckOptions::default()).expect("check runs");
    report
        .diagnostics
        .iter()
        .filter(|d| d.rule == rule)
        .map(|d| Found {
            file: d.file.clone(),
            line: report.locate(d).start.line,
            level: d.level,
            message: d.message.clone(),
            help: d.help.clone(),
        })
        .collect()
}

/// `(file, line)` pairs of `found`.
fn places(found: &[Found]) -> Vec<(&str, usize)> {
    found.iter().map(|f| (f.file.as_str(), f.line)).collect()
}

#[test]
fn broken_link_fail() {
    let found = findings("broken-link", "fail");
    assert_eq!(
        places(&found),
        [
            ("README.md", 5),
            ("README.md", 6),
            ("README.md", 7),
            ("README.md", 8),
            ("README.md", 9),
            ("README.md", 10),
            ("README.md", 14),
        ]
    );
    assert!(found.iter().all(|f| f.level == Level::Error));
    assert_eq!(found[0].message, "setup.md does not exist");
    assert_eq!(
        found[1].message,
        "drafts/ is a folder with no README.md or index.md"
    );
    assert_eq!(
        found[2].message,
        "link to ../outside.md leaves the site root"
    );
    assert_eq!(
        found[3].help.as_deref(),
        Some("the file is spelled `install.md`: letter case matters on Linux and web servers")
    );
    assert_eq!(
        found[4].message, "gone.md does not exist",
        "reference links resolve through their definition"
    );
    assert_eq!(
        found[5].message, "old/page.md does not exist",
        "<a href> is checked"
    );
    assert_eq!(
        found[6].message, "notes.md does not exist",
        "links in an accidental code block are checked"
    );
}

#[test]
fn broken_link_pass() {
    assert_eq!(places(&findings("broken-link", "pass")), []);
}

#[test]
fn broken_anchor_fail() {
    let found = findings("broken-anchor", "fail");
    assert_eq!(
        places(&found),
        [
            ("README.md", 3),
            ("README.md", 4),
            ("README.md", 5),
            ("README.md", 6),
            ("README.md", 7)
        ]
    );
    assert_eq!(
        found[0].message,
        "fragment #instal matches no heading or id in README.md"
    );
    assert_eq!(found[0].help.as_deref(), Some("did you mean #install?"));
    assert_eq!(
        found[1].message,
        "fragment #requirements matches no heading or id in setup.md"
    );
    assert_eq!(
        found[1].help.as_deref(),
        Some("setup.md has these anchors: #setup, #before-you-begin, #legacy-notes")
    );
    assert_eq!(
        found[2].message,
        "fragment #missing matches no heading or id in guide/README.md"
    );
    assert_eq!(
        found[3].help.as_deref(),
        Some("did you mean #legacy-notes?")
    );
    assert_eq!(found[4].help.as_deref(), Some("did you mean #errors-1?"));
}

#[test]
fn broken_anchor_pass() {
    assert_eq!(places(&findings("broken-anchor", "pass")), []);
}

#[test]
fn missing_image_fail() {
    let found = findings("missing-image", "fail");
    assert_eq!(
        places(&found),
        [
            ("README.md", 3),
            ("README.md", 5),
            ("README.md", 7),
            ("README.md", 9)
        ]
    );
    assert_eq!(found[0].message, "image res/missing.png does not exist");
    assert_eq!(
        found[1].message,
        "image img/gone.png (from an <img> tag) does not exist"
    );
    assert_eq!(
        found[2].message,
        "image ../outside.png leaves the site root"
    );
    assert_eq!(
        found[3].message,
        "image img/ is a folder, not an image file"
    );
}

#[test]
fn missing_image_pass_with_mounted_resources() {
    assert_eq!(places(&findings("missing-image", "pass")), []);
}

#[test]
fn image_case_mismatch_fail() {
    let found = findings("image-case-mismatch", "fail");
    assert_eq!(places(&found), [("README.md", 3), ("README.md", 5)]);
    assert!(
        found[0]
            .message
            .contains("the file is named res/Connect.png"),
        "{}",
        found[0].message
    );
    assert_eq!(
        found[1].help.as_deref(),
        Some("write `res/Connect.png` with the file's exact letter case")
    );
}

#[test]
fn image_case_mismatch_is_not_missing_image() {
    assert_eq!(
        places(&findings_in("image-case-mismatch", "fail", "missing-image")),
        []
    );
}

#[test]
fn image_case_mismatch_pass() {
    assert_eq!(places(&findings("image-case-mismatch", "pass")), []);
}

#[test]
fn unreadable_image_fail() {
    let found = findings("unreadable-image", "fail");
    assert_eq!(
        places(&found),
        [
            ("README.md", 3),
            ("README.md", 5),
            ("README.md", 7),
            ("README.md", 9),
            ("README.md", 11),
            ("other.md", 3),
        ]
    );
    assert!(
        found[0]
            .message
            .starts_with("image res/text.png cannot be decoded as PNG"),
        "{}",
        found[0].message
    );
    assert_eq!(
        found[1].message,
        "image res/photo.png is a JPEG file but its extension says PNG"
    );
    assert!(
        found[2]
            .message
            .starts_with("image res/diagram.svg is not an SVG file"),
        "{}",
        found[2].message
    );
    assert_eq!(found[3].message, "image res/empty.gif is an empty file");
    assert!(
        found[4]
            .message
            .starts_with("image res/truncated.png cannot be decoded as PNG"),
        "{}",
        found[4].message
    );
    assert_eq!(
        found[5].message, found[0].message,
        "every reference to a bad file is reported"
    );
}

#[test]
fn unreadable_image_pass() {
    assert_eq!(places(&findings("unreadable-image", "pass")), []);
}

#[test]
fn orphan_image_fail_reports_the_file_itself() {
    let found = findings("orphan-image", "fail");
    assert_eq!(
        places(&found),
        [("content/img/old.png", 1), ("res/unused.png", 1)]
    );
    assert!(found.iter().all(|f| f.level == Level::Warning));
    assert_eq!(
        found[1].message,
        "image res/unused.png is not used by any page"
    );
}

#[test]
fn orphan_image_pass_counts_links_html_and_accidental_code() {
    assert_eq!(places(&findings("orphan-image", "pass")), []);
}

#[test]
fn missing_alt_text_fail() {
    let found = findings("missing-alt-text", "fail");
    assert_eq!(
        places(&found),
        [
            ("README.md", 3),
            ("README.md", 5),
            ("README.md", 7),
            ("README.md", 9),
            ("README.md", 11)
        ]
    );
    assert!(found.iter().all(|f| f.level == Level::Warning));
    assert_eq!(found[2].message, "<img> of res/connect.png has no alt text");
}

#[test]
fn missing_alt_text_pass() {
    assert_eq!(places(&findings("missing-alt-text", "pass")), []);
}
