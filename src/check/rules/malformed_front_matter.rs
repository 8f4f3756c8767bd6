//! `malformed-front-matter`: a page's YAML front matter (between `---` lines at the top) cannot
//! be read, so its title, `draft` flag and other keys are lost.
//!
//! The page is still read and checked without its front matter
//! ([`crate::page::front_matter::read`]), so one bad block does not hide the rest of a
//! repository's findings; `build` stops on it with the same file, line and message.

use crate::check::{Context, Finding, Rule, RuleMeta};
use crate::diag::Level;
use crate::page::Page;

/// The `malformed-front-matter` rule.
pub struct MalformedFrontMatter;

static META: RuleMeta = RuleMeta {
    id: "malformed-front-matter",
    default_level: Level::Error,
    summary: "a page's YAML front matter cannot be read",
    docs: include_str!("malformed-front-matter.md"),
};

impl Rule for MalformedFrontMatter {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_page(&self, _cx: &Context<'_>, page: &Page, out: &mut Vec<Finding>) {
        if let Some(p) = &page.front_matter_problem {
            // The most common slip (Jekyll's and Hugo's too): an unquoted value holding `: `.
            let help = if p.message.starts_with("mapping values are not allowed") {
                "a value that holds `: ` must be quoted: `title: \"Step 1: Install\"`"
            } else {
                "front matter is YAML between `---` lines at the top of the page; a build \
                 stops on this page until it reads"
            };
            out.push(
                Finding::new(
                    page,
                    p.span,
                    format!("malformed front matter: {}", p.message),
                )
                .help(help),
            );
        }
    }
}
