//! What conventions read in a page besides its links: the explicit `{#id}` that mdBook,
//! Docusaurus and MkDocs give a heading, and the files an MDX page's JavaScript imports.

use crate::page::Page;

/// `{#custom-id}` at the end of a heading: the explicit id that mdBook, Docusaurus and MkDocs
/// (attr_list) give the heading. Adds each such id to the page's anchors.
pub fn add_explicit_heading_ids(page: &mut Page) {
    let ids: Vec<String> = page
        .headings
        .iter()
        .filter_map(|h| explicit_id(&h.text))
        .collect();
    page.anchors.extend(ids);
}

/// The text and id a heading is shown with in a page of `convention`: mdBook, Docusaurus and
/// MkDocs (attr_list) read a trailing `{#custom-id}` as the heading's id and do not show it
/// (mdBook's "Heading attributes", Docusaurus' "explicit heading ids"); GitHub and Starlight
/// show it as text, and the heading keeps `id` (its slug). `text` and `id` are the page model's.
pub fn shown_heading<'a>(
    convention: super::Convention,
    text: &'a str,
    id: &'a str,
) -> (&'a str, std::borrow::Cow<'a, str>) {
    use super::Convention::*;
    if !matches!(convention, Stepbook | Mdbook | Docusaurus | Mkdocs) {
        return (text, id.into());
    }
    match (attr_list(text), explicit_id(text)) {
        (Some((before, _)), Some(explicit)) => (before.trim_end(), explicit.into()),
        _ => (text, id.into()),
    }
}

/// `custom-id` from `Title {#custom-id}`, `Title {#custom-id .class}` or Python-Markdown's
/// attr_list forms `Title { id="custom-id" }` and `{ id=custom-id }`.
pub(super) fn explicit_id(text: &str) -> Option<String> {
    let attrs = attr_list(text)?.1;
    attrs
        .split_whitespace()
        .find_map(|a| {
            a.strip_prefix('#').or_else(|| {
                a.strip_prefix("id=")
                    .map(|v| v.trim_matches(|c| c == '"' || c == '\''))
            })
        })
        .filter(|id| !id.is_empty())
        .map(str::to_string)
}

/// A trailing `{ … }` attribute list of a heading's text: `(text before it, the attributes)`.
fn attr_list(text: &str) -> Option<(&str, &str)> {
    let inner = text.trim_end().strip_suffix('}')?;
    let open = inner.rfind('{')?;
    Some((&inner[..open], &inner[open + 1..]))
}

/// Python-Markdown's default heading slug (`markdown.extensions.toc.slugify`, which MkDocs uses
/// unless mkdocs.yml names another): accents decomposed and non-ASCII dropped, every character
/// that is not a word character, space or `-` removed, trimmed, lowercased, and each run of
/// spaces and `-` turned into one `-` (so `Caret, Mark & Tilde` is `caret-mark-tilde`, where
/// GitHub says `caret-mark--tilde`).
pub fn python_markdown_slug(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let ascii: String = text.nfkd().filter(char::is_ascii).collect();
    let kept: String = ascii
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-') || c.is_whitespace())
        .collect();
    let mut out = String::with_capacity(kept.len());
    let mut sep = false;
    for c in kept.trim().chars() {
        if c == '-' || c.is_whitespace() {
            sep = true;
        } else {
            if sep && !out.is_empty() {
                out.push('-');
            }
            sep = false;
            out.push(c.to_ascii_lowercase());
        }
    }
    if sep {
        out.push('-');
    }
    out
}

