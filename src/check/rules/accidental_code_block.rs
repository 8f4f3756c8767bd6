//! `accidental-code-block`: an indented code block (CommonMark §4.4) that holds Markdown — a
//! list, a blockquote, an image, emphasis — and so renders as literal text (SPEC.md, Rules).
//!
//! The page model already read every indented block once more as the Markdown its author meant
//! and recorded what it holds ([`CodeBlock::markdown`]); a block that looks like real code has
//! an empty list and is not reported. For a top-level block followed by a blank line (or the end
//! of the file), the finding carries a safe fix: remove the four-space indentation.

use std::collections::HashSet;

use crate::check::{Context, Finding, Rule, RuleMeta};
use crate::diag::{Fix, Level};
use crate::page::{BlockKind, CodeBlock, CodeKind, MarkdownKind, Page};
use crate::source::Span;

/// The rule.
pub struct AccidentalCodeBlock;

static META: RuleMeta = RuleMeta {
    id: "accidental-code-block",
    default_level: Level::Error,
    summary: "an indented code block holds Markdown and renders as literal text",
    docs: include_str!("accidental-code-block.md"),
};

impl Rule for AccidentalCodeBlock {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_page(&self, _cx: &Context<'_>, page: &Page, out: &mut Vec<Finding>) {
        let top_level: HashSet<usize> = page
            .blocks
            .iter()
            .filter_map(|b| match b.kind {
                BlockKind::CodeBlock(i) => Some(i),
                _ => None,
            })
            .collect();
        for (i, block) in page.code_blocks.iter().enumerate() {
            if block.kind != CodeKind::Indented || block.markdown.is_empty() {
                continue;
            }
            let mut finding = Finding::new(
                page,
                block.span,
                format!(
                    "this indented code block holds {}, so it renders as literal text",
                    describe(&block.markdown)
                ),
            )
            .help("remove the four-space indentation (or fence it with ``` if it really is code)");
            if top_level.contains(&i) {
                finding.fix = dedent_fix(&page.source, block);
            }
            out.push(finding);
        }
    }
}

/// "a blockquote, emphasis and an image".
fn describe(kinds: &[MarkdownKind]) -> String {
    let words: Vec<&str> = kinds.iter().map(|k| k.describe()).collect();
    match words.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => words.concat(),
    }
}

/// Replaces the block's lines with the same lines less up to four columns of indentation.
/// `None` when the block is not followed by a blank line or the end of the file (the dedented
/// text could then run into the next paragraph), or when a line is indented with anything but
/// spaces and tabs.
fn dedent_fix(source: &str, block: &CodeBlock) -> Option<Fix> {
    let start = source
        .get(..block.span.start)?
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let end = block.span.end.min(source.len());
    let text = source.get(start..end)?;
    let rest = source.get(end..)?;
    let next_line = rest.split('\n').next().unwrap_or("");
    let followed_by_blank = rest.is_empty() || next_line.trim().is_empty();
    if !followed_by_blank {
        return None;
    }
    let mut replacement = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let mut cols = 0;
        let mut skip = 0;
        for b in line.bytes() {
            match b {
                b' ' if cols < 4 => {
                    cols += 1;
                    skip += 1;
                }
                b'\t' if cols < 4 => {
                    cols = 4;
                    skip += 1;
                }
                _ => break,
            }
        }
        if cols < 4 && !line.trim().is_empty() {
            return None;
        }
        replacement.push_str(&line[skip..]);
    }
    Some(Fix {
        span: Span::new(start, end),
        replacement,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_kinds() {
        assert_eq!(
            describe(&[
                MarkdownKind::BlockQuote,
                MarkdownKind::Emphasis,
                MarkdownKind::Image
            ]),
            "a blockquote, emphasis and an image"
        );
        assert_eq!(describe(&[MarkdownKind::List]), "a list");
    }

    #[test]
    fn dedent_fix_removes_four_columns() {
        let source = "Intro:\n\n    > **Note:** hi\n    > there\n\nNext.\n";
        let start = source.find('>').unwrap_or_default();
        let end = source.find("\n\nNext").unwrap_or_default() + 1;
        let block = CodeBlock {
            kind: CodeKind::Indented,
            span: Span::new(start, end),
            content: String::new(),
            markdown: vec![MarkdownKind::BlockQuote],
        };
        let fix = dedent_fix(source, &block).expect("fix");
        assert_eq!(fix.replacement, "> **Note:** hi\n> there\n");
        assert_eq!(
            &source[fix.span.start..fix.span.end],
            "    > **Note:** hi\n    > there\n"
        );
        let tight = "Intro:\n\n    > a\nNext.\n";
        let block = CodeBlock {
            span: Span::new(
                tight.find('>').unwrap_or_default(),
                tight.find("Next").unwrap_or_default(),
            ),
            ..block
        };
        assert_eq!(dedent_fix(tight, &block), None);
    }
}
