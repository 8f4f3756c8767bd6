//! mdBook's `[output.html]` table (<https://rust-lang.github.io/mdBook/format/configuration/renderers.html>),
//! read into [`HtmlOptions`]: the keys stepbook honours, and the name of every key it does not,
//! so that the build can say so once instead of dropping them silently.
//!
//! Honoured: `additional-css` and `additional-js` (copied into the site at the same relative
//! path and linked from every page), `git-repository-url` (a link in the top bar),
//! `input-404` (the page that becomes `404.html`, listed in SUMMARY.md or not),
//! `edit-url-template` (an edit link per page, `{path}` being the page's path relative to the
//! book root, as in mdBook), `redirect` (a redirect page per entry), `site-url` (the base of
//! `404.html`, which is served at any depth), `no-section-label` (no chapter numbers in the
//! sidebar), `default-theme`/`preferred-dark-theme` where they agree with stepbook's own colour
//! scheme (light, or dark when the reader's system prefers it), and `search.enable`.

use std::collections::BTreeMap;

/// mdBook's light themes and dark themes.
const LIGHT_THEMES: &[&str] = &["light", "rust"];

/// mdBook's own `[output.html]` keys (mdBook's guide, "Configuration: Renderers"), so that a
/// key that is none of them can be named as a probable typo with the closest one.
const MDBOOK_KEYS: &[&str] = &[
    "theme",
    "default-theme",
    "preferred-dark-theme",
    "smart-punctuation",
    "curly-quotes",
    "mathjax-support",
    "copy-fonts",
    "additional-css",
    "additional-js",
    "no-section-label",
    "git-repository-url",
    "git-repository-icon",
    "edit-url-template",
    "site-url",
    "cname",
    "input-404",
    "print",
    "fold",
    "playground",
    "code",
    "search",
    "redirect",
    "hash-files",
    "sidebar-header-nav",
    "live-reload-endpoint",
    "optional",
];
const DARK_THEMES: &[&str] = &["coal", "navy", "ayu"];

/// The `[output.html]` keys stepbook honours.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HtmlOptions {
    /// Style sheets, relative to the book root (where book.toml is), `/`-separated.
    pub additional_css: Vec<String>,
    /// Scripts, relative to the book root, `/`-separated.
    pub additional_js: Vec<String>,
    /// The repository's URL, linked from the top bar.
    pub git_repository_url: Option<String>,
    /// A URL with `{path}` (the page's path relative to the book root); one edit link per page.
    pub edit_url_template: Option<String>,
    /// Old site path (`/old.html` or `old.html`) → where it now lives (relative to the old page,
    /// or absolute, or a URL).
    pub redirect: BTreeMap<String, String>,
    /// The URL path the site is served under (`/mdBook/`); the base of `404.html`.
    pub site_url: Option<String>,
    /// No chapter numbers in the sidebar.
    pub no_section_label: bool,
    /// `input-404`: the page rendered as `404.html` whether SUMMARY.md lists it or not,
    /// content-relative (default `404.md`).
    pub input_404: Option<String>,
    /// `[output.html.search] enable` (default true).
    pub search_enable: Option<bool>,
    /// Every key of `[output.html]` (dotted below it: `search.limit-results`) that stepbook
    /// does not honour, in book.toml's order of tables and keys (sorted).
    pub unsupported: Vec<String>,
}

impl HtmlOptions {
    /// Reads `[output.html]` (the `html` entry of mdBook's `[output]` table); an absent table
    /// gives the defaults. Values of the wrong type count as unsupported keys.
    pub fn from_output(output: &crate::config::Table) -> HtmlOptions {
        let mut o = HtmlOptions::default();
        let Some(serde_json::Value::Object(html)) = output.get("html") else {
            return o;
        };
        let strings = |v: &serde_json::Value| -> Option<Vec<String>> {
            v.as_array()?
                .iter()
                .map(|s| s.as_str().map(|s| s.replace('\\', "/")))
                .collect()
        };
        let mut default_theme = None;
        let mut dark_theme = None;
        for (key, value) in html {
            let ok = match key.as_str() {
                "additional-css" => strings(value).map(|v| o.additional_css = v).is_some(),
                "additional-js" => strings(value).map(|v| o.additional_js = v).is_some(),
                "git-repository-url" => value
                    .as_str()
                    .map(|s| o.git_repository_url = Some(s.to_string()))
                    .is_some(),
                "edit-url-template" => value
                    .as_str()
                    .map(|s| o.edit_url_template = Some(s.to_string()))
                    .is_some(),
                "input-404" => value
                    .as_str()
                    .map(|s| o.input_404 = Some(s.to_string()))
                    .is_some(),
                "site-url" => value
                    .as_str()
                    .map(|s| o.site_url = Some(s.to_string()))
                    .is_some(),
                "no-section-label" => value.as_bool().map(|b| o.no_section_label = b).is_some(),
                "default-theme" => value
                    .as_str()
                    .map(|s| default_theme = Some(s.to_string()))
                    .is_some(),
                "preferred-dark-theme" => value
                    .as_str()
                    .map(|s| dark_theme = Some(s.to_string()))
                    .is_some(),
                "redirect" => match value.as_object() {
                    Some(t) => {
                        for (from, to) in t {
                            match to.as_str() {
                                Some(to) => {
                                    o.redirect.insert(from.clone(), to.to_string());
                                }
                                None => o.unsupported.push(format!("redirect.\"{from}\"")),
                            }
                        }
                        true
                    }
                    None => false,
                },
                "search" => match value.as_object() {
                    Some(t) => {
                        for (k, v) in t {
                            match (k.as_str(), v.as_bool()) {
                                ("enable", Some(b)) => o.search_enable = Some(b),
                                _ => o.unsupported.push(format!("search.{k}")),
                            }
                        }
                        true
                    }
                    None => false,
                },
                // mdBook's switch for its own link checker's renderer; harmless to ignore.
                "optional" => true,
                _ => false,
            };
            if !ok {
                if let Some(t) = value.as_object().filter(|t| !t.is_empty()) {
                    o.unsupported.extend(t.keys().map(|k| format!("{key}.{k}")));
                } else {
                    o.unsupported.push(key.clone());
                }
            }
        }
        let light = default_theme
            .as_deref()
            .is_none_or(|t| LIGHT_THEMES.contains(&t.to_ascii_lowercase().as_str()));
        let dark = dark_theme
            .as_deref()
            .is_none_or(|t| DARK_THEMES.contains(&t.to_ascii_lowercase().as_str()));
        if !light {
            o.unsupported.push("default-theme".into());
        }
        if !dark {
            o.unsupported.push("preferred-dark-theme".into());
        }
        o.unsupported.sort();
        o.unsupported.dedup();
        o
    }

