//! `undefined-reference`: a reference link `[text][label]` or `[label][]` whose label has no
//! `[label]: destination` definition on the page (CommonMark §4.7, §6.3). Such a link renders as
//! the literal brackets (SPEC.md, Rules).
//!
//! The page model records these while parsing ([`Page::undefined_refs`]); a shortcut `[label]`
//! without a definition is ordinary text in CommonMark and is not reported.

use crate::check::{Context, Finding, Rule, RuleMeta};
use crate::diag::Level;
use crate::page::Page;

/// The rule.
pub struct UndefinedReference;

static META: RuleMeta = RuleMeta {
    id: "undefined-reference",
    default_level: Level::Error,
    summary: "a reference link's label has no definition",
    docs: include_str!("undefined-reference.md"),
};

impl Rule for UndefinedReference {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_page(&self, _cx: &Context<'_>, page: &Page, out: &mut Vec<Finding>) {
        for r in &page.undefined_refs {
            out.push(
                Finding::new(
                    page,
                    r.span,
                    format!(
                        "reference link label `{}` has no `[{}]: …` definition on this page, so it renders as plain text",
                        r.label, r.label
                    ),
                )
                .help(format!(
                    "add `[{}]: URL` below the paragraph, or correct the label to one that is defined",
                    r.label
                )),
            );
        }
    }
}
