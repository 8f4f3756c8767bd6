//! `broken-anchor`: a `#fragment` that names no anchor of its target page (SPEC.md, Rules).
//!
//! Anchors are the page's GitHub heading ids (duplicates `-1`, `-2` …), `id` attributes and
//! `<a name>` in its raw HTML ([`Page::has_anchor`]). A fragment is checked on the same page
//! (`#x`) and on another Markdown page (`setup.md#x`, `guide/#x`); fragments on other files
//! (images, PDFs) are not anchors stepbook can see and are left alone. An empty fragment (`#`)
//! and `#top` mean the top of the page (HTML Standard, "find a potential indicated element").
//!
//! Cases: `../shared/cases/01-heading-parentheses`, `02-heading-emoji`, `06-a-name-anchor`,
//! `08-duplicate-headings`, `19-front-matter-not-content`.

use crate::check::{Context, Finding, Rule, RuleMeta};
use crate::diag::Level;
use crate::page::{Heading, HtmlId, Page};
use crate::project::is_markdown;
use crate::resolve::{Found, Target};
use crate::suggest::edit_distance;

/// The `broken-anchor` rule.
pub struct BrokenAnchor;

static META: RuleMeta = RuleMeta {
    id: "broken-anchor",
    default_level: Level::Error,
    summary: "a #fragment (same page or another) matches no heading id or explicit id in the target",
    docs: include_str!("broken-anchor.md"),
};

impl Rule for BrokenAnchor {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_page(&self, cx: &Context<'_>, page: &Page, out: &mut Vec<Finding>) {
        // Only a destination with `#` can carry a fragment; skip the others without resolving.
        let targets = cx.targets(page);
        for (link, resolved) in page.links.iter().zip(&targets.links) {
            if !link.dest.contains('#') {
                continue;
            }
            // The target: this page, or another page's facts (`None`: this page).
            let own = Anchors {
                headings: &page.headings,
                html_ids: &page.html_ids,
            };
            let (file, anchors, other, fragment) = match resolved {
                Target::SamePage(f) => (page.file.as_str(), own, None, f),
                Target::Site {
                    found: Found::File(p) | Found::DirIndex(p),
                    fragment: Some(f),
                    ..
                } if is_markdown(std::path::Path::new(p)) => match cx.page(p) {
                    Some(t) if t.rel == page.rel => (page.file.as_str(), own, None, f),
                    Some(t) => {
                        let anchors = Anchors {
                            headings: t.facts.headings,
                            html_ids: t.facts.html_ids,
                        };
                        (t.file, anchors, Some(t.facts), f)
                    }
                    None => continue,
                },
                _ => continue,
            };
            let has = match other {
                Some(facts) => facts.has_anchor(fragment),
                None => page.has_anchor(fragment),
            };
            if fragment.is_empty() || fragment.eq_ignore_ascii_case("top") || has {
                continue;
            }
            let file = cx.shown.root_file(file);
            let file = file.as_str();
            let mut finding = Finding::new(
                page,
                link.span,
                format!("fragment #{fragment} matches no heading or id in {file}"),
            );
            if let Some(best) = closest_anchor(anchors, fragment) {
                finding = finding.help(format!("did you mean #{best}?"));
            } else {
                finding = finding.help(list_anchors(file, anchors));
            }
            out.push(finding);
        }
    }
}

/// The ids a page defines, in document order: heading ids, then HTML ids.
#[derive(Clone, Copy)]
pub struct Anchors<'p> {
    /// The page's headings.
    pub headings: &'p [Heading],
    /// The page's HTML ids.
    pub html_ids: &'p [HtmlId],
}

impl<'p> Anchors<'p> {
    fn ids(self) -> impl Iterator<Item = &'p str> {
        self.headings
            .iter()
            .map(|h| h.id.as_str())
            .chain(self.html_ids.iter().map(|a| a.id.as_str()))
    }
}

/// The anchor of `page` closest to `fragment`: smallest edit distance, ties broken by the longest
/// shared prefix, then document order. `None` when nothing is close enough to be a likely typo
/// (distance above a third of the fragment's length, at least 2, and no prefix relation).
pub fn closest_anchor<'p>(page: Anchors<'p>, fragment: &str) -> Option<&'p str> {
    let candidates = page.ids();
    let limit = (fragment.chars().count() / 3).max(2);
    let mut best: Option<(usize, std::cmp::Reverse<usize>, &str)> = None;
    for id in candidates {
        if id.is_empty() {
            continue;
        }
        let distance = edit_distance(fragment, id);
        let prefix = shared_prefix(fragment, id);
        let related = prefix >= 3 && (id.starts_with(fragment) || fragment.starts_with(id));
        if distance > limit && !related {
            continue;
        }
        let key = (distance, std::cmp::Reverse(prefix), id);
        if best.is_none_or(|b| (key.0, key.1) < (b.0, b.1)) {
            best = Some(key);
        }
    }
    best.map(|(_, _, id)| id)
}

/// "setup.md has these anchors: #setup, #before-you-begin …" (the first few, in document
/// order), or a note that it has none.
fn list_anchors(file: &str, page: Anchors<'_>) -> String {
    const SHOWN: usize = 5;
    let ids: Vec<&str> = page.ids().filter(|id| !id.is_empty()).collect();
    if ids.is_empty() {
        return format!("{file} has no headings or ids to link to");
    }
    let shown: Vec<String> = ids.iter().take(SHOWN).map(|id| format!("#{id}")).collect();
    let more = if ids.len() > SHOWN {
        format!(" and {} more", ids.len() - SHOWN)
    } else {
        String::new()
    };
    format!("{file} has these anchors: {}{more}", shown.join(", "))
}

/// Number of leading characters `a` and `b` share.
fn shared_prefix(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_prefix_counts_characters() {
        assert_eq!(shared_prefix("legacy", "legacy-notes"), 6);
        assert_eq!(shared_prefix("abc", "xbc"), 0);
    }
}
