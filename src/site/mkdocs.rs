//! The `mkdocs` convention: pages are the Markdown files of `docs_dir` (mkdocs.yml, default
//! `docs`), linked as files (`../a/b.md`, which MkDocs rewrites) or as URLs: with
//! `use_directory_urls` (the default) `a/b.md` is served at `a/b/` and `a/index.md` or
//! `a/README.md` at `a/`; without it at `a/b.html` and `a/index.html`. Other files of `docs_dir`
//! are served at their path; `/x` is from the site root, which is `docs_dir`.
//!
//! mkdocs.yml may hold `!!python/name:` tags that a YAML library rejects; only the two keys are
//! read, line by line.
//!
//! The config is `mkdocs.yml` (or `mkdocs.yaml`); a project built with `mkdocs build -f
//! mkdocs-online.yml` has none, and then the `mkdocs*.yml` whose settings name a `site_name`
//! (the one key MkDocs requires), preferring one that no other inherits, is read
//! ([`config_in`]). A config's `INHERIT: parent.yml` is read under it ([`config_texts`]).

use std::path::{Path, PathBuf};

use super::{RoutedPage, SiteRules, route_key};
use crate::config::Settings;
use crate::project::SiteIndex;

/// The config file's name.
pub const CONFIG_FILE: &str = "mkdocs.yml";

/// The mkdocs.yml of a project: in the project or content folder, or in a folder above the
/// project inside its repository whose `docs_dir` is the content folder or holds it (the usual
/// layout keeps mkdocs.yml beside `docs/`, so checking `docs/` finds it there). A mkdocs.yml
/// above whose docs are elsewhere says nothing about these pages.
pub fn find_config(settings: &Settings) -> Option<PathBuf> {
    let here = [settings.root.as_path(), settings.content_dir.as_path()];
    if let Some(found) = here.iter().find_map(|d| config_in(d)) {
        return Some(found);
    }
    let repo = super::github::Repo::find(&settings.root)?;
    settings
        .root
        .ancestors()
        .skip(1)
        .take_while(|d| d.starts_with(&repo.root))
        .filter_map(config_in)
        .find(|f| governs(f, &settings.content_dir))
}

/// The MkDocs config of the folder `dir`: `mkdocs.yml`, `mkdocs.yaml`, else among the other
/// `mkdocs*.yml` / `mkdocs*.yaml` files (textual's `mkdocs-online.yml`, `mkdocs-offline.yml`,
/// both inheriting `mkdocs-common.yml`, beside `mkdocs-nav.yml`, a nav only) the first by name
/// whose settings with those it inherits give a `site_name`, preferring one that no other
/// inherits. `None` when there is none.
pub fn config_in(dir: &Path) -> Option<PathBuf> {
    if let Some(f) = [CONFIG_FILE, "mkdocs.yaml"]
        .iter()
        .map(|n| dir.join(n))
        .find(|f| f.is_file())
    {
        return Some(f);
    }
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| is_config_name(n))
        .collect();
    if names.is_empty() {
        return None;
    }
    names.sort();
    let texts: Vec<(PathBuf, Vec<String>)> = names
        .iter()
        .map(|n| dir.join(n))
        .filter(|f| f.is_file())
        .map(|f| {
            let texts = config_texts(&f);
            (f, texts)
        })
        .collect();
    let inherited: Vec<String> = texts
        .iter()
        .filter_map(|(_, t)| t.first().and_then(|t| inherit(t)))
        .collect();
    let named = |t: &[String]| {
        t.iter()
            .any(|t| t.lines().any(|l| l.starts_with("site_name:")))
    };
    let leaf = |f: &Path| {
        f.file_name()
            .and_then(|n| n.to_str())
            .is_none_or(|n| !inherited.iter().any(|i| i == n))
    };
    texts
        .iter()
        .filter(|(_, t)| named(t))
        .find(|(f, _)| leaf(f))
        .or_else(|| texts.iter().find(|(_, t)| named(t)))
        .map(|(f, _)| f.clone())
}

/// True for a file name an MkDocs config may have: `mkdocs.yml`, `mkdocs-online.yml`,
/// `mkdocs.insiders.yaml`.
pub fn is_config_name(name: &str) -> bool {
    name.starts_with("mkdocs") && (name.ends_with(".yml") || name.ends_with(".yaml"))
}

