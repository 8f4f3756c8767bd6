//! A small scanner for the raw HTML that Markdown passes through (CommonMark §4.6, §6.6): it
//! finds `<img src>`, `<a href>`, `id`/`name` anchors and stepbook-ignore comments. HTML comments
//! are blanked first, so a commented-out link is never seen (case
//! `../shared/cases/11-links-in-code-span-and-comment`). It is not a full HTML parser: it reads
//! start tags and quoted or unquoted attribute values, which is what Markdown authors write.

use std::sync::LazyLock;

use regex::Regex;

/// One attribute value of interest found in a piece of HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HtmlItem {
    /// `src` of an `<img>`.
    ImgSrc {
        /// The attribute value, entities decoded.
        value: String,
        /// `alt` of the same element, if present.
        alt: Option<String>,
        /// Byte range of the value within the scanned text.
        range: (usize, usize),
    },
    /// `href` of an `<a>`.
    Href {
        /// The attribute value, entities decoded.
        value: String,
        /// Byte range of the value within the scanned text.
        range: (usize, usize),
    },
    /// `id` on any element or `name` on `<a>`.
    Anchor {
        /// The attribute value.
        value: String,
        /// Byte range of the value within the scanned text.
        range: (usize, usize),
    },
    /// `<!-- stepbook-ignore RULE: … -->`.
    Ignore {
        /// The rule ids named (comma separated in the comment).
        rules: Vec<String>,
        /// Byte range of the whole comment within the scanned text.
        range: (usize, usize),
    },
    /// A comment meant as a stepbook directive that cannot be read (see [`scan`]); it
    /// silences nothing.
    MalformedIgnore {
        /// What is wrong, and the form to write.
        problem: String,
        /// Byte range of the whole comment within the scanned text.
        range: (usize, usize),
    },
}

static TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)<([A-Za-z][A-Za-z0-9-]*)((?:[^>\x22']|\x22[^\x22]*\x22|'[^']*')*)>")
        .expect("tag pattern is valid")
});
static ATTR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"([A-Za-z_:][-A-Za-z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?"#)
        .expect("attribute pattern is valid")
});
/// The word that opens a stepbook directive comment: `stepbook-ignore`, or something close.
static DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?is)^<!--\s*stepbook(?:([-_ ]?)([a-z]+(?:-[a-z]+)*))?")
        .expect("directive pattern is valid")
});
/// What follows `stepbook-ignore`: rule ids separated by commas, then `: reason` or nothing.
static IGNORE_ARGS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)^\s+([A-Za-z0-9_-]+(?:\s*,\s*[A-Za-z0-9_-]+)*)\s*(?::.*)?$")
        .expect("ignore-comment pattern is valid")
});

/// The `<!-- stepbook-ignore RULE-ID: reason -->` form, for messages.
pub const IGNORE_FORM: &str = "<!-- stepbook-ignore RULE-ID: reason -->";

/// Reads an HTML comment (`<!--` up to and including `-->`, or to the end of the text when
/// `closed` is false) as a stepbook directive: the rule ids of a well-formed
/// `stepbook-ignore`, an explanation for a malformed one, or `None` for any other comment.
///
/// Malformed: a misspelt directive (`stepbook-ingore`, `stepbook ignore`, `stepbook-disable`),
/// no rule id, text after the ids without a `:` before it, or no closing `-->`.
fn read_directive(comment: &str, closed: bool) -> Option<Result<Vec<String>, String>> {
    let c = DIRECTIVE.captures(comment)?;
    let sep = c.get(1).map_or("", |m| m.as_str());
    let word = c.get(2).map_or("", |m| m.as_str());
    if sep != "-" || word != "ignore" {
        let whole = c.get(0).map_or("", |m| m.as_str());
        let written = whole.trim_start_matches("<!--").trim_start();
        let lower = word.to_ascii_lowercase();
        let close = crate::suggest::prefix_similarity(&lower, "ignore") >= 0.8
            || [
                "disable",
                "skip",
                "allow",
                "off",
                "ignore-next-line",
                "ignore-line",
            ]
            .contains(&lower.as_str());
        return close.then(|| {
            Err(format!(
                "`{written}` is not a stepbook directive; write `{IGNORE_FORM}`"
            ))
        });
    }
    if !closed {
        return Some(Err(format!(
            "the stepbook-ignore comment is not closed with `-->`; write `{IGNORE_FORM}`"
        )));
    }
    let body = comment
        .get(c.get(0).map_or(0, |m| m.end())..comment.len().saturating_sub(3))
        .unwrap_or_default();
    if body.trim().is_empty() || body.trim_start().starts_with(':') {
        return Some(Err(format!(
            "the stepbook-ignore comment names no rule; write `{IGNORE_FORM}`"
        )));
    }
    match IGNORE_ARGS.captures(body) {
        Some(a) => Some(Ok(a[1].split(',').map(|r| r.trim().to_string()).collect())),
        None => Some(Err(format!(
            "the stepbook-ignore comment has text after its rule ids without a `:` before it; write `{IGNORE_FORM}`"
        ))),
    }
}

