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
    Some(crate::cli::check::display_path(path, &Shown::cwd()?))
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

/// Names files of one project in messages and help lines from the folder the `-->` lines name
/// them from: the current directory on the command line (`astro.config.mjs` and
/// `src/content/docs/blog/x.png` when `src/content/docs` is checked from the site root), the
/// project root in a report made without one ([`crate::check::CheckOptions::names_from`]).
///
/// Made once per run (the folders canonicalised once), so that naming a file reads nothing
/// from the disk; the check records' world key hashes the folder, so a message cached for one
/// folder is not reused from another.
#[derive(Debug, Clone)]
pub struct Shown {
    /// The project root, canonical.
    root: std::path::PathBuf,
    /// The project root as the settings give it (the base of the site index's disk paths).
    root_given: std::path::PathBuf,
    /// The content root, canonical.
    content: std::path::PathBuf,
    /// The folder files are named from (the current directory, canonical); `None`: the
    /// project root.
    cwd: Option<std::path::PathBuf>,
}

impl Shown {
    /// The namer for the project with `settings`, naming files from `base` (canonical; the
    /// current directory on the command line), or from the project root when `None`.
    pub fn new(settings: &crate::config::Settings, base: Option<std::path::PathBuf>) -> Shown {
        let canon = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        Shown {
            root: canon(&settings.root),
            root_given: settings.root.clone(),
            content: canon(&settings.content_dir),
            cwd: base,
        }
    }

    /// The current directory, canonical, as [`Shown::new`] takes it.
    pub fn cwd() -> Option<std::path::PathBuf> {
        let cwd = std::env::current_dir().ok()?;
        Some(std::fs::canonicalize(&cwd).unwrap_or(cwd))
    }

    /// An absolute `path` named from the current directory.
    fn name(&self, path: &Path) -> String {
        let path = crate::lexical::normalize(path);
        match &self.cwd {
            Some(cwd) => crate::cli::check::display_path(&path, cwd),
            None => crate::cli::check::display_path(&path, &self.root),
        }
    }

    /// The file at `rel`, relative to the project root (what [`crate::diag::Diagnostic::file`]
    /// holds, `../../../astro.config.mjs` included), named from the current directory.
    pub fn root_file(&self, rel: &str) -> String {
        self.name(&self.root.join(rel))
    }

    /// The file or folder at content-relative `site_path` (a page's `rel`, a config file of a
    /// nested book), named from the current directory. For files of a resource folder mounted
    /// at the site root use [`Shown::site_file`].
    pub fn site_path(&self, site_path: &str) -> String {
        self.name(&self.content.join(site_path.trim_end_matches('/')))
    }

    /// The file at `site_path` of `site`, named from the current directory: its file on disk
    /// when the site index has it (a resource folder's file, mounted at the site root), else
    /// the path below the content root.
    pub fn site_file(&self, site: &crate::project::SiteIndex, site_path: &str) -> String {
        match site.files.get(site_path) {
            Some(disk) => self.disk(disk),
            None => self.site_path(site_path),
        }
    }

    /// A file on disk (absolute, or relative to the project root as the settings give it)
    /// named from the current directory.
    pub fn disk(&self, disk: &Path) -> String {
        match disk.strip_prefix(&self.root_given) {
            Ok(rel) => self.name(&self.root.join(rel)),
            Err(_) if disk.is_absolute() => self.name(disk),
            Err(_) => self.name(&self.root.join(disk)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(root: &str, content: &str, cwd: &str) -> Shown {
        Shown {
            root: root.into(),
            root_given: root.into(),
            content: content.into(),
            cwd: Some(cwd.into()),
        }
    }

    #[test]
    fn files_are_named_from_the_current_directory() {
        // `stepbook check src/content/docs` from a Starlight site's root.
        let s = shown("/s/src/content/docs", "/s/src/content/docs", "/s");
        assert_eq!(s.root_file("../../../astro.config.mjs"), "astro.config.mjs");
        assert_eq!(
            s.site_path("blog/a/header.png"),
            "src/content/docs/blog/a/header.png"
        );
        assert_eq!(s.site_path("guide/"), "src/content/docs/guide");
        // A book checked from inside its content folder.
        let s = shown("/b", "/b/content", "/b/content");
        assert_eq!(s.root_file("book.toml"), "../book.toml");
        assert_eq!(s.site_path("a.md"), "a.md");
        assert_eq!(s.disk(Path::new("/b/res/x.png")), "../res/x.png");
        assert_eq!(s.disk(Path::new("res/x.png")), "../res/x.png");
    }
}
