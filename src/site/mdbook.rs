//! The `mdbook` convention: mdBook writes chapter `x.md` to `x.html` and a folder's
//! `README.md`/`index.md` to `index.html`, so books link chapters as `x.html#frag` and
//! `dir/index.html`; `.md` links work too (mdBook rewrites them). mdBook also writes
//! `print.html`, `toc.html` and `404.html`. Books published side by side link each other as
//! `../reference/expressions.html#casts`: such an `.html` link out of the book is a sibling
//! site ([`Target::Sibling`]), mapped to a URL when `[check] site-url` and `external-roots` say
//! where siblings live.

use super::{Found, SiteRules, Target, dir_index, join};
use crate::project::SiteIndex;

/// Files mdBook writes at the book's root besides the chapters.
const GENERATED: &[&str] = &[
    "print.html",
    "toc.html",
    "404.html",
    "searchindex.js",
    "searchindex.json",
];

/// mdBook's `[output.html.redirect]` keys: old addresses that still answer (with a redirect).
pub fn routes(rules: &mut SiteRules, settings: &crate::config::Settings) {
    for (from, to) in &settings.html.redirect {
        let key = from.trim_start_matches('/').to_string();
        rules.routes.insert(key, to.clone());
    }
}

/// The chapter an `.html` site path (`ch03-02.html`, `cli/index.html`, `cli/`) stands for.
pub fn lookup(site: &SiteIndex, joined: &str) -> Option<Found> {
    if GENERATED.contains(&joined) || site.rules.routes.contains_key(joined) {
        return Some(Found::File(joined.to_string()));
    }
    let stem = joined.strip_suffix(".html")?;
    if let Some(dir) = stem
        .strip_suffix("index")
        .filter(|d| d.is_empty() || d.ends_with('/'))
    {
        let dir = dir.trim_end_matches('/');
        if let Some(index) = dir_index(site, dir) {
            return Some(Found::DirIndex(index));
        }
    }
    for ext in ["md", "markdown"] {
        let page = format!("{stem}.{ext}");
        if site.contains(&page) {
            return Some(Found::File(page));
        }
    }
    None
}

/// `../other-book/x.html` out of the book: a sibling site, mapped to a URL when configured.
pub fn sibling(rules: &SiteRules, page_rel: &str, decoded: &str) -> Option<Target> {
    let bare = decoded.trim_end_matches('/');
    if !(bare.ends_with(".html") || decoded.ends_with('/')) || decoded.starts_with('/') {
        return None;
    }
    let url = rules.site_url.as_deref().and_then(|site| {
        let page = crate::render::page_site_path(page_rel);
        let url = url_join(site, &page, decoded)?;
        rules
            .external_roots
            .iter()
            .filter_map(|r| {
                if super::is_external(r) {
                    Some(r.clone())
                } else {
                    url_join(site, "", r)
                }
            })
            .any(|root| url.starts_with(&root))
            .then_some(url)
    });
    Some(Target::Sibling {
        path: decoded.to_string(),
        url,
    })
}

/// `site` (`https://h/book/`) + the page's site path + a relative `dest`, `..` applied within
/// the URL's path; `None` when it climbs above the host.
fn url_join(site: &str, page: &str, dest: &str) -> Option<String> {
    let scheme_end = site.find("://")? + 3;
    let path_start = site[scheme_end..]
        .find('/')
        .map_or(site.len(), |i| scheme_end + i);
    let origin = &site[..path_start];
    let site_path = site[path_start..].trim_start_matches('/');
    let site_path = if site_path.is_empty() || site_path.ends_with('/') {
        site_path.to_string()
    } else {
        format!("{site_path}/")
    };
    let page_path = format!("{site_path}{page}");
    let mut parts: Vec<&str> = page_path.split('/').collect();
    parts.pop();
    for seg in dest.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut out = format!("{origin}/{}", parts.join("/"));
    if dest.ends_with('/') {
        out.push('/');
    }
    Some(out)
}

/// "no chapter x.md (mdBook writes x.md to x.html)" for an `.html` link that found nothing.
pub fn expected(page_rel: &str, decoded: &str) -> Option<String> {
    let joined = join(page_rel, decoded)?;
    let stem = joined.strip_suffix(".html")?;
    if let Some(dir) = stem
        .strip_suffix("index")
        .filter(|d| d.is_empty() || d.ends_with('/'))
    {
        return Some(format!(
            "no chapter {dir}README.md or {dir}index.md, which mdBook would write to {joined}"
        ));
    }
    Some(format!(
        "no chapter {stem}.md, which mdBook would write to {joined}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sibling_urls() {
        assert_eq!(
            url_join(
                "https://doc.rust-lang.org/book/",
                "ch03-02.html",
                "../reference/expressions.html"
            ),
            Some("https://doc.rust-lang.org/reference/expressions.html".into())
        );
        assert_eq!(
            url_join("https://h.org/b", "a/x.html", "../../../../y.html"),
            None
        );
    }
}