/// Scans `html` and returns what it holds, in order. Ranges are relative to `html`.
pub fn scan(html: &str) -> Vec<HtmlItem> {
    let mut items = Vec::new();
    // Blank comments (keeping byte offsets), noting stepbook-ignore ones. Every byte of a
    // comment but `\n` becomes a space, so the text stays valid UTF-8; one pass, O(n).
    let mut bytes = html.as_bytes().to_vec();
    let mut search = 0;
    while let Some(i) = html[search..].find("<!--") {
        let start = search + i;
        let end = html[start + 4..]
            .find("-->")
            .map(|j| start + 4 + j + 3)
            .unwrap_or(html.len());
        let closed = html[start..end].ends_with("-->") && end - start >= 7;
        match read_directive(&html[start..end], closed) {
            Some(Ok(rules)) => items.push(HtmlItem::Ignore {
                rules,
                range: (start, end),
            }),
            Some(Err(problem)) => items.push(HtmlItem::MalformedIgnore {
                problem,
                range: (start, end),
            }),
            None => {}
        }
        for b in &mut bytes[start..end] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
        search = end;
    }
    let text = String::from_utf8(bytes).unwrap_or_else(|_| html.to_string());
    for tag in TAG.captures_iter(&text) {
        let name = tag[1].to_ascii_lowercase();
        let attrs = tag.get(2).expect("group 2 always participates");
        let mut src = None;
        let mut alt = None;
        for a in ATTR.captures_iter(attrs.as_str()) {
            let key = a[1].to_ascii_lowercase();
            let Some(v) = a.get(2).or(a.get(3)).or(a.get(4)) else {
                continue;
            };
            let range = (attrs.start() + v.start(), attrs.start() + v.end());
            let value = decode_entities(v.as_str());
            match (name.as_str(), key.as_str()) {
                ("img", "src") => src = Some((value, range)),
                ("img", "alt") => alt = Some(value),
                ("a", "href") => items.push(HtmlItem::Href { value, range }),
                ("a", "name") | (_, "id") => items.push(HtmlItem::Anchor { value, range }),
                _ => {}
            }
        }
        if let Some((value, range)) = src {
            items.push(HtmlItem::ImgSrc { value, alt, range });
        }
    }
    items
}

/// Decodes the few character references that appear in attribute values.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#32;", " ")
        .replace("&nbsp;", "\u{a0}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_images_links_anchors_and_skips_comments() {
        let html = "<img src=\"img/a.png\" alt=\"A\">\n<!--\n<a href=\"old.md\">x</a>\n-->\n<a name='legacy-notes'></a><div id=top>";
        let items = scan(html);
        assert_eq!(items.len(), 3, "{items:?}");
        match &items[0] {
            HtmlItem::ImgSrc { value, alt, range } => {
                assert_eq!(value, "img/a.png");
                assert_eq!(alt.as_deref(), Some("A"));
                assert_eq!(&html[range.0..range.1], "img/a.png");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(&items[1], HtmlItem::Anchor { value, .. } if value == "legacy-notes"));
        assert!(matches!(&items[2], HtmlItem::Anchor { value, .. } if value == "top"));
    }

    #[test]
    fn reads_ignore_comments() {
        let items = scan("<!-- stepbook-ignore broken-link, missing-image: generated later -->");
        assert_eq!(
            items,
            vec![HtmlItem::Ignore {
                rules: vec!["broken-link".into(), "missing-image".into()],
                range: (0, 68)
            }]
        );
    }

    #[test]
    fn malformed_ignore_comments_are_reported_and_others_left_alone() {
        let problem = |html: &str| match scan(html).as_slice() {
            [HtmlItem::MalformedIgnore { problem, .. }] => problem.clone(),
            other => panic!("{html}: {other:?}"),
        };
        assert!(problem("<!-- stepbook-ignore -->").contains("names no rule"));
        assert!(problem("<!-- stepbook-ignore: why -->").contains("names no rule"));
        assert!(problem("<!-- stepbook-ignore broken-link because -->").contains("without a `:`"));
        assert!(problem("<!-- stepbook-ingore broken-link: x -->").contains("`stepbook-ingore`"));
        assert!(problem("<!-- stepbook ignore broken-link: x -->").contains("`stepbook ignore`"));
        assert!(problem("<!-- stepbook-ignore broken-link: x").contains("not closed"));
        assert!(problem("<!--stepbook-ignore-->").contains("names no rule"));
        assert!(
            problem("<!-- stepbook-ignore-next-line x -->").contains("not a stepbook directive")
        );
        assert!(scan("<!-- stepbook: generated from the API spec -->").is_empty());
        assert!(scan("<!-- env:oss -->").is_empty());
        assert_eq!(
            scan("<!-- stepbook-ignore Broken_Link -->"),
            vec![HtmlItem::Ignore {
                rules: vec!["Broken_Link".into()],
                range: (0, 36)
            }]
        );
    }
}
