//! The output formats of `stepbook check` on synthetic reports: exact JSON keys and values,
//! exact GitHub workflow commands, rustc-style human text (plain and coloured), SARIF validated
//! against the committed SARIF 2.1.0 schema, and well-formed JUnit XML.

use serde_json::Value;

use crate::support::sarif_schema;
use stepbook::check::RULES;
use stepbook::diag::{Diagnostic, Fix, Format, Level, Report, SourceFile, write_report};
use stepbook::source::Span;

/// `content/a b.md`: "✅" (3 bytes, 1 column) before the broken link on line 3.
const A: &str = "# Guide\n\nDone ✅ see [next](missing.md) now.\n\n## Step 1: Go\n\nSee Step 6.\n";
/// `content/b.md`: a multi-line span (lines 3 to 4).
const B: &str = "# B\n\n    - item one\n    - item two\n\nend\n";

fn span_of(text: &str, needle: &str) -> Span {
    let start = text.find(needle).expect("needle in text");
    Span::new(start, start + needle.len())
}

fn diag(
    rule: &'static str,
    level: Level,
    file: &str,
    span: Span,
    message: &str,
    help: Option<&str>,
) -> Diagnostic {
    Diagnostic {
        rule,
        level,
        file: file.to_string(),
        span,
        message: message.to_string(),
        help: help.map(str::to_string),
        fix: None,
    }
}

fn source(text: &str) -> SourceFile {
    SourceFile::new(text)
}

/// Three errors and one warning in three files (one without source text).
fn sample() -> Report {
    let mut r = Report::default();
    r.sources.insert("content/a b.md".into(), source(A));
    r.sources.insert("content/b.md".into(), source(B));
    let mut link = diag(
        "broken-link",
        Level::Error,
        "content/a b.md",
        span_of(A, "[next](missing.md)"),
        "link to `missing.md`, which does not exist",
        Some("create missing.md, or fix the path"),
    );
    link.fix = Some(Fix {
        span: span_of(A, "missing.md"),
        replacement: "next.md".into(),
    });
    r.diagnostics.push(link);
    r.diagnostics.push(diag(
        "broken-step-ref",
        Level::Error,
        "content/a b.md",
        span_of(A, "Step 6"),
        "the guide has no Step 6",
        Some("did you mean Step 1 \"Go\"?"),
    ));
    r.diagnostics.push(diag(
        "accidental-code-block",
        Level::Error,
        "content/b.md",
        span_of(B, "    - item one\n    - item two\n"),
        "this indented block holds a list, 100% literal, and renders as code",
        None,
    ));
    r.diagnostics.push(diag(
        "orphan-image",
        Level::Warning,
        "res/old, unused:1.png",
        Span::new(0, 0),
        "no page uses this image",
        None,
    ));
    r.sort();
    r
}

/// The report in `format` with the metadata of the rules the sample names plus one rule without
/// findings (a passing JUnit test case): the snapshots stay put when a rule is added, and the
/// tests below check the whole registry's metadata.
fn snapshot_output(report: &Report, format: Format) -> String {
    let named: std::collections::BTreeSet<&str> =
        report.diagnostics.iter().map(|d| d.rule).collect();
    let rules: Vec<_> = stepbook::check::metas()
        .into_iter()
        .filter(|m| named.contains(m.id) || m.id == "broken-anchor")
        .collect();
    let mut out = Vec::new();
    write_report(report, &rules, format, false, &mut out).expect("write to a Vec");
    String::from_utf8(out).expect("UTF-8 output")
}

fn output(report: &Report, format: Format, color: bool) -> String {
    let mut out = Vec::new();
    write_report(report, &stepbook::check::metas(), format, color, &mut out)
        .expect("write to a Vec");
    String::from_utf8(out).expect("UTF-8 output")
}

