//! The one place where rules are registered. A new rule adds one line to [`RULES`].

use super::Rule;
use super::rules;

/// Every rule, in the order `stepbook rules` lists them.
pub static RULES: &[&dyn Rule] = &[
    // rules: one line each, in SPEC.md's order
    &rules::broken_link::BrokenLink,
    &rules::broken_anchor::BrokenAnchor,
    &rules::missing_image::MissingImage,
    &rules::image_case_mismatch::ImageCaseMismatch,
    &rules::unreadable_image::UnreadableImage,
    &rules::image_format_mismatch::ImageFormatMismatch,
    &rules::orphan_image::OrphanImage,
    &rules::missing_alt_text::MissingAltText,
    &rules::broken_step_ref::BrokenStepRef,
    &rules::step_sequence::StepSequence,
    &rules::accidental_code_block::AccidentalCodeBlock,
    &rules::list_restart::ListRestart,
    &rules::undefined_reference::UndefinedReference,
    &rules::scope_missing::ScopeMissing,
    &rules::scope_unexpected::ScopeUnexpected,
    &rules::scope_deprecated::ScopeDeprecated,
    &rules::scope_source_uncached::ScopeSourceUncached,
    &rules::external_link::ExternalLink,
    &rules::broken_include::BrokenInclude,
    &rules::unlisted_page::UnlistedPage,
    &rules::link_outside_site::LinkOutsideSite,
    &rules::invalid_suppression::InvalidSuppression,
    &rules::summary_too_deep::SummaryTooDeep,
    &rules::oversized_image::OversizedImage,
    &rules::duplicate_image::DuplicateImage,
    &rules::malformed_front_matter::MalformedFrontMatter,
];

/// The metadata of every rule, in [`RULES`]' order (what the report formatters take).
pub fn metas() -> Vec<&'static super::RuleMeta> {
    RULES.iter().map(|r| r.meta()).collect()
}

/// The rule with id `id`.
pub fn find_rule(id: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| r.meta().id == id)
}

/// The registered id closest to `id` (at most 3 edits), for "did you mean".
pub fn suggest(id: &str) -> Option<&'static str> {
    crate::suggest::closest(id, RULES.iter().map(|r| r.meta().id), 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case_and_documented() {
        let mut seen = std::collections::BTreeSet::new();
        for r in RULES {
            let m = r.meta();
            assert!(seen.insert(m.id), "duplicate id {}", m.id);
            assert!(
                m.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                m.id
            );
            for heading in [
                "## What it does",
                "## Why it matters",
                "## Failing example",
                "## Passing example",
            ] {
                assert!(m.docs.contains(heading), "{} docs lack {heading}", m.id);
            }
        }
    }
}
