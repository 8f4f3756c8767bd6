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
//! - an `import`/`export` statement (ESM) is code, not text: it runs to the next blank line;
//! - the children of a component are often indented under it (`<TabItem>` inside `<Tabs>`),
//!   and MDX has no indented code blocks: they are dedented by the indentation of the
//!   element's first content line, and a fence's content by what its opening line lost (as
//!   CommonMark strips a fence's indentation from its content), so a fence or list inside
//!   `<Steps>` is one, not literal text.
//!
//! Every line keeps its number (blanked lines become spaces, dedented lines lose their
//! leading spaces), so the page's source map ([`super::include::Expansion::replace_lines`])
//! maps each line, and each line's unchanged end, to the file as written. Fenced code blocks
//! and code spans are not read for MDX syntax: they show it, they do not hold it. Lowercase
//! tags (`<img>`, `<div>`) are HTML and stay. The paths of import lines are references, read
//! from the file as written ([`crate::site::mdx_imports`]).

use super::mkdocs_blocks::{closes as fence_closes, opens as fence_opens};

/// `text` with MDX comments, component-tag lines and ESM statements blanked and components'
/// children dedented (see the module docs); `None` when nothing changes.
pub fn rewrite(text: &str) -> Option<String> {
    if !text.contains("{/*") && !text.contains('<') && !text.contains("import ") {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    // An open fence: its character, length, and the columns its content loses.
    let mut fence: Option<(char, usize, usize)> = None;
    let mut in_comment = false;
    let mut in_tag = false;
    let mut in_esm = false;
    // Open components: the indentation their children lose (set by the first child line).
    let mut open: Vec<Option<usize>> = Vec::new();
    for line in text.split_inclusive('\n') {
        let rest = line.trim_start();
        let indent = line.len() - rest.len();
        if let Some((c, n, lost)) = fence {
            if fence_closes(rest, c, n) {
                fence = None;
            }
            out.push_str(&line[indent.min(lost).min(spaces(line))..]);
            continue;
        }
        if in_esm {
            in_esm = !rest.trim().is_empty();
            out.push_str(&blanked(line));
            continue;
        }
        if !in_comment
            && !in_tag
            && open.is_empty()
            && indent == 0
            && (rest.starts_with("import ") || rest.starts_with("export "))
        {
            in_esm = true;
            out.push_str(&blanked(line));
            continue;
        }
        let lost = match open.last_mut() {
            Some(base) if !in_tag && !rest.trim().is_empty() => *base.get_or_insert(spaces(line)),
            _ => 0,
        }
        .min(spaces(line));
        if !in_comment
            && !in_tag
            && let Some((c, n)) = fence_opens(rest)
        {
            fence = Some((c, n, lost));
            out.push_str(&line[lost..]);
            continue;
        }
        let mut line = line.to_string();
        in_comment = blank_comments(&mut line, in_comment);
        if in_tag {
            in_tag = !tag_closes(&line);
            if !in_tag && !line.trim_end().ends_with("/>") {
                open.push(None);
            }
            line = blanked(&line);
        } else if let Some(tags) = tags_only(&line) {
            for tag in &tags.complete {
                match tag {
                    Tag::Open => open.push(None),
                    Tag::Close => {
                        open.pop();
                    }
                    Tag::SelfClosing => {}
                }
            }
            in_tag = tags.continues;
            line = blanked(&line);
        } else {
            line.replace_range(..lost, "");
        }
        out.push_str(&line);
    }
    (out != text).then_some(out)
}

/// The number of spaces `line` starts with.
fn spaces(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
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

/// What a line of component tags opens and closes.
enum Tag {
    /// `<Steps>`: its children follow.
    Open,
    /// `</Steps>`.
    Close,
    /// `<Badge text="new" />`.
    SelfClosing,
}

/// The tags of a line that holds only JSX component tags.
struct Tags {
    /// The tags that end on the line, in order.
    complete: Vec<Tag>,
    /// The last tag continues on the next line.
    continues: bool,
}

/// The tags of `line` when it holds only JSX component tags (and spaces); `None` for any
/// other line.
fn tags_only(line: &str) -> Option<Tags> {
    let mut rest = line.trim();
    if rest.is_empty() {
        return None;
    }
    let mut complete = Vec::new();
    while !rest.is_empty() {
        let after = rest.strip_prefix('<')?;
        let closing = after.starts_with('/');
        let name = after.strip_prefix('/').unwrap_or(after);
        // A component (`Steps`, `Tabs.Item`) or a fragment (`<>`, `</>`).
        if !(name.starts_with(|c: char| c.is_ascii_uppercase()) || name.starts_with('>')) {
            return None;
        }
        match tag_end(after) {
            Some(end) => {
                complete.push(if closing {
                    Tag::Close
                } else if after[..end].ends_with("/>") {
                    Tag::SelfClosing
                } else {
                    Tag::Open
                });
                rest = after[end..].trim_start();
            }
            None => {
                return Some(Tags {
                    complete,
                    continues: true,
                });
            }
        }
    }
    Some(Tags {
        complete,
        continues: false,
    })
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
    let spaces: String = line[from..to]
        .bytes()
        .map(|b| {
            if b == b'\n' || b == b'\r' {
                b as char
            } else {
                ' '
            }
        })
        .collect();
    line.replace_range(from..to, &spaces);
}

/// `line` with every byte but newlines turned into a space.
fn blanked(line: &str) -> String {
    let mut line = line.to_string();
    let end = line.len();
    blank(&mut line, 0, end);
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn component_lines_comments_and_imports_are_blanked_and_children_dedented() {
        let text = "import X from './x';\nimport {\n  Y,\n} from './y';\n\n<Search>\n  ## Features\n  <FeaturesList />\n</Search>\n\n\
                    {/* ![dark](@assets/dark.png) */}\n<LinkCard\n  title=\"Share\"\n  href=\"https://x.y/a>b\"\n/>\n\
                    Text <Badge text=\"new\" /> stays.\n<img src=\"a.png\" />\n{/* two\nlines */} after\n";
        let out = rewrite(text).expect("changed");
        assert_eq!(out.lines().count(), text.lines().count());
        let lines: Vec<&str> = out.lines().collect();
        for l in &lines[0..4] {
            assert_eq!(l.trim(), "", "an import statement, to the blank line");
        }
        assert_eq!(lines[5].trim(), "");
        assert_eq!(lines[6], "## Features", "a child, dedented");
        assert_eq!(lines[7].trim(), "");
        assert_eq!(lines[8].trim(), "");
        assert_eq!(lines[10].trim(), "");
        for l in &lines[11..15] {
            assert_eq!(l.trim(), "", "a tag over several lines");
        }
        assert_eq!(lines[15], "Text <Badge text=\"new\" /> stays.");
        assert_eq!(lines[16], "<img src=\"a.png\" />", "HTML stays");
        assert_eq!(lines[17].trim(), "");
        assert_eq!(lines[18].trim(), "after");
    }

    #[test]
    fn children_of_nested_components_and_their_fences_are_dedented() {
        let text = "<Tabs>\n  <TabItem label=\"npm\">\n    ```sh\n    npm i\n      --flag\n    ```\n    1. Step\n       more\n  </TabItem>\n</Tabs>\n\n    indented after\n";
        let out = rewrite(text).expect("changed");
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            &lines[2..8],
            ["```sh", "npm i", "  --flag", "```", "1. Step", "   more"]
        );
        assert_eq!(
            lines[11], "    indented after",
            "outside components: as written"
        );
    }

    #[test]
    fn code_is_left_alone() {
        let text = "```mdx\n<Steps>\n{/* c */}\nimport x from 'y';\n```\n\nUse `{/* comment */}` to hide text.\n";
        assert_eq!(rewrite(text), None);
    }
}