#[test]
fn json_has_exactly_the_nine_keys_and_right_values() {
    let json: Value = serde_json::from_str(&output(&sample(), Format::Json, false)).expect("JSON");
    let items = json.as_array().expect("an array");
    assert_eq!(items.len(), 4);
    for item in items {
        let keys: Vec<&str> = item
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        let mut sorted = keys.clone();
        sorted.sort_unstable();
        assert_eq!(
            sorted,
            [
                "column",
                "end_column",
                "end_line",
                "file",
                "help",
                "level",
                "line",
                "message",
                "rule"
            ]
        );
    }
    // Order: file, then line/column.
    let rules: Vec<&str> = items
        .iter()
        .map(|i| i["rule"].as_str().expect("rule"))
        .collect();
    assert_eq!(
        rules,
        [
            "broken-link",
            "broken-step-ref",
            "accidental-code-block",
            "orphan-image"
        ]
    );
    let link = &items[0];
    assert_eq!(link["level"], "error");
    assert_eq!(link["file"], "content/a b.md");
    assert_eq!(link["line"], 3);
    // "Done ✅ see " is 11 characters (13 bytes): the link starts in column 12.
    assert_eq!(link["column"], 12);
    assert_eq!(link["end_line"], 3);
    assert_eq!(link["end_column"], 12 + "[next](missing.md)".len());
    assert_eq!(link["help"], "create missing.md, or fix the path");
    let step = &items[1];
    assert_eq!(
        (step["line"].as_u64(), step["column"].as_u64()),
        (Some(7), Some(5))
    );
    let block = &items[2];
    assert_eq!(block["help"], Value::Null);
    assert_eq!(
        (block["line"].as_u64(), block["column"].as_u64()),
        (Some(3), Some(1))
    );
    // The span ends after the newline of line 4: the position after it is line 5, column 1.
    assert_eq!(
        (block["end_line"].as_u64(), block["end_column"].as_u64()),
        (Some(5), Some(1))
    );
    let orphan = &items[3];
    assert_eq!(orphan["level"], "warning");
    assert_eq!(
        (orphan["line"].as_u64(), orphan["column"].as_u64()),
        (Some(1), Some(1))
    );
}

#[test]
fn json_of_a_clean_report_is_an_empty_array() {
    assert_eq!(output(&Report::default(), Format::Json, false).trim(), "[]");
}

#[test]
fn github_workflow_commands_exactly() {
    let out = output(&sample(), Format::Github, false);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        [
            "::error file=content/a b.md,line=3,col=12,endLine=3,endColumn=30,title=broken-link::link to `missing.md`, which does not exist%0Ahelp: create missing.md, or fix the path",
            "::error file=content/a b.md,line=7,col=5,endLine=7,endColumn=11,title=broken-step-ref::the guide has no Step 6%0Ahelp: did you mean Step 1 \"Go\"?",
            "::error file=content/b.md,line=3,col=1,endLine=5,endColumn=1,title=accidental-code-block::this indented block holds a list, 100%25 literal, and renders as code",
            "::warning file=res/old%2C unused%3A1.png,title=orphan-image::no page uses this image",
        ]
    );
}

// Every format's whole output on the sample report, as insta snapshots
// (tests/it/snapshots/it__formats__*.snap). The tests after these assert the parts whose reason
// a snapshot cannot say (schema validity, column arithmetic, escaping).

#[test]
fn human_snapshot() {
    let out = output(&sample(), Format::Human, false);
    assert!(
        !out.contains('\u{1b}'),
        "ANSI escape in plain output:\n{out}"
    );
    // rustc style: `error[rule]: message`, ` --> file:line:column`, the source line, a caret
    // line under the span. "Done ✅ see " is 11 characters and "✅" is two terminal columns
    // wide, so the caret under the link starts after 12 display columns. A multi-line span
    // shows both lines; a finding without source text shows only its origin line.
    insta::assert_snapshot!("human", out);
}

#[test]
fn json_snapshot() {
    insta::assert_snapshot!("json", output(&sample(), Format::Json, false));
}

#[test]
fn github_snapshot() {
    insta::assert_snapshot!("github", output(&sample(), Format::Github, false));
}

#[test]
fn sarif_snapshot() {
    insta::assert_snapshot!("sarif", snapshot_output(&sample(), Format::Sarif));
}

#[test]
fn junit_snapshot() {
    insta::assert_snapshot!("junit", snapshot_output(&sample(), Format::Junit));
}

