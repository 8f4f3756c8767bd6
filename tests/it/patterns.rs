//! Pattern cases from real connector guides (issue 11): `tests/fixtures/patterns/<pattern>/`
//! holds a `valid` and a `defective` project for each pattern the step, list and scope rules
//! must get right, and `tests/fixtures/real-guides/<guide>/` holds guides adapted from public
//! connector documentation (the source of each is in its `expected.yaml`).
//!
//! Each project has an `expected.yaml` beside its `content/` folder listing every finding a
//! correct check reports: rule, file, line and a part of the message. The comparison is exact:
//! nothing expected may be missing and nothing else may be reported (of the rules listed in
//! `rules`, or of every rule when `rules` is absent).

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::support::{check_dir, repo, subfolders};

/// `expected.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    /// What the case shows, in words.
    #[allow(dead_code)]
    why: String,
    /// Where a real guide comes from (repository and path, or URL).
    #[serde(default)]
    source: Option<String>,
    /// The rules compared; all rules when absent.
    #[serde(default)]
    rules: Option<Vec<String>>,
    /// Every finding of those rules.
    #[serde(default)]
    expect: Vec<ExpectedFinding>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedFinding {
    rule: String,
    /// Relative to the project folder (`content/GUIDE.md`, `book.toml`).
    file: String,
    /// 1-based; `null` matches any line (findings on book.toml, whose lines the report does
    /// not locate yet).
    line: Option<usize>,
    /// A part of the message.
    #[serde(default)]
    message: Option<String>,
    /// A part of the help.
    #[serde(default)]
    help: Option<String>,
}

fn root(kind: &str) -> PathBuf {
    repo().join("tests/fixtures").join(kind)
}

fn read_expected(dir: &Path) -> Expected {
    let path = dir.join("expected.yaml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Checks the project in `dir` against its `expected.yaml`; the problems found, if any.
fn check_case(dir: &Path) -> Option<String> {
    let expected = read_expected(dir);
    let report = check_dir(dir);
    let wanted = |rule: &str| {
        expected
            .rules
            .as_ref()
            .is_none_or(|r| r.iter().any(|x| x == rule))
    };
    let mut actual: Vec<(String, String, usize, String, String)> = report
        .diagnostics
        .iter()
        .filter(|d| wanted(d.rule))
        .map(|d| {
            (
                d.rule.to_string(),
                d.file.clone(),
                report.locate(d).start.line,
                d.message.clone(),
                d.help.clone().unwrap_or_default(),
            )
        })
        .collect();
    let mut problems = Vec::new();
    for e in &expected.expect {
        let hit = actual.iter().position(|(r, f, l, m, h)| {
            *r == e.rule
                && *f == e.file
                && e.line.is_none_or(|x| x == *l)
                && e.message.as_deref().is_none_or(|p| m.contains(p))
                && e.help.as_deref().is_none_or(|p| h.contains(p))
        });
        match hit {
            Some(i) => {
                actual.remove(i);
            }
            None => problems.push(format!(
                "  expected but not reported: {}:{} [{}] {} (help: {})",
                e.file,
                e.line.map_or("*".to_string(), |l| l.to_string()),
                e.rule,
                e.message.as_deref().unwrap_or("…"),
                e.help.as_deref().unwrap_or("…")
            )),
        }
    }
    for (r, f, l, m, h) in &actual {
        problems.push(format!(
            "  reported but not expected: {f}:{l} [{r}] {m} (help: {h})"
        ));
    }
    (!problems.is_empty()).then(|| format!("{}:\n{}", dir.display(), problems.join("\n")))
}

fn assert_all(dirs: &[PathBuf]) {
    let problems: Vec<String> = dirs.iter().filter_map(|d| check_case(d)).collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_pattern_has_a_valid_and_a_defective_variant() {
    let patterns = subfolders(&root("patterns"));
    assert!(patterns.len() >= 12, "{patterns:?}");
    for p in &patterns {
        let variants: Vec<String> = subfolders(p)
            .iter()
            .map(|v| v.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(variants, ["defective", "valid"], "{}", p.display());
        assert!(
            read_expected(&p.join("valid")).expect.is_empty(),
            "{}: a valid variant expects no finding",
            p.display()
        );
        assert!(
            !read_expected(&p.join("defective")).expect.is_empty(),
            "{}: a defective variant expects findings",
            p.display()
        );
    }
}

#[test]
fn patterns_give_exactly_their_expected_findings() {
    let dirs: Vec<PathBuf> = subfolders(&root("patterns"))
        .iter()
        .flat_map(|p| subfolders(p))
        .collect();
    assert_all(&dirs);
}

#[test]
fn real_guides_give_exactly_their_expected_findings() {
    let dirs = subfolders(&root("real-guides"));
    assert!(dirs.len() >= 10, "{dirs:?}");
    for d in &dirs {
        let e = read_expected(d);
        assert!(
            e.source.as_deref().is_some_and(|s| !s.is_empty()),
            "{}: a real guide names its source",
            d.display()
        );
    }
    assert_all(&dirs);
}
