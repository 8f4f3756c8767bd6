//! MkDocs' admonitions (`!!! tip "Title"`, Python-Markdown's `admonition` extension) and
//! collapsible details (`??? tip`, `???+ tip`, PyMdown's `details`) in the built page, as MkDocs
//! writes them: `<div class="admonition tip"><p class="admonition-title">Title</p>…</div>` and
//! `<details class="tip"><summary>Title</summary>…</details>`; and content tabs (`=== "pip"`,
//! PyMdown's `tabbed`) as labelled blocks, `<div class="tabbed-block"><p
//! class="tabbed-label">pip</p>…</div>`, one under another.
//!
//! The page is parsed once: for an MkDocs site, [`crate::page::mkdocs_blocks`] has turned each
//! block's indented content into a block quote before the parse, so the parsed page holds the
//! marker line as a paragraph and the content as the block quote right after it (the checks
//! read both). While the renderer replays that parse, [`open_at`] recognises the pair from the
//! paragraph's own text and says what to write instead; [`Blocks`] closes each block where its
//! quote ends. Other pages, and a `!!! note` paragraph without a quote after it, render as
//! written. Sources: <https://python-markdown.github.io/extensions/admonition/>,
//! <https://facelessuser.github.io/pymdown-extensions/extensions/details/>.

use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{Event, Tag, TagEnd};
use regex::Regex;

use super::escape;

/// A marker line: `!!!`, `???` or `???+`, the type and any further classes, then an optional
/// quoted title (Python-Markdown's `RE`, and PyMdown details' `START`).
static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^(!!!|\?\?\?\+?) *([\w-]+(?: +[\w-]+)*)(?: +"(.*?)")? *$"#)
        .expect("constant regex")
});

/// A content tab's marker line (PyMdown's `tabbed`): `===`, `===+` (selected) or `===!` (starts
/// a new set), then the quoted label.
static TAB: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^===[!+]{0,2} +"(.*?)" *$"#).expect("constant regex"));

/// What an admonition or details block writes in place of its marker paragraph and quote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Opened {
    /// The opening HTML (`<div class="admonition tip">` and the title paragraph).
    pub html: String,
    /// The closing tag, written where the block quote ends.
    pub close: &'static str,
    /// Index of the block quote's start event: the events up to it are replaced.
    pub quote: usize,
    /// The source range of the whole block (marker line to the quote's end), for the preview's
    /// position marks.
    pub range: Range<usize>,
}

