//! The `stepbook` convention: this project's own layout. It resolves as [`super::mdbook`] does
//! (stepbook writes `x.md` to `x.html` and `README.md` to `index.html`), with resource folders
//! mounted at the site root; it differs from `mdbook` only in being detected from a book.toml
//! that holds stepbook's own tables or a `content/` folder.

use crate::config::Settings;

/// True when the project's book.toml is stepbook's rather than a plain mdBook one: it has
/// stepbook tables (`[check]`, `[[scopes]]`, `[output.stepbook]`) or its content folder is
/// `content/`.
pub fn is_stepbook(settings: &Settings) -> bool {
    if settings
        .content_dir
        .file_name()
        .is_some_and(|n| n == "content")
    {
        return true;
    }
    let Some(text) = settings
        .config_path
        .as_ref()
        .and_then(|p| crate::project::read_regular_string(p).ok())
    else {
        return false;
    };
    text.lines().any(|l| {
        let l = l.trim_start();
        l.starts_with("[check") || l.starts_with("[[scopes]]") || l.starts_with("[output.stepbook")
    })
}
