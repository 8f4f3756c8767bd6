//! What a build publishes besides the pages: the files that pages reference (links and images,
//! resolved as the site resolves them) and every file of the configured resource folders and of
//! the convention's static folders (`static/`, `public/`). An unreferenced file of the content
//! root is not published, so a build at a repository root never copies the whole repository.

use std::collections::HashSet;

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
