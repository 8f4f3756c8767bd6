//! scope-unexpected: a guide's scope list has a scope that none of the sources governing it
//! lists (SPEC.md, Rules). One warning per extra item. Retired scopes are left to
//! scope-deprecated.

use crate::check::{Context, Finding, Rule, RuleMeta};
use crate::diag::Level;
use crate::page::Page;

/// The rule.
pub struct ScopeUnexpected;

static META: RuleMeta = RuleMeta {
    id: "scope-unexpected",
    default_level: Level::Warning,
    summary: "a guide's scope list has a scope that its declared source does not list",
    docs: include_str!("scope-unexpected.md"),
};

impl Rule for ScopeUnexpected {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_page(&self, cx: &Context<'_>, page: &Page, out: &mut Vec<Finding>) {
        let Some(scopes) = cx.scopes else { return };
        if scopes.is_empty() {
            return;
        }
        for report in scopes.analyze(page).lists {
            if report.unexpected.is_empty() {
                continue;
            }
            let names: Vec<String> = report
                .sources
                .iter()
                .map(|&i| format!("\"{}\"", scopes.sources[i].name))
                .collect();
            let by = names.join(" or ");
            let mut seen = std::collections::HashSet::new();
            for item in &report.unexpected {
                if !seen.insert(item.scope.as_str()) {
                    continue;
                }
                out.push(
                    Finding::new(
                        page,
                        item.span,
                        format!("scope `{}` is not required by {by}", item.scope),
                    )
                    .help(format!(
                        "remove `{}` from the list, or add it to the source if the connector needs it",
                        item.scope
                    )),
                );
            }
        }
    }
}
