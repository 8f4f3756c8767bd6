//! Python-Markdown's list items, read as CommonMark list items for MkDocs pages.
//!
//! Python-Markdown continues a list item with the lines indented to the next four-column stop
//! after its marker's indentation (one `tab_length` per level), whatever the marker's width.
//! CommonMark continues it at the column where the item's text starts. The two agree for
//! `1.  text` and `-   text`, but not for `  2.  text` (text at column 6, Python-Markdown's
//! content at column 4) or `10.  text`: a fence or paragraph indented four spaces after a blank
//! line is the item's content in MkDocs and an indented code block in CommonMark (Material for
//! MkDocs' `blog/posts/search-better-faster-smaller.md`). For a page of an MkDocs site,
//! [`rewrite`] indents the content lines of such an item by the difference, so the one parse
//! reads them as the item's content; spaces are inserted after a line's own indentation, so
//! tabs keep their width and every other byte keeps its place in the source map.
//!
//! Admonition, details and tab blocks ([`super::mkdocs_blocks`]) are containers at four
//! columns too: their content is read the same way, before that module turns it into a block
//! quote. Source: Python-Markdown's `OListProcessor`, `UListProcessor` and
//! `ListIndentProcessor` (<https://github.com/Python-Markdown/markdown/blob/master/markdown/blockprocessors.py>).

use std::sync::LazyLock;

use regex::Regex;

use super::mkdocs_blocks::{MARKER, closes as fence_closes, columns, opens as fence_opens};

/// A list marker after its indentation: `1.` (Python-Markdown has no `1)`), `-`, `*` or `+`,
/// the spaces after it, then text.
pub(super) static LIST_ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,9}\.|[-*+])( +)\S").expect("constant regex"));

/// An open list item or block.
struct Open {
    /// The column where Python-Markdown reads its content (in the text as written).
    content: usize,
    /// The columns its content lines gain so that CommonMark reads them as its content.
    shift: usize,
}

/// `text` with the content lines of every list item whose text starts past Python-Markdown's
/// content column indented by the difference (see the module docs); `None` when nothing
/// changes. Every line keeps its number.
pub fn rewrite(text: &str) -> Option<String> {
    // The rewritten text, made at the first line that changes (most pages have none).
    let mut out: Option<String> = None;
    let mut open: Vec<Open> = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    let mut after_blank = true;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        if body.trim().is_empty() {
            if let Some(out) = out.as_mut() {
                out.push_str(line);
            }
            after_blank = true;
            continue;
        }
        let indent = columns(body);
        let rest = body.trim_start_matches([' ', '\t']);
        let item = if fence.is_none() {
            LIST_ITEM.captures(rest)
        } else {
            None
        };
        // A line less indented than an item's content ends it, unless it continues a
        // paragraph lazily (or sits in a fence, whose lines are not blocks).
        let lazy = !after_blank && item.is_none();
        if fence.is_none() && !lazy {
            while open.last().is_some_and(|o| indent < o.content) {
                open.pop();
            }
        }
        let inside = open.last().is_none_or(|o| indent >= o.content);
        let shift: usize = if inside {
            open.iter().map(|o| o.shift).sum()
        } else {
            0
        };
        let base = open.last().map_or(0, |o| o.content);
        match fence {
            Some((c, n)) if indent < base + 4 && fence_closes(rest, c, n) => fence = None,
            Some(_) => {}
            None if indent < base + 4 => {
                if let Some(f) = fence_opens(rest) {
                    fence = Some(f);
                } else if let Some(m) = item {
                    let (marker, spaces) = (m[1].len(), m[2].len());
                    // CommonMark: five or more spaces after the marker are one space and an
                    // indented code block.
                    let text_at = indent + marker + if spaces > 4 { 1 } else { spaces };
                    let content = (indent / 4 + 1) * 4;
                    open.push(Open {
                        content,
                        shift: text_at.saturating_sub(content),
                    });
                } else if MARKER.is_match(rest) {
                    open.push(Open {
                        content: indent + 4,
                        shift: 0,
                    });
                }
            }
            None => {}
        }
        after_blank = false;
        if shift == 0 {
            if let Some(out) = out.as_mut() {
                out.push_str(line);
            }
            continue;
        }
        let out = out.get_or_insert_with(|| {
            let mut s = String::with_capacity(text.len() + 64);
            s.push_str(&text[..start]);
            s
        });
        let indent_len = line.len() - line.trim_start_matches([' ', '\t']).len();
        out.push_str(&line[..indent_len]);
        out.extend(std::iter::repeat_n(' ', shift));
        out.push_str(&line[indent_len..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_four_spaces_in_goes_to_the_items_text_column() {
        // Material for MkDocs' blog post: `  2.  ` puts the text at column 6.
        let text = "  1.  One\n\n  2.  Two:\n\n    ```\n    code\n    ```\n\n    - __Sub__: item\n      more\n\nAfter.\n";
        assert_eq!(
            rewrite(text).expect("shifted"),
            "  1.  One\n\n  2.  Two:\n\n      ```\n      code\n      ```\n\n      - __Sub__: item\n      more\n\nAfter.\n"
        );
    }

    #[test]
    fn items_whose_text_starts_at_four_columns_are_left_alone() {
        assert_eq!(rewrite("1.  One\n\n    ```\n    x\n    ```\n"), None);
        assert_eq!(rewrite("- One\n\n    Two\n"), None);
        assert_eq!(rewrite("# A\n\n    code\n"), None);
    }

    #[test]
    fn fences_lazy_lines_and_code_open_no_item() {
        // A marker inside a fence, and one at code indentation, open nothing.
        let text = "```\n  2.  x\n```\n\n        10.  y\n\n    z\n";
        assert_eq!(rewrite(text), None);
        // A lazy continuation line keeps the item open.
        let text = "10.  Ten\nlazy\n\n    more\n";
        assert_eq!(
            rewrite(text).expect("shifted"),
            "10.  Ten\nlazy\n\n     more\n"
        );
    }

    #[test]
    fn an_admonition_is_a_container_at_four_columns() {
        let text = "!!! note\n\n      2.  Two\n\n        Content.\n";
        assert_eq!(
            rewrite(text).expect("shifted"),
            "!!! note\n\n      2.  Two\n\n          Content.\n"
        );
    }

    #[test]
    fn tabs_keep_their_width() {
        let text = "  2.  Two\n\n\tcode\n";
        assert_eq!(rewrite(text).expect("shifted"), "  2.  Two\n\n\t  code\n");
    }
}