/// The admonition or details block whose marker paragraph starts at `events[i]` (of a page
/// whose text is `source`), when it is one: the paragraph is exactly a marker line and a block
/// quote follows it with nothing but line breaks between.
pub(super) fn open_at(
    source: &str,
    events: &[(Event<'_>, Range<usize>)],
    i: usize,
) -> Option<Opened> {
    let (Event::Start(Tag::Paragraph), para) = events.get(i)? else {
        return None;
    };
    let text = source.get(para.clone())?.trim();
    let tab = TAB.captures(text);
    let m = match &tab {
        Some(_) => None,
        None => Some(MARKER.captures(text)?),
    };
    let end = i + events[i..]
        .iter()
        .position(|(e, _)| matches!(e, Event::End(TagEnd::Paragraph)))?;
    let (Event::Start(Tag::BlockQuote(None)), quote) = events.get(end + 1)? else {
        return None;
    };
    // The rewrite quotes the content from the line after the marker on (a blank line there
    // becomes `>`): a quote after a blank line is the writer's own. Between the two stand only
    // the line break and the `>` of the quotes around the block (a block inside a block).
    if !source
        .get(para.end..quote.start)?
        .chars()
        .all(|c| c.is_whitespace() || c == '>')
        || source.get(para.start..quote.start)?.matches('\n').count() > 1
    {
        return None;
    }
    let range = para.start..quote.end;
    // A content tab: its label above its content. Tabs stand one under another (no switching),
    // as Material for MkDocs prints them.
    if let Some(tab) = tab {
        return Some(Opened {
            html: format!(
                "<div class=\"tabbed-block\">\n<p class=\"tabbed-label\">{}</p>\n",
                escape(&tab[1])
            ),
            close: "</div>\n",
            quote: end + 1,
            range,
        });
    }
    let m = m?;
    let classes = &m[2];
    let kind = classes.split(' ').next().unwrap_or(classes);
    // Python-Markdown: no quoted title gives the type, capitalised; an empty one none at all.
    let title = match m.get(3) {
        Some(t) => t.as_str().to_string(),
        None => capitalize(kind),
    };
    let classes = escape(
        &classes
            .split(' ')
            .filter(|c| !c.is_empty())
            .collect::<Vec<_>>()
            .join(" "),
    );
    let (html, close) = if &m[1] == "!!!" {
        let title = if title.is_empty() {
            String::new()
        } else {
            format!("<p class=\"admonition-title\">{}</p>\n", escape(&title))
        };
        (
            format!("<div class=\"admonition {classes}\">\n{title}"),
            "</div>\n",
        )
    } else {
        let open = if &m[1] == "???+" {
            " open=\"open\""
        } else {
            ""
        };
        (
            format!(
                "<details class=\"{classes}\"{open}>\n<summary>{}</summary>\n",
                escape(&title)
            ),
            "</details>\n",
        )
    };
    Some(Opened {
        html,
        close,
        quote: end + 1,
        range,
    })
}

/// `note` → `Note`, as Python's `str.capitalize` (the rest lowercased).
fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

/// The block quotes open while a page renders: for each, the closing tag of the admonition or
/// details block it holds, or `None` for a plain quote.
#[derive(Debug, Default)]
pub(super) struct Blocks {
    open: Vec<Option<&'static str>>,
}

impl Blocks {
    /// A block quote opened by an admonition or details block that closes with `close`.
    pub fn opened(&mut self, close: &'static str) {
        self.open.push(Some(close));
    }

    /// A plain block quote opened.
    pub fn quote(&mut self) {
        self.open.push(None);
    }

    /// A block quote ended: the closing tag to write instead of `</blockquote>`, if it held a
    /// block.
    pub fn close(&mut self) -> Option<&'static str> {
        self.open.pop().flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::Parser;

    fn opened(text: &str) -> Option<Opened> {
        let events: Vec<_> = Parser::new(text).into_offset_iter().collect();
        let o = open_at(text, &events, 0)?;
        assert!(matches!(
            events[o.quote].0,
            Event::Start(Tag::BlockQuote(None))
        ));
        Some(o)
    }

    #[test]
    fn admonitions_and_details_as_mkdocs_writes_them() {
        let o = opened("!!! tip \"Read <me>\"\n>\n>   Text.\n").expect("an admonition");
        assert_eq!(
            o.html,
            "<div class=\"admonition tip\">\n<p class=\"admonition-title\">Read &lt;me&gt;</p>\n"
        );
        assert_eq!(o.close, "</div>\n");
        let o = opened("!!! note inline end\n>   Text.\n").expect("an admonition");
        assert_eq!(
            o.html,
            "<div class=\"admonition note inline end\">\n<p class=\"admonition-title\">Note</p>\n"
        );
        let o = opened("!!! warning \"\"\n>   Text.\n").expect("no title");
        assert_eq!(o.html, "<div class=\"admonition warning\">\n");
        // A block inside a block: the outer quote's `>` stands before the inner one.
        let text = "=== \"Tab\"\n>\n>   !!! info inline end\n>   >\n>   >   In.\n";
        let events: Vec<_> = Parser::new(text).into_offset_iter().collect();
        let inner = (0..events.len())
            .filter_map(|i| open_at(text, &events, i))
            .find(|o| !o.html.contains("tabbed-block"))
            .expect("the inner admonition");
        assert!(
            inner
                .html
                .starts_with("<div class=\"admonition info inline end\">")
        );
        let o = opened("???+ example\n>   Text.\n").expect("details");
        assert_eq!(
            o.html,
            "<details class=\"example\" open=\"open\">\n<summary>Example</summary>\n"
        );
        assert_eq!(o.close, "</details>\n");
    }

    #[test]
    fn content_tabs_are_labelled_blocks() {
        let o = opened("=== \"pip <3>\"\n>\n>     pip install x\n").expect("a tab");
        assert_eq!(
            o.html,
            "<div class=\"tabbed-block\">\n<p class=\"tabbed-label\">pip &lt;3&gt;</p>\n"
        );
        assert_eq!(o.close, "</div>\n");
        assert!(opened("===+ \"Selected\"\n>   Text.\n").is_some());
        assert!(opened("===! \"New set\"\n>   Text.\n").is_some());
        assert_eq!(opened("=== Unquoted\n>   Text.\n"), None);
        assert_eq!(opened("=== \"Tab\"\n\nText.\n"), None);
    }

    #[test]
    fn a_marker_without_its_quote_is_a_paragraph() {
        assert_eq!(opened("!!! note\n\nText.\n"), None);
        assert_eq!(opened("!!! note\n\n> A quote after a blank line.\n"), None);
        assert_eq!(opened("Say !!! note\n>   Text.\n"), None);
    }
}
