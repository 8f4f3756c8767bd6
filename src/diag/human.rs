//! Human output, rustc style, rendered by annotate-snippets 0.12: a title line
//! `error[broken-step-ref]: message`, the origin ` --> content/CREDENTIALS.md:55:68`, the source
//! lines of the span with a caret line under it, `= help: …`, and a final summary line
//! (`error: 3 errors, 1 warning in 2 files`, or `no problems found`).
//!
//! Only the lines around a finding are handed to the renderer (a local window with
//! `line_start`), so a finding near the end of a large file costs no more than one near the top.

use annotate_snippets::{AnnotationKind, Group, Level as SnippetLevel, Origin, Renderer, Snippet};

use super::{Diagnostic, Level, Report, SourceFile};
use crate::source::floor_char_boundary;

/// Spans that cover more lines than this are shown by their first line only (an accidental code
/// block can be dozens of lines long; its first line is what the reader needs to find it).
const MAX_SNIPPET_LINES: usize = 4;

/// Renders every finding of `report`, then the summary line, as one string ending in `\n`.
/// With `color` the text carries ANSI escapes (annotate-snippets' styled renderer); without it
/// the output is plain ASCII decoration around the file's own text.
pub fn render(report: &Report, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for d in &report.diagnostics {
        let group = diagnostic_group(report, d);
        out.push_str(&renderer.render(&group));
        out.push_str("\n\n");
    }
    out.push_str(&summary(report, &renderer));
    out.push('\n');
    out
}

/// The summary line: `error: 3 errors, 1 warning in 2 files`, `warning: 1 warning in 1 file`,
/// or `no problems found`.
fn summary(report: &Report, renderer: &Renderer) -> String {
    let errors = report.count(Level::Error);
    let warnings = report.count(Level::Warning);
    if errors == 0 && warnings == 0 {
        return "no problems found".to_string();
    }
    let mut parts = Vec::new();
    if errors > 0 {
        parts.push(plural(errors, "error"));
    }
    if warnings > 0 {
        parts.push(plural(warnings, "warning"));
    }
    let text = format!(
        "{} in {}",
        parts.join(", "),
        plural(report.file_count(), "file")
    );
    let level = if errors > 0 {
        SnippetLevel::ERROR
    } else {
        SnippetLevel::WARNING
    };
    renderer.render(&[Group::with_title(level.primary_title(text))])
}

/// `1 error`, `2 errors`.
fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The annotate-snippets level for a finding's level.
fn snippet_level(level: Level) -> SnippetLevel<'static> {
    match level {
        Level::Error => SnippetLevel::ERROR,
        Level::Warning => SnippetLevel::WARNING,
        Level::Allow => SnippetLevel::NOTE,
    }
}

/// One finding as a report group: title, snippet (or bare origin), help.
fn diagnostic_group<'a>(report: &'a Report, d: &'a Diagnostic) -> Vec<Group<'a>> {
    let title = snippet_level(d.level)
        .primary_title(d.message.as_str())
        .id(d.rule);
    let mut group = match report.sources.get(&d.file) {
        Some(src) => title.element(window(src, d)),
        None => title.element(Origin::path(d.file.as_str()).line(1)),
    };
    if let Some(help) = &d.help {
        group = group.element(SnippetLevel::HELP.message(help.as_str()));
    }
    vec![group]
}

/// The lines of `d.span` (at most [`MAX_SNIPPET_LINES`], else the first line) as a snippet with
/// the span annotated, relative to the window.
fn window<'a>(
    src: &'a SourceFile,
    d: &'a Diagnostic,
) -> Snippet<'a, annotate_snippets::Annotation<'a>> {
    let text: &str = &src.text;
    let start = floor_char_boundary(text, d.span.start.min(text.len()));
    let end = floor_char_boundary(text, d.span.end.min(text.len())).max(start);
    let first_line = src.index.line(start);
    // A span that ends just after a newline ends on the line before.
    let last_line = if end > start {
        src.index.line(end - 1)
    } else {
        first_line
    };
    let shown_last = if last_line - first_line < MAX_SNIPPET_LINES {
        last_line
    } else {
        first_line
    };
    let win_start = src.index.line_start(first_line).unwrap_or(0).min(start);
    let win_end = line_end(src, shown_last).max(start);
    let slice = &text[win_start..win_end];
    let rel_start = start - win_start;
    let rel_end = end.min(win_end) - win_start;
    Snippet::source(slice)
        .path(d.file.as_str())
        .line_start(first_line)
        .annotation(AnnotationKind::Primary.span(rel_start..rel_end))
}

/// Byte offset of the end of 1-based `line` (before its `\n` or `\r\n`).
fn line_end(src: &SourceFile, line: usize) -> usize {
    let text: &str = &src.text;
    let start = src.index.line_start(line).unwrap_or(text.len());
    let end = src
        .index
        .line_start(line + 1)
        .map(|next| next - 1)
        .unwrap_or(text.len());
    let end = if end > start && text.as_bytes()[end - 1] == b'\r' {
        end - 1
    } else {
        end
    };
    end.max(start)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::source::{LineIndex, Span};

    fn report(text: &str, span: Span, help: Option<&str>) -> Report {
        let mut r = Report::default();
        r.sources.insert(
            "a.md".into(),
            SourceFile {
                text: Arc::from(text),
                index: LineIndex::new(text),
            },
        );
        r.diagnostics.push(Diagnostic {
            rule: "broken-link",
            level: Level::Error,
            file: "a.md".into(),
            span,
            message: "link to missing file".into(),
            help: help.map(str::to_string),
            fix: None,
        });
        r
    }

    #[test]
    fn plain_output_has_title_origin_caret_help_and_summary() {
        let text = "# T\n\nSee [x](y.md) now.\n";
        let s = text.find("[x]").expect("span");
        let out = render(
            &report(text, Span::new(s, s + 9), Some("create y.md")),
            false,
        );
        assert!(
            out.contains("error[broken-link]: link to missing file"),
            "{out}"
        );
        assert!(out.contains("--> a.md:3:5"), "{out}");
        assert!(out.contains("3 | See [x](y.md) now."), "{out}");
        assert!(out.contains("  |     ^^^^^^^^^"), "{out}");
        assert!(out.contains("= help: create y.md"), "{out}");
        assert!(out.ends_with("error: 1 error in 1 file\n"), "{out}");
        assert!(!out.contains('\u{1b}'));
    }

    #[test]
    fn long_spans_show_their_first_line() {
        let text = "intro\n\n    - a\n    - b\n    - c\n    - d\n    - e\n    - f\n";
        let s = text.find("    - a").expect("span");
        let out = render(&report(text, Span::new(s, text.len()), None), false);
        assert!(out.contains("--> a.md:3:1"), "{out}");
        assert!(out.contains("3 |     - a"), "{out}");
        assert!(!out.contains("- f"), "{out}");
    }

    #[test]
    fn span_ending_after_newline_and_empty_span_render() {
        let text = "a\nb\n";
        let out = render(&report(text, Span::new(2, 4), None), false);
        assert!(out.contains("--> a.md:2:1"), "{out}");
        let out = render(&report(text, Span::new(4, 4), None), false);
        assert!(out.contains("error[broken-link]"), "{out}");
    }
}
