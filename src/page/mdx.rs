//! MDX's own syntax, blanked before the one parse of an `.mdx` page so that the Markdown
//! around and inside it reads as MDX reads it (<https://mdxjs.com/docs/what-is-mdx/>):
//!
//! - a JSX comment `{/* … */}` is no content: a link or image inside it is not on the page
//!   (tauri-docs keeps dark-mode screenshots commented out);
//! - a line that holds only JSX component tags (`<Steps>`, `</Tabs>`, `<LinkCard title="…"
//!   href="…" />`, a tag spread over several lines, `<>`) opens or closes an element whose
//!   children are Markdown. CommonMark would read the tag line as the start of an HTML block
//!   running to the next blank line, swallowing the Markdown after it: the heading `## Features`
//!   right under `<Search>` was no heading, and links to `#features` were reported broken.
//!
//! Blanking replaces each byte with a space and keeps every newline, so every other byte keeps
//! its offset and line (the page's source map shows the file as written). Fenced code blocks
//! and code spans are left alone: they show MDX, they do not hold it. Lowercase tags (`<img>`,
//! `<div>`) are HTML and stay, as do import and export lines (their paths are references, see
//! [`crate::site::mdx_imports`]).

use super::mkdocs_blocks::{closes as fence_closes, opens as fence_opens};

/// `text` with MDX comments and component-tag lines blanked (see the module docs); `None`
/// when there is none.
pub fn rewrite(text: &str) -> Option<String> {
    if !text.contains("{/*") && !text.contains("\n<") && !text.contains(" <") {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut fence: Option<(char, usize)> = None;
    let mut in_comment = false;
    let mut in_tag = false;
    for line in text.split_inclusive('\n') {
        let rest = line.trim_start();
        if let Some((c, n)) = fence {
            if fence_closes(rest, c, n) {
                fence = None;
            }
            out.push_str(line);
            continue;
        }
        if !in_comment
            && !in_tag
            && let Some(f) = fence_opens(rest)
        {
            fence = Some(f);
            out.push_str(line);
            continue;
        }
        let mut line = line.to_string();
        in_comment = blank_comments(&mut line, in_comment);
        let end = line.len();
        if in_tag {
            in_tag = !tag_closes(&line);
            blank(&mut line, 0, end);
        } else if let Some(open) = tags_only(&line) {
            in_tag = open;
            blank(&mut line, 0, end);
        }
        out.push_str(&line);
    }
    (out != text).then_some(out)
}

/// Blanks the JSX comments of `line` (from `{/*` to `*/}`, outside code spans); `in_comment`
/// says whether the line starts inside one. Returns whether it ends inside one.
fn blank_comments(line: &mut String, mut in_comment: bool) -> bool {
    let mut from = 0;
    loop {
        if in_comment {
            match line[from..].find("*/}") {
                Some(end) => {
                    let end = from + end + 3;
                    blank(line, from, end);
                    from = end;
                    in_comment = false;
                }
                None => {
                    let end = line.len();
                    blank(line, from, end);
                    return true;
                }
            }
        } else {
            let Some(start) = line[from..].find("{/*").map(|s| from + s) else {
                return false;
            };
            // Inside a code span (an odd number of backticks before it): shown, not a comment.
            if line[..start].matches('`').count() % 2 == 1 {
                from = start + 3;
                continue;
            }
            from = start;
            in_comment = true;
        }
    }
}

/// `Some(open)` when `line` holds only JSX component tags (and spaces); `open` when the last
/// tag continues on the next line. `None` for any other line.
fn tags_only(line: &str) -> Option<bool> {
    let mut rest = line.trim();
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let after = rest.strip_prefix('<')?;
        let name = after.strip_prefix('/').unwrap_or(after);
        // A component (`Steps`, `Tabs.Item`) or a fragment (`<>`, `</>`).
        if !(name.starts_with(|c: char| c.is_ascii_uppercase()) || name.starts_with('>')) {
            return None;
        }
        match tag_end(after) {
            Some(end) => rest = after[end..].trim_start(),
            None => return Some(true),
        }
    }
    Some(false)
}

/// The byte just past the `>` that closes the tag whose text (after `<`) is `s`, skipping
/// quoted attribute values and `{…}` expressions; `None` when it does not close in `s`.
fn tag_end(s: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') if depth == 0 => quote = Some(c),
            (None, '{') => depth += 1,
            (None, '}') => depth = depth.saturating_sub(1),
            (None, '>') if depth == 0 => return Some(i + 1),
            _ => {}
        }
    }
    None
}

/// True when a tag that started on an earlier line closes on `line` (it ends with `>`).
fn tag_closes(line: &str) -> bool {
    line.trim_end().ends_with('>')
}

/// Replaces the bytes `from..to` of `line` with spaces, newlines kept.
fn blank(line: &mut String, from: usize, to: usize) {
    let blanked: String = line[from..to]
        .bytes()
        .map(|b| {
            if b == b'\n' || b == b'\r' {
                b as char
            } else {
                ' '
            }
        })
        .collect();
    line.replace_range(from..to, &blanked);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn component_lines_and_comments_are_blanked_in_place() {
        let text = "import X from './x';\n\n<Search>\n  ## Features\n  <FeaturesList />\n</Search>\n\n\
                    {/* ![dark](@assets/dark.png) */}\n<LinkCard\n  title=\"Share\"\n  href=\"https://x.y/a>b\"\n/>\n\
                    Text <Badge text=\"new\" /> stays.\n<img src=\"a.png\" />\n{/* two\nlines */} after\n";
        let out = rewrite(text).expect("changed");
        assert_eq!(out.len(), text.len());
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "import X from './x';");
        assert_eq!(lines[2].trim(), "");
        assert_eq!(lines[3], "  ## Features");
        assert_eq!(lines[4].trim(), "");
        assert_eq!(lines[5].trim(), "");
        assert_eq!(lines[7].trim(), "");
        for l in &lines[8..12] {
            assert_eq!(l.trim(), "", "a tag over several lines");
        }
        assert_eq!(lines[12], "Text <Badge text=\"new\" /> stays.");
        assert_eq!(lines[13], "<img src=\"a.png\" />", "HTML stays");
        assert_eq!(lines[14].trim(), "");
        assert_eq!(lines[15].trim(), "after");
    }

    #[test]
    fn code_is_left_alone() {
        let text = "```mdx\n<Steps>\n{/* c */}\n```\n\nUse `{/* comment */}` to hide text.\n";
        assert_eq!(rewrite(text), None);
    }
}
