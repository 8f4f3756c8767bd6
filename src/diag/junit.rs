//! JUnit XML output for CI dashboards, written with `quick-junit` (the JUnit/XUnit schema as
//! Jenkins, GitLab and GitHub test reporters read it): one `<testsuite name="stepbook">` inside
//! `<testsuites>`, one `<testcase>` per (rule, file) pair that has findings, named
//! `RULE: FILE` with `classname` = the rule id and a `file` attribute. A pair with error-level
//! findings fails with `<failure message="N errors in FILE" type="RULE">` whose body lists
//! `file:line:col: level: message` lines (and `help:` lines); a pair with only warnings passes
//! and lists them in `<system-out>`. Every rule of `rules` without any finding adds one passing
//! testcase named after the rule (`broken-link`), so a clean run shows one green test per rule.
//!
//! quick-junit escapes text and attribute values; characters XML 1.0 cannot carry (control
//! characters other than tab, newline, carriage return) are replaced by U+FFFD first, so a
//! reader sees where they were.

use std::collections::{BTreeMap, BTreeSet};

use quick_junit::{NonSuccessKind, Report as JunitReport, TestCase, TestCaseStatus, TestSuite};

use super::{Diagnostic, Level, Report, RuleMeta};

/// `s` with the characters XML 1.0 cannot carry replaced by U+FFFD.
fn xml_chars(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => '\u{FFFD}',
            c => c,
        })
        .collect()
}

/// `1 error`, `2 errors`.
fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The JUnit report for `report`, with a passing test case for each of `rules` that has no
/// finding.
pub fn to_report(report: &Report, rules: &[&RuleMeta]) -> JunitReport {
    let mut pairs: BTreeMap<(&str, &str), Vec<&Diagnostic>> = BTreeMap::new();
    for d in &report.diagnostics {
        pairs.entry((d.rule, d.file.as_str())).or_default().push(d);
    }
    let with_findings: BTreeSet<&str> = pairs.keys().map(|(rule, _)| *rule).collect();
    let mut cases: Vec<(&str, Option<&str>, Vec<&Diagnostic>)> = pairs
        .into_iter()
        .map(|((rule, file), findings)| (rule, Some(file), findings))
        .collect();
    for m in rules {
        if !with_findings.contains(m.id) {
            cases.push((m.id, None, Vec::new()));
        }
    }
    cases.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    let mut suite = TestSuite::new("stepbook");
    for (rule, file, findings) in cases {
        let name = match file {
            Some(file) => format!("{rule}: {file}"),
            None => rule.to_string(),
        };
        let body: String = findings.iter().map(|d| finding_lines(report, d)).collect();
        let errors = findings.iter().filter(|d| d.level == Level::Error).count();
        let status = if errors > 0 {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            status
                .set_message(xml_chars(&format!(
                    "{} in {}",
                    plural(errors, "error"),
                    file.unwrap_or("")
                )))
                .set_type(rule)
                .set_description(xml_chars(&body));
            status
        } else {
            TestCaseStatus::success()
        };
        let mut case = TestCase::new(xml_chars(&name), status);
        case.set_classname(rule);
        if let Some(file) = file {
            case.extra.insert("file".into(), xml_chars(file).into());
        }
        if errors == 0 && !body.is_empty() {
            case.set_system_out(xml_chars(&body));
        }
        suite.add_test_case(case);
    }
    let mut junit = JunitReport::new("stepbook");
    junit.add_test_suite(suite);
    junit
}

/// Writes the JUnit XML document for `report`.
///
/// Errors: whatever `out` returns.
pub fn write(
    report: &Report,
    rules: &[&RuleMeta],
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    to_report(report, rules)
        .serialize(&mut *out)
        .map_err(std::io::Error::other)?;
    out.write_all(b"\n")
}

/// `file:line:col: level: message` and, when there is help, an indented `help:` line.
fn finding_lines(report: &Report, d: &Diagnostic) -> String {
    let loc = report.locate(d);
    let mut s = format!(
        "{}:{}:{}: {}: {}\n",
        d.file,
        loc.start.line,
        loc.start.column,
        d.level.as_str(),
        d.message
    );
    if let Some(help) = &d.help {
        s.push_str(&format!("  help: {help}\n"));
    }
    s
}
