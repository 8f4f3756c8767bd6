//! scope-unexpected: a guide's scope list has a scope that none of the sources governing it
//! lists (SPEC.md, Rules). One warning per extra item. Retired scopes are left to
//! scope-deprecated.

use super::scope_missing::code_list;
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
        let analysis = cx.scope_analysis(page);
        for report in &analysis.lists {
            if report.unexpected.is_empty() {
                continue;
            }
            let names: Vec<String> = report
                .sources
                .iter()
                .map(|&i| format!("\"{}\"", scopes.sources[i].name))
                .collect();
            let by = names.join(" or ");
            let stand_ins = report.stand_ins();
            let missing: Vec<&str> = report.missing.iter().map(|(s, _)| s.as_str()).collect();
            let mut seen = std::collections::HashSet::new();
            for item in &report.unexpected {
                if !seen.insert(item.scope.as_str()) {
                    continue;
                }
                let scope = item.scope.as_str();
                let pair = stand_ins
                    .iter()
                    .find(|(e, _)| *e == scope)
                    .and_then(|(_, m)| *m);
                // Name the scope-missing side of the story when the same list lacks scopes.
                let (story, help) = match pair {
                    Some(m) => (
                        format!("; it is listed instead of `{m}`, which the list lacks"),
                        format!("replace `{scope}` with `{m}`"),
                    ),
                    None if !missing.is_empty() => (
                        format!("; the list also lacks {}", code_list(&missing)),
                        format!(
                            "remove `{scope}` from the list, or add it to the source if the connector needs it"
                        ),
                    ),
                    None => (
                        String::new(),
                        format!(
                            "remove `{scope}` from the list, or add it to the source if the connector needs it"
                        ),
                    ),
                };
                out.push(
                    Finding::new(
                        page,
                        item.span,
                        format!("scope `{scope}` is not required by {by}{story}"),
                    )
                    .help(help),
                );
            }
        }
    }
}
