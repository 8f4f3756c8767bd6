//! The `starlight` convention (Astro Starlight): pages are the Markdown and MDX files of the
//! content collection `src/content/docs/`, served at their path with each segment slugified
//! (lowercase, punctuation dropped, spaces to `-`), `index` meaning the folder, and front-matter
//! `slug` replacing the route; routes are written with or without a trailing slash (Astro's
//! `trailingSlash`), relative to the page's URL or from the root (after Astro's `base`); files
//! of `public/` are served from the root.
//!
//! The site may be checked from its root or from a folder inside it: `src/content/docs/`
//! itself (or `src/content/`, `src/`), with `astro.config.*` three (two, one) folders up
//! ([`find_site`]). Its pages are then routed as from the root, `public/` is served from the
//! root from disk ([`SiteRules::outside_statics`]), the tsconfig aliases of the site apply,
//! and a relative path or alias that leaves the checked folder but stays in the site (an image
//! in `src/assets/`) is a file of the site, looked up on disk ([`SiteRules::outside_root`]).

use std::path::{Path, PathBuf};

use regex::Regex;

use super::{RoutedPage, SiteRules, front_matter_str, route_key};
use crate::config::Settings;
use crate::page::slug::slugify;
use crate::project::SiteIndex;

/// The content collection's folder.
pub const DOCS: &str = "src/content/docs/";

/// Astro config file names.
pub(crate) const CONFIG_FILES: &[&str] = &[
    "astro.config.mjs",
    "astro.config.ts",
    "astro.config.js",
    "astro.config.mts",
    "astro.config.cjs",
];

/// The Astro config file in `dir` when it uses Starlight.
pub fn detect(dir: &Path) -> Option<String> {
    CONFIG_FILES.iter().find_map(|f| {
        let text = crate::project::read_regular_string(dir.join(f)).ok()?;
        text.contains("starlight").then(|| f.to_string())
    })
}

/// Folders inside a Starlight site (relative to its root, deepest first) that may be checked
/// directly, the site's config then being above them.
const INNER: &[&str] = &["src/content/docs", "src/content", "src"];

/// The Starlight site a project belongs to: its root folder and its config file's name. The
/// project or content folder when it holds a Starlight `astro.config.*` ([`detect`]), else
/// `<site>` when the content folder is `<site>/src/content/docs`, `<site>/src/content` or
/// `<site>/src` and `<site>` holds one. `None` when there is no such config.
pub fn find_site(settings: &Settings) -> Option<(PathBuf, String)> {
    for dir in [&settings.root, &settings.content_dir] {
        if let Some(file) = detect(dir) {
            return Some((dir.clone(), file));
        }
    }
    find_site_above(&settings.content_dir)
}

/// The Starlight site above `content_dir` when `content_dir` is one of its [`INNER`] folders:
/// the site's root and config file's name.
pub fn find_site_above(content_dir: &Path) -> Option<(PathBuf, String)> {
    INNER.iter().find_map(|inner| {
        if !content_dir.ends_with(inner) {
            return None;
        }
        let site = content_dir
            .ancestors()
            .nth(Path::new(inner).components().count())?;
        detect(site).map(|file| (site.to_path_buf(), file))
    })
}