/// The `INHERIT:` value of a config's text (a file relative to its folder).
fn inherit(text: &str) -> Option<String> {
    text.lines().find_map(|l| {
        let v = l.strip_prefix("INHERIT:")?.trim().trim_matches(['\'', '"']);
        (!v.is_empty()).then(|| v.to_string())
    })
}

/// The texts of the config `config` and of the configs it inherits (`INHERIT:`, up to four
/// levels, each relative to the folder of the file naming it), the config's own first. An
/// unreadable file ends the chain.
pub fn config_texts(config: &Path) -> Vec<String> {
    config_chain(config).into_iter().map(|(_, t)| t).collect()
}

/// [`config_texts`] with each text's file.
fn config_chain(config: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut file = config.to_path_buf();
    for _ in 0..5 {
        let Ok(text) = crate::project::read_regular_string(&file) else {
            break;
        };
        let parent = inherit(&text);
        out.push((file.clone(), text));
        let Some(parent) = parent else { break };
        let dir = file.parent().unwrap_or(Path::new("."));
        match crate::lexical::normalize_within(&dir.join(parent)) {
            Some(next) if next != file => file = next,
            _ => break,
        }
    }
    out
}

/// The settings of the config `config` as one text, read line by line as the settings of
/// one file: the configs it inherits first, so that a key the config itself sets comes last.
pub fn read_text(config: &Path) -> String {
    let mut texts = config_texts(config);
    texts.reverse();
    texts.join("\n")
}

/// The files `pymdownx.snippets` appends to every page (its `auto_append` list), found as the
/// extension does: relative to each of its `base_path` folders (default `.`, the folder of
/// mkdocs.yml, where `mkdocs build` runs), the first that exists. Empty without MkDocs or the
/// option. Read line by line, as [`read_config`] reads.
pub fn auto_append(settings: &Settings) -> Vec<PathBuf> {
    let Some(config) = find_config(settings) else {
        return Vec::new();
    };
    let text = read_text(&config);
    let dir = config.parent().unwrap_or(Path::new("."));
    let names = list_under(&text, "auto_append:");
    let mut bases = list_under(&text, "base_path:");
    if bases.is_empty() {
        bases.push(".".into());
    }
    names
        .iter()
        .filter_map(|name| {
            bases
                .iter()
                .filter_map(|b| crate::lexical::normalize_within(&dir.join(b).join(name)))
                .find(|p| p.is_file())
        })
        .collect()
}

/// The values of the YAML key `key` (a line `key:` then `- item` lines indented deeper, or
/// `key: value` / `key: [a, b]` on one line), quotes removed.
fn list_under(text: &str, key: &str) -> Vec<String> {
    let unquote = |v: &str| v.trim().trim_matches(['\'', '"']).to_string();
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let Some(at) = line.find(key) else { continue };
        if !line[..at].trim().is_empty() {
            continue;
        }
        let indent = at;
        let value = line[at + key.len()..].trim();
        if !value.is_empty() {
            let value = value.trim_start_matches('[').trim_end_matches(']');
            out.extend(value.split(',').map(unquote).filter(|v| !v.is_empty()));
            continue;
        }
        for item in lines.by_ref() {
            let t = item.trim_start();
            let deeper = item.len() - t.len() > indent;
            match t.strip_prefix("- ") {
                Some(v) if deeper || item.len() - t.len() == indent => out.push(unquote(v)),
                _ if t.is_empty() => {}
                _ => break,
            }
        }
    }
    out
}

/// True when the `docs_dir` of the mkdocs.yml at `config` is `content_dir` or holds it.
fn governs(config: &Path, content_dir: &Path) -> bool {
    let Some(dir) = config.parent() else {
        return false;
    };
    let text = read_text(config);
    let (docs, _) = read_config(&text);
    crate::lexical::normalize_within(&dir.join(docs))
        .is_some_and(|docs| content_dir.starts_with(&docs))
}

/// `folder` when its MkDocs config ([`config_in`]) has `docs` (absolute) as `docs_dir`: the
/// site's root for [`super::owning_site`].
pub fn owner(folder: &Path, docs: &Path) -> Option<PathBuf> {
    let (_, docs_dir) = docs_dir(folder)?;
    (docs_dir == docs).then(|| folder.to_path_buf())
}

