//! Human output, rustc style, rendered by annotate-snippets 0.12: a title line
//! `error[broken-step-ref]: message`, the origin ` --> content/CREDENTIALS.md:55:68`, the source
//! lines of the span with a caret line under it, `= help: …`, and a final summary line
//! (`error: 3 errors, 1 warning in 2 files`, or `no problems found`).
//!
//! Only the lines around a finding are handed to the renderer (a local window with
//! `line_start`), so a finding near the end of a large file costs no more than one near the top;
//! a line longer than [`LONG_LINE`] bytes is cut to [`CONTEXT`] bytes on each side of the span
//! (marked `…`), so the cost of a finding does not grow with the length of its line (issue 8: a
//! 130 KB one-line page took 182 s). Lone `\r` line endings are shown as line breaks.

use std::borrow::Cow;

use annotate_snippets::{AnnotationKind, Group, Level as SnippetLevel, Origin, Renderer, Snippet};

use super::{Diagnostic, Level, Report, SourceFile};
use crate::source::floor_char_boundary;

/// Spans that cover more lines than this are shown by their first line only (an accidental code
/// block can be dozens of lines long; its first line is what the reader needs to find it).
const MAX_SNIPPET_LINES: usize = 4;

/// A snippet longer than this many bytes is cut around its span.
pub const LONG_LINE: usize = 400;

/// Bytes of a cut line kept before and after the span (and of the span itself at most
/// `2 * CONTEXT`).
pub const CONTEXT: usize = 80;

/// Renders every finding of `report`, then the summary line, as one string ending in `\n`.
/// With `color` the text carries ANSI escapes (annotate-snippets' styled renderer); without it
/// the output is plain ASCII decoration around the file's own text.
pub fn render(report: &Report, color: bool) -> String {
    let mut out = render_findings(report, color);
    out.push_str(&summary(report, &renderer(color)));
    out.push('\n');
    out
}

/// Every finding of `report` as [`render`] shows them, each followed by a blank line, without
/// the summary line (for an error shown like a finding, and for `serve`'s new findings).
pub fn render_findings(report: &Report, color: bool) -> String {
    let renderer = renderer(color);
    let mut out = String::new();
    for d in &report.diagnostics {
        let (group, origin_fix) = diagnostic_group(report, d);
        let mut text = renderer.render(&group);
        if let Some((shown, real)) = origin_fix {
            // The renderer counted the column from the cut snippet's start; put the real one on
            // the origin line (the first line after the title that names the place).
            let title_end = text.find('\n').unwrap_or(0);
            if let Some(i) = text[title_end..].find(&shown) {
                let at = title_end + i;
                text.replace_range(at..at + shown.len(), &real);
            }
        }
        out.push_str(&text);
        out.push_str("\n\n");
    }
    out
}

fn renderer(color: bool) -> Renderer {
    if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
}

/// The summary line: `error: 3 errors, 12 warnings in 2 of 2,001 pages`, `warning: 1 warning in
/// 1 of 3 pages and 1 other file`, or `no problems found in 2,001 pages`. A report that does not
/// know how many pages were checked ([`Report::pages`] is 0) counts files instead.
pub fn summary_text(report: &Report) -> String {
    let errors = report.count(Level::Error);
    let warnings = report.count(Level::Warning);
    if errors == 0 && warnings == 0 {
        return match report.pages {
            0 => "no problems found".to_string(),
            n => format!("no problems found in {}", plural(n, "page")),
        };
    }
    let mut parts = Vec::new();
    if errors > 0 {
        parts.push(plural(errors, "error"));
    }
    if warnings > 0 {
        parts.push(plural(warnings, "warning"));
    }
    let files: std::collections::BTreeSet<&str> =
        report.diagnostics.iter().map(|d| d.file.as_str()).collect();
    let place = if report.pages == 0 {
        plural(files.len(), "file")
    } else {
        let pages = files
            .iter()
            .filter(|f| crate::project::is_markdown(std::path::Path::new(f)))
            .count();
        let others = files.len() - pages;
        if pages == 0 {
            return match files.iter().next() {
                Some(only) if others == 1 => format!("{} in {only}", parts.join(", ")),
                _ => format!(
                    "{} in {others} files, none in the {}",
                    parts.join(", "),
                    plural(report.pages, "page")
                ),
            };
        }
        let mut place = format!(
            "{} of {} {}",
            thousands(pages),
            thousands(report.pages),
            if report.pages == 1 { "page" } else { "pages" }
        );
        if others > 0 {
            place.push_str(&format!(
                " and {} other {}",
                others,
                if others == 1 { "file" } else { "files" }
            ));
        }
        place
    };
    format!("{} in {place}", parts.join(", "))
}

