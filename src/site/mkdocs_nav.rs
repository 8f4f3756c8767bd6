//! MkDocs' `nav` (<https://www.mkdocs.org/user-guide/configuration/#nav>): the sidebar of a
//! site with mkdocs.yml, as SUMMARY.md is an mdBook book's. Entries are pages (`index.md`,
//! `About: about.md`), sections (`Guides:` with entries nested below) and links
//! (`Bug tracker: https://…`). Paths are relative to `docs_dir`. A section whose first entry is
//! an `index.md` page links to that page (Material's `navigation.indexes`, the
//! mkdocs-section-index plugin). Pages left out of `nav` are still built (MkDocs logs "not
//! included in the nav" at INFO), but are not in the sidebar; an entry whose file does not
//! exist is a `broken-link` finding at its mkdocs.yml line.
//!
//! mkdocs.yml may hold `!!python/name:` tags that a YAML library rejects, so `nav` is read line
//! by line, as [`super::mkdocs`] reads its other keys: block sequences (`- ` items, nested
//! deeper than their section's `-`), `Title: value` with plain or quoted titles and values,
//! comments and blank lines.

use std::sync::Arc;

use crate::source::Span;

/// One entry of `nav`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavItem {
    /// The title given in `nav` (`About` in `About: about.md`); `None` for a bare path, whose
    /// title is the page's.
    pub title: Option<String>,
    /// The path (relative to `docs_dir`) or URL as written, quotes removed; `None` for a
    /// section.
    pub target: Option<String>,
    /// Where the target (or a section's title) is written in mkdocs.yml (bytes).
    pub span: Span,
    /// A section's entries.
    pub children: Vec<NavItem>,
}

impl NavItem {
    /// True when the target is a URL (`https://…`, `mailto:…`) or an absolute path, which
    /// MkDocs shows as a link rather than a page.
    pub fn is_link(&self) -> bool {
        self.target.as_deref().is_some_and(is_link)
    }

    /// The page's path relative to `docs_dir` (`./` and a `#fragment` dropped), for a page
    /// entry.
    pub fn page_path(&self) -> Option<&str> {
        let t = self.target.as_deref().filter(|_| !self.is_link())?;
        let t = t.split('#').next().unwrap_or(t);
        Some(t.trim_start_matches("./"))
    }
}

/// True when a nav target or a sidebar address is a URL (`https://…`, `mailto:…`, `tel:…`:
/// [`super::is_external`]) or an absolute path: a link to another site, kept as written.
pub fn is_link(target: &str) -> bool {
    target.starts_with('/') || super::is_external(target)
}

/// The `nav` of one mkdocs.yml, with what findings and the sidebar need around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MkdocsNav {
    /// mkdocs.yml relative to the project root (`mkdocs.yml`, `../mkdocs.yml`), as findings
    /// name files.
    pub file: String,
    /// mkdocs.yml's text (the source of findings at its lines).
    pub text: Arc<str>,
    /// `docs_dir` as a content-relative prefix (`docs/`, or empty when it is the content root).
    pub prefix: String,
    /// The entries.
    pub items: Vec<NavItem>,
}

/// One `- ` line of the nav block: the column of its `-` and what follows, with its offset.
struct ItemLine<'a> {
    col: usize,
    rest: &'a str,
    at: usize,
}

/// The entries of the top-level `nav:` of mkdocs.yml `text`; `None` when it has none (or an
/// empty one).
pub fn parse(text: &str) -> Option<Vec<NavItem>> {
    let mut lines = Vec::new();
    let mut offset = 0;
    let mut inside = false;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        if !inside {
            inside = body
                .strip_prefix("nav:")
                .is_some_and(|r| r.trim().is_empty() || r.trim_start().starts_with('#'));
            continue;
        }
        let trimmed = body.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let col = body.len() - trimmed.len();
        // The next top-level key ends the block (its items may sit at column 0 too).
        if col == 0 && !trimmed.starts_with('-') {
            break;
        }
        if let Some(rest) = trimmed.strip_prefix('-')
            && (rest.is_empty() || rest.starts_with([' ', '\t']))
        {
            let value = rest.trim_start();
            lines.push(ItemLine {
                col,
                rest: value.trim_end(),
                at: start + col + 1 + (rest.len() - value.len()),
            });
        }
    }
    let mut i = 0;
    let items = items(&lines, &mut i, None);
    (!items.is_empty()).then_some(items)
}

