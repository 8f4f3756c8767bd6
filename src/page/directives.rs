//! Docusaurus' and Starlight's admonitions, written as container directives
//! (`:::tip[Title]` … `:::`, remark-directive; Docusaurus 2 also `:::tip Title`), read as the
//! blocks they are: for a page of such a site, [`rewrite`] turns each into the form MkDocs'
//! admonitions take after [`super::mkdocs_blocks`], a marker line `!!! tip "Title"` with the
//! content quoted after it, so the one parse reads the content as Markdown inside one block,
//! and the renderer writes `<div class="admonition tip">` ([`crate::render`]'s admonition
//! blocks). Without it the marker and the closing `:::` were text of the paragraphs around
//! them (`<p>:::note</p>` in the built site).
//!
//! Every line keeps its number (the page's source map maps each line, and its unchanged end, to
//! the file as written: [`super::include::Expansion::replace_lines`]). A directive inside a
//! fenced code block is shown, not read, but a directive's closing line ends a fence left open
//! inside it, as a container's end does. Directives nest (`::::` around `:::`).
//! Sources: <https://docusaurus.io/docs/markdown-features/admonitions>,
//! <https://starlight.astro.build/guides/authoring-content/#asides>.

use std::sync::LazyLock;

use regex::Regex;

use super::mkdocs_blocks::{closes as fence_closes, opens as fence_opens};

/// An opening line: colons (three or more), the type, then a `[title]`, a plain title or
/// `{attributes}`.
static OPEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(:{3,}) *([A-Za-z][\w-]*)(?:\[(.*)\]| +([^{}\n]*?))? *(?:\{[^}\n]*\})? *$")
        .expect("constant regex")
});

/// True when `text` may hold a directive (a quick test before [`rewrite`]).
pub fn may_have_directives(text: &str) -> bool {
    text.contains(":::")
}

/// `text` with each container directive turned into a marker line and a block quote (see the
/// module docs); `None` when there is none.
pub fn rewrite(text: &str) -> Option<String> {
    if !may_have_directives(text) {
        return None;
    }
    let mut out = String::with_capacity(text.len() + 64);
    // The open directives: the number of colons that closes each.
    let mut open: Vec<usize> = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    let mut changed = false;
    for line in text.split_inclusive('\n') {
        let (body, newline) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        let rest = body.trim_start();
        let quote = "> ".repeat(open.len());
        let colons = rest.chars().take_while(|c| *c == ':').count();
        // A closing line: as many colons as the innermost open directive, or more. It closes a
        // fence left open inside the directive too, as a container's end does in remark
        // (tauri-docs opens ```` and closes ``` inside a note).
        let closes = colons >= 3
            && rest[colons..].trim().is_empty()
            && open.last().is_some_and(|n| colons >= *n);
        if let Some((c, n)) = fence
            && !closes
        {
            if fence_closes(rest, c, n) {
                fence = None;
            }
            push(&mut out, &quote, body, newline);
            continue;
        }
        fence = None;
        if let Some(f) = fence_opens(rest) {
            fence = Some(f);
            push(&mut out, &quote, body, newline);
            continue;
        }
        if closes {
            open.pop();
            changed = true;
            out.push_str(">".repeat(open.len()).as_str());
            out.push_str(newline);
            continue;
        }
        if let Some(m) = OPEN.captures(rest) {
            let title = m
                .get(3)
                .or_else(|| m.get(4))
                .map(|t| t.as_str().trim().replace('"', "'"));
            let marker = match title {
                Some(t) if !t.is_empty() => format!("!!! {} \"{t}\"", &m[2]),
                _ => format!("!!! {}", m[2].to_ascii_lowercase()),
            };
            push(&mut out, &quote, &marker, newline);
            open.push(m[1].len());
            changed = true;
            continue;
        }
        push(&mut out, &quote, body, newline);
    }
    changed.then_some(out)
}

/// Appends `body` quoted by `quote` (nothing outside directives), and its line break.
fn push(out: &mut String, quote: &str, body: &str, newline: &str) {
    if body.trim().is_empty() && !quote.is_empty() {
        out.push_str(quote.trim_end());
    } else {
        out.push_str(quote);
        out.push_str(body);
    }
    out.push_str(newline);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives_become_a_marker_and_a_quote_line_for_line() {
        let text = "Intro.\n\n:::note[Before you start]\nRead [setup](setup.md).\n\n```sh\n:::tip\n```\n:::\n\n::::caution Careful\n:::tip{icon=\"x\"}\nNested.\n:::\n::::\nAfter.\n";
        let out = rewrite(text).expect("changed");
        assert_eq!(
            out,
            "Intro.\n\n!!! note \"Before you start\"\n> Read [setup](setup.md).\n>\n> ```sh\n> :::tip\n> ```\n\n\n!!! caution \"Careful\"\n> !!! tip\n> > Nested.\n>\n\nAfter.\n"
        );
        assert_eq!(out.lines().count(), text.lines().count());
        assert_eq!(rewrite("No directive here.\n"), None);
        assert_eq!(rewrite("```\n:::note\n```\n"), None, "shown in code");
        assert_eq!(
            rewrite(":::note\n````\ncode\n```\n:::\nAfter.\n").as_deref(),
            Some("!!! note\n> ````\n> code\n> ```\n\nAfter.\n"),
            "the directive's end closes a fence left open in it"
        );
    }
}
