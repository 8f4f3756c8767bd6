//! Rendering: a [`Page`](crate::page::Page) and the site's navigation → HTML through Tera.
//!
//! This module owns the pieces [`Renderer`] puts together: [`nav`] (the sidebar, from
//! `SUMMARY.md` in mdBook's format or from the folder tree), [`html`] (the page body, replayed from
//! `page.events` with heading anchors, rewritten links, sized images and alert callouts), [`toc`]
//! (the page's h2/h3) and [`templates`] (built-in Tera templates, overridden file by file from the
//! project's `templates/` folder). Loading, checks and writing files are left to others.
//!
//! Addresses: a page's *site path* is its content-relative path with `.md` replaced by `.html`,
//! and `README.md`/`index.md` replaced by `index.html` ([`page_site_path`]). Every URL written
//! into a page is relative to that page ([`relative_url`]), so the site works from `file://` and
//! under any prefix.

mod admonition;
pub mod code;
mod footnote;
pub mod highlight;
pub mod html;
pub mod incremental;
pub mod nav;
pub mod search;
pub mod site;
pub mod source_map;
pub mod templates;
pub mod toc;

pub use site::{Renderer, Site, SiteFile};

/// True for file names that are a folder's index page (`README.md`, `index.md`), which GitHub
/// shows for the folder and the site serves as `index.html`.
pub fn is_index_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "readme.md"
            | "readme.markdown"
            | "readme.mdx"
            | "index.md"
            | "index.markdown"
            | "index.mdx"
    )
}

/// The site path of the page at content-relative `rel` (`/`-separated):
/// `guide/CREDENTIALS.md` → `guide/CREDENTIALS.html`, `guide/README.md` → `guide/index.html`.
pub fn page_site_path(rel: &str) -> String {
    let (dir, name) = match rel.rfind('/') {
        Some(i) => (&rel[..=i], &rel[i + 1..]),
        None => ("", rel),
    };
    if is_index_name(name) {
        return format!("{dir}index.html");
    }
    let stem = name
        .strip_suffix(".md")
        .or_else(|| name.strip_suffix(".markdown"))
        .or_else(|| name.strip_suffix(".mdx"))
        .unwrap_or(name);
    format!("{dir}{stem}.html")
}

/// The prefix that leads from the folder of site path `from` back to the site root: `""` for
/// `index.html`, `"../"` for `guide/x.html`.
pub fn root_prefix(from: &str) -> String {
    "../".repeat(from.matches('/').count())
}

/// A URL that leads from the page at site path `from` to site path `to`, percent-encoded for an
/// `href`/`src` attribute (`guide/a.html` → `res/x y.png` gives `../res/x%20y.png`). A `to`
/// ending in `/` stays a folder URL.
pub fn relative_url(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> = {
        let mut parts: Vec<&str> = from.split('/').collect();
        parts.pop();
        parts
    };
    let to_parts: Vec<&str> = to.split('/').collect();
    let (to_dirs, to_name) = to_parts.split_at(to_parts.len() - 1);
    let common = from_dir
        .iter()
        .zip(to_dirs.iter())
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = "../".repeat(from_dir.len() - common);
    for seg in &to_dirs[common..] {
        out.push_str(&crate::percent::encode_segment(seg));
        out.push('/');
    }
    out.push_str(&crate::percent::encode_segment(to_name[0]));
    if out.is_empty() {
        // `to` is the folder that holds `from`.
        out.push_str("./");
    }
    out
}

/// Escapes `s` for HTML text and double-quoted attribute values (`&`, `<`, `>`, `"`, `'`).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_paths() {
        assert_eq!(page_site_path("CREDENTIALS.md"), "CREDENTIALS.html");
        assert_eq!(page_site_path("README.md"), "index.html");
        assert_eq!(page_site_path("guide/index.md"), "guide/index.html");
        assert_eq!(page_site_path("guide/notes.markdown"), "guide/notes.html");
    }

    #[test]
    fn relative_urls() {
        assert_eq!(relative_url("CREDENTIALS.html", "res/a.png"), "res/a.png");
        assert_eq!(
            relative_url("guide/a.html", "res/x y.png"),
            "../res/x%20y.png"
        );
        assert_eq!(relative_url("guide/a.html", "guide/b.html"), "b.html");
        assert_eq!(relative_url("a/b/c.html", "a/d/e.html"), "../d/e.html");
        assert_eq!(relative_url("a/b.html", "index.html"), "../index.html");
        assert_eq!(root_prefix("a/b/c.html"), "../../");
        assert_eq!(root_prefix("index.html"), "");
    }
}
