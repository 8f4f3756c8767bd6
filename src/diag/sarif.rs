//! SARIF 2.1.0 output (OASIS SARIF v2.1.0) for code scanning, built with the `serde-sarif`
//! types (generated from the SARIF schema): one `run` (§3.14) whose `tool.driver` (§3.18,
//! §3.19) lists every rule as a `reportingDescriptor` (§3.49: `id`, `shortDescription` from the
//! rule's summary, `fullDescription` and `help` from its Markdown docs,
//! `defaultConfiguration.level`), and one `result` (§3.27) per finding with `ruleId`,
//! `ruleIndex`, `level`, `message` (text, plus Markdown with the help) and a `physicalLocation`
//! whose `artifactLocation.uri` is the file path percent-encoded as a relative URI reference and
//! whose `region` counts lines and columns from 1 with `columnKind: unicodeCodePoints` (§3.14.17),
//! the same columns as the JSON format. A finding with an automatic fix carries it as a `fix`
//! (§3.55). Paths are relative to the folder `stepbook check` ran in, which
//! `originalUriBaseIds` (§3.14.14) names `%SRCROOT%` and every `artifactLocation` refers to with
//! `uriBaseId` (§3.4.4); the driver has an `informationUri` and each rule a `helpUri` to its
//! documentation. Rule ids that a report uses but `rules` does not list still get a descriptor, so
//! every `ruleIndex` points at a descriptor.

use std::collections::BTreeMap;

use serde_sarif::sarif::{
    ArtifactChange, ArtifactContent, ArtifactLocation, Fix, Location, Message,
    MultiformatMessageString, PhysicalLocation, Region, Replacement, ReportingConfiguration,
    ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Sarif, Tool, ToolComponent,
};

use super::{Diagnostic, Level, Report, RuleMeta};

/// The JSON schema URI written in `$schema`.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Where stepbook's documentation lives (the driver's `informationUri`, §3.19.17).
pub const INFORMATION_URI: &str = env!("CARGO_PKG_REPOSITORY");

/// The `uriBaseId` every artifact location names (§3.4.4).
pub const SRCROOT: &str = "%SRCROOT%";

/// A rule's documentation page (`helpUri`, §3.49.12).
fn help_uri(id: &str) -> String {
    format!("{INFORMATION_URI}/blob/main/src/check/rules/{id}.md")
}

/// `dir` as an absolute `file:` URI ending in `/`, as `originalUriBaseIds` wants (§3.14.14).
fn dir_uri(dir: &std::path::Path) -> String {
    let mut path = dir.to_string_lossy().replace('\\', "/");
    if !path.starts_with('/') {
        path.insert(0, '/');
    }
    if !path.ends_with('/') {
        path.push('/');
    }
    format!("file://{}", path_to_uri(&path))
}

