//! What a build publishes besides the pages: the files that pages reference (links and images,
//! resolved as the site resolves them) and every file of the configured resource folders and of
//! the convention's static folders (`static/`, `public/`). An unreferenced file of the content
//! root is not published, so a build at a repository root never copies the whole repository.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{Found, Target, resolve};
use crate::project::{Project, is_markdown};

/// The site paths of the non-page files a build copies.
pub fn published_files(project: &Project) -> HashSet<String> {
    let site = &project.site;
    // Each page's links are resolved in parallel (rayon); the set is filled once.
    let found: Vec<Vec<String>> = project
        .pages
        .par_iter()
        .map(|page| {
            let imports = super::mdx_imports(page);
            page.links
                .iter()
                .map(|l| l.dest.as_str())
                .chain(page.images.iter().map(|i| i.src.as_str()))
                .chain(imports.iter().map(String::as_str))
                .filter_map(|dest| match resolve(site, &page.rel, dest) {
                    Target::Site {
                        found: Found::File(p),
                        ..
                    } => Some(p),
                    _ => None,
                })
                .collect()
        })
        .collect();
    published_with(project, found.into_iter().flatten().collect())
}

/// [`published_files`] when the files other than pages that the pages reach are known already
/// (`reached`, site paths): those and the files of the resource and static folders.
pub fn published_with(project: &Project, reached: HashSet<String>) -> HashSet<String> {
    let site = &project.site;
    let mut out = reached;
    let mounts: Vec<String> = project
        .settings
        .resource_dirs
        .iter()
        .map(|r| format!("{}/", r.mount))
        .collect();
    for (path, disk) in &site.files {
        if is_markdown(disk) {
            continue;
        }
        if mounts.iter().any(|m| path.starts_with(m.as_str())) || site.rules.in_static(path) {
            out.insert(path.clone());
        }
    }
    out
}

/// Where a build publishes a file that a page reaches outside the content root, and the file on
/// disk. `file` names it as resolution does, from the current directory (a Starlight site's
/// `public/` or `src/assets/` when its `src/content/docs/` is the content root; a Docusaurus
/// `website/static/` beside the checked `docs/`).
///
/// A file of a static folder ([`super::SiteRules::outside_statics`]) is published at its path
/// in that folder, since the generator serves it from the site root (`public/assets/x.mp4` at
/// `assets/x.mp4`); any other file under `_assets/` at its path in the project folder
/// (`_assets/src/assets/x.png`; Astro names its own copies `_astro/x.HASH.png`). `None` for a
/// page, a folder, a file outside the project folder (by its real path: nothing from
/// outside the project is published), a file below a hidden folder or hidden itself (`.git/`,
/// `.env`, `.stepbook-cache/`: no generator publishes those, as the site index leaves them
/// out), a file of a stepbook build (a folder holding [`crate::output::BUILD_MARKER`], such as
/// the build dir `book/` being replaced), and the source of a route the generator renders
/// ([`super::SiteRules::outside_routes`]: an Astro page `src/pages/playground.astro` or
/// endpoint `api/index.ts`, a Docusaurus page): the link keeps its address, which the
/// generator serves.
pub fn outside_file(rules: &super::SiteRules, file: &str) -> Option<(String, PathBuf)> {
    let disk = std::fs::canonicalize(file).ok()?;
    if !disk.is_file()
        || is_markdown(&disk)
        || !publishable_in(&rules.project_root, &disk)
        || serves_a_route(rules, &disk)
    {
        return None;
    }
    let slash = |p: &std::path::Path| {
        p.components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/")
    };
    let in_static = rules.outside_statics.iter().find_map(|dir| {
        let dir = std::fs::canonicalize(dir).ok()?;
        disk.strip_prefix(&dir).ok().map(slash)
    });
    let site = match in_static {
        Some(rest) => rest,
        None => format!(
            "_assets/{}",
            slash(disk.strip_prefix(&rules.project_root).ok()?)
        ),
    };
    Some((site, disk))
}

/// True when `disk` (canonical) lies in `project` (canonical) and may be published: no part of
/// its path below `project` is hidden, and no folder between them is a stepbook build. An
/// empty `project` (rules made without settings) holds nothing: every path starts with it.
fn publishable_in(project: &Path, disk: &Path) -> bool {
    if project.as_os_str().is_empty() {
        return false;
    }
    let Ok(rest) = disk.strip_prefix(project) else {
        return false;
    };
    if rest
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
    {
        return false;
    }
    !disk
        .ancestors()
        .skip(1)
        .take_while(|d| d.starts_with(project))
        .any(|d| d.join(crate::output::BUILD_MARKER).exists())
}

/// True when `disk` (canonical) is the file an outside route is rendered from
/// ([`super::SiteRules::outside_routes`]). Only the routes' files of the same name are
/// resolved on disk.
fn serves_a_route(rules: &super::SiteRules, disk: &Path) -> bool {
    let name = disk.file_name();
    rules
        .outside_routes
        .values()
        .any(|f| f.file_name() == name && std::fs::canonicalize(f).is_ok_and(|f| f == disk))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_files_of_the_project_are_published() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = std::fs::canonicalize(dir.path()).expect("real");
        for f in [
            "src/assets/a.png",
            ".git/config",
            "book/x.png",
            "src/.hidden/b.png",
        ] {
            std::fs::create_dir_all(root.join(f).parent().expect("folder")).expect("mkdir");
            std::fs::write(root.join(f), "x").expect("write");
        }
        std::fs::write(root.join("book").join(crate::output::BUILD_MARKER), "").expect("marker");
        let rules = crate::site::SiteRules {
            project_root: root.clone(),
            ..Default::default()
        };
        let published =
            |f: &str| outside_file(&rules, &root.join(f).to_string_lossy()).map(|(site, _)| site);
        assert_eq!(
            published("src/assets/a.png").as_deref(),
            Some("_assets/src/assets/a.png")
        );
        for f in [".git/config", "book/x.png", "src/.hidden/b.png"] {
            assert_eq!(published(f), None, "{f}");
        }
        // Rules made without a project publish nothing from outside the content.
        let empty = crate::site::SiteRules::default();
        let any = root.join("src/assets/a.png");
        assert_eq!(outside_file(&empty, &any.to_string_lossy()), None);
    }
}
