//! Findings as data: [`Diagnostic`] (rule, level, file, span, message, help, fix) and the
//! [`Report`] that carries them, sorted, with the file texts needed to print line, column and
//! snippet. One submodule per output format ([`Format`]); only `human` knows the snippet crate.

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::source::{LineCol, LineIndex, Span};

/// How serious a rule's findings are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The rule does not run (`off` is accepted too, as on the command line).
    #[serde(alias = "off")]
    Allow,
    /// Reported; never fails a command (`warn` is accepted too).
    #[serde(alias = "warn")]
    Warning,
    /// Reported; fails `check` and `build --strict` (exit 1) (`deny` is accepted too).
    #[serde(alias = "deny")]
    Error,
}

impl Level {
    /// `"error"`, `"warning"` or `"allow"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

impl std::str::FromStr for Level {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "allow" | "off" => Ok(Level::Allow),
            "warning" | "warn" => Ok(Level::Warning),
            "error" | "deny" => Ok(Level::Error),
            other => Err(format!(
                "unknown level `{other}` (expected error, warning or allow)"
            )),
        }
    }
}

/// An output format of `stepbook check --format` (SPEC.md, Diagnostics). Each is written by
/// the submodule of the same name. The variants' doc comments are `--help` text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Rustc-style report with source snippets
    #[default]
    Human,
    /// A JSON array, one object per finding
    Json,
    /// GitHub Actions workflow commands (annotations on pull requests)
    Github,
    /// SARIF 2.1.0, for code scanning
    Sarif,
    /// JUnit XML, for CI test dashboards
    Junit,
}

/// Writes `report` to `out` in `format`. `rules` are the registered rules' metadata (SARIF
/// lists them as descriptors, JUnit gives each a passing test case when it has no finding).
/// `color` only affects [`Format::Human`] (ANSI escapes when true); every other format is plain
/// text whatever `color` says.
///
/// Errors: whatever `out` returns (a closed pipe gives [`std::io::ErrorKind::BrokenPipe`], which
/// callers usually treat as success).
pub fn write_report(
    report: &Report,
    rules: &[&RuleMeta],
    format: Format,
    color: bool,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Human => out.write_all(human::render(report, color).as_bytes()),
        Format::Json => json::write(report, out),
        Format::Github => github::write(report, out),
        Format::Sarif => sarif::write(report, rules, out),
        Format::Junit => junit::write(report, rules, out),
    }
}

/// What every rule declares about itself (defined here, next to [`Level`], so that the
/// formatters receive it from their caller: `check` registers the rules, `diag` never looks
/// them up).
#[derive(Debug, Clone, Copy)]
pub struct RuleMeta {
    /// Kebab-case id, named after the problem (`broken-anchor`).
    pub id: &'static str,
    /// Level when nothing overrides it.
    pub default_level: Level,
    /// One line for `stepbook rules`.
    pub summary: &'static str,
    /// The rule's documentation (Markdown, `rules/<id>.md`): what it does, why it matters, a
    /// failing example, a passing example.
    pub docs: &'static str,
}

/// The rule id of a configuration error shown as a finding ([`Report::from_error`]).
pub const CONFIG_RULE: &str = "config";

/// A safe, mechanical edit that resolves a finding: replace `span` with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// What to replace (bytes of the file).
    pub span: Span,
    /// The new text.
    pub replacement: String,
}

/// One finding of one rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule id (`broken-step-ref`).
    pub rule: &'static str,
    /// The level in force for this run.
    pub level: Level,
    /// Path relative to the checked root, `/`-separated (`content/CREDENTIALS.md`).
    pub file: String,
    /// Where in the file (bytes).
    pub span: Span,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it, when the rule knows.
    pub help: Option<String>,
    /// A safe automatic fix, when there is one.
    pub fix: Option<Fix>,
}

/// Applies `fixes` to `text` and returns the new text and how many fixes were applied.
///
/// Fixes are applied from the end of the text backwards; a fix whose span overlaps one already
/// applied (one that starts later), runs past the end of `text` or does not fall on character
/// boundaries is skipped, so the result never depends on the order of `fixes`.
pub fn apply_fixes(text: &str, fixes: &[&Fix]) -> (String, usize) {
    let mut sorted: Vec<&Fix> = fixes.to_vec();
    sorted.sort_by(|a, b| {
        b.span
            .cmp(&a.span)
            .then_with(|| a.replacement.cmp(&b.replacement))
    });
    let mut out = text.to_string();
    let mut limit = text.len();
    let mut applied = 0;
    for fix in sorted {
        let Span { start, end } = fix.span;
        let valid = start <= end
            && end <= limit
            && text.is_char_boundary(start)
            && text.is_char_boundary(end);
        // An empty insertion exactly at the previous fix's start would be ambiguous; skip it too.
        if !valid || (start == end && applied > 0 && end == limit) {
            continue;
        }
        out.replace_range(start..end, &fix.replacement);
        limit = start;
        applied += 1;
    }
    (out, applied)
}