/// The summary line, titled `error:` or `warning:` when there are findings.
fn summary(report: &Report, renderer: &Renderer) -> String {
    let text = summary_text(report);
    let level = if report.has_errors() {
        SnippetLevel::ERROR
    } else if report.count(Level::Warning) > 0 {
        SnippetLevel::WARNING
    } else {
        return text;
    };
    renderer.render(&[Group::with_title(level.primary_title(text))])
}

/// `2001` → `2,001`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1 error`, `2 errors`, `2,001 pages`.
fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{} {word}s", thousands(n))
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

/// One finding as a report group: title, snippet (or bare origin), help. When the snippet is
/// a cut line, also the origin the renderer will print (`file:line:col` counted in the cut) and
/// the real one.
fn diagnostic_group<'a>(
    report: &'a Report,
    d: &'a Diagnostic,
) -> (Vec<Group<'a>>, Option<(String, String)>) {
    let title = snippet_level(d.level)
        .primary_title(d.message.as_str())
        .id(d.rule);
    let mut origin_fix = None;
    let mut group = match report.sources.get(&d.file) {
        Some(src) => {
            let (snippet, cut_column) = window(src, d);
            if let Some(shown) = cut_column {
                let at = report.locate(d).start;
                let place = |col: usize| format!("{}:{}:{col}", d.file, at.line);
                origin_fix = Some((place(shown), place(at.column)));
            }
            title.element(snippet.path(d.file.as_str()))
        }
        None => title.element(Origin::path(d.file.as_str()).line(1)),
    };
    if let Some(help) = &d.help {
        group = group.element(SnippetLevel::HELP.message(help.as_str()));
    }
    (vec![group], origin_fix)
}

/// The lines of `d.span` (at most [`MAX_SNIPPET_LINES`], else the first line) as a snippet with
/// the span annotated, relative to the window; a window longer than [`LONG_LINE`] bytes is cut
/// to [`CONTEXT`] bytes around the span, and then the second value is the column the renderer
/// will count for the span in the cut line.
fn window<'a>(
    src: &'a SourceFile,
    d: &'a Diagnostic,
) -> (
    Snippet<'a, annotate_snippets::Annotation<'a>>,
    Option<usize>,
) {
    let text: &str = &src.text;
    let start = floor_char_boundary(text, d.span.start.min(text.len()));
    let end = floor_char_boundary(text, d.span.end.min(text.len())).max(start);
    let first_line = src.index().line(start);
    // A span that ends just after a newline ends on the line before.
    let last_line = if end > start {
        src.index().line(end - 1)
    } else {
        first_line
    };
    let shown_last = if last_line - first_line < MAX_SNIPPET_LINES {
        last_line
    } else {
        first_line
    };
    let mut win_start = src.index().line_start(first_line).unwrap_or(0).min(start);
    let mut win_end = line_end(src, shown_last).max(start);
    let mut end = end.min(win_end);
    let cut = win_end - win_start > LONG_LINE;
    let (mut prefix, mut suffix) = ("", "");
    if cut {
        // Keep the span's own lines only from its first line, and at most 2 * CONTEXT bytes of
        // the span.
        win_end = win_end.min(line_end(src, first_line).max(start));
        end = end
            .min(win_end)
            .min(floor_char_boundary(text, start + 2 * CONTEXT));
        let from = floor_char_boundary(text, start.saturating_sub(CONTEXT)).max(win_start);
        let to = ceil_char_boundary(text, end + CONTEXT).min(win_end);
        if from > win_start {
            prefix = "…";
        }
        if to < win_end {
            suffix = "…";
        }
        (win_start, win_end) = (from, to);
    }
    let slice = &text[win_start..win_end];
    let shown: Cow<'a, str> = if prefix.is_empty() && suffix.is_empty() && !has_lone_cr(slice) {
        Cow::Borrowed(slice)
    } else {
        Cow::Owned(format!("{prefix}{}{suffix}", lone_cr_as_newline(slice)))
    };
    let rel_start = prefix.len() + start - win_start;
    let rel_end = prefix.len() + end.max(start) - win_start;
    let cut_column = cut.then(|| shown[..rel_start].chars().count() + 1);
    let snippet = Snippet::source(shown)
        .line_start(first_line)
        .annotation(AnnotationKind::Primary.span(rel_start..rel_end));
    (snippet, cut_column)
}