/// Fills the route table from the pages under `src/content/docs/`; `public/` is static.
pub fn routes(
    rules: &mut SiteRules,
    settings: &Settings,
    index: &SiteIndex,
    pages: &[RoutedPage<'_>],
) {
    let found = find_site(settings);
    // Without a config (`[check] links = "starlight"`), the content folder is the site's root.
    let site = found
        .as_ref()
        .map_or(settings.content_dir.as_path(), |(dir, _)| dir.as_path());
    let content = &settings.content_dir;
    // A folder of the site (`public`) as a site path prefix of the checked folder (`public/`,
    // `` for the checked folder itself), or, when outside it, its path from the checked folder
    // (`../../../public/`).
    let inner: Option<String> = super::rel_under(site, content);
    let prefix = |folder: &str| -> Result<String, String> {
        let folder = if folder.is_empty() {
            String::new()
        } else {
            format!("{folder}/")
        };
        match inner.as_deref() {
            None | Some("") => Ok(folder),
            Some(i) => match folder.strip_prefix(&format!("{i}/")) {
                Some(rest) => Ok(rest.to_string()),
                None => Err(format!(
                    "{}/",
                    crate::lexical::relative_path(content, &site.join(&folder))
                )),
            },
        }
    };
    match prefix("public") {
        Ok(p) => rules.statics.push(p),
        Err(_) => {
            let public = site.join("public");
            if public.is_dir() {
                rules.outside_statics.push(public);
            }
        }
    }
    if let Ok(p) = prefix("src/assets") {
        rules.asset_dirs.push(p);
    }
    if found.is_some() && site != content.as_path() {
        rules.outside_root = Some(site.to_path_buf());
    }
    let aliases_from = if found.is_some() {
        site
    } else {
        settings.root.as_path()
    };
    rules.aliases = super::aliases::from_tsconfig(aliases_from)
        .into_iter()
        .map(|mut a| {
            a.target = match prefix(a.target.trim_end_matches('/')) {
                Ok(p) | Err(p) => p,
            };
            a
        })
        .collect();
    let config = found
        .as_ref()
        .and_then(|(dir, f)| crate::project::read_regular_string(dir.join(f)).ok())
        .unwrap_or_default();
    let docs = prefix(DOCS.trim_end_matches('/')).unwrap_or_else(|_| DOCS.to_string());
    let base = Regex::new(r#"(?m)^\s*base\s*:\s*['"`]([^'"`]*)['"`]"#).expect("constant regex");
    if let Some(c) = base.captures(&config) {
        rules.base = c[1].trim_matches('/').to_string();
    }
    for page in pages {
        let Some(in_docs) = page.rel.strip_prefix(docs.as_str()) else {
            continue;
        };
        let route = match front_matter_str(page.page, "slug") {
            Some(slug) => slug.to_string(),
            None => route_of(in_docs),
        };
        let key = route_key(&route).to_string();
        rules.page_routes.insert(page.rel.to_string(), key.clone());
        rules
            .routes
            .entry(key)
            .or_insert_with(|| page.rel.to_string());
    }
    add_locale_fallbacks(rules);
    // Astro's own pages (`src/pages/`), beside the content collection.
    match prefix("src/pages") {
        Ok(p) => {
            for path in index.files.keys() {
                if let Some(route) = path.strip_prefix(p.as_str()).and_then(astro_page_route) {
                    rules.routes.entry(route).or_insert_with(|| path.clone());
                }
            }
        }
        Err(_) => {
            let dir = site.join("src/pages");
            // Checked from inside the site: the pages are routed from disk.
            for (path, rel) in crate::project::walk(&dir, Path::new("")).unwrap_or_default() {
                if let Some(route) = astro_page_route(&rel) {
                    rules.outside_routes.entry(route).or_insert(path);
                }
            }
        }
    }
    if let Some((dir, file)) = &found {
        add_redirects(rules, &super::redirects::astro(&dir.join(file), &config));
    }
}

/// Astro's `redirects`: a redirected route reaches the page its destination serves
/// ([`super::redirects`]). Not under other locales: Astro redirects exactly the routes listed.
/// A redirect to another redirect is followed; one to a URL or to a route no page serves is
/// left out, so links to it stay broken.
fn add_redirects(rules: &mut SiteRules, redirects: &[(String, String)]) {
    let strip = |route: &str| -> String {
        let key = route_key(route.split(['#', '?']).next().unwrap_or(route));
        match rules.base.as_str() {
            "" => key.to_string(),
            base => key
                .strip_prefix(base)
                .filter(|r| r.is_empty() || r.starts_with('/'))
                .map_or(key, |r| r.trim_start_matches('/'))
                .to_string(),
        }
    };
    let pairs: Vec<(String, String)> = redirects
        .iter()
        .filter(|(_, to)| to.starts_with('/') && !super::is_external(to))
        .map(|(from, to)| (strip(from), strip(to)))
        .collect();
    // Chains (`/a` → `/b` → `/c`) resolve in as many rounds as they are long.
    for _ in 0..4 {
        let mut added = false;
        for (from, to) in &pairs {
            if rules.routes.contains_key(from) {
                continue;
            }
            if let Some(page) = rules.routes.get(to).cloned() {
                rules.routes.insert(from.clone(), page);
                added = true;
            }
        }
        if !added {
            break;
        }
    }
}

/// Starlight serves every page of the default locale under each other locale too, with a
/// notice, until it is translated: `/fr/guides/x/` exists when `/guides/x/` does. Locales are
/// the top folders of the collection named like language tags (`fr`, `pt-br`, `zh-cn`) that
/// hold a home page.
fn add_locale_fallbacks(rules: &mut SiteRules) {
    let tag = Regex::new(r"^[a-z]{2,3}(-[a-z0-9]{2,4})?$").expect("constant regex");
    // A locale folder has its own home page (`fr/index.mdx`, route `fr`).
    let mut locales: Vec<String> = rules
        .page_routes
        .values()
        .filter(|r| tag.is_match(r))
        .cloned()
        .collect();
    locales.sort();
    locales.dedup();
    if locales.is_empty() {
        return;
    }
    let default: Vec<(String, String)> = rules
        .routes
        .iter()
        .filter(|(r, _)| {
            !locales
                .iter()
                .any(|l| *r == l || r.starts_with(&format!("{l}/")))
        })
        .map(|(r, p)| (r.clone(), p.clone()))
        .collect();
    for locale in &locales {
        for (route, page) in &default {
            let key = route_key(&format!("{locale}/{route}")).to_string();
            rules.routes.entry(key).or_insert_with(|| page.clone());
        }
    }
}

/// The route Astro's file-based routing gives the file at `p` in `src/pages/`
/// (<https://docs.astro.build/en/guides/routing/>): its path without the page extension
/// (`.astro`, `.md`, `.mdx`, `.html`) or endpoint extension (`.js`, `.ts`: `feed.xml.ts` serves
/// `feed.xml`), `index` meaning its folder. `None` for a file Astro does not route (a segment
/// starting with `_`), a dynamic route (`[slug].astro`, which only the code knows), or another
/// file.
fn astro_page_route(p: &str) -> Option<String> {
    if p.split('/').any(|s| s.starts_with('_') || s.contains('[')) {
        return None;
    }
    let stem = ["astro", "mdx", "md", "html", "ts", "js"]
        .iter()
        .find_map(|e| p.strip_suffix(&format!(".{e}")))?;
    let stem = if stem.ends_with("/index") || stem == "index" {
        stem.strip_suffix("index").unwrap_or(stem)
    } else {
        stem
    };
    Some(route_key(stem).to_string())
}

/// `Guides/API Keys.md` → `guides/api-keys`; `guides/index.mdx` → `guides`.
pub fn route_of(in_docs: &str) -> String {
    let no_ext = in_docs
        .strip_suffix(".mdx")
        .or_else(|| in_docs.strip_suffix(".md"))
        .or_else(|| in_docs.strip_suffix(".markdown"))
        .unwrap_or(in_docs);
    let mut segs: Vec<String> = no_ext.split('/').map(slugify).collect();
    if segs.last().is_some_and(|s| s == "index") {
        segs.pop();
    }
    segs.join("/")
}

/// The file that would serve the route at `joined` (a page of `src/content/docs/`: `x.md`,
/// `x.mdx`, `x/index.md`, `x/index.mdx`) when a `.gitignore` between it and the content root
/// ignores it, and keeps none of the others with a `!` rule: a page the site generates at
/// build time ([`super::Target::Generated`]). Starlight only; the `.gitignore` files are read
/// from disk (the page is checked again every run).
pub fn generated(rules: &SiteRules, page_rel: &str, joined: &str) -> Option<String> {
    if rules.convention != super::Convention::Starlight || !rules.page_routes.contains_key(page_rel)
    {
        return None;
    }
    let route = joined.trim_matches('/');
    let route = match rules.base.as_str() {
        "" => route,
        base => route
            .strip_prefix(base)
            .map_or(route, |r| r.trim_start_matches('/')),
    };
    // Checked from the site's root, pages lie under src/content/docs/; checked from that
    // folder itself, at the content root.
    let docs = if rules.page_routes.keys().any(|p| p.starts_with(DOCS)) {
        DOCS
    } else {
        ""
    };
    let candidates: Vec<(String, Option<bool>)> =
        ["{r}.md", "{r}.mdx", "{r}/index.md", "{r}/index.mdx"]
            .iter()
            .map(|form| format!("{docs}{}", form.replace("{r}", route)))
            .map(|file| {
                let ignored = crate::project::git_ignores(&rules.content_dir, &file);
                (file, ignored)
            })
            .collect();
    // A file a `!` rule keeps is written by hand: when it is missing, the link is broken.
    if candidates.iter().any(|(_, i)| *i == Some(false)) {
        return None;
    }
    candidates
        .into_iter()
        .find_map(|(file, ignored)| (ignored == Some(true)).then_some(file))
}

/// True when a page of the site links another page by its file (`./api-keys.md`): Starlight
/// does not rewrite such links, so the reader gets a 404. (A README beside the site is read on
/// GitHub, where the file link works.)
pub fn is_unserved_file_link(rules: &SiteRules, page_rel: &str, target: &str) -> bool {
    rules.convention == super::Convention::Starlight
        && rules.page_routes.contains_key(page_rel)
        && rules.page_routes.contains_key(target)
}

/// "no page under src/content/docs/ has the route /x/, and public/x does not exist" (`public/`
/// named from the current folder when it lies outside the checked folder).
pub fn expected(rules: &SiteRules, page_rel: &str, decoded: &str) -> Option<String> {
    if decoded.ends_with(".md") || decoded.ends_with(".mdx") {
        let route = super::join(page_rel, decoded)
            .and_then(|p| rules.page_routes.get(&p))
            .map(|r| format!("/{r}/"))
            .unwrap_or_else(|| "its route".to_string());
        return Some(format!(
            "is not an address of the site: Starlight serves pages at their routes and does not rewrite links to Markdown files; link to {route}"
        ));
    }
    let route = decoded.trim_end_matches('/');
    // `public/` outside the checked folder is named from the current folder, as findings are.
    let public = rules
        .outside_statics
        .first()
        .map_or_else(|| "public".to_string(), |d| super::disk_from_cwd(d));
    Some(format!(
        "no page of {DOCS} has the route {route}/ (a {DOCS}…{}.md or .mdx file), and {public}/{} does not exist",
        route.rsplit('/').next().unwrap_or(route),
        route.trim_start_matches(['/', '.'])
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_site_above_its_content_folders() {
        let dir = tempfile::tempdir().expect("temp dir");
        let site = dir.path().join("site");
        let docs = site.join("src/content/docs");
        std::fs::create_dir_all(&docs).expect("folders");
        assert_eq!(find_site_above(&docs), None, "no config");
        std::fs::write(site.join("astro.config.mjs"), "export default {};\n").expect("write");
        assert_eq!(find_site_above(&docs), None, "Astro without Starlight");
        std::fs::write(
            site.join("astro.config.mjs"),
            "import starlight from '@astrojs/starlight';\n",
        )
        .expect("write");
        let found = Some((site.clone(), "astro.config.mjs".to_string()));
        assert_eq!(find_site_above(&docs), found);
        assert_eq!(find_site_above(&site.join("src/content")), found);
        assert_eq!(find_site_above(&site.join("src")), found);
        assert_eq!(find_site_above(&docs.join("guides")), None, "deeper");
        assert_eq!(find_site_above(&site), None, "the root is `detect`'s");
    }

    #[test]
    fn astro_pages_routes() {
        assert_eq!(
            astro_page_route("playground.astro").as_deref(),
            Some("playground")
        );
        assert_eq!(astro_page_route("api/index.ts").as_deref(), Some("api"));
        assert_eq!(astro_page_route("feed.xml.ts").as_deref(), Some("feed.xml"));
        assert_eq!(astro_page_route("index.astro").as_deref(), Some(""));
        assert_eq!(astro_page_route("og/[...slug].png.ts"), None);
        assert_eq!(astro_page_route("_fonts/x.ttf"), None);
        assert_eq!(astro_page_route("styles.css"), None);
    }

    #[test]
    fn routes_are_slugified_paths() {
        assert_eq!(route_of("Guides/API Keys.md"), "guides/api-keys");
        assert_eq!(route_of("guides/index.mdx"), "guides");
        assert_eq!(route_of("index.md"), "");
    }
}
