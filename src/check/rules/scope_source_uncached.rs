//! scope-source-uncached: a `url` scope source has no cached copy, so the guides it governs
//! were not compared with it. A normal check never fetches; the finding names the command that
//! does (`stepbook check --refresh-sources`). One warning per source, at its declaration.

use crate::check::{Context, Finding, Rule, RuleMeta};
use crate::diag::Level;
use crate::scopes::{Origin, REFRESH_COMMAND};

/// The rule.
pub struct ScopeSourceUncached;

static META: RuleMeta = RuleMeta {
    id: "scope-source-uncached",
    default_level: Level::Warning,
    summary: "a `url` scope source has no cached copy; run `stepbook check --refresh-sources`",
    docs: include_str!("scope-source-uncached.md"),
};

impl Rule for ScopeSourceUncached {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_site(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(scopes) = cx.scopes else { return };
        for s in &scopes.sources {
            let Origin::Url(url) = &s.origin else {
                continue;
            };
            if s.scopes.is_some() {
                continue;
            }
            out.push(Finding {
                file: s.declared_in.clone(),
                span: s.declared_at.unwrap_or_default(),
                message: format!(
                    "scope source \"{}\" has no cached copy of {url}, so its guides were not compared with it",
                    s.name
                ),
                help: Some(format!("run `{REFRESH_COMMAND}` to fetch it")),
                fix: None,
            });
        }
    }
}
