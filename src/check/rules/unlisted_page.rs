//! `unlisted-page`: SUMMARY.md exists and a page is not listed in it (SPEC.md, Rules).
//!
//! mdBook builds only the chapters SUMMARY.md lists, and so does stepbook: an unlisted page is
//! neither rendered nor in the sidebar. A Markdown file that another page pulls in with
//! `{{#include}}` is a fragment, not a page, and is not reported, nor is the 404 page
//! (`404.md`, or `[output.html] input-404`). The finding sits on the page, at line 1.

use std::collections::HashSet;

use crate::check::{Context, Finding, Rule, RuleMeta};
use crate::diag::Level;
use crate::page::summary;
use crate::source::Span;

/// The `unlisted-page` rule.
pub struct UnlistedPage;

static META: RuleMeta = RuleMeta {
    id: "unlisted-page",
    default_level: Level::Warning,
    summary: "SUMMARY.md exists and a page is not listed in it",
    docs: include_str!("unlisted-page.md"),
};

impl Rule for UnlistedPage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_site(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let project = cx.project;
        let Some((path, text)) = &project.summary else {
            return;
        };
        let known: HashSet<&str> = project.pages.iter().map(|p| p.rel.as_str()).collect();
        let listed = summary::listed_pages(text, |r| known.contains(r));
        let included: HashSet<&std::path::Path> = project
            .pages
            .iter()
            .filter_map(|p| p.source_map.as_ref())
            .flat_map(|m| m.files().iter().skip(1).map(|f| f.path.as_path()))
            .collect();
        let shown = cx.shown.disk(path);
        for page in &project.pages {
            let is_404 = page.rel == project.settings.html.page_404();
            if is_404 || listed.contains(&page.rel) || included.contains(page.path.as_path()) {
                continue;
            }
            out.push(
                Finding::at(
                    &page.file,
                    Span::new(0, 0),
                    format!(
                        "{} is not listed in {shown}, so it is not built",
                        cx.shown.site_path(&page.rel)
                    ),
                )
                .help(format!(
                    "add `- [{}]({})` to {shown}, or delete the page",
                    page.title,
                    page.rel.replace(' ', "%20")
                )),
            );
        }
    }
}