    /// The content-relative page rendered as `404.html` (`404.md` unless `input-404` says).
    pub fn page_404(&self) -> &str {
        self.input_404.as_deref().unwrap_or("404.md")
    }

    /// The edit link of the page at `path` (relative to the book root, `/`-separated).
    pub fn edit_url(&self, path: &str) -> Option<String> {
        self.edit_url_template
            .as_ref()
            .map(|t| t.replace("{path}", path))
    }

    /// The warning that names every unsupported key once, or `None` when there is none.
    pub fn warning(&self) -> Option<String> {
        if self.unsupported.is_empty() {
            return None;
        }
        let keys: Vec<String> = self
            .unsupported
            .iter()
            .map(|k| {
                let top = k.split('.').next().unwrap_or(k);
                match MDBOOK_KEYS.contains(&top) {
                    true => format!("`{k}`"),
                    false => match crate::suggest::closest(
                        top,
                        MDBOOK_KEYS.iter().copied(),
                        crate::suggest::budget(top),
                    ) {
                        Some(near) => format!("`{k}` (not an mdBook key: did you mean `{near}`?)"),
                        None => format!("`{k}` (not an mdBook key)"),
                    },
                }
            })
            .collect();
        Some(format!(
            "[output.html] keys stepbook does not honour (ignored): {}",
            keys.join(", ")
        ))
    }
}

/// The HTML of a page that sends the reader to `to` (a URL, or a path relative to the page).
pub fn redirect_page(to: &str) -> String {
    let to = crate::render::escape(to);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Redirecting…</title>\n<meta http-equiv=\"refresh\" content=\"0; URL={to}\">\n<link rel=\"canonical\" href=\"{to}\">\n</head>\n<body>\n<p>This page has moved to <a href=\"{to}\">{to}</a>.</p>\n</body>\n</html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn honoured_and_unsupported_keys() {
        let output = crate::config::parse_table(
            r#"
[html]
additional-css = ["ferris.css", "theme/x.css"]
additional-js = ["ferris.js"]
git-repository-url = "https://github.com/rust-lang/book"
edit-url-template = "https://github.com/o/r/edit/main/guide/{path}"
mathjax-support = true
default-theme = "coal"
[html.search]
enable = true
use-boolean-and = true
[html.playground]
editable = true
[html.redirect]
"/old.html" = "new.html"
"#,
        )
        .unwrap();
        let o = HtmlOptions::from_output(&output);
        assert_eq!(o.additional_css, ["ferris.css", "theme/x.css"]);
        assert_eq!(o.additional_js, ["ferris.js"]);
        assert_eq!(o.search_enable, Some(true));
        assert_eq!(
            o.redirect.get("/old.html").map(String::as_str),
            Some("new.html")
        );
        assert_eq!(
            o.unsupported,
            [
                "default-theme",
                "mathjax-support",
                "playground.editable",
                "search.use-boolean-and"
            ]
        );
        assert_eq!(
            o.edit_url("src/a.md").as_deref(),
            Some("https://github.com/o/r/edit/main/guide/src/a.md")
        );
        let w = o.warning().unwrap();
        assert_eq!(w.matches("mathjax-support").count(), 1, "{w}");
    }

    #[test]
    fn a_key_mdbook_does_not_have_is_named_with_the_closest() {
        let output =
            crate::config::parse_table("[html]\ndefault-theem = \"light\"\nzzz = 1\n").unwrap();
        let w = HtmlOptions::from_output(&output).warning().unwrap();
        assert!(
            w.contains("`default-theem` (not an mdBook key: did you mean `default-theme`?)"),
            "{w}"
        );
        assert!(w.contains("`zzz` (not an mdBook key)"), "{w}");
    }

    #[test]
    fn no_table_no_warning() {
        let o = HtmlOptions::from_output(&crate::config::Table::new());
        assert_eq!(o, HtmlOptions::default());
        assert!(o.warning().is_none());
    }
}
