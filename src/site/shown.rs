//! How findings name files on disk: relative to the current directory (`website/static/x.png`
//! from a repository root, `../../assets/x.png` beside the checked folder), as every output
//! format does.

use std::path::Path;

/// A path on disk as findings name files: relative to the current directory, with `../` when
/// beside it.
pub(crate) fn disk_from_cwd(path: &Path) -> String {
    crate::check::records::probe();
    let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    from_cwd(&real).unwrap_or_else(|| path.display().to_string())
}

/// `path` (absolute, canonical) relative to the canonical current directory; `None` when the
/// current directory cannot be read.
fn from_cwd(path: &Path) -> Option<String> {
    let cwd = std::env::current_dir().ok()?;
    let cwd = std::fs::canonicalize(&cwd).unwrap_or(cwd);
    Some(crate::cli::check::display_path(path, &cwd))
}

/// The file at content-relative `site_path` named relative to the current directory, as
/// findings name files (`website/static/img/x.png` when run from the repository root).
pub(crate) fn shown_from_cwd(content_dir: &Path, site_path: &str) -> String {
    crate::check::records::probe();
    let dir = std::fs::canonicalize(content_dir).unwrap_or_else(|_| content_dir.to_path_buf());
    // `../../assets/x.png`: a path of the site around the content root.
    let file = crate::lexical::normalize(&dir.join(site_path));
    from_cwd(&file).unwrap_or_else(|| site_path.to_string())
}
