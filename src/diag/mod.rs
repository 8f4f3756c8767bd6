//! Findings as data: [`Diagnostic`] (rule, level, file, span, message, help, fix) and the
//! [`Report`] that carries them, sorted, with the file texts needed to print line, column and
//! snippet. One submodule per output format; only `human` knows the snippet crate.

pub mod human;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::source::{LineCol, LineIndex, Span};

/// How serious a rule's findings are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The rule does not run.
    Allow,
    /// Reported; never fails a command.
    Warning,
    /// Reported; fails `check` and `build --strict` (exit 1).
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
    /// Line starts of `text`.
    pub index: LineIndex,
}

/// The findings of one run, sorted by file, line, column and rule, with the sources they point
/// into.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The findings, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Texts by [`Diagnostic::file`].
    pub sources: BTreeMap<String, SourceFile>,
}

impl Report {
    /// Where `d` sits, in lines and columns (line 1, column 1 when its file is unknown).
    pub fn locate(&self, d: &Diagnostic) -> Location {
        match self.sources.get(&d.file) {
            Some(src) => Location {
                start: src.index.line_col(&src.text, d.span.start),
                end: src.index.line_col(&src.text, d.span.end),
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
                ((d.file.clone(), loc.start.line, loc.start.column, d.rule), d)
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
}
