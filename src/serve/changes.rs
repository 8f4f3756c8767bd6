//! What `serve` prints in the terminal after each check: the findings that are new since the
//! last check, in rustc style with their snippet, and the ones that were fixed, one line each.
//! A save that changes nothing prints none of them again.
//!
//! Findings are matched by file, rule and message, not by line or span, so that a line added
//! above a finding, or an edit inside a long one (a code block), does not make it "fixed" and
//! "new" at once. Equal findings are counted, so fixing one of two identical findings reports
//! one.

use std::collections::HashMap;

use crate::diag::{Diagnostic, Report, human};

/// The findings that appeared and disappeared between two checks.
#[derive(Debug, Clone, Default)]
pub struct Changes {
    /// New findings, with the sources to show them.
    pub new: Report,
    /// Fixed findings, with the sources they were in.
    pub fixed: Report,
}

/// What identifies a finding across edits.
fn identity<'r>(_report: &'r Report, d: &'r Diagnostic) -> (&'r str, &'r str, &'r str) {
    (d.file.as_str(), d.rule, d.message.as_str())
}

impl Changes {
    /// The differences from `old` to `new`.
    pub fn between(old: &Report, new: &Report) -> Changes {
        let mut before: HashMap<_, usize> = HashMap::new();
        for d in &old.diagnostics {
            *before.entry(identity(old, d)).or_default() += 1;
        }
        let mut out = Changes::default();
        for d in &new.diagnostics {
            match before.get_mut(&identity(new, d)) {
                Some(n) if *n > 0 => *n -= 1,
                _ => out.new.diagnostics.push(d.clone()),
            }
        }
        let mut after: HashMap<_, usize> = HashMap::new();
        for d in &new.diagnostics {
            *after.entry(identity(new, d)).or_default() += 1;
        }
        for d in &old.diagnostics {
            match after.get_mut(&identity(old, d)) {
                Some(n) if *n > 0 => *n -= 1,
                _ => out.fixed.diagnostics.push(d.clone()),
            }
        }
        out.new.sources = sources_of(new, &out.new);
        out.fixed.sources = sources_of(old, &out.fixed);
        out
    }

    /// True when no finding appeared or disappeared.
    pub fn is_empty(&self) -> bool {
        self.new.diagnostics.is_empty() && self.fixed.diagnostics.is_empty()
    }

    /// The terminal text: each new finding as `check` shows it, then one `fixed: …` line per
    /// fixed finding. Empty when nothing changed.
    pub fn render(&self, color: bool) -> String {
        let mut out = human::render_findings(&self.new, color);
        for d in &self.fixed.diagnostics {
            let at = self.fixed.locate(d).start;
            let line = format!(
                "fixed: {}[{}] {}:{}:{}: {}",
                d.level.as_str(),
                d.rule,
                d.file,
                at.line,
                at.column,
                d.message
            );
            if color {
                out.push_str(&format!("\u{1b}[32m{line}\u{1b}[0m\n"));
            } else {
                out.push_str(&line);
                out.push('\n');
            }
        }
        out
    }
}

/// The sources of `from` that the findings of `report` point into.
fn sources_of(
    from: &Report,
    report: &Report,
) -> std::collections::BTreeMap<String, crate::diag::SourceFile> {
    report
        .diagnostics
        .iter()
        .filter_map(|d| {
            from.sources
                .get(&d.file)
                .map(|s| (d.file.clone(), s.clone()))
        })
        .collect()
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::diag::{Level, SourceFile};
    use crate::source::Span;

    fn report(text: &str, finds: &[&str]) -> Report {
        let mut r = Report::default();
        r.sources.insert("a.md".into(), SourceFile::new(text));
        for f in finds {
            let start = text.find(f).expect("in text");
            r.diagnostics.push(Diagnostic {
                rule: "broken-step-ref",
                level: Level::Error,
                file: "a.md".into(),
                span: Span::new(start, start + f.len()),
                message: format!("reference to {f}"),
                help: None,
                fix: None,
            });
        }
        r
    }

    #[test]
    fn a_line_added_above_changes_nothing_and_a_fix_is_reported_once() {
        let old = report("# A\n\nSee Step 6.\n", &["Step 6"]);
        let moved = report("# A\n\nNew line.\n\nSee Step 6.\n", &["Step 6"]);
        assert!(Changes::between(&old, &moved).is_empty());
        let fixed = report("# A\n\nSee Step 3 and Step 7.\n", &["Step 7"]);
        let changes = Changes::between(&moved, &fixed);
        assert_eq!(changes.new.diagnostics.len(), 1);
        assert_eq!(changes.fixed.diagnostics.len(), 1);
        let text = changes.render(false);
        assert!(
            text.contains("error[broken-step-ref]: reference to Step 7"),
            "{text}"
        );
        assert!(text.contains("--> a.md:3:16"), "{text}");
        assert!(
            text.contains("fixed: error[broken-step-ref] a.md:5:5: reference to Step 6"),
            "{text}"
        );
    }
}