#[test]
fn human_caret_sits_under_the_span_in_display_columns() {
    let out = output(&sample(), Format::Human, false);
    assert!(
        out.contains("3 | Done ✅ see [next](missing.md) now.\n"),
        "{out}"
    );
    let caret = format!(
        "  | {}{}\n",
        " ".repeat(12),
        "^".repeat("[next](missing.md)".len())
    );
    assert!(out.contains(&caret), "no caret line {caret:?} in:\n{out}");
}

#[test]
fn human_color_output_has_ansi_and_the_same_text() {
    let out = output(&sample(), Format::Human, true);
    assert!(out.contains('\u{1b}'));
    let stripped = strip_ansi(&out);
    assert_eq!(stripped, output(&sample(), Format::Human, false));
}

#[test]
fn human_clean_report_says_no_problems() {
    assert_eq!(
        output(&Report::default(), Format::Human, false),
        "no problems found\n"
    );
    assert_eq!(
        stepbook::diag::human::render(&Report::default(), true),
        "no problems found\n"
    );
}

#[test]
fn human_warnings_only_summary() {
    let mut r = sample();
    r.diagnostics.retain(|d| d.level == Level::Warning);
    let out = output(&r, Format::Human, false);
    assert!(out.ends_with("warning: 1 warning in 1 file\n"), "{out}");
}

/// Removes `ESC [ … m` sequences.
fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn sarif_errors(log: &Value) -> Vec<String> {
    sarif_schema::validate(&sarif_schema::sarif_schema(), log)
}

fn assert_valid_sarif(log: &Value) {
    let errors = sarif_errors(log);
    assert!(
        errors.is_empty(),
        "SARIF does not validate:\n{}",
        errors.join("\n")
    );
}

