//! `list-restart`: an ordered list that starts again at 1 right after an earlier ordered list of
//! the same section, split from it only by paragraphs (typically an unindented screenshot). The
//! unindented paragraph ends the first list (CommonMark §5.2, §5.3), so the reader sees 1, 1, 1
//! where the author meant 1, 2, 3 (SPEC.md, Rules).
//!
//! Reads the top-level block outline ([`Page::blocks`]): a heading starts a new section; any
//! block other than a paragraph (code, table, bullet list, blockquote, HTML, rule) ends the run.

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
}

impl Rule for ListRestart {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_page(&self, _cx: &Context<'_>, page: &Page, out: &mut Vec<Finding>) {
        let mut run: Option<Run> = None;
        for block in &page.blocks {
            match block.kind {
                BlockKind::Paragraph { image_only } => {
                    if let Some(r) = run.as_mut() {
                        r.between += 1;
                        r.images_only &= image_only;
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
                        }
                        _ => {
                            run = Some(Run {
                                next: start.saturating_add(items),
                                between: 0,
                                images_only: true,
                            });
                        }
                    }
                }
                _ => run = None,
            }
        }
    }
}
