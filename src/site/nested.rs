//! Sites and books below the checked folder. A repository often holds its documentation site
//! in a subfolder (withastro/starlight's `docs/` with `astro.config.mjs`, dlt's
//! `docs/website/` with `docusaurus.config.js`, mdBook's `guide/` with `book.toml`): links in
//! its pages are written for that generator, not for the convention of the checked folder.
//!
//! - A book ([`Nested`], a folder with its own book.toml) needs no route table: its pages
//!   resolve against the whole site with the book's convention.
//! - A generator's site ([`NestedSite`], a folder with `docusaurus.config.*`, a Starlight
//!   `astro.config.*` or `mkdocs.yml`) is routed: its sub-tree is indexed and routed as if that
//!   folder were checked (its pages and files with the folder prefix stripped, its own settings
//!   root), links in its pages resolve through it, and what they reach is mapped back to site
//!   paths of the checked folder ([`map_target`]). Anchors, images, `static/`/`public/` folders
//!   and `link-outside-site` then behave as when checking the folder itself.
//!
//! The deepest folder wins. The checked folder's own configuration (a Docusaurus `website/`
//! found by [`super::docusaurus::find_config`]) is not a nested site.

use std::collections::BTreeMap;
use std::fmt;

use super::{
    Convention, Found, LinksSetting, RoutedPage, SiteRules, Target, docusaurus, starlight,
};
use crate::config::Settings;
use crate::project::SiteIndex;

/// A book inside the checked folder: its folder and the convention its book.toml sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nested {
    /// The book's folder as a site-path prefix, with a trailing `/` (`guide/`).
    pub prefix: String,
    /// `mdbook`, or `stepbook` when the book.toml has stepbook's own tables.
    pub convention: Convention,
    /// The file it was detected from, as a site path (`guide/book.toml`).
    pub file: String,
}

/// The books (folders with a book.toml) below the content root, deepest first.
pub(super) fn books(settings: &Settings, index: &SiteIndex) -> Vec<Nested> {
    let content_dir = &settings.content_dir;
    let mut out: Vec<Nested> = index
        .dirs
        .iter()
        .filter(|d| !d.is_empty())
        .filter_map(|d| {
            let file = content_dir.join(d).join(crate::config::CONFIG_FILE);
            let text = crate::project::read_regular_string(&file).ok()?;
            let stepbook = text.lines().any(|l| {
                let l = l.trim_start();
                l.starts_with("[check")
                    || l.starts_with("[[scopes]]")
                    || l.starts_with("[output.stepbook")
            });
            Some(Nested {
                prefix: format!("{d}/"),
                convention: if stepbook {
                    Convention::Stepbook
                } else {
                    Convention::Mdbook
                },
                file: format!("{d}/{}", crate::config::CONFIG_FILE),
            })
        })
        .collect();
    out.sort_by_key(|n| std::cmp::Reverse(n.prefix.len()));
    out
}

/// A generator's site in a folder below the content root: the folder, the config that makes it
/// one, and its sub-tree indexed and routed as when that folder is checked.
#[derive(Clone)]
pub struct NestedSite {
    /// The site's folder as a site-path prefix, with a trailing `/` (`docs/`).
    pub prefix: String,
    /// The config file it was detected from, as a site path (`docs/astro.config.mjs`).
    pub file: String,
    /// The files below the folder at site paths without the prefix (`src/content/docs/a.md`);
    /// its [`SiteIndex::rules`] are the site's convention, routes and static folders.
    pub index: SiteIndex,
}

impl NestedSite {
    /// The site's rules (convention, routes, static folders), for paths without the prefix.
    pub fn rules(&self) -> &SiteRules {
        &self.index.rules
    }
}