/// The MkDocs config of `folder` ([`config_in`]: `mkdocs.yml`, `mkdocs.yaml`, textual's
/// `mkdocs-online.yml`…) and its `docs_dir` on disk, read with the configs it inherits, as
/// [`routes`] reads them; `None` without a readable config.
pub fn docs_dir(folder: &Path) -> Option<(PathBuf, PathBuf)> {
    let config = config_in(folder)?;
    let texts = config_texts(&config);
    if texts.is_empty() {
        return None;
    }
    let (docs, _) = read_config(&read_text(&config));
    let docs = crate::lexical::normalize_within(&folder.join(docs))?;
    Some((config, docs))
}

/// `docs_dir` and `use_directory_urls` from mkdocs.yml text.
fn read_config(text: &str) -> (String, bool) {
    let mut docs = "docs".to_string();
    let mut dir_urls = true;
    for line in text.lines() {
        // A value may be followed by a comment (`docs_dir: docs  # the pages`).
        let line = super::mkdocs_nav::strip_comment(line);
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
    let config = find_config(settings).unwrap_or_else(|| settings.root.join(CONFIG_FILE));
    let text = read_text(&config);
    let (docs, dir_urls) = read_config(&text);
    let docs_rel = {
        let abs = config.parent().unwrap_or(&settings.root).join(&docs);
        super::rel_under(&settings.content_dir, &abs).unwrap_or_default()
    };
    let prefix = if docs_rel.is_empty() {
        String::new()
    } else {
        format!("{docs_rel}/")
    };
    // The nav of the config, else of the nearest config it inherits (whose lines findings name).
    rules.mkdocs_nav = config_chain(&config).into_iter().find_map(|(file, text)| {
        super::mkdocs_nav::parse(&text).map(|items| super::mkdocs_nav::MkdocsNav {
            file: super::rel_under(&settings.root, &file).unwrap_or_else(|| {
                crate::cli::check::display_path(&crate::lexical::normalize(&file), &settings.root)
            }),
            text: text.as_str().into(),
            prefix: prefix.clone(),
            items,
        })
    });
    rules.base = String::new();
    rules.url_is_dir = Some(dir_urls);
    rules.autorefs = uses_autorefs(&text);
    rules.templates = uses_macros(&text);
    rules.snippet_prefixes = snippet_prefixes(&text, &docs);
    rules.statics.push(prefix.clone());
    // Images mkdocs.yml names (`theme.favicon`, `theme.logo`, social cards…) are the theme's:
    // no page need show them.
    rules
        .asset_dirs
        .extend(config_images(&text).map(|f| format!("{prefix}{f}")));
    // So are the images the theme's overrides (`theme.custom_dir`) show.
    if let Some(dir) = custom_dir(&text) {
        let dir = config.parent().unwrap_or(&settings.root).join(dir);
        rules.asset_dirs.extend(
            template_images(&dir)
                .into_iter()
                .map(|f| format!("{prefix}{f}")),
        );
    }
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

/// True when mkdocs.yml's `plugins` (a list or a mapping) holds `autorefs` or `mkdocstrings`,
/// which loads autorefs.
fn uses_autorefs(text: &str) -> bool {
    top_items(text, "plugins:")
        .iter()
        .any(|n| n == "autorefs" || n == "mkdocstrings")
}

/// True when pages are Jinja templates rendered before Markdown: the `macros` plugin
/// (mkdocs-macros-plugin) or a Markdown extension named `…macros` (Zensical's
/// `zensical.extensions.macros`, which fastapi uses).
fn uses_macros(text: &str) -> bool {
    top_items(text, "plugins:").iter().any(|n| n == "macros")
        || top_items(text, "markdown_extensions:")
            .iter()
            .any(|n| n == "macros" || n.ends_with(".macros"))
}

/// The names of the items of the top-level key `key` of mkdocs.yml, a list (`- name`,
/// `- name:` with options) or a mapping (`name:`), at the items' own indentation (their
/// options' keys are not items).
fn top_items(text: &str, key: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line.trim_end() != key {
            continue;
        }
        let mut item_indent = None;
        for item in lines.by_ref() {
            let t = item.trim_start();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            let indent = item.len() - t.len();
            if indent == 0 && !t.starts_with("- ") {
                break; // the next top-level key
            }
            if *item_indent.get_or_insert(indent) != indent {
                continue; // an item's options
            }
            let name = t.trim_start_matches("- ").trim_start();
            let name = name.split(':').next().unwrap_or(name).trim();
            out.push(name.trim_matches(['\'', '"']).to_string());
        }
    }
    out
}

/// [`SiteRules::snippet_prefixes`] for mkdocs.yml `text` whose `docs_dir` is `docs`:
/// `docs_dir` relative to each `base_path` of `pymdownx.snippets` (default `.`, the config's
/// folder) that holds it. Empty when the extension is not enabled.
fn snippet_prefixes(text: &str, docs: &str) -> Vec<String> {
    if !top_items(text, "markdown_extensions:")
        .iter()
        .any(|n| n == "pymdownx.snippets")
    {
        return Vec::new();
    }
    let mut bases = list_under(text, "base_path:");
    if bases.is_empty() {
        bases.push(".".into());
    }
    let docs = docs.trim_matches('/');
    let mut out: Vec<String> = bases
        .iter()
        .filter_map(|b| {
            let b = b.trim_start_matches("./").trim_matches('/');
            if b.is_empty() || b == "." {
                return Some(format!("{docs}/"));
            }
            if b == docs {
                return Some(String::new());
            }
            docs.strip_prefix(&format!("{b}/"))
                .map(|rest| format!("{rest}/"))
        })
        .collect();
    out.sort_by_key(|p| std::cmp::Reverse(p.len()));
    out.dedup();
    out
}

/// The images a page of an MkDocs site inlines with `pymdownx.snippets` (`--8<-- "docs/images/dom.svg"`,
/// one path per line between two `--8<--` lines too), as site-root addresses (`/images/dom.svg`)
/// of files of `docs_dir` (`prefixes`: [`SiteRules::snippet_prefixes_at`] the page): the page shows them, so they are
/// used. Snippets are read before the Markdown, so lines inside code blocks count too; line
/// ranges and sections (`file.svg:3:5`), URLs and `;`-escaped lines are left out.
pub fn snippet_images(page: &crate::page::Page, prefixes: &[String]) -> Vec<String> {
    if prefixes.is_empty() || !page.source.contains("--8<--") {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut in_block = false;
    for line in page.source[page.body_start..].lines() {
        let t = line.trim();
        let path = if t == "--8<--" {
            in_block = !in_block;
            continue;
        } else if let Some(rest) = t.strip_prefix("--8<--") {
            rest.trim().trim_matches(['"', '\''])
        } else if in_block {
            t
        } else {
            continue;
        };
        if path.is_empty() || path.contains("://") {
            continue;
        }
        let path = path.split(':').next().unwrap_or(path);
        if !crate::images::is_image_path(path) {
            continue;
        }
        if let Some(rest) = prefixes.iter().find_map(|p| path.strip_prefix(p.as_str())) {
            out.push(format!("/{rest}"));
        }
    }
    out
}

/// True when autorefs resolves a reference whose label has no definition: the label (the text
/// of `[label][]`, a lone code span read as its code) holds no space, `/` or control character,
/// which mkdocs-autorefs takes for an unintended reference and leaves as text.
pub fn is_autoref(label: &str) -> bool {
    let id = label
        .strip_prefix('`')
        .and_then(|l| l.strip_suffix('`'))
        .filter(|l| !l.contains('`'))
        .unwrap_or(label);
    !id.is_empty() && !id.chars().any(|c| c == ' ' || c == '/' || c.is_control())
}

/// The image paths mkdocs.yml gives as values (`favicon: assets/favicon.png`), relative to
/// `docs_dir` as MkDocs reads them.
fn config_images(text: &str) -> impl Iterator<Item = String> + '_ {
    text.lines().filter_map(|line| {
        let value = line.split_once(':')?.1.trim();
        let value = value.trim_matches(['\'', '"']).trim_start_matches("./");
        let lower = value.to_ascii_lowercase();
        let is_image = [
            ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".ico", ".avif",
        ]
        .iter()
        .any(|e| lower.ends_with(e));
        (is_image && !value.contains("://") && !value.contains(' ')).then(|| value.to_string())
    })
}

/// `theme.custom_dir` of mkdocs.yml (relative to the file), if set.
fn custom_dir(text: &str) -> Option<&str> {
    text.lines().find_map(|line| {
        let value = line.trim_start().strip_prefix("custom_dir:")?.trim();
        let value = value.trim_matches(['\'', '"']);
        (!value.is_empty()).then_some(value)
    })
}

/// The images the templates in `dir` (a theme's overrides) name, relative to `docs_dir` as
/// MkDocs serves them: `src="/img/x.png"`, `src="{{ base_url }}/img/x.png"`,
/// `{{ 'img/x.png' | url }}`. Unreadable files and folders give none.
fn template_images(dir: &std::path::Path) -> Vec<String> {
    static IMAGE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r#"["']([^"'\s]+\.(?i:png|jpe?g|gif|svg|webp|ico|avif))["']"#)
            .expect("constant regex")
    });
    let mut out = Vec::new();
    let files = crate::project::walk(dir, std::path::Path::new("")).unwrap_or_default();
    for (path, _) in files {
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let Ok(text) = crate::project::read_regular_string(&path) else {
            continue;
        };
        for c in IMAGE.captures_iter(&text) {
            let path = &c[1];
            if path.contains("://") {
                continue;
            }
            let path = path.rsplit_once("}}").map_or(path, |(_, p)| p);
            out.push(path.trim_start_matches('/').to_string());
        }
    }
    out
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
    fn snippets_options_are_read_line_by_line() {
        let yml = "markdown_extensions:\n  - pymdownx.snippets:\n      base_path: [\".\", docs]\n      auto_append:\n        - includes/mkdocs.md\n        - 'includes/abbr.md'\n  - pymdownx.superfences\n";
        assert_eq!(
            list_under(yml, "auto_append:"),
            ["includes/mkdocs.md", "includes/abbr.md"]
        );
        assert_eq!(list_under(yml, "base_path:"), [".", "docs"]);
        assert!(list_under("site_name: X\n", "auto_append:").is_empty());
    }

    #[test]
    fn images_the_config_names_are_the_themes() {
        let yml = "theme:\n  favicon: assets/favicon.png\n  logo: 'assets/logo.svg'\n  icon:\n    repo: fontawesome/brands/git-alt\nextra:\n  homepage: https://example.com/a.png\n";
        assert_eq!(
            config_images(yml).collect::<Vec<_>>(),
            ["assets/favicon.png", "assets/logo.svg"]
        );
    }

    #[test]
    fn autorefs_from_mkdocstrings_or_itself_in_either_form() {
        let list = "plugins:\n  - search\n  - mkdocstrings:\n      handlers:\n        python: {}\nnav:\n  - autorefs: x.md\n";
        assert!(uses_autorefs(list));
        assert!(uses_autorefs(
            "plugins:\n  search:\n  autorefs:\n    resolve_closest: true\n"
        ));
        assert!(uses_autorefs("plugins:\n- 'autorefs'\n"));
        let nested = "plugins:\n  - search:\n      autorefs: true\nnav:\n  - mkdocstrings: x.md\n";
        assert!(!uses_autorefs(nested));
        assert!(!uses_autorefs("site_name: X\n"));
        assert!(uses_macros(
            "plugins:\n  - search\n  - macros:\n      module_name: main\n"
        ));
        assert!(uses_macros(
            "markdown_extensions:\n  zensical.extensions.macros: null\n  abbr: null\n"
        ));
        assert!(!uses_macros(
            "plugins:\n  - search\nnav:\n  - macros: m.md\n"
        ));
        assert!(is_autoref("pydantic.BaseModel"));
        assert!(is_autoref("`list`"));
        assert!(!is_autoref("type hint"));
        assert!(!is_autoref("`a b`"));
        assert!(!is_autoref("a/b"));
    }

    #[test]
    fn snippet_prefixes_from_base_paths() {
        let ext = "markdown_extensions:\n  - pymdownx.snippets\n";
        assert_eq!(snippet_prefixes(ext, "docs"), ["docs/"]);
        let based =
            "markdown_extensions:\n  - pymdownx.snippets:\n      base_path: [\".\", docs]\n";
        assert_eq!(snippet_prefixes(based, "docs"), ["docs/", ""]);
        assert!(snippet_prefixes("site_name: X\n", "docs").is_empty());
    }

    #[test]
    fn config_keys() {
        assert_eq!(
            read_config("site_name: X\ndocs_dir: 'documentation'\nuse_directory_urls: false\n"),
            ("documentation".to_string(), false)
        );
        assert_eq!(read_config("site_name: X\n"), ("docs".to_string(), true));
        assert_eq!(
            read_config("docs_dir: src/docs  # the pages\nuse_directory_urls: no # flat\n"),
            ("src/docs".to_string(), false)
        );
    }
}
