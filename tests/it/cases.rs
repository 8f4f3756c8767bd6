//! The shared cases (`../shared/cases/`, copied byte for byte into `tests/cases/`): each folder
//! is a small documentation tree and an `expected.yaml` that says what a correct
//! `stepbook check` reports on it. One test per case loads the tree (or its `root` subfolder),
//! translates `config` into a book.toml written into a temporary copy, runs every registered
//! rule and compares the findings with `expect` exactly: every expected (file, line, rule) is
//! found, and nothing else is reported at warning or error level.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::support::Project;

/// `expected.yaml`, as the cases README describes it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    /// The main kind of check exercised (links, anchors, images, steps, scopes, …).
    rule: String,
    /// The documentation root inside the folder, when it is not the folder itself.
    #[serde(default)]
    root: Option<String>,
    /// Settings the case needs.
    #[serde(default)]
    config: Option<CaseConfig>,
    /// Every finding a correct checker reports.
    expect: Vec<ExpectedFinding>,
    /// The correct behaviour, in words.
    #[allow(dead_code)]
    why: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseConfig {
    #[serde(default)]
    scopes: Option<ScopesConfig>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScopesConfig {
    /// The heading whose scope list is checked.
    section: String,
    /// The scopes that list must hold.
    expected: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedFinding {
    /// Relative to the case folder.
    file: String,
    /// 1-based; `None` (`null`) matches any line.
    line: Option<usize>,
    /// A second line that is equally right.
    #[serde(default)]
    also_acceptable_line: Option<usize>,
    /// The problem in words (shown on failure).
    problem: String,
    /// The kind (or rule id) when it differs from the case's.
    #[serde(default)]
    rule: Option<String>,
}

/// One finding as the comparison sees it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Actual {
    file: String,
    line: usize,
    column: usize,
    rule: String,
    message: String,
}

impl std::fmt::Display for Actual {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{} [{}] {}",
            self.file, self.line, self.column, self.rule, self.message
        )
    }
}

/// The stepbook rule ids that a case kind (or an explicit rule id) stands for.
fn rule_ids(kind: &str) -> Vec<String> {
    let ids: &[&str] = match kind {
        "links" => &["broken-link"],
        "anchors" => &["broken-anchor"],
        "images" => &["missing-image", "image-case-mismatch", "unreadable-image"],
        "steps" => &["broken-step-ref", "step-sequence"],
        "scopes" => &["scope-missing", "scope-unexpected", "scope-deprecated"],
        "code-blocks" => &["accidental-code-block"],
        "alt-text" => &["missing-alt-text"],
        "orphans" => &["orphan-image"],
        other => return vec![other.to_string()],
    };
    ids.iter().map(|s| s.to_string()).collect()
}

/// The book.toml that says what `config` says. The pages sit at the root of the case, so
/// `src = "."`.
fn book_toml(config: &CaseConfig) -> String {
    let mut out = String::from("[book]\nsrc = \".\"\n");
    if let Some(scopes) = &config.scopes {
        let required: Vec<String> = scopes
            .expected
            .iter()
            .map(|s| stepbook::config::toml_string(s))
            .collect();
        out.push_str(&format!(
            "\n[[scopes]]\nname = \"expected scopes\"\nguides = [\"**/*.md\"]\nsection = {}\nrequired = [{}]\n",
            stepbook::config::toml_string(&scopes.section),
            required.join(", ")
        ));
    }
    out
}

