//! SARIF 2.1.0 output (OASIS SARIF v2.1.0) for code scanning: one `run` (§3.14) whose
//! `tool.driver` (§3.18, §3.19) lists every rule as a `reportingDescriptor` (§3.49: `id`,
//! `shortDescription` from the rule's summary, `fullDescription` and `help` from its Markdown
//! docs, `defaultConfiguration.level`), and one `result` (§3.27) per finding with `ruleId`,
//! `ruleIndex`, `level`, `message` (text, plus Markdown with the help) and a `physicalLocation`
//! whose `artifactLocation.uri` is the file path percent-encoded as a relative URI reference and
//! whose `region` counts lines and columns from 1 with `columnKind: unicodeCodePoints` (§3.14.17),
//! the same columns as the JSON format. A finding with an automatic fix carries it as a `fix`
//! (§3.55). Rule ids that a report uses but the registry does not know still get a descriptor,
//! so every `ruleIndex` points at a descriptor.

use std::collections::BTreeMap;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Map, Value, json};

use super::{Diagnostic, Level, Report};
use crate::check::RULES;

/// The JSON schema URI written in `$schema`.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Bytes kept as they are in a URI path: RFC 3986 unreserved characters and `/`.
const PATH: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// A `/`-separated relative path as a URI reference (`content/a b.md` → `content/a%20b.md`).
pub fn path_to_uri(path: &str) -> String {
    utf8_percent_encode(path, PATH).to_string()
}

/// The paragraph(s) under `## What it does` in a rule's docs.
fn what_it_does(docs: &str) -> Option<&str> {
    let start = docs.find("## What it does")? + "## What it does".len();
    let rest = &docs[start..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    let text = rest[..end].trim();
    (!text.is_empty()).then_some(text)
}

/// The SARIF level of a finding's level.
fn sarif_level(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Allow => "note",
    }
}

/// The SARIF 2.1.0 log for `report` as a JSON value.
pub fn to_value(report: &Report) -> Value {
    let mut rules: Vec<Value> = Vec::new();
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    for rule in RULES {
        let m = rule.meta();
        index.insert(m.id, rules.len());
        let config_level = match m.default_level {
            Level::Allow => "none",
            other => sarif_level(other),
        };
        rules.push(json!({
            "id": m.id,
            "name": m.id,
            "shortDescription": { "text": m.summary },
            "fullDescription": { "text": what_it_does(m.docs).unwrap_or(m.summary) },
            "help": { "text": m.docs, "markdown": m.docs },
            "defaultConfiguration": { "level": config_level },
        }));
    }
    for d in &report.diagnostics {
        if !index.contains_key(d.rule) {
            index.insert(d.rule, rules.len());
            rules.push(json!({ "id": d.rule, "name": d.rule }));
        }
    }
    let results: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| result(report, d, index[d.rule]))
        .collect();
    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "stepbook",
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

/// The region of `d` (lines and character columns), when its file's text is known.
fn region(report: &Report, d: &Diagnostic, span: crate::source::Span) -> Option<Value> {
    report.sources.get(&d.file)?;
    let probe = Diagnostic { span, ..d.clone() };
    let loc = report.locate(&probe);
    Some(json!({
        "startLine": loc.start.line,
        "startColumn": loc.start.column,
        "endLine": loc.end.line,
        "endColumn": loc.end.column,
    }))
}

/// One `result` object.
fn result(report: &Report, d: &Diagnostic, rule_index: usize) -> Value {
    let uri = path_to_uri(&d.file);
    let mut physical = Map::new();
    physical.insert("artifactLocation".into(), json!({ "uri": uri }));
    if let Some(region) = region(report, d, d.span) {
        physical.insert("region".into(), region);
    }
    let message = match &d.help {
        Some(help) => json!({
            "text": format!("{}\nhelp: {help}", d.message),
            "markdown": format!("{}\n\n**help:** {help}", d.message),
        }),
        None => json!({ "text": d.message }),
    };
    let mut out = json!({
        "ruleId": d.rule,
        "ruleIndex": rule_index,
        "level": sarif_level(d.level),
        "message": message,
        "locations": [{ "physicalLocation": physical }],
    });
    let fix = d
        .fix
        .as_ref()
        .and_then(|f| Some((f, region(report, d, f.span)?)));
    if let Some((fix, deleted)) = fix {
        out["fixes"] = json!([{
            "description": { "text": d.help.clone().unwrap_or_else(|| "apply the suggested edit".into()) },
            "artifactChanges": [{
                "artifactLocation": { "uri": path_to_uri(&d.file) },
                "replacements": [{
                    "deletedRegion": deleted,
                    "insertedContent": { "text": fix.replacement },
                }],
            }],
        }]);
    }
    out
}

/// Writes the SARIF log for `report`, pretty-printed, followed by a newline.
///
/// Errors: whatever `out` returns.
pub fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &to_value(report)).map_err(std::io::Error::from)?;
    out.write_all(b"\n")
}
