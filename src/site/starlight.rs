//! The `starlight` convention (Astro Starlight): pages are the Markdown and MDX files of the
//! content collection `src/content/docs/`, served at their path with each segment slugified
//! (lowercase, punctuation dropped, spaces to `-`), `index` meaning the folder, and front-matter
//! `slug` replacing the route; routes are written with or without a trailing slash (Astro's
//! `trailingSlash`), relative to the page's URL or from the root (after Astro's `base`); files
//! of `public/` are served from the root.

use std::path::Path;

use regex::Regex;

use super::{RoutedPage, SiteRules, front_matter_str, route_key};
use crate::config::Settings;
use crate::page::slug::slugify;
use crate::project::SiteIndex;

/// The content collection's folder.
pub const DOCS: &str = "src/content/docs/";

/// Astro config file names.
const CONFIG_FILES: &[&str] = &[
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

/// Fills the route table from the pages under `src/content/docs/`; `public/` is static.
pub fn routes(
    rules: &mut SiteRules,
    settings: &Settings,
    _index: &SiteIndex,
    pages: &[RoutedPage<'_>],
) {
    rules.statics.push("public/".into());
    rules.asset_dirs.push("src/assets/".into());
    rules.aliases = super::aliases::from_tsconfig(&settings.root);
    let config = detect(&settings.root)
        .and_then(|f| crate::project::read_regular_string(settings.root.join(f)).ok())
        .unwrap_or_default();
    let base = Regex::new(r#"(?m)^\s*base\s*:\s*['"`]([^'"`]*)['"`]"#).expect("constant regex");
    if let Some(c) = base.captures(&config) {
        rules.base = c[1].trim_matches('/').to_string();
    }
    for page in pages {
        let Some(in_docs) = page.rel.strip_prefix(DOCS) else {
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

/// True when a page of the site links another page by its file (`./api-keys.md`): Starlight
/// does not rewrite such links, so the reader gets a 404. (A README beside the site is read on
/// GitHub, where the file link works.)
pub fn is_unserved_file_link(rules: &SiteRules, page_rel: &str, target: &str) -> bool {
    rules.convention == super::Convention::Starlight
        && rules.page_routes.contains_key(page_rel)
        && rules.page_routes.contains_key(target)
}

/// "no page under src/content/docs/ has the route /x/, and public/x does not exist".
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
    Some(format!(
        "no page of {DOCS} has the route {route}/ (a {DOCS}…{}.md or .mdx file), and public/{} does not exist",
        route.rsplit('/').next().unwrap_or(route),
        route.trim_start_matches(['/', '.'])
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_are_slugified_paths() {
        assert_eq!(route_of("Guides/API Keys.md"), "guides/api-keys");
        assert_eq!(route_of("guides/index.mdx"), "guides");
        assert_eq!(route_of("index.md"), "");
    }
}