/// True when `s` holds a `\r` that is not followed by `\n` (a classic Mac line ending).
fn has_lone_cr(s: &str) -> bool {
    s.as_bytes()
        .iter()
        .enumerate()
        .any(|(i, &b)| b == b'\r' && s.as_bytes().get(i + 1) != Some(&b'\n'))
}

/// `s` with each lone `\r` replaced by `\n` (same length, so spans stay valid).
fn lone_cr_as_newline(s: &str) -> String {
    let bytes = s.as_bytes();
    s.char_indices()
        .map(|(i, c)| {
            if c == '\r' && bytes.get(i + 1) != Some(&b'\n') {
                '\n'
            } else {
                c
            }
        })
        .collect()
}

/// The smallest char boundary of `text` that is `>= offset` (or its length).
fn ceil_char_boundary(text: &str, mut offset: usize) -> usize {
    if offset >= text.len() {
        return text.len();
    }
    while !text.is_char_boundary(offset) {
        offset += 1;
    }
    offset
}

/// Byte offset of the end of 1-based `line` (before its `\n` or `\r\n`).
fn line_end(src: &SourceFile, line: usize) -> usize {
    let text: &str = &src.text;
    let start = src.index().line_start(line).unwrap_or(text.len());
    let end = src
        .index()
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

    use super::*;
    use crate::source::Span;

    fn report(text: &str, span: Span, help: Option<&str>) -> Report {
        let mut r = Report::default();
        r.sources.insert("a.md".into(), SourceFile::new(text));
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
    fn summary_counts_pages() {
        let mut r = report("x\n", Span::new(0, 1), None);
        r.diagnostics[0].level = Level::Warning;
        assert_eq!(summary_text(&r), "1 warning in 1 file");
        r.pages = 2001;
        r.diagnostics[0].file = "content/a.md".into();
        assert_eq!(summary_text(&r), "1 warning in 1 of 2,001 pages");
        r.diagnostics.push(Diagnostic {
            file: "res/x.png".into(),
            ..r.diagnostics[0].clone()
        });
        assert_eq!(
            summary_text(&r),
            "2 warnings in 1 of 2,001 pages and 1 other file"
        );
        r.diagnostics.remove(0);
        assert_eq!(summary_text(&r), "1 warning in res/x.png");
        r.diagnostics.clear();
        assert_eq!(summary_text(&r), "no problems found in 2,001 pages");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
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

    /// Issue 8: the formatter cost findings × line length; a long line is now cut around the
    /// span, and the origin still names the real column.
    #[test]
    fn long_lines_are_cut_around_the_span_with_the_real_column() {
        let text = format!("{}[x](y.md){}\n", "é".repeat(5_000), " tail".repeat(5_000));
        let s = text.find("[x]").expect("span");
        let out = render(&report(&text, Span::new(s, s + 9), None), false);
        assert!(out.contains("--> a.md:1:5001"), "{out}");
        assert!(out.contains("[x](y.md)"), "{out}");
        assert!(out.contains('…'), "{out}");
        assert!(out.len() < 1_000, "{} bytes: {out}", out.len());
        assert_eq!(out.matches("-->").count(), 1, "{out}");
        let caret_line = out.lines().find(|l| l.contains('^')).expect("caret line");
        assert_eq!(caret_line.matches('^').count(), 9, "{out}");
    }

    /// Issue 8: CR-only line endings gave every finding line 1.
    #[test]
    fn cr_only_line_endings_give_the_right_line() {
        let text = "# T\r\rSee [x](y.md) now.\r";
        let s = text.find("[x]").expect("span");
        let out = render(&report(text, Span::new(s, s + 9), None), false);
        assert!(out.contains("--> a.md:3:5"), "{out}");
        assert!(out.contains("3 | See [x](y.md) now."), "{out}");
        assert!(!out.contains('\r'), "{out:?}");
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
