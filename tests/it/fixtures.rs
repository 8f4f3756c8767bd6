//! The fixture runner: every fixture folder is a small project, checked with every rule, and
//! its findings are compared with the snapshot beside it (insta, <https://insta.rs>):
//!
//! - `tests/fixtures/rules/<rule-id>/<case>/` (`fail`, `pass`, …) → `…/<rule-id>/<case>.snap`
//! - `tests/fixtures/scopes/<name>/` → `tests/fixtures/scopes/<name>.snap`
//!
//! A snapshot lists every finding (not only the folder's rule): file, line, column, level,
//! rule, message, the spanned text, help and fix (see `support::findings`). A `pass` snapshot
//! says `(no findings)`. A new rule adds one folder with `fail/` and `pass/`; run
//! `INSTA_UPDATE=always cargo test --test it fixtures` (or `cargo insta review`) once to write
//! its snapshots, and read them before committing.
//!
//! Also here: the bundled guide end to end, asserted against its text rather than its line
//! numbers.

use std::path::{Path, PathBuf};

use stepbook::check::RULES;
use stepbook::diag::Level;

use crate::support::{Project, check_dir, findings, line_of, repo, subfolders};

/// Rules whose failing example needs something a fixture folder cannot hold: external-link
/// needs a server (tests/it/external_link.rs starts one on 127.0.0.1); the scope rules'
/// fixtures are projects with book.toml under tests/fixtures/scopes/.
const NOT_IN_RULES_FIXTURES: &[&str] = &[
    "external-link",
    "scope-missing",
    "scope-unexpected",
    "scope-deprecated",
    "scope-source-uncached",
];

/// Every fixture folder: (folder, snapshot folder, snapshot name).
fn fixture_folders() -> Vec<(PathBuf, PathBuf, String)> {
    let mut out = Vec::new();
    let rules = repo().join("tests/fixtures/rules");
    for rule in subfolders(&rules) {
        for case in subfolders(&rule) {
            out.push((case.clone(), rule.clone(), name(&case)));
        }
    }
    let scopes = repo().join("tests/fixtures/scopes");
    for fixture in subfolders(&scopes) {
        out.push((fixture.clone(), scopes.clone(), name(&fixture)));
    }
    out
}

fn name(dir: &Path) -> String {
    dir.file_name()
        .expect("folder name")
        .to_string_lossy()
        .into_owned()
}

/// Checks one fixture and compares with its snapshot.
fn assert_fixture(dir: &Path, snapshot_dir: &Path, snapshot: &str) {
    let report = check_dir(dir);
    let rel = dir.strip_prefix(repo()).unwrap_or(dir);
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(snapshot_dir);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_description(format!("stepbook check {}", rel.display()));
    settings.bind(|| insta::assert_snapshot!(snapshot, findings(&report)));
}

#[test]
fn every_fixture_gives_its_snapshot() {
    let folders = fixture_folders();
    assert!(folders.len() >= 30, "{} fixture folders", folders.len());
    let mut failed = Vec::new();
    for (dir, snapshot_dir, snapshot) in &folders {
        let outcome = std::panic::catch_unwind(|| assert_fixture(dir, snapshot_dir, snapshot));
        if outcome.is_err() {
            failed.push(
                dir.strip_prefix(repo())
                    .unwrap_or(dir)
                    .display()
                    .to_string(),
            );
        }
    }
    assert!(
        failed.is_empty(),
        "findings differ from the snapshot beside these fixtures (see above):\n  {}",
        failed.join("\n  ")
    );
}

/// Each rule has a failing and a passing fixture, and its failing one gives its finding.
#[test]
fn every_rule_has_a_failing_and_a_passing_fixture() {
    let mut problems = Vec::new();
    for rule in RULES {
        let id = rule.meta().id;
        if NOT_IN_RULES_FIXTURES.contains(&id) {
            continue;
        }
        let dir = repo().join("tests/fixtures/rules").join(id);
        for case in ["fail", "pass"] {
            if !dir.join(case).is_dir() {
                problems.push(format!("{id}: no tests/fixtures/rules/{id}/{case}/"));
            }
        }
        if dir.join("fail").is_dir() {
            let report = check_dir(&dir.join("fail"));
            if !report.diagnostics.iter().any(|d| d.rule == id) {
                problems.push(format!("{id}: fail/ gives no {id} finding"));
            }
        }
        if dir.join("pass").is_dir() {
            let report = check_dir(&dir.join("pass"));
            if report.diagnostics.iter().any(|d| d.rule == id) {
                problems.push(format!("{id}: pass/ gives a {id} finding"));
            }
        }
    }
    // Every folder there belongs to a registered rule.
    for dir in subfolders(&repo().join("tests/fixtures/rules")) {
        let id = name(&dir);
        if !RULES.iter().any(|r| r.meta().id == id) {
            problems.push(format!("tests/fixtures/rules/{id}/: no rule has that id"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The bundled project: content/CREDENTIALS.md reports exactly its two accidental code blocks
/// (the indented note and the indented scope list) and the "Step 6" reference in the note,
/// whose help suggests Step 3. Scope findings come from their own rules and are not asserted
/// here; every other rule is. Lines are found in the guide's text, not written down.
#[test]
fn bundled_credentials_guide() {
    let tmp = Project::bundled();
    let guide = tmp.read("content/CREDENTIALS.md");
    assert_eq!(
        guide,
        std::fs::read_to_string(repo().join("content/CREDENTIALS.md")).expect("read original"),
    );
    let report = tmp.check();
    let found: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.file == "content/CREDENTIALS.md")
        .filter(|d| !d.rule.starts_with("scope-"))
        .collect();
    let actual: Vec<(&str, usize, usize)> = found
        .iter()
        .map(|d| {
            let l = report.locate(d);
            (d.rule, l.start.line, l.start.column)
        })
        .collect();
    let note = line_of(&guide, "> ⚠️ **Note:** If you see the error message");
    let step6 = line_of(&guide, "in Step 6 and that the request");
    let step6_line = guide.lines().nth(step6 - 1).expect("line");
    let step6_column = step6_line[..step6_line.find("Step 6").expect("Step 6")]
        .chars()
        .count();
    let list = line_of(&guide, "    - `r_ads`");
    assert_eq!(
        actual,
        [
            ("accidental-code-block", note, 5),
            ("broken-step-ref", step6, step6_column + 1),
            ("accidental-code-block", list, 5),
        ],
        "all findings:\n{}",
        findings(&report)
    );
    assert!(found.iter().all(|d| d.level == Level::Error));
    let step = found[1];
    assert_eq!(
        step.message,
        "reference to Step 6, but this guide only has Steps 1 to 5"
    );
    let help = step.help.as_deref().unwrap_or_default();
    assert!(
        help.contains("Step 3") && help.contains("Request Access to the Advertising API"),
        "{help}"
    );
    assert_eq!(
        &report.sources["content/CREDENTIALS.md"].text[step.span.start..step.span.end],
        "Step 6"
    );
}
