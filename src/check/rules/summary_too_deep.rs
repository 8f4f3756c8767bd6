//! `summary-too-deep`: SUMMARY.md nests its chapter lists deeper than
//! [`summary::MAX_NESTING`](crate::page::summary::MAX_NESTING) levels. The sidebar keeps every
//! chapter, but lists the deeper ones flat under the chapter at the deepest allowed level; the
//! finding points at the first list past the cap. A hostile SUMMARY.md of thousands of nested
//! items used to overflow the stack (issue 8); now it is read in linear time and reported here.

use crate::check::{Context, Finding, Rule, RuleMeta};
use crate::diag::Level;
use crate::page::summary::{self, MAX_NESTING};
use crate::project::relative_slash;

/// The `summary-too-deep` rule.
pub struct SummaryTooDeep;

static META: RuleMeta = RuleMeta {
    id: "summary-too-deep",
    default_level: Level::Warning,
    summary: "SUMMARY.md nests chapters deeper than the sidebar shows (16 levels)",
    docs: include_str!("summary-too-deep.md"),
};

impl Rule for SummaryTooDeep {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_site(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some((path, text)) = &cx.project.summary else {
            return;
        };
        let Some((span, depth)) = summary::read(text).too_deep else {
            return;
        };
        out.push(Finding {
            file: relative_slash(&cx.project.settings.root, path),
            span,
            message: format!(
                "chapters are nested {depth} lists deep; the sidebar shows {MAX_NESTING} levels \
                 and lists deeper chapters flat under the chapter at level {MAX_NESTING}"
            ),
            help: Some(format!(
                "nest SUMMARY.md at most {MAX_NESTING} lists deep (split the part, or move the \
                 deep chapters up a level)"
            )),
            fix: None,
        });
    }
}
