//! One module per rule, each with its documentation in `<rule_id>.md` beside it.

pub mod accidental_code_block;
pub mod broken_anchor;
pub mod broken_include;
pub mod broken_link;
pub mod broken_step_ref;
pub mod duplicate_image;
pub mod external_link;
pub mod image_case_mismatch;
pub mod image_format_mismatch;
pub mod invalid_suppression;
pub mod link_outside_site;
pub mod list_restart;
pub mod malformed_front_matter;
pub mod missing_alt_text;
pub mod missing_image;
pub mod orphan_image;
pub mod oversized_image;
pub mod scope_deprecated;
pub mod scope_missing;
pub mod scope_source_uncached;
pub mod scope_unexpected;
pub mod step_sequence;
pub mod summary_too_deep;
pub mod undefined_reference;
pub mod unlisted_page;
pub mod unreadable_image;
