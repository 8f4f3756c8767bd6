//! The `mkdocs` convention: pages are the Markdown files of `docs_dir` (mkdocs.yml, default
//! `docs`), linked as files (`../a/b.md`, which MkDocs rewrites) or as URLs: with
//! `use_directory_urls` (the default) `a/b.md` is served at `a/b/` and `a/index.md` or
//! `a/README.md` at `a/`; without it at `a/b.html` and `a/index.html`. Other files of `docs_dir`
//! are served at their path; `/x` is from the site root, which is `docs_dir`.
//!
//! mkdocs.yml may hold `!!python/name:` tags that a YAML library rejects; only the two keys are
//! read, line by line.

use super::{RoutedPage, SiteRules, route_key};
use crate::config::Settings;
use crate::project::SiteIndex;

/// `docs_dir` and `use_directory_urls` from mkdocs.yml text.
fn read_config(text: &str) -> (String, bool) {
    let mut docs = "docs".to_string();
    let mut dir_urls = true;
    for line in text.lines() {
        if let Some(v) = line.strip_prefix("docs_dir:") {
            docs = v
                .trim()
                .trim_matches(['\'', '"'])
                .trim_matches('/')
                .to_string();
        }
        if let Some(v) = line.strip_prefix("use_directory_urls:") {
            dir_urls = !matches!(v.trim(), "false" | "False" | "no");
        }
    }
    (docs, dir_urls)
}

/// Fills the route table from the pages of `docs_dir`.
pub fn routes(
    rules: &mut SiteRules,
    settings: &Settings,
    _index: &SiteIndex,
    pages: &[RoutedPage<'_>],
) {
    let text =
        crate::project::read_regular_string(settings.root.join("mkdocs.yml")).unwrap_or_default();
    let (docs, dir_urls) = read_config(&text);
    let docs_rel = {
        let abs = settings.root.join(&docs);
        super::rel_under(&settings.content_dir, &abs).unwrap_or_default()
    };
    let prefix = if docs_rel.is_empty() {
        String::new()
    } else {
        format!("{docs_rel}/")
    };
    rules.base = String::new();
    rules.url_is_dir = Some(dir_urls);
    rules.statics.push(prefix.clone());
    for page in pages {
        let Some(in_docs) = page.rel.strip_prefix(prefix.as_str()) else {
            continue;
        };
        let Some(stem) = in_docs
            .strip_suffix(".md")
            .or_else(|| in_docs.strip_suffix(".markdown"))
        else {
            continue;
        };
        let (dir, name) = stem.rsplit_once('/').unwrap_or(("", stem));
        let is_index = name.eq_ignore_ascii_case("index") || name.eq_ignore_ascii_case("readme");
        let route = match (is_index, dir_urls) {
            (true, _) => dir.to_string(),
            (false, true) => stem.to_string(),
            (false, false) => format!("{stem}.html"),
        };
        let key = route_key(&route).to_string();
        // The page's URL, against which its relative links resolve.
        let url = if is_index && !dir_urls {
            format!(
                "{}index.html",
                if dir.is_empty() {
                    String::new()
                } else {
                    format!("{dir}/")
                }
            )
        } else {
            key.clone()
        };
        rules.page_routes.insert(page.rel.to_string(), url);
        rules
            .routes
            .entry(key)
            .or_insert_with(|| page.rel.to_string());
    }
}

/// "no page docs/x.md (MkDocs serves it at x/)".
pub fn expected(_rules: &SiteRules, decoded: &str) -> Option<String> {
    let route = decoded.trim_end_matches('/');
    let route = route.strip_suffix(".html").unwrap_or(route);
    if route.ends_with(".md") {
        return None;
    }
    Some(format!(
        "no page {route}.md or {route}/index.md in the docs folder, which MkDocs would serve at {route}/"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_keys() {
        assert_eq!(
            read_config("site_name: X\ndocs_dir: 'documentation'\nuse_directory_urls: false\n"),
            ("documentation".to_string(), false)
        );
        assert_eq!(read_config("site_name: X\n"), ("docs".to_string(), true));
    }
}
