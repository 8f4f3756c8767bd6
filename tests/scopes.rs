//! Scope lists (issue 4): sources of truth, list shapes, the scope-* rules, and `url` sources
//! against a local HTTP server started by the test (no internet).

use std::path::Path;

use stepbook::check::{CheckOptions, run};
use stepbook::diag::Report;
use stepbook::project::Project;

/// `(rule, file, line, message)` of every scope-* finding of a check run on `dir`.
fn scope_findings(dir: &Path) -> Vec<(String, String, usize, String)> {
    let project = Project::load(dir).expect("project loads");
    let report = run(&project, &CheckOptions::default()).expect("check runs");
    rows(&report)
}

fn rows(report: &Report) -> Vec<(String, String, usize, String)> {
    report
        .diagnostics
        .iter()
        .filter(|d| d.rule.starts_with("scope-"))
        .map(|d| {
            (
                d.rule.to_string(),
                d.file.clone(),
                report.locate(d).start.line,
                d.message.clone(),
            )
        })
        .collect()
}

#[test]
fn bundled_project_reports_the_missing_pages_scopes_once() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let found = scope_findings(root);
    for f in &found {
        eprintln!("{f:?}");
    }
    assert_eq!(found.len(), 1, "{found:#?}");
    let (rule, file, line, msg) = &found[0];
    assert_eq!(rule, "scope-missing");
    assert_eq!(file, "content/CREDENTIALS.md");
    assert_eq!(*line, 60);
    assert!(msg.contains("`r_organization_social`"), "{msg}");
    assert!(msg.contains("`rw_organization_admin`"), "{msg}");
    assert!(msg.contains("\"LinkedIn Pages\""), "{msg}");
    assert!(!msg.contains("r_ads"), "{msg}");
    assert!(!msg.contains("LinkedIn Ads"), "{msg}");
}