/// The page's heading anchors as MkDocs makes them (Python-Markdown's `toc` and `attr_list`):
/// an attribute list's id, else [`python_markdown_slug`] of the text without its attribute
/// list, repeats suffixed `_1`, `_2`, … They replace the headings' GitHub ids (so a preview
/// built by stepbook has the ids the MkDocs site has) and the page's anchors; HTML ids stay,
/// and the footnotes' ids ([`footnote_ids`]) and the ids attribute lists give other elements
/// ([`attr_list_ids`]) join them.
pub fn use_mkdocs_heading_ids(page: &mut Page) {
    let mut seen = std::collections::HashSet::new();
    let mut anchors: rustc_hash::FxHashSet<String> =
        page.html_ids.iter().map(|h| h.id.clone()).collect();
    for h in &mut page.headings {
        let id = match explicit_id(&h.text) {
            Some(id) => id,
            None => {
                let text = attr_list(&h.text).map_or(h.text.as_str(), |(t, _)| t);
                let base = python_markdown_slug(text);
                let mut id = base.clone();
                let mut n = 0;
                while seen.contains(&id) {
                    n += 1;
                    id = format!("{base}_{n}");
                }
                id
            }
        };
        seen.insert(id.clone());
        anchors.insert(id.clone());
        h.id = id;
    }
    anchors.extend(footnote_ids(page));
    anchors.extend(attr_list_ids(page));
    anchors.extend(mkdocstrings_ids(page));
    page.anchors = anchors;
}

/// The ids mkdocstrings gives the API documentation it renders in place of a `::: a.b` line
/// (outside code blocks): `a.b` for the object, and `a.b.*` standing for its members, each of
/// which is at the id of its full path (`a.b.C`, `a.b.C.method`), read by
/// [`crate::page::Page::has_anchor`]. Which members there are is known only by importing the
/// code.
fn mkdocstrings_ids(page: &Page) -> Vec<String> {
    let text = &page.source[..];
    if !text.contains(":::") {
        return Vec::new();
    }
    let mut ids = Vec::new();
    for (start, line) in body_lines(page) {
        let Some(rest) = line.strip_prefix("::: ") else {
            continue;
        };
        let Some(id) = rest.split_whitespace().next() else {
            continue;
        };
        if !in_code(page, start)
            && id
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | ':' | '-'))
        {
            ids.push(id.to_string());
            ids.push(format!("{id}.*"));
        }
    }
    ids
}

/// The ids Python-Markdown's `attr_list` (enabled on its own or by `pymdownx.extra`) gives
/// elements other than headings: a block's, from `{#id}` or `{: #id }` alone on the last line
/// of a paragraph or list item (the line before it not blank: alone in its paragraph it stays
/// text), and an inline element's, from the list right after a link (`[](){#id}`, the empty
/// anchor pydantic places before a list item). Lines inside code blocks are not read.
fn attr_list_ids(page: &Page) -> Vec<String> {
    static INLINE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"\]\([^()\s]*\)(\{:?[^{}\n]*\})").expect("constant regex")
    });
    let text = &page.source[..];
    if !text.contains("{#") && !text.contains("{:") && !text.contains("{ #") {
        return Vec::new();
    }
    let mut ids = Vec::new();
    let mut after_text = false;
    for (start, line) in body_lines(page) {
        let trimmed = line.trim();
        if in_code(page, start) {
            after_text = false;
            continue;
        }
        if after_text && trimmed.starts_with('{') && !trimmed[1..].contains('{') {
            ids.extend(explicit_id(trimmed));
        }
        for c in INLINE.captures_iter(line) {
            ids.extend(explicit_id(&c[1]));
        }
        after_text = !trimmed.is_empty();
    }
    ids
}

/// The ids Python-Markdown's `footnotes` extension gives a page's footnotes: `fn:LABEL` on each
/// definition `[^LABEL]:` and `fnref:LABEL` on the reference that the definition's back link
/// returns to (the first one). Definitions are read from the page's text, at the start of a
/// line (after up to three spaces and the `>` of a block quote or admonition), outside code
/// blocks.
fn footnote_ids(page: &Page) -> Vec<String> {
    let text = &page.source[..];
    if !text.contains("[^") {
        return Vec::new();
    }
    let mut ids = Vec::new();
    for (start, line) in body_lines(page) {
        let rest = line.trim_start_matches([' ', '\t', '>']);
        let Some(label) = rest
            .strip_prefix("[^")
            .and_then(|r| r.split_once("]:"))
            .map(|(label, _)| label)
        else {
            continue;
        };
        if label.is_empty() || label.contains(char::is_whitespace) || in_code(page, start) {
            continue;
        }
        ids.push(format!("fn:{label}"));
        ids.push(format!("fnref:{label}"));
    }
    ids
}