/// A `/`-separated relative path as a URI reference (`content/a b.md` → `content/a%20b.md`).
pub fn path_to_uri(path: &str) -> String {
    crate::percent::encode_uri_path(path)
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
fn sarif_level(level: Level) -> ResultLevel {
    match level {
        Level::Error => ResultLevel::Error,
        Level::Warning => ResultLevel::Warning,
        Level::Allow => ResultLevel::Note,
    }
}

/// A plain-text message string.
fn text(s: &str) -> MultiformatMessageString {
    MultiformatMessageString::builder().text(s).build()
}

/// The descriptor of a registered rule.
fn descriptor(m: &RuleMeta) -> ReportingDescriptor {
    let config_level = match m.default_level {
        Level::Allow => "none",
        Level::Warning => "warning",
        Level::Error => "error",
    };
    ReportingDescriptor::builder()
        .id(m.id)
        .name(m.id)
        .short_description(text(m.summary))
        .full_description(text(what_it_does(m.docs).unwrap_or(m.summary)))
        .help(
            MultiformatMessageString::builder()
                .text(m.docs)
                .markdown(m.docs)
                .build(),
        )
        .help_uri(help_uri(m.id))
        .default_configuration(
            ReportingConfiguration::builder()
                .level(serde_json::Value::from(config_level))
                .build(),
        )
        .build()
}

/// The SARIF 2.1.0 log for `report`, with a descriptor for each of `rules`; `%SRCROOT%` is left
/// for the consumer to define (see [`to_log_at`]).
pub fn to_log(report: &Report, rules: &[&RuleMeta]) -> Sarif {
    to_log_at(report, rules, None)
}

/// The SARIF 2.1.0 log for `report`, whose paths are relative to `srcroot` (named in
/// `originalUriBaseIds` as `%SRCROOT%` when given).
pub fn to_log_at(report: &Report, rules: &[&RuleMeta], srcroot: Option<&std::path::Path>) -> Sarif {
    let mut descriptors: Vec<ReportingDescriptor> = Vec::new();
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    for m in rules {
        index.insert(m.id, descriptors.len());
        descriptors.push(descriptor(m));
    }
    for d in &report.diagnostics {
        if !index.contains_key(d.rule) {
            index.insert(d.rule, descriptors.len());
            descriptors.push(
                ReportingDescriptor::builder()
                    .id(d.rule)
                    .name(d.rule)
                    .build(),
            );
        }
    }
    let results: Vec<SarifResult> = report
        .diagnostics
        .iter()
        .map(|d| result(report, d, index[d.rule]))
        .collect();
    let driver = ToolComponent::builder()
        .name("stepbook")
        .information_uri(INFORMATION_URI)
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .version(env!("CARGO_PKG_VERSION"))
        .rules(descriptors)
        .build();
    let mut run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .column_kind(serde_json::Value::from("unicodeCodePoints"))
        .results(results)
        .build();
    if let Some(root) = srcroot {
        let base = ArtifactLocation::builder().uri(dir_uri(root)).build();
        run.original_uri_base_ids = Some(BTreeMap::from([(SRCROOT.to_string(), base)]));
    }
    Sarif::builder()
        .schema(SCHEMA_URI)
        .version(serde_json::Value::from("2.1.0"))
        .runs(vec![run])
        .build()
}

/// The region of `span` in `d`'s file (lines and character columns), when its text is known.
fn region(report: &Report, d: &Diagnostic, span: crate::source::Span) -> Option<Region> {
    report.sources.get(&d.file)?;
    let probe = Diagnostic { span, ..d.clone() };
    let loc = report.locate(&probe);
    let n = |v: usize| i64::try_from(v).unwrap_or(i64::MAX);
    Some(
        Region::builder()
            .start_line(n(loc.start.line))
            .start_column(n(loc.start.column))
            .end_line(n(loc.end.line))
            .end_column(n(loc.end.column))
            .build(),
    )
}

/// One `result`.
fn result(report: &Report, d: &Diagnostic, rule_index: usize) -> SarifResult {
    let artifact = || {
        ArtifactLocation::builder()
            .uri(path_to_uri(&d.file))
            .uri_base_id(SRCROOT)
            .build()
    };
    let physical = match region(report, d, d.span) {
        Some(region) => PhysicalLocation::builder()
            .artifact_location(artifact())
            .region(region)
            .build(),
        None => PhysicalLocation::builder()
            .artifact_location(artifact())
            .build(),
    };
    let message = match &d.help {
        Some(help) => Message::builder()
            .text(format!("{}\nhelp: {help}", d.message))
            .markdown(format!("{}\n\n**help:** {help}", d.message))
            .build(),
        None => Message::builder().text(d.message.clone()).build(),
    };
    let fixes: Option<Vec<Fix>> = d
        .fix
        .as_ref()
        .and_then(|f| Some((f, region(report, d, f.span)?)))
        .map(|(fix, deleted)| {
            let description = d
                .help
                .clone()
                .unwrap_or_else(|| "apply the suggested edit".into());
            vec![
                Fix::builder()
                    .description(Message::builder().text(description).build())
                    .artifact_changes(vec![
                        ArtifactChange::builder()
                            .artifact_location(artifact())
                            .replacements(vec![
                                Replacement::builder()
                                    .deleted_region(deleted)
                                    .inserted_content(
                                        ArtifactContent::builder()
                                            .text(fix.replacement.clone())
                                            .build(),
                                    )
                                    .build(),
                            ])
                            .build(),
                    ])
                    .build(),
            ]
        });
    let result = SarifResult::builder()
        .rule_id(d.rule)
        .rule_index(i64::try_from(rule_index).unwrap_or(i64::MAX))
        .level(sarif_level(d.level))
        .message(message)
        .locations(vec![
            Location::builder().physical_location(physical).build(),
        ]);
    match fixes {
        Some(fixes) => result.fixes(fixes).build(),
        None => result.build(),
    }
}

/// Writes the SARIF log for `report`, pretty-printed, followed by a newline.
///
/// Errors: whatever `out` returns.
pub fn write(
    report: &Report,
    rules: &[&RuleMeta],
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    write_at(report, rules, None, out)
}

/// Writes the SARIF log for `report`, whose paths are relative to `srcroot` (`stepbook check`
/// passes the current directory), pretty-printed, followed by a newline.
///
/// Errors: whatever `out` returns.
pub fn write_at(
    report: &Report,
    rules: &[&RuleMeta],
    srcroot: Option<&std::path::Path>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &to_log_at(report, rules, srcroot))
        .map_err(std::io::Error::from)?;
    out.write_all(b"\n")
}
