//! Hostile input (issue 8): one regression test per broken promise, each named after it. Every
//! test runs the real binary (a stack overflow or an abort must show as an exit status, not kill
//! the test run) on a project in a temporary folder `outer/proj`, so that `outer` can hold the
//! files a hostile project tries to reach.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_stepbook");

/// A project in `outer/proj`; `outer` holds files outside the project.
struct Hostile {
    outer: tempfile::TempDir,
    root: PathBuf,
}

impl Hostile {
    fn new(files: &[(&str, &str)]) -> Hostile {
        let outer = tempfile::tempdir().expect("temp dir");
        let root = outer.path().join("proj");
        std::fs::create_dir_all(&root).expect("project dir");
        let h = Hostile { outer, root };
        for (rel, text) in files {
            h.write(rel, text.as_bytes());
        }
        h
    }

    fn write(&self, rel: &str, bytes: &[u8]) {
        write(&self.root.join(rel), bytes);
    }

    fn outside(&self) -> &Path {
        self.outer.path()
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(BIN)
            .args(args)
            .current_dir(&self.root)
            .env("NO_COLOR", "1")
            .output()
            .expect("run stepbook")
    }
}

fn write(path: &Path, bytes: &[u8]) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("create folder");
    }
    std::fs::write(path, bytes).expect("write file");
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Item 1: 15,000 list items nested on one line (30 KB) used to overflow the stack (exit 134).
#[test]
fn deeply_nested_summary_builds_with_a_finding_instead_of_a_stack_overflow() {
    let summary = format!("# Summary\n\n{}[Deep](a.md)\n", "- ".repeat(15_000));
    let h = Hostile::new(&[
        ("book.toml", "[book]\ntitle = \"T\"\n"),
        ("content/a.md", "# A\n"),
        ("content/SUMMARY.md", &summary),
    ]);
    let out = h.run(&["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("warning[summary-too-deep]"), "{err}");
    assert!(err.contains("--> content/SUMMARY.md:3:"), "{err}");
    assert!(err.contains("nested 15000 lists deep"), "{err}");
    assert!(h.root.join("book/a.html").is_file());
    let out = h.run(&["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("\"rule\": \"summary-too-deep\""),
        "{}",
        stdout(&out)
    );
}

/// Item 5: the human formatter printed the whole line for every finding (findings × line
/// length: 182 s on a 130 KB one-line page). Each finding's snippet is now cut around its span,
/// so the report grows with the number of findings only; the column is still the real one.
#[test]
fn human_report_on_a_long_one_line_page_is_linear_in_findings() {
    let links: Vec<String> = (0..300)
        .map(|i| format!("see [x{i}](gone{i}.md) and"))
        .collect();
    let page = format!("# One\n\n{}\n", links.join(" "));
    let h = Hostile::new(&[("content/one.md", &page)]);
    let out = h.run(&["check", "content"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report = stdout(&out);
    assert_eq!(report.matches("error[broken-link]").count(), 300);
    assert!(
        report.len() < 300 * 1_000,
        "{} bytes for 300 findings: snippets are not cut",
        report.len()
    );
    let col = page.find("[x299]").expect("last link") - page.find("see [x0]").expect("first") + 1;
    assert!(
        report.contains(&format!("--> one.md:3:{col}\n")),
        "{report}"
    );
}

/// Item 8: CR-only line endings (classic Mac) put every finding on line 1.
#[test]
fn cr_only_line_endings_give_findings_their_real_lines() {
    let h = Hostile::new(&[(
        "content/mac.md",
        "# Mac\r\rIntro.\r\rSee [gone](gone.md).\r",
    )]);
    let out = h.run(&["check", "--format", "json", "content"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json[0]["rule"], "broken-link");
    assert_eq!(json[0]["line"], 5);
    assert_eq!(json[0]["column"], 5);
    let out = h.run(&["check", "content"]);
    assert!(stdout(&out).contains("--> mac.md:5:5"), "{}", stdout(&out));
}
