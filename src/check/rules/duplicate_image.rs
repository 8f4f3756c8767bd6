//! `duplicate-image`: the same image bytes published under two or more names (SPEC.md, Rules).
//! Content hashes come from the resource index ([`crate::images::cache`]), which hashes only
//! images whose length equals another image's, so a site without duplicates reads no pixels.
//! The finding sits on every copy but the first (in site-path order), at line 1, and names the
//! first.

use std::collections::BTreeMap;

use crate::check::{Context, Finding, Rule, RuleMeta};
use crate::diag::Level;
use crate::project::relative_slash;
use crate::source::Span;

/// The `duplicate-image` rule.
pub struct DuplicateImage;

static META: RuleMeta = RuleMeta {
    id: "duplicate-image",
    default_level: Level::Warning,
    summary: "the same image bytes are published under two names",
    docs: include_str!("duplicate-image.md"),
};

impl Rule for DuplicateImage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_site(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let project = cx.project;
        let mut by_hash: BTreeMap<&str, Vec<&String>> = BTreeMap::new();
        for (site, info) in &project.site.images {
            if let Some(hash) = &info.hash
                && info.problem.is_none()
            {
                by_hash.entry(hash.as_str()).or_default().push(site);
            }
        }
        for mut copies in by_hash.into_values().filter(|c| c.len() > 1) {
            copies.sort();
            let first = copies[0];
            for site in &copies[1..] {
                let Some(disk) = project.site.files.get(*site) else {
                    continue;
                };
                let site = cx.shown.disk(disk);
                let first = cx.shown.site_file(&project.site, first);
                out.push(Finding {
                    file: relative_slash(&project.settings.root, disk),
                    span: Span::new(0, 0),
                    message: format!("image {site} has the same bytes as {first}"),
                    help: Some(format!(
                        "reference {first} from every page that shows it and delete {site}"
                    )),
                    fix: None,
                });
            }
        }
    }
}