#[test]
fn sarif_validates_and_locates_results() {
    let log: Value = serde_json::from_str(&output(&sample(), Format::Sarif, false)).expect("JSON");
    assert_valid_sarif(&log);
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert!(rules.len() >= RULES.len());
    for (i, rule) in RULES.iter().enumerate() {
        assert_eq!(rules[i]["id"], rule.meta().id);
        assert_eq!(rules[i]["shortDescription"]["text"], rule.meta().summary);
    }
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 4);
    for r in results {
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
    }
    let link = &results[0];
    assert_eq!(link["ruleId"], "broken-link");
    assert_eq!(link["level"], "error");
    assert_eq!(
        link["message"]["text"],
        "link to `missing.md`, which does not exist\nhelp: create missing.md, or fix the path"
    );
    let loc = &link["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "content/a%20b.md");
    assert_eq!(loc["region"]["startLine"], 3);
    assert_eq!(loc["region"]["startColumn"], 12);
    assert_eq!(loc["region"]["endLine"], 3);
    assert_eq!(loc["region"]["endColumn"], 30);
    let fix = &link["fixes"][0]["artifactChanges"][0]["replacements"][0];
    assert_eq!(fix["insertedContent"]["text"], "next.md");
    assert_eq!(fix["deletedRegion"]["startColumn"], 19);
    let orphan = &results[3];
    assert_eq!(orphan["level"], "warning");
    assert_eq!(
        orphan["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "res/old%2C%20unused%3A1.png"
    );
    assert!(
        orphan["locations"][0]["physicalLocation"]
            .get("region")
            .is_none()
    );
}

#[test]
fn sarif_of_a_clean_report_validates() {
    let log: Value =
        serde_json::from_str(&output(&Report::default(), Format::Sarif, false)).expect("JSON");
    assert_valid_sarif(&log);
    assert_eq!(log["runs"][0]["results"].as_array().map(Vec::len), Some(0));
}

#[test]
fn sarif_schema_check_is_not_vacuous() {
    let mut log: Value =
        serde_json::from_str(&output(&sample(), Format::Sarif, false)).expect("JSON");
    log["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!sarif_errors(&log).is_empty());
    let mut log: Value =
        serde_json::from_str(&output(&sample(), Format::Sarif, false)).expect("JSON");
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        Value::from("content/a b.md");
    assert!(
        !sarif_errors(&log).is_empty(),
        "an unencoded space must fail uri-reference"
    );
}

/// Parses JUnit XML with quick-xml and returns the testcases as (name, failure type if failed,
/// failure text).
fn junit_cases(xml: &str) -> Vec<(String, Option<String>, String)> {
    use quick_xml::Reader;
    use quick_xml::events::Event;
    let mut reader = Reader::from_str(xml);
    let mut cases: Vec<(String, Option<String>, String)> = Vec::new();
    let mut in_failure = false;
    let mut depth = 0usize;
    let attr = |e: &quick_xml::events::BytesStart<'_>, name: &str| -> Option<String> {
        e.attributes()
            .map(|a| a.expect("well-formed attribute"))
            .find(|a| a.key.as_ref() == name.as_bytes())
            .map(|a| {
                a.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                    .expect("escaped value")
                    .into_owned()
            })
    };
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                depth += 1;
                match e.name().as_ref() {
                    b"testcase" => {
                        cases.push((attr(&e, "name").expect("name"), None, String::new()))
                    }
                    b"failure" => {
                        in_failure = true;
                        cases.last_mut().expect("inside a testcase").1 = attr(&e, "type");
                    }
                    _ => {}
                }
            }
            Event::Empty(e) if e.name().as_ref() == b"testcase" => {
                cases.push((attr(&e, "name").expect("name"), None, String::new()));
            }
            Event::Text(t) if in_failure => {
                let text = t.xml10_content().expect("UTF-8 text").into_owned();
                cases
                    .last_mut()
                    .expect("inside a testcase")
                    .2
                    .push_str(&text);
            }
            Event::GeneralRef(r) if in_failure => {
                if let Some(c) = r.resolve_char_ref().expect("character reference") {
                    cases.last_mut().expect("inside a testcase").2.push(c);
                    continue;
                }
                let name = r.into_inner().into_owned();
                let c = match &name[..] {
                    b"amp" => "&",
                    b"lt" => "<",
                    b"gt" => ">",
                    b"quot" => "\"",
                    b"apos" => "'",
                    other => panic!("unexpected entity {}", String::from_utf8_lossy(other)),
                };
                cases.last_mut().expect("inside a testcase").2.push_str(c);
            }
            Event::End(e) => {
                depth -= 1;
                if e.name().as_ref() == b"failure" {
                    in_failure = false;
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0, "unbalanced elements");
    cases
}

#[test]
fn junit_has_one_testcase_per_rule_and_file() {
    let mut report = sample();
    // A second finding of the same rule in the same file shares its testcase.
    let mut again = report.diagnostics[0].clone();
    again.span = span_of(A, "now");
    again.message = "a <second> & \"quoted\" finding".into();
    report.diagnostics.push(again);
    report.sort();
    let xml = output(&report, Format::Junit, false);
    let cases = junit_cases(&xml);
    let registered_without_findings = RULES
        .iter()
        .filter(|r| {
            ![
                "broken-link",
                "broken-step-ref",
                "accidental-code-block",
                "orphan-image",
            ]
            .contains(&r.meta().id)
        })
        .count();
    assert_eq!(cases.len(), 4 + registered_without_findings, "{xml}");
    let link = cases
        .iter()
        .find(|c| c.0 == "broken-link: content/a b.md")
        .expect("broken-link testcase");
    assert_eq!(link.1.as_deref(), Some("broken-link"));
    assert!(
        link.2
            .contains("content/a b.md:3:12: error: link to `missing.md`, which does not exist\n"),
        "{}",
        link.2
    );
    assert!(
        link.2.contains("a <second> & \"quoted\" finding"),
        "{}",
        link.2
    );
    let orphan = cases
        .iter()
        .find(|c| c.0 == "orphan-image: res/old, unused:1.png")
        .expect("orphan testcase");
    assert_eq!(orphan.1, None, "warnings do not fail a testcase");
    assert!(xml.contains(r#"failures="3""#), "{xml}");
}

#[test]
fn junit_clean_run_has_one_passing_testcase_per_rule() {
    let xml = output(&Report::default(), Format::Junit, false);
    let cases = junit_cases(&xml);
    let names: Vec<&str> = cases.iter().map(|c| c.0.as_str()).collect();
    let mut expected: Vec<&str> = RULES.iter().map(|r| r.meta().id).collect();
    expected.sort_unstable();
    assert_eq!(names, expected);
    assert!(cases.iter().all(|c| c.1.is_none()));
    assert!(xml.contains(r#"<testsuite name="stepbook""#));
}
