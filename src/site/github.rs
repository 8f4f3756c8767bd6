//! The `github` convention: files and folders as GitHub shows them. Inside a git working tree
//! the repository is the world: a link that leaves the checked folder but lands on an existing
//! file or folder of the repository works on GitHub (a folder shows its listing), and `/x` means
//! the repository root when the site root has no `x`. Only a link that leaves the repository is
//! outside everything.

use std::path::{Path, PathBuf};

use crate::lexical::normalize_within;

use super::Target;

/// The site path of the file of this repository that `url` shows through GitHub, when the
/// site has a file there: `https://raw.githubusercontent.com/OWNER/REPO/BRANCH/PATH` and
/// `https://github.com/OWNER/REPO/(raw|blob)/BRANCH/PATH` (a branch may hold `/`: each split
/// is tried). A README shown on PyPI or npm must use such absolute URLs for its images (httpx's
/// `docs/img/butterfly.png`), so they count as uses of the file (`orphan-image`); they are not
/// checked as files: the URL is external. `PATH` is from the repository root: with `rules`'
/// repository it is taken relative to the content root, else as a site path.
pub fn raw_file(
    url: &str,
    rules: &super::SiteRules,
    site: &crate::project::SiteIndex,
) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    let segments: Vec<&str> = rest.split('/').collect();
    let after_branch = match segments.as_slice() {
        ["raw.githubusercontent.com", _owner, _repo, tail @ ..] => tail,
        ["github.com", _owner, _repo, "raw" | "blob", tail @ ..] => tail,
        _ => return None,
    };
    let content = match &rules.repo {
        Some(repo) => super::rel_under(&repo.root, &rules.content_dir)?,
        None => String::new(),
    };
    (1..after_branch.len().min(5)).find_map(|skip| {
        let path = crate::site::decode(&after_branch[skip..].join("/")).into_owned();
        let path = if content.is_empty() {
            path
        } else {
            path.strip_prefix(&format!("{content}/"))?.to_string()
        };
        site.contains(&path).then_some(path)
    })
}

/// Folders of a JavaScript web app (a folder with `package.json`) whose files the app's own
/// code serves or imports, as site-path prefixes: `static/` and `public/` (Gridsome, Next.js,
/// Nuxt, Vite, Hugo's themes), and `src/assets/`. Under the `github` convention the generator is
/// unknown, so their images are not orphans ([`super::SiteRules::asset_dirs`]): meltano/hub's
/// plugin logos, named in YAML data files, are used by Vue components no page shows.
pub(super) fn web_app_asset_dirs(index: &crate::project::SiteIndex) -> Vec<String> {
    index
        .files
        .keys()
        .filter_map(|f| {
            f.strip_suffix("package.json")
                .filter(|dir| dir.is_empty() || dir.ends_with('/'))
        })
        .flat_map(|dir| ["static/", "public/", "src/assets/"].map(|a| format!("{dir}{a}")))
        .collect()
}

/// A git working tree: the nearest folder above the content that holds `.git` (a folder, or a
/// file for worktrees and submodules).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repo {
    /// The working tree's root.
    pub root: PathBuf,
}

impl Repo {
    /// The working tree around `dir`, if any.
    pub fn find(dir: &Path) -> Option<Repo> {
        let dir = std::path::absolute(dir).ok()?;
        dir.ancestors()
            .find(|d| d.join(".git").exists())
            .map(|root| Repo {
                root: root.to_path_buf(),
            })
    }

    /// `decoded`, written in the page at content-relative `page_rel` of the content root
    /// `content_dir`, as a repository path: `Some(Target::Repo)` when it stays inside the
    /// repository, `None` when it leaves it.
    pub fn lookup(&self, content_dir: &Path, page_rel: &str, decoded: &str) -> Option<Target> {
        let page_dir = content_dir.join(page_rel);
        let page_dir = page_dir.parent().unwrap_or(content_dir);
        let disk = normalize_within(&page_dir.join(decoded.trim_end_matches('/')))?;
        self.at(&disk)
    }

    /// `/x` from the repository root (GitHub's reading of a root-relative link).
    pub fn lookup_root(&self, decoded: &str) -> Option<Target> {
        let disk = normalize_within(&self.root.join(decoded.trim_start_matches('/')))?;
        match self.at(&disk)? {
            t @ Target::Repo { exists: true, .. } => Some(t),
            _ => None,
        }
    }

    fn at(&self, disk: &Path) -> Option<Target> {
        let rel = super::rel_under(&self.root, disk)?;
        if rel.split('/').next() == Some(".git") {
            return None;
        }
        // A file of the repository outside the site: not in any cache key.
        crate::check::records::probe();
        Some(Target::Repo {
            exists: disk.exists(),
            path: rel,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_paths() {
        let repo = Repo {
            root: PathBuf::from("/r"),
        };
        assert_eq!(
            repo.lookup(Path::new("/r/docs/x"), "a/b.md", "../../../README.md"),
            Some(Target::Repo {
                path: "README.md".into(),
                exists: false
            })
        );
        assert_eq!(
            repo.lookup(Path::new("/r/docs"), "b.md", "../../elsewhere.md"),
            None
        );
        assert_eq!(
            repo.lookup(Path::new("/r/docs"), "b.md", "../.git/config"),
            None
        );
    }
}
