//! Python-Markdown's indented blocks, read as CommonMark containers for MkDocs pages.
//!
//! MkDocs sites (Material for MkDocs above all) write admonitions (`!!! note "Title"`, the
//! `admonition` extension), collapsible details (`??? tip`, `???+ tip`, `pymdownx.details`),
//! content tabs (`=== "Tab"`, `pymdownx.tabbed`) and definitions (`:   …`, `def_list`) as a
//! marker line followed by content indented four spaces. CommonMark reads that content as an indented code block, so its links, images
//! and reference definitions would vanish into code and every such block would look like an
//! accidental code block. For a page of an MkDocs site, [`rewrite`] turns the four columns of
//! indentation that open each content line into `>   ` (the same length), and a blank line
//! inside a block into `>`, so the one parse reads the content as a block quote: Markdown, as
//! MkDocs renders it, on the same lines. Marker lines inside fenced code (a page documenting
//! the syntax) open nothing. The page's source map keeps every byte's origin
//! ([`super::include::Expansion::replace_text`]), so findings show the file as written.
//!
//! Sources: Python-Markdown's admonition extension
//! (<https://python-markdown.github.io/extensions/admonition/>), PyMdown Extensions' details
//! and tabbed (<https://facelessuser.github.io/pymdown-extensions/>).

use std::sync::LazyLock;

use regex::Regex;

/// A marker line's text after its indentation: `!!!`, `???`, `???+`, `===`, `===!` or `===+`,
/// then a space and the type or the tab's label; or a definition (`def_list`: `:` and spaces,
/// then the definition's first line, continued four spaces in).
pub(super) static MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:!!!|\?\?\?\+?|===[!+]?|:)[ \t]+\S").expect("constant regex"));

/// True when `text` may hold a marker line (a quick test before [`rewrite`]).
pub fn may_have_blocks(text: &str) -> bool {
    text.contains("!!! ")
        || text.contains("??? ")
        || text.contains("???+ ")
        || text.contains("===")
        || text.contains("\n:")
}

/// `text` with the content of every admonition, details and tab block turned into a block
/// quote (see the module docs); `None` when it has no such block. Every line keeps its number;
/// content lines keep their length, and a blank line between two content lines of a block
/// gets the block's `>` (so the quote, and a list or fence in it, goes on across it).
pub fn rewrite(text: &str) -> Option<String> {
    if !may_have_blocks(text) {
        return None;
    }
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    // For each line, the indentation of the next non-blank line at or after it.
    let mut next_indent = vec![0usize; lines.len() + 1];
    for i in (0..lines.len()).rev() {
        let body = lines[i].trim_end_matches(['\n', '\r']);
        next_indent[i] = if body.trim().is_empty() {
            next_indent[i + 1]
        } else {
            columns(body)
        };
    }
    let mut out = String::with_capacity(text.len() + 64);
    // The open blocks and list items, outermost first.
    let mut open: Vec<Container> = Vec::new();
    // The open fence (character and length).
    let mut fence: Option<(char, usize)> = None;
    let mut changed = false;
    for (i, line) in lines.iter().enumerate() {
        let body = line.trim_end_matches(['\n', '\r']);
        let indent = columns(body);
        if body.trim().is_empty() {
            // A blank line inside the blocks that go on after it: each block's `>` in its
            // marker's column.
            let mut quotes = String::new();
            for c in open
                .iter()
                .filter(|c| c.quoted && next_indent[i + 1] >= c.content)
            {
                let col = c.content - 4;
                quotes.extend(std::iter::repeat_n(' ', col.saturating_sub(quotes.len())));
                quotes.push('>');
            }
            if quotes.is_empty() {
                out.push_str(line);
            } else {
                out.push_str(&quotes);
                out.push_str(&line[body.len()..]);
                changed = true;
            }
            continue;
        }
        while open.last().is_some_and(|c| indent < c.content) {
            open.pop();
        }
        let mut line = line.to_string();
        for c in open.iter().filter(|c| c.quoted) {
            if let Some(new) = quote_at(&line, c.content - 4) {
                line = new;
                changed = true;
            }
        }
        // The line's text after the open blocks' indentation.
        let inner_col = open.last().map_or(0, |c| c.content);
        let rest = after_columns(body, inner_col);
        let rest_trimmed = rest.trim_start_matches([' ', '\t']);
        let extra = columns(rest) - columns(rest_trimmed);
        match fence {
            // A closing fence is indented less than four columns (CommonMark §4.5): an
            // indented ``` inside the fence is the fence's text (Material's content-tabs.md
            // shows a fenced example inside a fence).
            Some((c, n)) if extra < 4 && closes(rest_trimmed, c, n) => fence = None,
            Some(_) => {}
            None if extra < 4 => {
                if let Some(f) = opens(rest_trimmed) {
                    fence = Some(f);
                } else if MARKER.is_match(rest_trimmed) {
                    open.push(Container {
                        content: indent + 4,
                        quoted: true,
                    });
                } else if let Some(m) = super::mkdocs_lists::LIST_ITEM.captures(rest_trimmed) {
                    // After [`super::mkdocs_lists`], an item's content sits where CommonMark
                    // reads it: a block four columns inside it is the item's.
                    let spaces = m[2].len();
                    open.push(Container {
                        content: indent + m[1].len() + if spaces > 4 { 1 } else { spaces },
                        quoted: false,
                    });
                }
            }
            None => {}
        }
        out.push_str(&line);
    }
    changed.then_some(out)
}