/// The lines of `page`'s body (after its front matter), each with the byte offset in the
/// page's source where it starts.
fn body_lines(page: &Page) -> impl Iterator<Item = (usize, &str)> {
    let mut at = page.body_start;
    page.source[page.body_start..]
        .split_inclusive('\n')
        .map(move |line| {
            let start = at;
            at += line.len();
            (start, line)
        })
}

/// True when byte `at` of `page`'s source lies in one of its code blocks.
fn in_code(page: &Page, at: usize) -> bool {
    page.code_blocks
        .iter()
        .any(|b| b.span.start <= at && at < b.span.end)
}

/// The files an MDX page's JavaScript and JSX name: `import shot from './shot.png'`,
/// `require('./shot.png')`, `useBaseUrl('/img/shot.png')` (Docusaurus), and the string `src` of
/// a JSX `<img src="../assets/shot.png" />`. They are references (an image a component or a
/// JSX `<img>` shows is used, and is published), though not links to check: in MDX, JSX is not
/// Markdown, and its addresses may be resolved by the generator's bundler or by the browser.
pub fn mdx_imports(page: &Page) -> Vec<String> {
    if !crate::project::is_mdx(&page.path) {
        return Vec::new();
    }
    static IMPORT: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = IMPORT.get_or_init(|| {
        regex::Regex::new(
            r#"(?:\bfrom\s+|\brequire\(\s*|\buseBaseUrl\(\s*)['"]([^'"\n]+)['"]|<img\b[^>]*?\ssrc\s*=\s*["']([^"'\n{}]+)["']"#,
        )
        .expect("constant regex")
    });
    // The file as written: the one parse reads MDX's import lines blanked (`page::mdx`).
    let text: &str = match page.source_map.as_ref().and_then(|m| m.files().first()) {
        Some(file) => &file.text,
        None => &page.source,
    };
    re.captures_iter(text)
        .filter_map(|c| match (c.get(1), c.get(2)) {
            // A bare module name (`react`) is a package, not a file; `@…` may be an alias
            // (`@site/static/x.png`, Astro's `@assets/x.png`: see `SiteRules::aliases`).
            (Some(m), _) => Some(m.as_str()).filter(|d| d.starts_with(['.', '/', '@'])),
            // An `<img>` address: any but a URL with a scheme (`https:`, `data:`).
            (None, Some(m)) => Some(m.as_str()).filter(|d| {
                !d.starts_with("//")
                    && d.split_once(':')
                        .is_none_or(|(scheme, _)| scheme.contains('/'))
            }),
            _ => None,
        })
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use crate::page::{ParseOptions, parse_page};

    #[test]
    fn mdx_references_are_imports_requires_base_urls_and_jsx_image_sources() {
        let text = "import Shot from './shot.png';\nimport React from 'react';\n\n# Page\n\n\
                    <img src={require('../img/a.png').default} />\n\
                    <img src={useBaseUrl('/img/b.png')} />\n\
                    <img alt=\"c\" src=\"assets/c.png\" />\n\
                    <img src='https://example.com/d.png' />\n<img src=\"//cdn.example.com/e.png\" />\n\
                    <img src=\"data:image/png;base64,AAAA\" />\n";
        let page = parse_page(
            PathBuf::from("p.mdx"),
            "p.mdx".into(),
            "p.mdx".into(),
            text.to_string(),
            &ParseOptions::default(),
        )
        .expect("parses");
        assert_eq!(
            super::mdx_imports(&page),
            ["./shot.png", "../img/a.png", "/img/b.png", "assets/c.png"]
        );
        let md = parse_page(
            PathBuf::from("p.md"),
            "p.md".into(),
            "p.md".into(),
            text.to_string(),
            &ParseOptions::default(),
        )
        .expect("parses");
        assert!(super::mdx_imports(&md).is_empty(), "only MDX pages");
    }
}
