//! `invalid-suppression`: a `<!-- stepbook-ignore RULE-ID: reason -->` comment that silences
//! nothing, because it names a rule id that is not registered (a typo, or a rule of another
//! tool) or cannot be read at all (misspelt directive, no rule id, reason without `:`, no
//! closing `-->`). Without this rule such a comment fails silently and the finding it was meant
//! to silence keeps coming back, or worse, a later real finding is never looked at.
//!
//! The did-you-mean compares the id with every registered id (Levenshtein distance via the
//! [`crate::suggest`], after lowercasing and `_` → `-`).

use crate::check::{Context, Finding, RULES, Rule, RuleMeta, find_rule};
use crate::diag::Level;
use crate::page::Page;

/// The rule.
pub struct InvalidSuppression;

static META: RuleMeta = RuleMeta {
    id: "invalid-suppression",
    default_level: Level::Warning,
    summary: "a stepbook-ignore comment names an unknown rule or cannot be read, so it silences nothing",
    docs: include_str!("invalid-suppression.md"),
};

impl Rule for InvalidSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_page(&self, _cx: &Context<'_>, page: &Page, out: &mut Vec<Finding>) {
        for s in &page.suppressions {
            if find_rule(&s.rule).is_some() {
                continue;
            }
            let mut f = Finding::new(
                page,
                s.span,
                format!(
                    "stepbook-ignore names unknown rule `{}`, so it silences nothing",
                    s.rule
                ),
            );
            f = match suggest(&s.rule) {
                Some(id) => f.help(format!("did you mean `{id}`?")),
                None => f.help("`stepbook rules` lists the rule ids"),
            };
            out.push(f);
        }
        for m in &page.malformed_suppressions {
            out.push(Finding::new(
                page,
                m.span,
                format!("{}; as written it silences nothing", m.problem),
            ));
        }
    }
}

/// The registered rule id closest to `id`: edit distance at most 3 (and less than the id's
/// length), after lowercasing and `_` → `-`.
pub fn suggest(id: &str) -> Option<&'static str> {
    let norm = id.to_lowercase().replace('_', "-");
    RULES
        .iter()
        .map(|r| r.meta().id)
        .map(|known| (crate::suggest::edit_distance(&norm, known), known))
        .filter(|&(d, _)| d <= 3 && d < norm.chars().count())
        .min()
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_registered_id() {
        assert_eq!(suggest("broken-links"), Some("broken-link"));
        assert_eq!(suggest("Broken_Link"), Some("broken-link"));
        assert_eq!(suggest("step-sequense"), Some("step-sequence"));
        assert_eq!(suggest("no-such-thing-at-all"), None);
    }
}