/// A block whose content the rewrite quotes, or a list item, inside which a block's marker
/// may stand as far in as the item's content.
struct Container {
    /// The column where its content starts.
    content: usize,
    /// True for an admonition, details, tab or definition: its content lines get `>`.
    quoted: bool,
}

/// The indentation of `s` in columns (a tab advances to the next multiple of 4).
pub(super) fn columns(s: &str) -> usize {
    let mut col = 0;
    for c in s.chars() {
        match c {
            ' ' => col += 1,
            '\t' => col = (col / 4 + 1) * 4,
            _ => break,
        }
    }
    col
}

/// `s` from column `col` of its indentation on (all of it when it is shorter).
fn after_columns(s: &str, col: usize) -> &str {
    let mut at = 0;
    for (i, c) in s.char_indices() {
        if at >= col {
            return &s[i..];
        }
        match c {
            ' ' => at += 1,
            '\t' => at = (at / 4 + 1) * 4,
            _ => return &s[i..],
        }
    }
    ""
}

/// `line` with the four columns of indentation from column `col` replaced by `>   ` (a tab
/// that fills them by `>`); `None` when the line is not indented that far with spaces or a
/// tab there.
fn quote_at(line: &str, col: usize) -> Option<String> {
    let mut at = 0;
    for (i, c) in line.char_indices() {
        if at == col {
            let rest = &line[i..];
            if let Some(after) = rest.strip_prefix("    ") {
                return Some(format!("{}>   {after}", &line[..i]));
            }
            if let Some(after) = rest.strip_prefix('\t') {
                return Some(format!("{}>{after}", &line[..i]));
            }
            // A block quote made by an enclosing block: its `>` sits here already.
            return None;
        }
        match c {
            ' ' => at += 1,
            '\t' => at = (at / 4 + 1) * 4,
            '>' => at += 1,
            _ => return None,
        }
        if at > col {
            return None;
        }
    }
    None
}

/// The fence a line opens (CommonMark §4.5: three or more backticks or tildes; an info string
/// after backticks holds no backtick).
pub(super) fn opens(rest: &str) -> Option<(char, usize)> {
    let c = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = rest.chars().take_while(|x| *x == c).count();
    let info = &rest[n..];
    (n >= 3 && !(c == '`' && info.contains('`'))).then_some((c, n))
}

