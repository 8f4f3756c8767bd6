//! The `docusaurus` convention (Docusaurus 2/3): docs are served at routes without extension
//! under each docs plugin's `routeBasePath` (`docs/guides/intro.md` → `/docs/guides/intro`);
//! number prefixes (`01-intro.md`) are dropped; front-matter `id` renames the last segment and
//! `slug` replaces the route (absolute from `routeBasePath` when it starts with `/`); `index`,
//! `README` and a file named like its folder are the folder's page; `blog/` posts are served at
//! `/blog/YYYY/MM/DD/name` or their `slug`; `src/pages/` files at their path; `static/` files
//! at the site root. `.md` and `.mdx` files are pages.
//!
//! The config file is JavaScript, read here only for `path`/`routeBasePath` pairs.

use std::path::{Path, PathBuf};

use regex::Regex;

use super::{RoutedPage, SiteRules, route_key};
use crate::config::Settings;
use crate::page::FrontMatter;
use crate::project::SiteIndex;

/// Config file names Docusaurus reads.
pub(crate) const CONFIG_FILES: &[&str] = &[
    "docusaurus.config.js",
    "docusaurus.config.ts",
    "docusaurus.config.mjs",
    "docusaurus.config.cjs",
    "docusaurus.config.mts",
];

/// The config file in `dir`, if any.
pub fn detect(dir: &Path) -> Option<String> {
    CONFIG_FILES
        .iter()
        .find(|f| dir.join(f).is_file())
        .map(|f| f.to_string())
}

/// The Docusaurus config file for a project: in the project or content folder, in their
/// `website/` subfolder (a common layout), or in a folder above them inside the repository.
/// Also a `website/` folder beside the project or beside a folder above it (redux, jest and
/// prettier keep `docs/` at the top and the site in `website/`, with `path: '../docs'`), but
/// only when that config's docs folder is the content folder or holds it: a sibling site that
/// documents something else says nothing about these pages.
pub fn find_config(settings: &Settings) -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = vec![
        settings.root.clone(),
        settings.content_dir.clone(),
        settings.root.join("website"),
    ];
    let mut siblings = Vec::new();
    if let Some(repo) = super::github::Repo::find(&settings.root) {
        let above: Vec<&Path> = settings
            .root
            .ancestors()
            .skip(1)
            .take_while(|d| d.starts_with(&repo.root))
            .collect();
        dirs.extend(above.iter().map(|d| d.to_path_buf()));
        siblings.extend(above.iter().map(|d| d.join("website")));
    }
    dirs.into_iter()
        .find_map(|d| detect(&d).map(|f| d.join(f)))
        .or_else(|| {
            siblings.into_iter().find_map(|d| {
                let config = d.join(detect(&d)?);
                governs(&config, &settings.content_dir).then_some(config)
            })
        })
}

/// True when a docs plugin of the Docusaurus config at `config` reads its pages from a folder
/// outside the config's own (`path: '../docs'`): the site is then the folder above both.
pub(super) fn reads_beside(config: &Path) -> bool {
    let (Ok(text), Some(dir)) = (crate::project::read_regular_string(config), config.parent())
    else {
        return false;
    };
    plugins(&text).iter().any(|p| {
        crate::lexical::normalize_within(&dir.join(&p.dir))
            .is_some_and(|docs| !docs.starts_with(dir))
    })
}

/// The site's root for [`super::owning_site`] when `folder` holds a Docusaurus config one of
/// whose docs plugins reads its pages from `docs` (absolute): `folder`, or the folder above
/// both when the docs sit beside it (`path: '../docs'` from `website/`).
pub fn owner(folder: &Path, docs: &Path) -> Option<PathBuf> {
    let config = folder.join(detect(folder)?);
    let text = crate::project::read_regular_string(&config).ok()?;
    plugins(&text)
        .iter()
        .any(|p| crate::lexical::normalize_within(&folder.join(&p.dir)).as_deref() == Some(docs))
        .then(|| {
            folder
                .ancestors()
                .find(|a| docs.starts_with(a))
                .unwrap_or(folder)
                .to_path_buf()
        })
}

