//! Source positions in rendered HTML, for the preview only: each element that stands for a
//! piece of Markdown gets `data-sb-src="START-END"`, the byte range of that piece in the page's
//! file, so the preview can mark a finding on the element whose range holds it.
//!
//! `pulldown_cmark::html::push_html` writes its own start tags, so the attribute is added in two
//! steps: while the events are replayed, [`mark`] puts a comment `<!--stepbook-src:S-E-->` just
//! before the event that opens the element; after the HTML is written, [`apply`] moves each
//! comment's range into the start tag that follows it (and drops a comment that is not followed
//! by a start tag, such as one before raw HTML that opens with a comment). `build` never calls
//! either, so its output is byte for byte what it was.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag};

/// The attribute the preview reads.
pub const ATTRIBUTE: &str = "data-sb-src";

const OPEN: &str = "<!--stepbook-src:";
const CLOSE: &str = "-->";

/// Pushes the position comment for `event` (at file `range`) onto `out` when the event opens
/// an element worth marking.
pub fn mark<'a>(event: &Event<'_>, range: &Range<usize>, out: &mut Vec<Event<'a>>) {
    let block = match event {
        Event::Start(tag) => match tag {
            Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::BlockQuote(_)
            | Tag::CodeBlock(_)
            | Tag::HtmlBlock
            | Tag::List(_)
            | Tag::Item
            | Tag::Table(_)
            | Tag::TableCell
            | Tag::FootnoteDefinition(_) => true,
            Tag::Link { .. } | Tag::Image { .. } => false,
            _ => return,
        },
        Event::Code(_) => false,
        _ => return,
    };
    let comment = CowStr::from(format!("{OPEN}{}-{}{CLOSE}", range.start, range.end));
    out.push(if block {
        Event::Html(comment)
    } else {
        Event::InlineHtml(comment)
    });
}

/// True for an event [`mark`] pushed.
pub fn is_mark(event: &Event<'_>) -> bool {
    matches!(event, Event::Html(t) | Event::InlineHtml(t) if t.starts_with(OPEN))
}

/// `html` with every position comment moved into the start tag after it as
/// `data-sb-src="S-E"`.
pub fn apply(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut rest = html;
    while let Some(at) = rest.find(OPEN) {
        out.push_str(&rest[..at]);
        let after = &rest[at + OPEN.len()..];
        let Some(close) = after.find(CLOSE) else {
            out.push_str(&rest[at..]);
            return out;
        };
        let range = &after[..close];
        rest = &after[close + CLOSE.len()..];
        if !range.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
            continue;
        }
        // The start tag that follows, after any whitespace: `<name`.
        let ws = rest.len() - rest.trim_start().len();
        let tag = &rest[ws..];
        let name_len = tag
            .strip_prefix('<')
            .filter(|t| t.starts_with(|c: char| c.is_ascii_alphabetic()))
            .map(|t| {
                t.find(|c: char| !c.is_ascii_alphanumeric())
                    .unwrap_or(t.len())
            });
        if let Some(n) = name_len {
            let split = ws + 1 + n;
            out.push_str(&rest[..split]);
            out.push_str(&format!(" {ATTRIBUTE}=\"{range}\""));
            rest = &rest[split..];
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_become_attributes_of_the_next_start_tag() {
        let html = "<!--stepbook-src:0-9-->\n<p>See <!--stepbook-src:4-8--><a href=\"x\">x</a></p>\n\
                    <!--stepbook-src:10-20--><!-- user --><div>\n";
        assert_eq!(
            apply(html),
            "\n<p data-sb-src=\"0-9\">See <a data-sb-src=\"4-8\" href=\"x\">x</a></p>\n<!-- user --><div>\n"
        );
    }

    #[test]
    fn marks_only_elements() {
        let mut out = Vec::new();
        mark(&Event::Start(Tag::Paragraph), &(3..7), &mut out);
        mark(&Event::Text("x".into()), &(3..4), &mut out);
        mark(&Event::Code("c".into()), &(5..8), &mut out);
        assert_eq!(out.len(), 2);
        assert!(out.iter().all(is_mark));
        assert!(matches!(&out[1], Event::InlineHtml(t) if t.as_ref() == "<!--stepbook-src:5-8-->"));
    }
}