/// True when `rest` closes a fence of `n` characters `c`.
pub(super) fn closes(rest: &str, c: char, n: usize) -> bool {
    let m = rest.chars().take_while(|x| *x == c).count();
    m >= n && rest[m..].trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admonition_content_becomes_a_block_quote_of_the_same_length() {
        let text =
            "# A\n\n!!! note \"Read me\"\n\n    See [b](b.md).\n\n    ![shot](s.png)\n\nAfter.\n";
        let out = rewrite(text).expect("a block");
        assert_eq!(
            out,
            "# A\n\n!!! note \"Read me\"\n>\n>   See [b](b.md).\n>\n>   ![shot](s.png)\n\nAfter.\n"
        );
        assert_eq!(out.lines().count(), text.lines().count());
    }

    #[test]
    fn tabs_details_and_nesting() {
        let text = "=== \"One\"\n\n    ??? tip\n\n        Deep [x](x.md)\n\n    Back\n\n=== \"Two\"\n\n    Two\n";
        assert_eq!(
            rewrite(text).expect("blocks"),
            "=== \"One\"\n>\n>   ??? tip\n>   >\n>   >   Deep [x](x.md)\n>\n>   Back\n\n=== \"Two\"\n>\n>   Two\n"
        );
    }

    #[test]
    fn code_inside_a_block_stays_code_and_fenced_markers_open_nothing() {
        // Indented code inside an admonition (8 spaces) stays code after the quote marker.
        let text = "!!! example\n\n        code line\n";
        assert_eq!(
            rewrite(text).expect("a block"),
            "!!! example\n>\n>       code line\n"
        );
        // A fence documenting the syntax: its marker line opens no block.
        let text = "``` markdown\n!!! note\n\n    Lorem ipsum\n```\n";
        assert_eq!(rewrite(text), None);
    }

    #[test]
    fn a_fence_and_a_list_go_on_across_blank_lines() {
        let text = "!!! example\n\n    ```py\n    a = 1\n\n    b = [x](y)\n    ```\n\n    1.  Item\n\n        - sub\n";
        assert_eq!(
            rewrite(text).expect("a block"),
            "!!! example\n>\n>   ```py\n>   a = 1\n>\n>   b = [x](y)\n>   ```\n>\n>   1.  Item\n>\n>       - sub\n"
        );
    }

    #[test]
    fn an_indented_fence_inside_a_fence_closes_nothing() {
        // Material's content-tabs.md: a fenced example of a fence inside a tab.
        let text = "``` title=\"Tabs\"\n!!! example\n\n    ```\n    x\n    ```\n```\n\n!!! note\n\n    In.\n";
        assert_eq!(
            rewrite(text).expect("the note"),
            "``` title=\"Tabs\"\n!!! example\n\n    ```\n    x\n    ```\n```\n\n!!! note\n>\n>   In.\n"
        );
    }

    #[test]
    fn a_block_inside_a_list_item_is_quoted_in_its_column() {
        let text =
            "1.  Item\n\n    !!! note\n\n        Content [x](y.md)\n\n        More.\n\n2.  Next\n";
        assert_eq!(
            rewrite(text).expect("the note"),
            "1.  Item\n\n    !!! note\n    >\n    >   Content [x](y.md)\n    >\n    >   More.\n\n2.  Next\n"
        );
    }

    #[test]
    fn a_definition_goes_on_four_spaces_in() {
        let text = "Term\n\n:   First line.\n\n    - an item\n";
        assert_eq!(
            rewrite(text).expect("a block"),
            "Term\n\n:   First line.\n>\n>   - an item\n"
        );
    }

    #[test]
    fn a_line_less_indented_ends_the_block() {
        let text = "!!! note\n    In.\nOut.\n    Code, not content.\n";
        assert_eq!(
            rewrite(text).expect("a block"),
            "!!! note\n>   In.\nOut.\n    Code, not content.\n"
        );
    }

    #[test]
    fn plain_pages_are_left_alone() {
        assert_eq!(rewrite("# A\n\n    indented code\n"), None);
        assert_eq!(rewrite("Title\n===\n\ntext\n"), None);
    }
}
