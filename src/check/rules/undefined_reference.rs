//! `undefined-reference`: a reference link `[text][label]` or `[label][]` whose label has no
//! `[label]: destination` definition on the page (CommonMark §4.7, §6.3). Such a link renders as
//! the literal brackets (SPEC.md, Rules).
//!
//! The page model records these while parsing ([`Page::undefined_refs`]); a shortcut `[label]`
//! without a definition is ordinary text in CommonMark and is not reported.
//!
//! In an MkDocs site with the autorefs plugin (loaded by mkdocstrings), `[text][pydantic.BaseModel]`
//! and ``[`list`][]`` are cross-references the plugin resolves to a heading or an API object of
//! any page (or of an imported inventory), so such labels are not reported there
//! ([`crate::site::mkdocs::is_autoref`]).

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

    fn check_page(&self, cx: &Context<'_>, page: &Page, out: &mut Vec<Finding>) {
        let autorefs = cx.project.site.rules.autorefs_at(&page.rel);
        for r in &page.undefined_refs {
            if autorefs && crate::site::mkdocs::is_autoref(&r.label) {
                continue;
            }
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
