//! The table of contents of one page: its h2 and h3 headings, as rendered (headings of an
//! accidental code block are not in the page and not in the TOC). h1 is the page title and
//! h4–h6 are too fine-grained for a sidebar, as in mdBook's and MkDocs' default themes.

use serde::Serialize;

use crate::page::Page;
use crate::site::Convention;
use crate::site::markup::shown_heading;

/// One TOC entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    /// 2 or 3.
    pub level: u8,
    /// The heading's id (the fragment to link to).
    pub id: String,
    /// The heading's text.
    pub text: String,
}

/// The h2/h3 entries of `page`, in document order. `rendered` lists the indices into
/// [`Page::headings`] that appear in the HTML ([`super::html::Body::headings`]).
///
/// Under `convention`, a heading's trailing `{#id}` is its id rather than text where the
/// generator reads it so ([`crate::site::markup::shown_heading`]).
pub fn toc(page: &Page, rendered: &[usize], convention: Convention) -> Vec<TocEntry> {
    rendered
        .iter()
        .filter_map(|&i| page.headings.get(i))
        .filter(|h| matches!(h.level, 2 | 3))
        .map(|h| {
            let (text, id) = shown_heading(convention, &h.text, &h.id);
            TocEntry {
                level: h.level,
                id: id.into_owned(),
                text: text.to_string(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::{ParseOptions, parse_page};

    #[test]
    fn h2_and_h3_only() {
        let page = parse_page(
            "p.md".into(),
            "p.md".into(),
            "p.md".into(),
            "# T\n\n## A\n\n### B\n\n#### C\n\n## A\n".into(),
            &ParseOptions::default(),
        )
        .unwrap();
        let t = toc(&page, &[0, 1, 2, 3, 4], Convention::Github);
        let ids: Vec<_> = t.iter().map(|e| (e.level, e.id.as_str())).collect();
        assert_eq!(ids, vec![(2, "a"), (3, "b"), (2, "a-1")]);
    }
}