/// Stable across runs (hash maps printed sorted): the incremental build's keys hash it.
impl fmt::Debug for NestedSite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = self.rules();
        let routes: BTreeMap<_, _> = r.routes.iter().collect();
        let page_routes: BTreeMap<_, _> = r.page_routes.iter().collect();
        f.debug_struct("NestedSite")
            .field("prefix", &self.prefix)
            .field("file", &self.file)
            .field("convention", &r.convention)
            .field("routes", &routes)
            .field("page_routes", &page_routes)
            .field("url_is_dir", &r.url_is_dir)
            .field("statics", &r.statics)
            .field("outside_statics", &r.outside_statics)
            .field("outside_routes", &r.outside_routes.len())
            .field("asset_dirs", &r.asset_dirs)
            .field("aliases", &r.aliases)
            .field("base", &r.base)
            .field("md_roots", &r.md_roots)
            .field("nested", &r.nested)
            .finish()
    }
}

/// The convention a config file names (`docusaurus.config.ts`, a Starlight `astro.config.mjs`,
/// `mkdocs.yml`) in the folder `dir` on disk, with the file's name; Docusaurus first, as
/// [`super::detect`] prefers it.
fn config_in(dir: &std::path::Path) -> Option<(Convention, String)> {
    if let Some(f) = docusaurus::detect(dir) {
        return Some((Convention::Docusaurus, f));
    }
    if let Some(f) = starlight::detect(dir) {
        return Some((Convention::Starlight, f));
    }
    let config = super::mkdocs::config_in(dir)?;
    let name = config.file_name()?.to_string_lossy().into_owned();
    Some((Convention::Mkdocs, name))
}

/// True when `name` is a file name some generator's config has.
fn is_config_name(name: &str) -> bool {
    super::mkdocs::is_config_name(name)
        || (name.starts_with("docusaurus.config.") || name.starts_with("astro.config."))
}