/// True when a docs plugin of the Docusaurus config at `config` reads its pages from
/// `content_dir` or from a folder above it.
fn governs(config: &Path, content_dir: &Path) -> bool {
    let (Ok(text), Some(dir)) = (crate::project::read_regular_string(config), config.parent())
    else {
        return false;
    };
    plugins(&text).iter().any(|p| {
        crate::lexical::normalize_within(&dir.join(&p.dir))
            .is_some_and(|docs| content_dir.starts_with(&docs))
    })
}

/// One docs plugin: its folder (relative to the config's folder), route base, plugin id and
/// `lastVersion` when the config gives it as a string.
struct Plugin {
    dir: String,
    base: String,
    id: Option<String>,
    last_version: Option<String>,
}

/// `obj` (starting at its `{`) with everything nested deeper than its own keys blanked, so
/// `versions: { current: { path: 'next' } }` does not read as the plugin's `path`. String
/// literals are skipped while counting braces.
fn top_level(obj: &str) -> String {
    let mut out = String::with_capacity(obj.len());
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for c in obj.chars() {
        let mut closed = false;
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
        } else if matches!(c, '\'' | '"' | '`') {
            quote = Some(c);
        } else if matches!(c, '{' | '[' | '(') {
            depth += 1;
        } else if matches!(c, '}' | ']' | ')') {
            closed = true;
        }
        out.push(if depth <= 1 { c } else { ' ' });
        if closed {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                break;
            }
        }
    }
    out
}

