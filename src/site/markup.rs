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

/// `custom-id` from `Title {#custom-id}` or `Title {#custom-id .class}`.
pub(super) fn explicit_id(text: &str) -> Option<String> {
    let t = text.trim_end();
    let inner = t.strip_suffix('}')?;
    let open = inner.rfind('{')?;
    let attrs = &inner[open + 1..];
    attrs
        .split_whitespace()
        .find_map(|a| a.strip_prefix('#'))
        .filter(|id| !id.is_empty())
        .map(str::to_string)
}

/// The files an MDX page's JavaScript names: `import shot from './shot.png'` and
/// `require('./shot.png')`. They are references (an image imported for a JSX component is used),
/// though not links to check.
pub fn mdx_imports(page: &Page) -> Vec<String> {
    if !crate::project::is_mdx(&page.path) {
        return Vec::new();
    }
    static IMPORT: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = IMPORT.get_or_init(|| {
        regex::Regex::new(r#"(?:\bfrom\s+|\brequire\(\s*)['"]([^'"\n]+)['"]"#)
            .expect("constant regex")
    });
    re.captures_iter(&page.source)
        .map(|c| c[1].to_string())
        .filter(|d| d.starts_with('.') || d.starts_with('/'))
        .collect()
}
