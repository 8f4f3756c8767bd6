//! One module per rule, each with its documentation in `<rule_id>.md` beside it.

/// Marker so the registry test can reference this module.
pub const ALL_MODULES: () = ();
