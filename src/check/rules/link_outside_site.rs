//! `link-outside-site`: in a site convention (every one but `github`), a link that leaves the
//! published site: it lands on a file or folder of the repository that the site will not hold,
//! or it is an mdBook `.html` link to a sibling book published beside this one (SPEC.md, Link
//! conventions). The repository file exists, so GitHub readers are fine; site readers get a 404
//! unless the sibling is really there. A sibling link mapped to a URL by `[check] site-url` and
//! `external-roots` is left to `external-link` (with `--external`).

use crate::check::{Context, Finding, Rule, RuleMeta};
use crate::diag::Level;
use crate::page::Page;
use crate::resolve::Target;

/// The `link-outside-site` rule.
pub struct LinkOutsideSite;

static META: RuleMeta = RuleMeta {
    id: "link-outside-site",
    default_level: Level::Warning,
    summary: "(site conventions) a link lands on a repository file the published site will not have",
    docs: include_str!("link-outside-site.md"),
};

impl Rule for LinkOutsideSite {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_page(&self, cx: &Context<'_>, page: &Page, out: &mut Vec<Finding>) {
        let rules = &cx.project.site.rules;
        let targets = cx.targets(page);
        // A generator's site below the checked folder publishes its own pages only.
        let convention = rules.site_convention_at(&page.rel);
        let spans = page
            .links
            .iter()
            .map(|l| l.span)
            .chain(page.images.iter().map(|i| i.span));
        for (span, target) in spans.zip(targets.links.iter().chain(&targets.images)) {
            let (message, help) = match target {
                Target::Repo { path, exists: true } if convention.is_site() => (
                    format!(
                        "{} is a file of the repository, outside the {} site: the published site will not have it",
                        super::broken_link::repo_file(cx, path),
                        convention.name()
                    ),
                    "link to its page on the repository host with a full URL, or move it into the site",
                ),
                Target::Sibling { path, url: None } => (
                    format!(
                        "{path} leaves the book: stepbook cannot see a sibling site published beside it"
                    ),
                    "link to it with a full URL, or set `[check] site-url` and `external-roots` so that `--external` checks it",
                ),
                _ => continue,
            };
            out.push(Finding::new(page, span, message).help(format!(
                "{help}\n{}",
                rules.describe_at(&page.rel, &cx.shown)
            )));
        }
    }
}
