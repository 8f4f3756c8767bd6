//! scope-deprecated: a listed scope is known to be retired (the built-in registry,
//! `src/scopes/data/retired-scopes.yaml`); the help names the replacement (SPEC.md, Rules).
//! Applies to every scope list, whether or not a source governs the guide.

use crate::check::{Context, Finding, Rule, RuleMeta};
use crate::diag::Level;
use crate::page::Page;

/// The rule.
pub struct ScopeDeprecated;

static META: RuleMeta = RuleMeta {
    id: "scope-deprecated",
    default_level: Level::Error,
    summary: "a listed scope is known to be retired; names the replacement",
    docs: include_str!("scope-deprecated.md"),
};

impl Rule for ScopeDeprecated {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_page(&self, cx: &Context<'_>, page: &Page, out: &mut Vec<Finding>) {
        for report in &cx.scope_analysis(page).lists {
            for (item, retired) in &report.retired {
                let help = if retired.replacement.is_empty() {
                    format!("remove it; nothing replaces it (see {})", retired.source)
                } else {
                    format!(
                        "request {} instead (see {})",
                        retired.replacement_text(),
                        retired.source
                    )
                };
                out.push(
                    Finding::new(
                        page,
                        item.span,
                        format!(
                            "scope `{}` was retired by {} ({})",
                            item.scope, retired.provider, retired.retired
                        ),
                    )
                    .help(help),
                );
            }
        }
    }
}