/// Runs the case in `tests/cases/<name>` and asserts its findings.
fn run_case(name: &str) {
    let case_dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cases")
        .join(name);
    let yaml = std::fs::read_to_string(case_dir.join("expected.yaml")).expect("read expected.yaml");
    let expected: Expected =
        stepbook::page::front_matter::read_yaml(&yaml).expect("parse expected.yaml");

    // Keep the temporary copy alive for the whole run.
    let tmp;
    let base: PathBuf = match &expected.config {
        Some(config) => {
            tmp = Project::copy_of(&case_dir);
            std::fs::remove_file(tmp.path().join("expected.yaml")).expect("remove expected.yaml");
            let root = expected.root.as_deref().unwrap_or(".");
            tmp.write(&format!("{root}/book.toml"), &book_toml(config));
            tmp.path().to_path_buf()
        }
        None => case_dir.clone(),
    };
    let root = match &expected.root {
        Some(r) => base.join(r),
        None => base.clone(),
    };
    // The shared cases predate the image-budget rules, and some reuse one placeholder image
    // under two names: those rules count only where a case expects them.
    // A case of the repository gets no cache folder (`cargo test` would leave one in each).
    stepbook::cache::never_create_in(&root);
    let project = stepbook::project::Project::load(&root)
        .unwrap_or_else(|e| panic!("{name}: load failed: {e}"));
    let mut opts = stepbook::check::CheckOptions::default();
    for rule in ["duplicate-image", "oversized-image"] {
        if !yaml.contains(rule) {
            opts.levels
                .insert(rule.to_string(), stepbook::diag::Level::Allow);
        }
    }
    let report = stepbook::check::run(&project, &opts)
        .unwrap_or_else(|e| panic!("{name}: check failed: {e}"));
    let prefix = expected
        .root
        .as_deref()
        .map(|r| format!("{}/", r.trim_end_matches('/')));
    let mut actual: Vec<Actual> = report
        .diagnostics
        .iter()
        .map(|d| {
            let loc = report.locate(d);
            Actual {
                file: format!("{}{}", prefix.as_deref().unwrap_or(""), d.file),
                line: loc.start.line,
                column: loc.start.column,
                rule: d.rule.to_string(),
                message: d.message.clone(),
            }
        })
        .collect();
    actual.sort();
    let listing = || {
        if actual.is_empty() {
            "  (no findings)".to_string()
        } else {
            actual
                .iter()
                .map(|a| format!("  {a}"))
                .collect::<Vec<_>>()
                .join("\n")
        }
    };

    let mut used = BTreeSet::new();
    let mut missing = Vec::new();
    for e in &expected.expect {
        let ids = rule_ids(e.rule.as_deref().unwrap_or(&expected.rule));
        let hit = actual.iter().enumerate().find(|(i, a)| {
            !used.contains(i)
                && a.file == e.file
                && ids.contains(&a.rule)
                && e.line
                    .is_none_or(|l| a.line == l || e.also_acceptable_line == Some(a.line))
        });
        match hit {
            Some((i, _)) => {
                used.insert(i);
            }
            None => missing.push(format!(
                "  {}:{} [{}] {}",
                e.file,
                e.line.map_or("*".to_string(), |l| l.to_string()),
                ids.join("|"),
                e.problem
            )),
        }
    }
    let extra: Vec<String> = actual
        .iter()
        .enumerate()
        .filter(|(i, _)| !used.contains(i))
        .map(|(_, a)| format!("  {a}"))
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "case {name}:\nexpected but not reported:\n{}\nreported but not expected:\n{}\nall findings:\n{}",
        if missing.is_empty() {
            "  (none)".to_string()
        } else {
            missing.join("\n")
        },
        if extra.is_empty() {
            "  (none)".to_string()
        } else {
            extra.join("\n")
        },
        listing()
    );
}

macro_rules! cases {
    ($($test:ident => $dir:literal,)*) => {
        $(
            #[test]
            fn $test() {
                run_case($dir);
            }
        )*

        /// Every folder under tests/cases/ has a test above.
        const CASE_DIRS: &[&str] = &[$($dir),*];
    };
}

cases! {
    case_01_heading_parentheses => "01-heading-parentheses",
    case_02_heading_emoji => "02-heading-emoji",
    case_04_heading_containing_link => "04-heading-containing-link",
    case_06_a_name_anchor => "06-a-name-anchor",
    case_08_duplicate_headings => "08-duplicate-headings",
    case_09_percent_encoded_space => "09-percent-encoded-space",
    case_11_links_in_code_span_and_comment => "11-links-in-code-span-and-comment",
    case_13_directory_link_index => "13-directory-link-index",
    case_16_html_img_missing => "16-html-img-missing",
    case_17_angle_bracket_image => "17-angle-bracket-image",
    case_19_front_matter_not_content => "19-front-matter-not-content",
    case_21_step_ref_beyond_last => "21-step-ref-beyond-last",
    case_23_step_numbering_gap => "23-step-numbering-gap",
    case_25_step_in_code => "25-step-in-code",
    case_26_scope_missing => "26-scope-missing",
}

#[test]
fn every_case_folder_has_a_test() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
        .expect("read tests/cases")
        .map(|e| e.expect("dir entry"))
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let tested: BTreeSet<String> = CASE_DIRS.iter().map(|s| s.to_string()).collect();
    assert_eq!(on_disk, tested);
    assert_eq!(on_disk.len(), 15);
}

#[test]
fn config_becomes_book_toml() {
    let config = CaseConfig {
        scopes: Some(ScopesConfig {
            section: "Required scopes".into(),
            expected: vec!["r_ads".into(), "rw_ads".into()],
        }),
    };
    let text = book_toml(&config);
    let raw =
        stepbook::config::parse_config(Path::new("book.toml"), &text).expect("valid book.toml");
    assert_eq!(raw.scopes.len(), 1);
    assert_eq!(raw.scopes[0].name, "expected scopes");
    assert_eq!(raw.scopes[0].guides, ["**/*.md"]);
    assert_eq!(raw.scopes[0].section.as_deref(), Some("Required scopes"));
    assert_eq!(
        raw.scopes[0].required.as_deref(),
        Some(&["r_ads".to_string(), "rw_ads".to_string()][..])
    );
    assert_eq!(raw.book.src.as_deref(), Some(Path::new(".")));
}
