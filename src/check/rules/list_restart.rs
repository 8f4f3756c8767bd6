//! `list-restart`: an ordered list that starts again at 1 right after an earlier ordered list of
//! the same section, split from it only by paragraphs (typically an unindented screenshot). The
//! unindented paragraph ends the first list (CommonMark §5.2, §5.3), so the reader sees 1, 1, 1
//! where the author meant 1, 2, 3 (SPEC.md, Rules).
//!
//! Reads the top-level block outline ([`Page::blocks`]): a heading starts a new section; any
//! block other than a paragraph (code, table, bullet list, blockquote or `> [!NOTE]` alert,
//! HTML, rule) ends the run. So do paragraphs that separate lists on purpose: one that
//! introduces the next list (ends with `:`), a `:::note` admonition, a bold line standing in for
//! a heading. What stays is the defect the rule exists for: a screenshot (an image-only
//! paragraph, or an image with a one-line caption) or stray prose that ends the list.

use crate::check::{Context, Finding, Rule, RuleMeta};
use crate::diag::Level;
use crate::page::{BlockKind, Page};

/// The rule.
pub struct ListRestart;

static META: RuleMeta = RuleMeta {
    id: "list-restart",
    default_level: Level::Warning,
    summary: "an ordered list restarts at 1 after an unindented image or paragraph",
    docs: include_str!("list-restart.md"),
};

/// The ordered list run being followed through a section.
struct Run {
    /// The number the next list should start at, counting every item of the run so far.
    next: u64,
    /// Paragraphs seen since the last list of the run; whether all of them are image-only.
    between: usize,
    images_only: bool,
    /// The last paragraph seen was a screenshot (so a one-line caption may follow).
    last_was_image: bool,
}

/// What a paragraph between two ordered lists is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Between {
    /// A screenshot: only images, or one image line plus one short caption line.
    Image,
    /// One short line that may caption the screenshot before it.
    Caption,
    /// Other prose: the unindented paragraph that ended the list by mistake.
    Prose,
    /// A sentence ending with `:`: it separates lists on purpose when it introduces the list
    /// right after it.
    Intro,
    /// A paragraph that separates lists on purpose: it opens or closes an admonition
    /// (`:::note` of Docusaurus, `/// note` of Python-Markdown blocks), or is a bold line used
    /// as a heading.
    Separator,
}

/// Classifies a top-level paragraph from its source `text`.
fn between_kind(text: &str, image_only: bool) -> Between {
    let t = text.trim();
    if image_only {
        return Between::Image;
    }
    let admonition = [":::", "///"]
        .iter()
        .any(|m| t.starts_with(m) || t.ends_with(m));
    if admonition || is_bold_line(t) {
        return Between::Separator;
    }
    if t.trim_end_matches(['*', '_']).trim_end().ends_with(':') {
        return Between::Intro;
    }
    // Only one or two lines matter: the first three non-empty ones tell which.
    let mut lines = t.lines().map(str::trim).filter(|l| !l.is_empty());
    let (first, second, third) = (lines.next(), lines.next(), lines.next());
    let is_image = |l: &str| {
        (l.starts_with("![") || l.starts_with("[![") || l.to_ascii_lowercase().starts_with("<img"))
            && (l.ends_with(')') || l.ends_with('>') || l.ends_with(']'))
    };
    match (first, second, third) {
        (Some(a), Some(b), None)
            if (is_image(a) && is_caption(b)) || (is_caption(a) && is_image(b)) =>
        {
            Between::Image
        }
        (Some(one), None, _) if is_caption(one) => Between::Caption,
        _ => Between::Prose,
    }
}

/// A caption: one short line that is not a sentence leading into something else.
fn is_caption(line: &str) -> bool {
    line.chars().count() <= 100 && !line.ends_with(':')
}

/// `**Troubleshooting**` or `__Option B__` alone on its line: a heading in all but name.
fn is_bold_line(t: &str) -> bool {
    !t.contains('\n')
        && ["**", "__"].iter().any(|m| {
            t.len() > 2 * m.len()
                && t.starts_with(m)
                && t.ends_with(m)
                && !t[m.len()..t.len() - m.len()].contains(m)
        })
}

impl Rule for ListRestart {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_page(&self, _cx: &Context<'_>, page: &Page, out: &mut Vec<Finding>) {
        let mut run: Option<Run> = None;
        for (bi, block) in page.blocks.iter().enumerate() {
            match block.kind {
                BlockKind::Paragraph { image_only } => {
                    let text = page
                        .source
                        .get(block.span.start..block.span.end)
                        .unwrap_or_default();
                    let next_is_list = page
                        .blocks
                        .get(bi + 1)
                        .is_some_and(|b| matches!(b.kind, BlockKind::List(_)));
                    match between_kind(text, image_only) {
                        Between::Separator => run = None,
                        // "To import more data:" introduces the list after it; a sentence
                        // ending with `:` before a screenshot is part of the split step.
                        Between::Intro if next_is_list => run = None,
                        kind => {
                            if let Some(r) = run.as_mut() {
                                // A one-line caption right after the screenshot is part of it.
                                let caption = kind == Between::Caption && r.last_was_image;
                                let kind = if kind == Between::Intro {
                                    Between::Prose
                                } else {
                                    kind
                                };
                                r.between += 1;
                                r.images_only &= kind == Between::Image || caption;
                                r.last_was_image = kind == Between::Image;
                            }
                        }
                    }
                }
                BlockKind::List(i) => {
                    let Some(list) = page.lists.get(i) else {
                        run = None;
                        continue;
                    };
                    let Some(start) = list.start else {
                        run = None;
                        continue;
                    };
                    let items = list.items.len() as u64;
                    match run.as_mut() {
                        Some(r) if start == 1 && r.between > 0 => {
                            let what = if r.images_only { "image" } else { "paragraph" };
                            let span = list.items.first().map_or(list.span, |item| item.span);
                            out.push(
                                Finding::new(
                                    page,
                                    span,
                                    format!(
                                        "this ordered list starts again at 1 instead of going on at {}: the unindented \
                                         {what} before it ends the list above",
                                        r.next
                                    ),
                                )
                                .help(format!(
                                    "indent the {what} above by 3 spaces so it belongs to the previous item and the \
                                     list goes on, or start this list at {}",
                                    r.next
                                )),
                            );
                            r.next += items;
                            r.between = 0;
                            r.images_only = true;
                            r.last_was_image = false;
                        }
                        _ => {
                            run = Some(Run {
                                next: start.saturating_add(items),
                                between: 0,
                                images_only: true,
                                last_was_image: false,
                            });
                        }
                    }
                }
                _ => run = None,
            }
        }
    }
}
