//! `broken-include`: an mdBook `{{#include}}`, `{{#rustdoc_include}}` or `{{#playground}}`
//! directive names a missing file, a line range past the file's end or an anchor the file does
//! not have, or closes an include cycle (SPEC.md, Rules).
//!
//! The directives are expanded once, before the parse ([`crate::page::include`]), which records
//! every problem at the directive's own file, line and column (an included file's directive
//! names the included file). This rule only reports them.

use crate::check::{Context, Finding, Rule, RuleMeta};
use crate::diag::Level;
use crate::page::Page;

/// The `broken-include` rule.
pub struct BrokenInclude;

static META: RuleMeta = RuleMeta {
    id: "broken-include",
    default_level: Level::Error,
    summary: "an mdBook {{#include}}-style directive names a missing file, range or anchor, or a cycle",
    docs: include_str!("broken-include.md"),
};

impl Rule for BrokenInclude {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn spans_in_sources(&self) -> bool {
        true
    }

    fn check_page(&self, cx: &Context<'_>, page: &Page, out: &mut Vec<Finding>) {
        let Some(map) = &page.source_map else {
            return;
        };
        for p in &page.include_problems {
            let file = map
                .files()
                .get(p.file)
                .map_or_else(|| page.file.clone(), |f| f.file.clone());
            out.push(Finding {
                file,
                span: p.span,
                message: match p.via {
                    Some(at) => format!(
                        "{}{}",
                        p.message,
                        map.via_named(at.start, |f| cx.shown.root_file(f))
                    ),
                    None => p.message.clone(),
                },
                help: p.help.clone(),
                fix: None,
            });
        }
    }
}