/// A diagnostic's span as 1-based lines and character columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    /// Where the span starts.
    pub start: LineCol,
    /// Where it ends (exclusive column).
    pub end: LineCol,
}

/// The text of one checked file, with its line index.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The full text.
    pub text: Arc<str>,
    /// Line starts of `text`, indexed on first use: a report holds every checked page's text,
    /// and only the files with findings or suppressions are ever located in lines.
    index: std::sync::OnceLock<LineIndex>,
}

impl SourceFile {
    /// `text`, whose line index is computed from it on first use (so the two never disagree).
    pub fn new(text: impl Into<Arc<str>>) -> SourceFile {
        SourceFile {
            text: text.into(),
            index: std::sync::OnceLock::new(),
        }
    }

    /// The line index of [`SourceFile::text`].
    pub fn index(&self) -> &LineIndex {
        self.index.get_or_init(|| LineIndex::new(&self.text))
    }
}

/// The findings of one run, sorted by file, line, column and rule, with the sources they point
/// into.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The findings, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Texts by [`Diagnostic::file`].
    pub sources: BTreeMap<String, SourceFile>,
    /// How many pages were checked (for the summary line: "in 2 of 2,001 pages"); 0 when
    /// unknown.
    pub pages: usize,
}

impl Report {
    /// Where `d` sits, in lines and columns (line 1, column 1 when its file is unknown).
    pub fn locate(&self, d: &Diagnostic) -> Location {
        match self.sources.get(&d.file) {
            Some(src) => Location {
                start: src.index().line_col(&src.text, d.span.start),
                end: src.index().line_col(&src.text, d.span.end),
            },
            None => Location {
                start: LineCol { line: 1, column: 1 },
                end: LineCol { line: 1, column: 1 },
            },
        }
    }

    /// Sorts by file, line, column, rule (the order every format prints).
    pub fn sort(&mut self) {
        let mut keyed: Vec<_> = std::mem::take(&mut self.diagnostics)
            .into_iter()
            .map(|d| {
                let loc = self.locate(&d);
                (
                    (d.file.clone(), loc.start.line, loc.start.column, d.rule),
                    d,
                )
            })
            .collect();
        keyed.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.message.cmp(&b.1.message)));
        self.diagnostics = keyed.into_iter().map(|(_, d)| d).collect();
    }

    /// Number of findings at `level`.
    pub fn count(&self, level: Level) -> usize {
        self.diagnostics.iter().filter(|d| d.level == level).count()
    }

    /// True when any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.count(Level::Error) > 0
    }

    /// The report that shows `error` like a finding (rule `config`, level error), when the
    /// error has a place in a file: a problem in book.toml, or a `file:line:column` config
    /// error whose file can still be read. `None` for every other error.
    pub fn from_error(error: &crate::error::Error) -> Option<Report> {
        use crate::error::Error;
        let (file, text, span, message, help) = match error {
            Error::ConfigAt(p) => (
                p.file.clone(),
                p.text.clone(),
                p.span,
                p.message.clone(),
                p.help.clone(),
            ),
            Error::Config {
                path,
                line,
                column,
                message,
            } => {
                let text: Arc<str> = Arc::from(std::fs::read_to_string(path).ok()?);
                let index = LineIndex::new(&text);
                let start = index.line_start(*line)?;
                let offset = text[start..]
                    .char_indices()
                    .nth(column.saturating_sub(1))
                    .map_or(text.len(), |(i, _)| start + i);
                let file = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                (file, text, Span::new(offset, offset), message.clone(), None)
            }
            _ => return None,
        };
        let mut report = Report::default();
        report.sources.insert(file.clone(), SourceFile::new(text));
        report.diagnostics.push(Diagnostic {
            rule: CONFIG_RULE,
            level: Level::Error,
            file,
            span,
            message,
            help,
            fix: None,
        });
        Some(report)
    }

    /// Number of distinct files with at least one finding.
    pub fn file_count(&self) -> usize {
        self.diagnostics
            .iter()
            .map(|d| d.file.as_str())
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(start: usize, end: usize, replacement: &str) -> Fix {
        Fix {
            span: Span::new(start, end),
            replacement: replacement.to_string(),
        }
    }

    #[test]
    fn fixes_apply_from_the_end_and_skip_overlaps() {
        let text = "one two three";
        let a = fix(0, 3, "1");
        let b = fix(4, 7, "2");
        let overlapping = fix(5, 9, "x");
        let c = fix(8, 13, "3");
        let (out, n) = apply_fixes(text, &[&a, &b, &c, &overlapping]);
        assert_eq!(out, "1 2 3");
        assert_eq!(n, 3);
    }

    #[test]
    fn fixes_out_of_range_or_inside_a_character_are_skipped() {
        let text = "é!";
        let inside = fix(1, 2, "e");
        let past = fix(2, 10, "?");
        let ok = fix(2, 3, "?");
        let (out, n) = apply_fixes(text, &[&inside, &past, &ok]);
        assert_eq!(out, "é?");
        assert_eq!(n, 1);
    }
}
