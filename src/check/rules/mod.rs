//! One module per rule, each with its documentation in `<rule_id>.md` beside it.

pub mod scope_deprecated;
pub mod scope_missing;
pub mod scope_source_uncached;
pub mod scope_unexpected;

/// Marker so the registry test can reference this module.
pub const ALL_MODULES: () = ();