/// The entries from `lines[*i]` on whose `-` lies deeper than `parent` (the section's `-`
/// column; `None` at the top). Iterative over siblings, recursive into sections (nesting is
/// bounded by the file's indentation).
fn items(lines: &[ItemLine<'_>], i: &mut usize, parent: Option<usize>) -> Vec<NavItem> {
    let mut out = Vec::new();
    while let Some(line) = lines.get(*i) {
        if parent.is_some_and(|p| line.col <= p) {
            break;
        }
        *i += 1;
        let (key, value) = split_entry(line.rest);
        match (key, value) {
            // `Title:` with the entries below it.
            (Some((title, at)), None) => {
                let children = items(lines, i, Some(line.col));
                out.push(NavItem {
                    title: Some(title),
                    target: None,
                    span: Span::new(line.at + at.0, line.at + at.1),
                    children,
                });
            }
            (title, Some((target, at))) => out.push(NavItem {
                title: title.map(|(t, _)| t),
                target: Some(target),
                span: Span::new(line.at + at.0, line.at + at.1),
                children: Vec::new(),
            }),
            (None, None) => {}
        }
    }
    out
}

/// A title or value and its byte range in the item's text.
type Part = (String, (usize, usize));

/// Splits an item's text into its title (`Title:` / `"Title":`) and its value (a path or URL),
/// each unquoted, with their ranges. A bare value has no title; `Title:` alone no value.
fn split_entry(rest: &str) -> (Option<Part>, Option<Part>) {
    let rest = strip_comment(rest);
    if rest.is_empty() {
        return (None, None);
    }
    let key_end = match rest.chars().next() {
        Some(q @ ('"' | '\'')) => rest[1..].find(q).map(|e| e + 2),
        _ => rest
            .find(": ")
            .or_else(|| rest.ends_with(':').then(|| rest.len() - 1)),
    };
    let Some(key_end) = key_end.filter(|&e| rest[e..].starts_with(':')) else {
        return (None, Some(scalar(rest, 0)));
    };
    let title = scalar(&rest[..key_end], 0);
    let after = &rest[key_end + 1..];
    let value = after.trim_start();
    if value.is_empty() {
        return (Some(title), None);
    }
    let start = key_end + 1 + (after.len() - value.len());
    (Some(title), Some(scalar(value, start)))
}

/// `text` (at `start` in the item) unquoted, with the range of what it names.
fn scalar(text: &str, start: usize) -> Part {
    let text = text.trim_end();
    let unquoted = text
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .or_else(|| text.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')));
    match unquoted {
        Some(inner) => (inner.to_string(), (start + 1, start + 1 + inner.len())),
        None => (text.to_string(), (start, start + text.len())),
    }
}

/// `text` without a trailing ` # comment` outside quotes.
pub(super) fn strip_comment(text: &str) -> &str {
    let mut quote = None;
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '#') if i > 0 && bytes[i - 1].is_ascii_whitespace() => {
                return text[..i].trim_end();
            }
            _ => {}
        }
    }
    text.trim_end()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `title -> target (line)` per entry, nested by two spaces.
    fn outline(text: &str, items: &[NavItem], depth: usize, out: &mut Vec<String>) {
        for it in items {
            let line = text[..it.span.start].matches('\n').count() + 1;
            assert_eq!(
                &text[it.span.start..it.span.end],
                it.target.as_deref().or(it.title.as_deref()).unwrap_or(""),
                "the span covers what it names"
            );
            out.push(format!(
                "{}{} -> {} ({line})",
                "  ".repeat(depth),
                it.title.as_deref().unwrap_or("-"),
                it.target.as_deref().unwrap_or("[section]"),
            ));
            outline(text, &it.children, depth + 1, out);
        }
    }

    #[test]
    fn nav_entries_sections_and_links() {
        let text = "site_name: X\ntheme:\n  name: material\n  icon: !!python/name:x.y\nnav:\n  - Home: index.md\n  - 'quickstart.md'   # first\n  - Getting started:\n    - Tutorials:\n      - tutorials/index.md\n      - \"Blogs: part 1\":\n        - tutorials/blogs/basic.md\n    - How to upgrade: 'upgrade.md'\n  - Issues: https://github.com/x/y/issues\n\nmarkdown_extensions:\n  - toc\n";
        let items = parse(text).expect("a nav");
        let mut out = Vec::new();
        outline(text, &items, 0, &mut out);
        assert_eq!(
            out,
            [
                "Home -> index.md (6)",
                "- -> quickstart.md (7)",
                "Getting started -> [section] (8)",
                "  Tutorials -> [section] (9)",
                "    - -> tutorials/index.md (10)",
                "    Blogs: part 1 -> [section] (11)",
                "      - -> tutorials/blogs/basic.md (12)",
                "  How to upgrade -> upgrade.md (13)",
                "Issues -> https://github.com/x/y/issues (14)",
            ]
        );
        assert!(items[3].is_link());
        assert!(!items[0].is_link());
        assert!(is_link("tel:+1555") && is_link("/api/") && is_link("//cdn.example.com/x"));
        assert!(!is_link("c:/notes.md") && !is_link("guide/a.md") && !is_link("1:x.md"));
        assert_eq!(items[0].page_path(), Some("index.md"));
    }

    #[test]
    fn items_at_the_keys_column_and_no_nav() {
        let text = "nav:\n- Intro: ./index.md\n- Guide:\n  - guide/a.md#top\nplugins:\n- search\n";
        let items = parse(text).expect("a nav");
        let mut out = Vec::new();
        outline(text, &items, 0, &mut out);
        assert_eq!(
            out,
            [
                "Intro -> ./index.md (2)",
                "Guide -> [section] (3)",
                "  - -> guide/a.md#top (4)",
            ]
        );
        assert_eq!(items[0].page_path(), Some("index.md"));
        assert_eq!(items[1].children[0].page_path(), Some("guide/a.md"));
        assert_eq!(parse("site_name: X\nplugins:\n  - search\n"), None);
        assert_eq!(parse("nav:\nsite_name: X\n"), None);
    }
}
