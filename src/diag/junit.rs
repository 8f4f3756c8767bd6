//! JUnit XML output for CI dashboards: one `<testsuite name="stepbook">` inside `<testsuites>`,
//! one `<testcase>` per (rule, file) pair that has findings, named `RULE: FILE` with
//! `classname` = the rule id. A pair with error-level findings fails with
//! `<failure message="N errors" type="RULE">` whose body lists `file:line:col: level: message`
//! lines (and `help:` lines); a pair with only warnings passes and lists them in
//! `<system-out>`. Every registered rule without any finding adds one passing testcase named
//! after the rule (`broken-link`), so a clean run shows one green test per rule.
//!
//! Text and attribute values are XML-escaped (`&`, `<`, `>`, `"`, `'`); characters XML 1.0
//! cannot carry (control characters other than tab, newline, carriage return) are replaced by
//! U+FFFD.

use std::collections::{BTreeMap, BTreeSet};

use super::{Diagnostic, Level, Report};
use crate::check::RULES;

/// Escapes `s` for XML text and attribute values: the HTML escape the renderer uses (valid
/// XML too), after replacing the characters XML 1.0 cannot carry with U+FFFD.
pub fn escape(s: &str) -> String {
    let xml_chars: String = s
        .chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => '\u{FFFD}',
            c => c,
        })
        .collect();
    crate::render::escape(&xml_chars)
}

/// Escapes an attribute value, keeping line breaks and tabs as character references so that
/// attribute-value normalisation does not turn them into spaces.
fn escape_attr(s: &str) -> String {
    escape(s)
        .replace('\n', "&#10;")
        .replace('\r', "&#13;")
        .replace('\t', "&#9;")
}

/// `1 error`, `2 warnings`.
fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// One testcase: its name, classname, file, and findings (empty for a passing rule).
struct Case<'a> {
    rule: &'a str,
    file: Option<&'a str>,
    findings: Vec<&'a Diagnostic>,
}

/// Writes the JUnit XML document for `report`.
///
/// Errors: whatever `out` returns.
pub fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut pairs: BTreeMap<(&str, &str), Vec<&Diagnostic>> = BTreeMap::new();
    for d in &report.diagnostics {
        pairs.entry((d.rule, d.file.as_str())).or_default().push(d);
    }
    let with_findings: BTreeSet<&str> = pairs.keys().map(|(rule, _)| *rule).collect();
    let mut cases: Vec<Case<'_>> = pairs
        .into_iter()
        .map(|((rule, file), findings)| Case {
            rule,
            file: Some(file),
            findings,
        })
        .collect();
    for rule in RULES {
        let id = rule.meta().id;
        if !with_findings.contains(id) {
            cases.push(Case {
                rule: id,
                file: None,
                findings: Vec::new(),
            });
        }
    }
    cases.sort_by(|a, b| (a.rule, a.file).cmp(&(b.rule, b.file)));
    let failures = cases
        .iter()
        .filter(|c| c.findings.iter().any(|d| d.level == Level::Error))
        .count();
    let tests = cases.len();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="stepbook" tests="{tests}" failures="{failures}" errors="0">"#
    )?;
    writeln!(
        out,
        r#"  <testsuite name="stepbook" tests="{tests}" failures="{failures}" errors="0" skipped="0">"#
    )?;
    for case in &cases {
        let name = match case.file {
            Some(file) => format!("{}: {file}", case.rule),
            None => case.rule.to_string(),
        };
        let file_attr = case
            .file
            .map(|f| format!(r#" file="{}""#, escape_attr(f)))
            .unwrap_or_default();
        let open = format!(
            r#"    <testcase name="{}" classname="{}"{file_attr}"#,
            escape_attr(&name),
            escape_attr(case.rule)
        );
        if case.findings.is_empty() {
            writeln!(out, "{open}/>")?;
            continue;
        }
        writeln!(out, "{open}>")?;
        let body: String = case
            .findings
            .iter()
            .map(|d| finding_lines(report, d))
            .collect();
        let errors = case
            .findings
            .iter()
            .filter(|d| d.level == Level::Error)
            .count();
        if errors > 0 {
            writeln!(
                out,
                r#"      <failure message="{}" type="{}">{}</failure>"#,
                escape_attr(&format!(
                    "{} in {}",
                    plural(errors, "error"),
                    case.file.unwrap_or("")
                )),
                escape_attr(case.rule),
                escape(&body)
            )?;
        } else {
            writeln!(out, "      <system-out>{}</system-out>", escape(&body))?;
        }
        writeln!(out, "    </testcase>")?;
    }
    writeln!(out, "  </testsuite>")?;
    writeln!(out, "</testsuites>")
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