/// The generators' sites below the content root, deepest first, each indexed and routed for
/// its sub-tree: `settings` as if its folder were checked, the convention fixed to its
/// config's. `top` is the checked folder's own config file, which is no nested site.
pub(super) fn sites(
    settings: &Settings,
    index: &SiteIndex,
    pages: &[RoutedPage<'_>],
    top: Option<&std::path::Path>,
) -> Vec<NestedSite> {
    let mut dirs: Vec<&str> = index
        .files
        .keys()
        .filter_map(|k| k.rsplit_once('/'))
        .filter(|(_, name)| is_config_name(name))
        .map(|(dir, _)| dir)
        .collect();
    dirs.sort_unstable();
    dirs.dedup();
    let mut out = Vec::new();
    for config_dir in dirs {
        let abs = settings.content_dir.join(config_dir);
        let Some((convention, file)) = config_in(&abs) else {
            continue;
        };
        if top.is_some_and(|t| t == abs.join(&file)) {
            continue;
        }
        let config_file = format!("{config_dir}/{file}");
        // Docusaurus in `website/` reading `../docs` (redux's layout, one level down in a
        // monorepo): the site is the folder above both, where `find_config` finds `website/`.
        let (dir, abs) = match config_dir.rsplit_once('/') {
            Some((parent, "website"))
                if convention == Convention::Docusaurus
                    && docusaurus::reads_beside(&abs.join(&file)) =>
            {
                (parent, settings.content_dir.join(parent))
            }
            _ => (config_dir, abs),
        };
        let prefix = format!("{dir}/");
        let mut sub = SiteIndex::default();
        for (path, disk) in index.files.range(prefix.clone()..) {
            let Some(rest) = path.strip_prefix(prefix.as_str()) else {
                break;
            };
            sub.insert(rest.to_string(), disk.clone());
        }
        let sub_pages: Vec<RoutedPage<'_>> = pages
            .iter()
            .filter_map(|p| {
                Some(RoutedPage {
                    rel: p.rel.strip_prefix(prefix.as_str())?,
                    page: p.page,
                })
            })
            .collect();
        let mut sub_settings = settings.clone();
        sub_settings.root = abs.clone();
        sub_settings.content_dir = abs;
        sub_settings.config_path = None;
        sub_settings.resource_dirs = Vec::new();
        sub_settings.link_convention = LinksSetting::Fixed(convention);
        let mut rules = SiteRules::build_routed(&sub_settings, &sub, &sub_pages, false);
        rules.detected_from = Some(file.clone());
        sub.rules = rules;
        out.push(NestedSite {
            file: config_file,
            prefix,
            index: sub,
        });
    }
    out.sort_by_key(|n| std::cmp::Reverse(n.prefix.len()));
    out
}

impl SiteRules {
    /// One line for `--verbose` naming the sites and books below the content root and their
    /// conventions (`below it: docs/ follows starlight (docs/astro.config.mjs)`); `None` when
    /// there are none.
    pub fn describe_below(&self) -> Option<String> {
        let sites = self
            .sites
            .iter()
            .map(|s| (s.prefix.as_str(), s.rules().convention, s.file.as_str()));
        let books = self
            .nested
            .iter()
            .map(|b| (b.prefix.as_str(), b.convention, b.file.as_str()));
        let mut all: Vec<_> = sites.chain(books).collect();
        if all.is_empty() {
            return None;
        }
        all.sort_by_key(|(prefix, _, _)| *prefix);
        let parts: Vec<String> = all
            .iter()
            .map(|(prefix, c, file)| format!("{prefix} follows {} ({file})", c.id()))
            .collect();
        Some(format!("below it: {}", parts.join(", ")))
    }
}

/// `path`, a site path of `site`'s sub-tree, as a site path of the checked folder.
fn full(site: &NestedSite, path: &str) -> String {
    if path.starts_with('/') {
        return format!("{}{}", site.prefix, path.trim_start_matches('/'));
    }
    super::join(&format!("{}_", site.prefix), path).unwrap_or_else(|| path.to_string())
}

/// What `site` resolved, mapped back to site paths of the checked folder. A file of a static
/// folder outside the content (named from the current directory) keeps its name; repository
/// paths are the repository's already.
pub(super) fn map_target(site: &NestedSite, target: Target) -> Target {
    let Target::Site {
        path,
        fragment,
        found,
    } = target
    else {
        return target;
    };
    let found = match found {
        Found::File(p) if site.index.contains(&p) || !site.rules().reaches_outside() => {
            Found::File(full(site, &p))
        }
        Found::DirIndex(p) => Found::DirIndex(full(site, &p)),
        Found::CaseMismatch(v) => Found::CaseMismatch(v.iter().map(|p| full(site, p)).collect()),
        other => other,
    };
    Target::Site {
        path: full(site, &path),
        fragment,
        found,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_names() {
        assert!(is_config_name("docusaurus.config.ts"));
        assert!(is_config_name("astro.config.mjs"));
        assert!(is_config_name("mkdocs.yml"));
        assert!(!is_config_name("book.toml"));
        assert!(!is_config_name("mkdocs.yaml.bak"));
    }

    #[test]
    fn paths_map_back_under_the_prefix() {
        let site = NestedSite {
            prefix: "docs/".into(),
            file: "docs/astro.config.mjs".into(),
            index: SiteIndex::default(),
        };
        assert_eq!(full(&site, "src/a.md"), "docs/src/a.md");
        assert_eq!(full(&site, "guides/"), "docs/guides/");
        assert_eq!(full(&site, ""), "docs");
        assert_eq!(
            map_target(
                &site,
                Target::Site {
                    path: "a.md".into(),
                    fragment: None,
                    found: Found::DirIndex("a/index.md".into()),
                }
            ),
            Target::Site {
                path: "docs/a.md".into(),
                fragment: None,
                found: Found::DirIndex("docs/a/index.md".into()),
            }
        );
        let repo = Target::Repo {
            path: "README.md".into(),
            exists: true,
        };
        assert_eq!(map_target(&site, repo.clone()), repo);
    }
}