/// The docs plugins the config declares (the classic preset's `docs: { … }` and each
/// `plugin-content-docs` entry), plus the classic preset's `docs` default when no plugin has the
/// default id. Each plugin's
/// `path` defaults to `docs` and its `routeBasePath` to `docs`, as in Docusaurus.
fn plugins(config: &str) -> Vec<Plugin> {
    let open =
        Regex::new(r#"(?:\bdocs\s*:\s*|content-docs['"`]\s*,\s*)\{"#).expect("constant regex");
    let key = |name: &str| {
        Regex::new(&format!(r#"[{{,\s]{name}\s*:\s*['"`]([^'"`]*)['"`]"#)).expect("constant regex")
    };
    let (rbp, path, id, last) = (
        key("routeBasePath"),
        key("path"),
        key("id"),
        key("lastVersion"),
    );
    let mut out: Vec<Plugin> = Vec::new();
    for m in open.find_iter(config) {
        let obj = top_level(&config[m.end() - 1..]);
        let get = |re: &Regex| re.captures(&obj).map(|c| c[1].to_string());
        let dir = get(&path).unwrap_or_else(|| "docs".into());
        let dir = dir
            .trim_start_matches("./")
            .trim_end_matches('/')
            .to_string();
        let base = get(&rbp).unwrap_or_else(|| "docs".into());
        let base = base.trim_matches('/').to_string();
        if !out.iter().any(|p| p.dir == dir) {
            out.push(Plugin {
                dir,
                base,
                id: get(&id).filter(|i| i != "default"),
                last_version: get(&last),
            });
        }
    }
    if !out.iter().any(|p| p.id.is_none()) {
        out.push(Plugin {
            dir: "docs".into(),
            base: "docs".into(),
            id: None,
            last_version: None,
        });
    }
    out
}

/// The versions a docs plugin serves, newest first, from `versions.json` (or
/// `<id>_versions.json`) in the config's folder: empty when it has none.
fn read_versions(config_dir: &Path, plugin: &Plugin) -> Vec<String> {
    let file = match &plugin.id {
        Some(id) => format!("{id}_versions.json"),
        None => "versions.json".into(),
    };
    crate::project::read_regular_string(config_dir.join(file))
        .ok()
        .and_then(|s| serde_json::from_str::<Vec<String>>(&s).ok())
        .unwrap_or_default()
}

/// Drops a Docusaurus number prefix (`01-`, `1_`, `02.`) from a path segment.
fn strip_number(seg: &str) -> &str {
    let digits = seg.len() - seg.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits == seg.len() {
        return seg;
    }
    let rest = &seg[digits..];
    match rest.strip_prefix(['-', '_', '.', ' ']) {
        Some(r) if !r.is_empty() => r,
        _ => seg,
    }
}

fn is_page_ext(name: &str) -> Option<&str> {
    name.strip_suffix(".mdx")
        .or_else(|| name.strip_suffix(".md"))
}

fn add(rules: &mut SiteRules, route: &str, site_path: &str) {
    let key = route_key(route).to_string();
    rules
        .page_routes
        .entry(site_path.to_string())
        .or_insert_with(|| key.clone());
    rules
        .routes
        .entry(key)
        .or_insert_with(|| site_path.to_string());
}

fn join_route(parts: &[&str]) -> String {
    parts
        .iter()
        .map(|p| p.trim_matches('/'))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("/")
}

/// Fills the route table: docs plugins (and their versions), blog, pages; `static/` files.
pub fn routes(
    rules: &mut SiteRules,
    settings: &Settings,
    index: &SiteIndex,
    pages: &[RoutedPage<'_>],
) {
    let Some(config_path) = find_config(settings) else {
        return;
    };
    let config = crate::project::read_regular_string(&config_path).unwrap_or_default();
    let config_dir = config_path.parent().unwrap_or(Path::new("/"));
    // A folder given relative to the config's folder, as a site path prefix (`website/static/`,
    // `docs/`, or `` for the content root itself); `None` when outside the content.
    let site_prefix = |rel: &str| -> Option<String> {
        let abs = crate::lexical::normalize_within(&config_dir.join(rel))?;
        let r = super::rel_under(&settings.content_dir, &abs)?;
        Some(if r.is_empty() { r } else { format!("{r}/") })
    };
    // `@site/` is the site's folder in imports and `require()` (`@site/static/img/x.png`).
    if let Some(target) = site_prefix(".") {
        rules.aliases.push(super::aliases::Alias {
            prefix: "@site/".into(),
            target,
        });
    }
    let declared = plugins(&config);
    // Docusaurus versioning (docusaurus.io/docs/versioning): the last version (`lastVersion`,
    // else the first entry of versions.json) is served at the route base, every other version
    // at `<base>/<version>`, and the current docs folder at `<base>/next` when it is not the
    // last version (at the base when there are no versions).
    let mut docs: Vec<(String, String)> = Vec::new();
    let mut versioned: Vec<(String, String, String)> = Vec::new();
    for p in &declared {
        let versions = read_versions(config_dir, p);
        let last = p
            .last_version
            .clone()
            .or_else(|| versions.first().cloned())
            .unwrap_or_else(|| "current".into());
        let base = if last == "current" {
            p.base.clone()
        } else {
            join_route(&[&p.base, "next"])
        };
        if let Some(dir) = site_prefix(&p.dir) {
            docs.push((dir, base));
        } else if let Some(dir) = crate::lexical::normalize_within(&config_dir.join(&p.dir))
            .filter(|d| near_site(config_dir, d) && d.is_dir())
        {
            // A docs folder outside the checked one (babel checks `website/`, whose config
            // reads `path: "../docs"`): routed from disk.
            add_outside(rules, &dir, |rel, fm| doc_route_list(&base, rel, fm));
        }
        let name = match &p.id {
            Some(id) => format!("{id}_versioned_docs"),
            None => "versioned_docs".into(),
        };
        if let Some(dir) = site_prefix(&name) {
            versioned.push((dir, p.base.clone(), last));
        } else if let Some(dir) = crate::lexical::normalize_within(&config_dir.join(&name)) {
            // Versioned docs beside the checked folder (prettier, jest: `docs/` checked, the
            // config and `versioned_docs/` in `website/`): routed from disk.
            for version in &versions {
                let folder = dir.join(format!("version-{version}"));
                if folder.is_dir() {
                    let path = if *version == last {
                        ""
                    } else {
                        version.as_str()
                    };
                    let base = join_route(&[&p.base, path]);
                    add_outside(rules, &folder, |rel, fm| doc_route_list(&base, rel, fm));
                }
            }
        }
    }
    rules.md_roots = docs.iter().map(|(d, _)| d.clone()).collect();
    let blog = site_prefix("blog");
    let pages_dir = site_prefix("src/pages");
    // The blog and pages of a config beside the checked folder are routed from disk.
    let outside =
        |rel: &str| crate::lexical::normalize_within(&config_dir.join(rel)).filter(|d| d.is_dir());
    if blog.is_none()
        && let Some(dir) = outside("blog")
    {
        add_outside(rules, &dir, |rel, fm| {
            blog_route_of(rel, fm).into_iter().collect()
        });
    }
    if pages_dir.is_none()
        && let Some(dir) = outside("src/pages")
    {
        add_outside(rules, &dir, |rel, _| {
            page_route_of(rel).into_iter().collect()
        });
    }
    match site_prefix("static") {
        Some(s) => rules.statics.push(s),
        // The config sits beside the content (`website/` next to `docs/`): its static folder
        // is served all the same, so `/img/x.png` is looked up there on disk.
        None => {
            if let Some(dir) = crate::lexical::normalize_within(&config_dir.join("static"))
                && dir.is_dir()
            {
                rules.outside_statics.push(dir);
            }
        }
    }
    for page in pages {
        let rel = page.rel;
        // The longest plugin folder holding the page (`docs/` before ``).
        if let Some((dir, base)) = docs
            .iter()
            .filter(|(d, _)| rel.starts_with(d.as_str()))
            .max_by_key(|(d, _)| d.len())
        {
            doc_routes(rules, base, &rel[dir.len()..], page);
        }
        // Versioned docs: `versioned_docs/version-2.x/a.md` → `/docs/2.x/a`, or `/docs/a` for
        // the last version.
        for (dir, base, last) in &versioned {
            if let Some(rest) = rel.strip_prefix(&format!("{dir}version-"))
                && let Some((version, in_docs)) = rest.split_once('/')
            {
                let path = if version == last { "" } else { version };
                doc_routes(rules, &join_route(&[base, path]), in_docs, page);
            }
        }
        if let Some(post) = blog.as_deref().and_then(|b| rel.strip_prefix(b)) {
            blog_route(rules, post, page);
        }
    }
    for generated in [
        "blog",
        "blog/tags",
        "blog/archive",
        "blog/authors",
        "search",
    ] {
        rules
            .routes
            .entry(generated.to_string())
            .or_insert_with(|| generated.to_string());
    }
    let Some(pages_dir) = pages_dir else { return };
    for site_path in index.files.keys() {
        if let Some(key) = site_path
            .strip_prefix(pages_dir.as_str())
            .and_then(page_route_of)
        {
            rules
                .page_routes
                .entry(site_path.clone())
                .or_insert_with(|| key.clone());
            rules.routes.entry(key).or_insert_with(|| site_path.clone());
        }
    }
}

/// Routes of one doc at `in_docs` (path inside the plugin's folder) under `base`.
fn doc_routes(rules: &mut SiteRules, base: &str, in_docs: &str, page: &RoutedPage<'_>) {
    let routes = doc_route_list(base, in_docs, &page.page.front_matter);
    if let Some((route, aliases)) = routes.split_first() {
        add(rules, route, page.rel);
        for alias in aliases {
            rules
                .routes
                .entry(alias.clone())
                .or_insert_with(|| page.rel.to_string());
        }
    }
}

/// A string value of front matter `fm`.
fn fm_str<'f>(fm: &'f FrontMatter, key: &str) -> Option<&'f str> {
    fm.extra.get(key).and_then(|v| v.as_str())
}

/// The routes of a doc at `in_docs` (path inside the plugin's folder) under `base` with front
/// matter `fm`: its route first, then the route with number prefixes kept, which some trees
/// link (none for a file that is not `.md`/`.mdx`).
fn doc_route_list(base: &str, in_docs: &str, fm: &FrontMatter) -> Vec<String> {
    let Some(no_ext) = is_page_ext(in_docs) else {
        return Vec::new();
    };
    let mut segs: Vec<&str> = no_ext.split('/').collect();
    let file = segs.pop().unwrap_or("");
    let dirs: Vec<&str> = segs.iter().map(|s| strip_number(s)).collect();
    let stem = strip_number(file);
    let dir_route = {
        let mut parts = vec![base];
        parts.extend(dirs.iter().copied());
        join_route(&parts)
    };
    if let Some(slug) = fm_str(fm, "slug") {
        let route = if slug.starts_with('/') {
            join_route(&[base, slug])
        } else {
            join_route(&[&dir_route, slug])
        };
        return vec![route];
    }
    let is_index = stem.eq_ignore_ascii_case("index")
        || stem.eq_ignore_ascii_case("readme")
        || dirs.last().is_some_and(|d| *d == stem);
    // A conventional index (`index`, `README`, or named as its folder) is served at its folder
    // whatever its front-matter `id` (Docusaurus' `getSlug`: babel's docs/index.md has
    // `id: index` and is `/docs/`).
    let route = match fm_str(fm, "id") {
        _ if is_index => dir_route,
        id => join_route(&[&dir_route, id.unwrap_or(stem)]),
    };
    vec![route, join_route(&[base, no_ext])]
}

/// A blog post's route: front-matter `slug`, else `YYYY/MM/DD/name` from a dated file or folder
/// name, else the path.
fn blog_route(rules: &mut SiteRules, post: &str, page: &RoutedPage<'_>) {
    if let Some(route) = blog_route_of(post, &page.page.front_matter) {
        add(rules, &route, page.rel);
    }
}

/// The route of the blog post at `post` (path inside the blog folder) with front matter `fm`;
/// `None` when it is not `.md`/`.mdx`.
fn blog_route_of(post: &str, fm: &FrontMatter) -> Option<String> {
    let no_ext = is_page_ext(post)?;
    if let Some(slug) = fm_str(fm, "slug") {
        return Some(join_route(&["blog", slug]));
    }
    let no_ext = no_ext.strip_suffix("/index").unwrap_or(no_ext);
    let date =
        Regex::new(r"^(?:.*/)?(\d{4})[-/](\d{2})[-/](\d{2})[-/](.+)$").expect("constant regex");
    Some(match date.captures(no_ext) {
        Some(c) => format!("blog/{}/{}/{}/{}", &c[1], &c[2], &c[3], &c[4]),
        None => format!("blog/{no_ext}"),
    })
}

/// The route of the file at `p` (path inside `src/pages/`): its path without extension,
/// `index` dropped; `None` for a file Docusaurus does not route (`_`-prefixed, not a page).
fn page_route_of(p: &str) -> Option<String> {
    if p.split('/').any(|s| s.starts_with('_')) {
        return None;
    }
    let stem = ["mdx", "md", "tsx", "jsx", "ts", "js"]
        .iter()
        .find_map(|e| p.strip_suffix(&format!(".{e}")))?;
    Some(route_key(stem.strip_suffix("index").unwrap_or(stem)).to_string())
}

/// True when the folder `dir` that the config in `config_dir` reads pages from may be walked:
/// inside the repository holding the site, or, outside any, inside the folder holding the
/// config's folder (`../docs` from `website/`). A path that leaves it (`path: '/'`) would
/// have every file below it read.
fn near_site(config_dir: &Path, dir: &Path) -> bool {
    let bound = match super::github::Repo::find(config_dir) {
        Some(repo) => repo.root,
        None => config_dir.parent().unwrap_or(config_dir).to_path_buf(),
    };
    dir.starts_with(bound)
}

/// Routes of the files of `folder` (on disk, outside the content root) into
/// [`SiteRules::outside_routes`]: `route_of(path inside the folder, front matter)` gives each
/// file's routes. Pages are read for their front matter only; unreadable ones count as having
/// none.
fn add_outside(
    rules: &mut SiteRules,
    folder: &Path,
    route_of: impl Fn(&str, &FrontMatter) -> Vec<String>,
) {
    // The one walk of the file system; a folder that cannot be walked routes nothing.
    let files = crate::project::walk(folder, Path::new("")).unwrap_or_default();
    for (path, rel) in files {
        let fm = if is_page_ext(&rel).is_some() {
            let text = crate::project::read_regular_string(&path).unwrap_or_default();
            crate::page::front_matter::read(&text).0
        } else {
            FrontMatter::default()
        };
        for route in route_of(&rel, &fm) {
            rules
                .outside_routes
                .entry(route_key(&route).to_string())
                .or_insert_with(|| path.clone());
        }
    }
}

/// "no doc has the route /docs/x, and website/static/docs/x does not exist" (the static folder
/// named relative to the current directory, as findings name files).
pub fn expected(rules: &SiteRules, decoded: &str) -> Option<String> {
    // A static folder beside the content is named from the current directory too.
    let outside = rules
        .outside_statics
        .first()
        .map(|d| super::disk_from_cwd(d));
    let static_file = |rest: &str| match (rules.statics.first(), &outside) {
        (Some(s), _) => super::shown_from_cwd(&rules.content_dir, &format!("{s}{rest}")),
        (None, Some(d)) => format!("{d}/{rest}"),
        (None, None) => format!("static/{rest}"),
    };
    let static_dir = match (rules.statics.first(), &outside) {
        (Some(s), _) => format!(
            "{}/",
            super::shown_from_cwd(&rules.content_dir, s.trim_end_matches('/'))
        ),
        (None, Some(d)) => format!("{d}/"),
        (None, None) => "static/".to_string(),
    };
    let rest = decoded.trim_start_matches('/');
    if decoded.contains('.') && !decoded.ends_with(".md") && !decoded.ends_with(".mdx") {
        let name = decoded.rsplit('/').next().unwrap_or(decoded);
        if name.contains('.') && decoded.starts_with('/') {
            return Some(format!(
                "no file {} (Docusaurus serves `/…` files from {static_dir})",
                static_file(rest)
            ));
        }
        return None;
    }
    if decoded.starts_with('/') {
        Some(format!(
            "no doc, blog post or page has the route {decoded} (a docs/….md or .mdx file, its front-matter id or slug), and {} does not exist",
            static_file(rest)
        ))
    } else {
        Some(format!(
            "neither a file nor a Docusaurus route matches {decoded} (relative to the page's file or its URL)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_prefixes() {
        assert_eq!(strip_number("01-intro"), "intro");
        assert_eq!(strip_number("2_setup"), "setup");
        assert_eq!(strip_number("2024"), "2024");
        assert_eq!(strip_number("intro"), "intro");
    }

    #[test]
    fn plugins_from_config() {
        let cfg = "presets: [['classic', { docs: { routeBasePath: '/', path: 'docs' } }]],\nplugins: [['@docusaurus/plugin-content-docs', { id: 'community', path: 'community', routeBasePath: 'community' }]]";
        let p = plugins(cfg);
        assert_eq!(p.len(), 2);
        assert_eq!((p[0].dir.as_str(), p[0].base.as_str()), ("docs", ""));
        assert_eq!(
            (p[1].dir.as_str(), p[1].base.as_str()),
            ("community", "community")
        );
        assert_eq!(p[1].id.as_deref(), Some("community"));
    }

    #[test]
    fn plugin_path_without_route_base_path() {
        // Prettier's website: `path: "../docs"`, no routeBasePath, a nested `versions` object
        // and an expression for lastVersion.
        let cfg = r#"presets: [["classic", { docs: { sidebarPath: "./sidebars.json",
          editUrl: ({ docPath }) => `${URL}/edit/main/docs/${docPath}`,
          path: "../docs", lastVersion: process.env.PR === "true" ? "current" : undefined,
          versions: { current: { label: "next", path: "nxt" } } } }]]"#;
        let p = plugins(cfg);
        assert_eq!(p.len(), 1);
        assert_eq!((p[0].dir.as_str(), p[0].base.as_str()), ("../docs", "docs"));
        assert_eq!(p[0].last_version, None);
        let p = plugins("docs: { lastVersion: 'current', path: 'guides' }");
        assert_eq!(p[0].last_version.as_deref(), Some("current"));
        assert_eq!(p[0].dir, "guides");
    }
}
