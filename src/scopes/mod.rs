//! Scope lists: the sources of truth declared in `[[scopes]]`, resolved before a check run.
//! (Filled in by the scope-list work; see issue 4.)

use crate::error::Result;
use crate::project::Project;

/// The scopes each declared source requires, loaded once per run.
#[derive(Debug, Clone, Default)]
pub struct ResolvedSources {}

impl ResolvedSources {
    /// Resolves every `[[scopes]]` entry of `project`.
    pub fn load(_project: &Project) -> Result<Self> {
        Ok(ResolvedSources {})
    }
}

/// Fetches every `url` source of `project` and refreshes the on-disk cache
/// (`stepbook check --refresh-sources`). This first version has no URL sources to fetch.
pub fn refresh_sources(_project: &Project) -> Result<()> {
    Ok(())
}
