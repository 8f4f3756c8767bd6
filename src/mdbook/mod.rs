//! What stepbook does so that an mdBook book builds as `mdbook build` builds it, beyond reading
//! book.toml ([`crate::config`]), SUMMARY.md ([`crate::page::summary`]) and the `links`
//! directives ([`crate::page::include`]): `create-missing` ([`create_missing`]), external
//! preprocessors ([`preprocessor`]) and the `[output.html]` keys ([`html_config`]).

pub mod html_config;
pub mod preprocessor;

use std::path::Path;

use crate::config::Settings;
use crate::error::{Error, Result};
use crate::page::summary;

/// mdBook's `create-missing` (only when book.toml sets it to `true`): creates every file that
/// SUMMARY.md lists and that does not exist, holding `# Title`. Files are only ever created
/// inside the content folder. Returns the files created (content-relative).
///
/// Errors: [`Error::Io`] naming the file that could not be read or created.
pub fn create_missing(settings: &Settings) -> Result<Vec<String>> {
    let path = settings.content_dir.join("SUMMARY.md");
    if !settings.create_missing || !path.is_file() {
        return Ok(Vec::new());
    }
    let text = crate::project::read_text(&path)?;
    let entries = summary::parse(&text);
    let mut created = Vec::new();
    for c in summary::chapters(&entries) {
        let Some(rel) = c.rel() else { continue };
        let exists = |r: &str| settings.content_dir.join(r).is_file();
        if summary::resolve(&rel, exists).is_some() || !is_plain_relative(&rel) {
            continue;
        }
        let dest = settings.content_dir.join(&rel);
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(&dest, format!("# {}\n", c.title)).map_err(|e| Error::io(&dest, e))?;
        created.push(rel);
    }
    Ok(created)
}

/// True for a `/`-separated relative path without `..`, `.` or empty segments.
fn is_plain_relative(rel: &str) -> bool {
    !Path::new(rel).is_absolute()
        && rel
            .split('/')
            .all(|s| !s.is_empty() && s != "." && s != "..")
}
