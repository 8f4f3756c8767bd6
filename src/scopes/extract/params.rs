//! `scope=` as a URL query parameter: where it is in a link, code or prose, its value decoded,
//! and the list it makes, each scope with the span of its own piece of the raw value.

use std::sync::LazyLock;

use regex::Regex;

use super::{SCOPE_TOKEN, ScopeItem, ScopeList, Shape, first_line};
use crate::page::Page;
use crate::scopes::source::split_scopes;
use crate::source::Span;

/// `scope=` as a query parameter (not `redirect_scope=`), capturing its raw value.
static SCOPE_PARAM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:^|[?&;#\s"'(])scope=([^&#\s"'<>()\[\]`]*)"#).expect("valid regex")
});

/// What separates scopes in a raw (still percent-encoded) `scope=` value.
static RAW_SEPARATOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\+|%20|%2[Cc]|,|\s").expect("valid regex"));

/// Every `scope=` parameter in `text`: the decoded value and the byte range of its raw value.
///
/// The value ends at the first space; see [`code_scope_params`] for code, where a value may
/// hold spaces.
pub fn scope_params(text: &str) -> Vec<(String, std::ops::Range<usize>)> {
    params(text, false)
}

/// [`scope_params`] for inline code and code blocks, where a pasted URL may keep literal spaces
/// (`scope=ads_read read_insights&state=…`): scope-like words after a space still belong to
/// the value when the run ends where a parameter ends (`&`, a quote or backtick, the end of
/// the line or text).
pub fn code_scope_params(text: &str) -> Vec<(String, std::ops::Range<usize>)> {
    params(text, true)
}

pub(super) fn params(text: &str, spaced: bool) -> Vec<(String, std::ops::Range<usize>)> {
    // Most texts have no parameter at all: skip the regex's set-up for them.
    if !text.contains("scope=") {
        return Vec::new();
    }
    SCOPE_PARAM
        .captures_iter(text)
        .filter_map(|c| c.get(1))
        .filter(|m| !m.as_str().is_empty())
        .map(|m| {
            let more = if spaced {
                spaced_continuation(&text[m.end()..])
            } else {
                0
            };
            let end = m.end() + more;
            let raw = &text[m.start()..end];
            (decode_param(raw), m.start()..end)
        })
        .collect()
}

/// The length of ` word word` at the start of `rest` that continues a space-separated `scope=`
/// value: each word scope-like, and the run followed by `&`, a quote, a backtick, a line end
/// or nothing. 0 when `rest` does not continue the value.
fn spaced_continuation(rest: &str) -> usize {
    let mut len = 0;
    let mut taken = 0;
    loop {
        let tail = &rest[len..];
        let spaces = tail.len() - tail.trim_start_matches(' ').len();
        if spaces == 0 {
            break;
        }
        let word_len = tail[spaces..]
            .find(|c: char| c.is_whitespace() || "&#\"'`<>()[]".contains(c))
            .unwrap_or(tail.len() - spaces);
        let word = &tail[spaces..spaces + word_len];
        if word.is_empty() || !SCOPE_TOKEN.is_match(word) || word.ends_with(['.', ',']) {
            break;
        }
        len += spaces + word_len;
        if rest[len..].is_empty() || rest[len..].starts_with(['&', '"', '\'', '`', '\n', '\r']) {
            taken = len;
        }
    }
    taken
}

/// Decodes a query value as a browser does: `+` is a space, then percent-decoding.
pub fn decode_param(raw: &str) -> String {
    let plus = raw.replace('+', " ");
    crate::percent::decode_lossy(&plus).into_owned()
}

/// A `scope=` list. `span` covers `scope=RAW` when it was found in the source (then each item
/// gets the span of its own piece of the raw value), else the whole link, block or paragraph.
pub(super) fn url_list(page: &Page, span: Span, raw: &str, in_accidental_code: bool) -> ScopeList {
    let exact = page.source.get(span.start..span.end) == Some(&format!("scope={raw}")[..]);
    let mut items = Vec::new();
    let mut start = 0;
    let base = span.start + "scope=".len();
    let mut pieces: Vec<(usize, usize)> = RAW_SEPARATOR
        .find_iter(raw)
        .map(|m| {
            let piece = (start, m.start());
            start = m.end();
            piece
        })
        .collect();
    pieces.push((start, raw.len()));
    for (a, b) in pieces {
        let piece = decode_param(&raw[a..b]);
        let item_span = if exact {
            Span::new(base + a, base + b)
        } else {
            span
        };
        items.extend(split_scopes(&piece).into_iter().map(|scope| ScopeItem {
            scope,
            span: item_span,
        }));
    }
    ScopeList {
        shape: Shape::Url,
        span,
        first_line: first_line(page, span),
        items,
        heading: page.heading_before(span.start),
        in_accidental_code,
    }
}
