//! Lookups in conventions with routes (Docusaurus, Starlight, MkDocs): an address is a route
//! of a page, a file of a static folder, or a doc or static file on disk outside the content
//! root ([`SiteRules::outside_statics`], [`SiteRules::outside_routes`]), or a file of the site
//! above the content root ([`SiteRules::outside_root`]).

use super::{Found, SiteIndex, SiteRules, disk_from_cwd, join, route_key};

/// A route or static file for `decoded` written in `page_rel`, in conventions with routes.
pub(super) fn lookup(site: &SiteIndex, page_rel: &str, decoded: &str) -> Option<Found> {
    let rules = &site.rules;
    if rules.routes.is_empty()
        && rules.statics.is_empty()
        && rules.md_roots.is_empty()
        && !rules.reaches_outside()
    {
        return None;
    }
    let mut candidates: Vec<String> = Vec::new();
    if !decoded.starts_with('/') && (decoded.ends_with(".md") || decoded.ends_with(".mdx")) {
        for root in &rules.md_roots {
            let p = format!("{root}{}", decoded.trim_start_matches("./"));
            if site.contains(&p) {
                return Some(Found::File(p));
            }
        }
    }
    if let Some(abs) = decoded.strip_prefix('/') {
        let abs = abs.trim_start_matches('/');
        let base = rules.base.as_str();
        if !base.is_empty()
            && let Some(rest) = abs.strip_prefix(base)
            && (rest.is_empty() || rest.starts_with('/'))
        {
            candidates.push(rest.trim_start_matches('/').to_string());
        }
        candidates.push(abs.to_string());
    } else if let Some(route) = rules.page_routes.get(page_rel) {
        // Relative to the page's URL, read both as a folder (`/a/b/`) and as a file (`/a/b`).
        let as_dir = format!("{route}/x");
        let bases: &[&str] = match rules.url_is_dir {
            Some(true) => &[as_dir.as_str()],
            Some(false) => &[route.as_str()],
            None => &[as_dir.as_str(), route.as_str()],
        };
        for base in bases {
            if let Some(j) = join(base, decoded) {
                candidates.push(j);
            }
        }
    }
    if !decoded.starts_with('/')
        && let Some(file) = outside_root_file(rules, page_rel, decoded)
    {
        return Some(Found::File(file));
    }
    for c in &candidates {
        let key = route_key(c);
        if let Some(p) = rules.routes.get(key) {
            return Some(Found::File(p.clone()));
        }
        if let Some(file) = rules.outside_routes.get(key) {
            return Some(Found::File(disk_from_cwd(file)));
        }
        // A static file served at the address: from the site root (`/img/x.png`) or relative
        // to the page's URL (`../../assets/x.png` in an MkDocs page's raw HTML, which the
        // browser resolves against `/setup/page/`).
        for s in &rules.statics {
            let p = format!("{s}{}", c.trim_end_matches('/'));
            if site.contains(&p) {
                return Some(Found::File(p));
            }
        }
        if let Some(p) = outside_static(rules, c) {
            return Some(Found::File(p));
        }
    }
    None
}

/// The file `path` (site-root relative, decoded) of a static folder outside the content root,
/// named as findings name files (from the current directory); `None` when no such file exists
/// or `path` climbs out of the folder.
fn outside_static(rules: &SiteRules, path: &str) -> Option<String> {
    let path = path.trim_end_matches('/');
    if path.is_empty() || path.split('/').any(|s| s == ".." || s == ".") {
        return None;
    }
    rules.outside_statics.iter().find_map(|dir| {
        // A file outside the site: not in any cache key ([`crate::check::records`]).
        crate::check::records::probe();
        let file = dir.join(path);
        file.is_file().then(|| disk_from_cwd(&file))
    })
}

/// The file that `path`, relative to the folder of the page at `page_rel` (`""` for the content
/// root), names when it leaves the content root but stays inside
/// [`SiteRules::outside_root`] (`../../assets/x.png` from a page of a Starlight site's
/// `src/content/docs/`): named as findings name files (from the current directory); `None`
/// when the path stays in the content root, leaves the site, or no file is there.
pub(super) fn outside_root_file(rules: &SiteRules, page_rel: &str, path: &str) -> Option<String> {
    let file = in_outside_root(rules, page_rel, path)?;
    // A file outside the checked folder: not in any cache key ([`crate::check::records`]).
    crate::check::records::probe();
    file.is_file().then(|| disk_from_cwd(&file))
}

/// For a `path` that [`outside_root_file`] would look up: where it lands, relative to the
/// content root (`../../assets/x.png`), for messages about a file that is not there.
pub(super) fn outside_root_path(rules: &SiteRules, page_rel: &str, path: &str) -> Option<String> {
    let file = in_outside_root(rules, page_rel, path)?;
    Some(crate::lexical::relative_path(&rules.content_dir, &file))
}

/// The place on disk `path` (relative to the page at `page_rel`) names when it leaves the
/// content root but stays inside [`SiteRules::outside_root`].
fn in_outside_root(rules: &SiteRules, page_rel: &str, path: &str) -> Option<std::path::PathBuf> {
    let site = rules.outside_root.as_ref()?;
    if join(page_rel, path).is_some() {
        return None;
    }
    let page_dir = page_rel.rsplit_once('/').map_or("", |(dir, _)| dir);
    let file = crate::lexical::normalize_within(&rules.content_dir.join(page_dir).join(path))?;
    (file.starts_with(site) && !file.starts_with(&rules.content_dir)).then_some(file)
}
