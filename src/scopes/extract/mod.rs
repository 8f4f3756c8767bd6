//! Finding the scope lists of a page, from the page model only (no Markdown is parsed here):
//!
//! - a bullet or ordered list whose items start with inline code (`` - `r_ads` ``), including a
//!   list inside an accidental indented code block (read as the list it was meant to be);
//! - a sentence of inline-code items after the word "scope(s)" or "permission(s)", separated by
//!   commas, spaces, middots or "and"/"or";
//! - a GFM table with a Scope or Permission column;
//! - `scope=` in a URL (a link, a code block, or prose), percent-decoded, with `+`, `%20`,
//!   comma or space between the scopes.
//!
//! A bullet list counts as a scope list when the sentence just before it (its `lead`), or, when
//! there is none, the heading of its section, speaks of scopes or permissions; otherwise only
//! when most of its items are scopes that a source or the retired-scope registry knows. So a
//! list of field names in the same guide is left alone.

use std::sync::LazyLock;

use regex::Regex;

use super::source::split_scopes;
use crate::page::{CodeKind, InlineCode, Page};
use crate::source::Span;
use params::{code_scope_params, params, scope_params, url_list};

mod params;
#[cfg(test)]
mod tests;

/// The placeholder the page model puts in prose where an inline code span was.
const CODE: char = '\u{1}';

/// Words that say a list is about scopes.
static SCOPE_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(scopes?|permissions?)\b").expect("valid regex"));

/// Text allowed between two inline-code items of one sentence list.
static SEPARATOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[\s,;·•/|&+]*(?:(?:and|or)[\s,;·•/|&+]*)?$").expect("valid regex")
});

/// What one scope looks like when written as plain text or in a sentence: `r_ads`,
/// `msads.manage`, `User.Read`, `https://www.googleapis.com/auth/adsense`.
static SCOPE_TOKEN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z][A-Za-z0-9_.:/\-]*$").expect("valid regex"));

/// Words after an inline code that make it the name of something other than a scope:
/// "the `scope` parameter", "the `business_name` field".
static NOT_A_SCOPE_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*(?:query\s+)?(?:parameters?|params?|fields?|arguments?|args?|attributes?|properties|property|columns?|headers?|keys?|variables?|settings?|options?|flags?|claims?|endpoints?|streams?|tables?|values?)\b",
    )
    .expect("valid regex")
});

/// A lead sentence about parameters or fields rather than scopes: its list is a scope list
/// only when most items are known scopes.
static FIELD_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(parameters?|params|fields?|arguments?|columns?|attributes?|properties)\b")
        .expect("valid regex")
});

/// A table header that names the scope column itself ("Scope", "Required scopes", "OAuth
/// permission"), not a longer header that only mentions scopes.
static SCOPE_HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:(?:required|oauth|api|token|minimum|needed)\s+)?(?:scopes?|permissions?)(?:\s+(?:required|needed|names?))?(?:\s*\(.*\))?$")
        .expect("valid regex")
});

/// OAuth request parameters, which prose often writes as inline code next to the word
/// "scope": never scopes themselves.
const OAUTH_PARAMETERS: &[&str] = &[
    "scope",
    "scopes",
    "client_id",
    "client_secret",
    "redirect_uri",
    "redirect_url",
    "response_type",
    "grant_type",
    "state",
    "code",
    "access_type",
    "prompt",
    "code_challenge",
    "code_verifier",
    "refresh_token",
    "access_token",
];

/// True when `s` can be a scope: a scope-like token (no `?`, `#`, `=` or spaces) that is not an
/// OAuth request parameter's name.
fn scope_like(s: &str) -> bool {
    SCOPE_TOKEN.is_match(s) && !OAUTH_PARAMETERS.contains(&s)
}

/// True when the prose right after a code placeholder (`rest`, starting just after it) makes
/// the code a parameter, field or other name ("`scope` parameter").
fn named_as_other(rest: &str) -> bool {
    NOT_A_SCOPE_AFTER.is_match(rest)
}

/// Which shape a scope list was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A bullet or ordered list of inline code.
    List,
    /// Inline code after "scopes" in a sentence.
    Sentence,
    /// A table's Scope or Permission column.
    Table,
    /// `scope=` in a URL.
    Url,
    /// A fenced code block of scopes, one per line or one comma- or space-separated line.
    CodeBlock,
}

impl Shape {
    /// A noun for messages ("scope list", "scope= parameter").
    pub fn noun(self) -> &'static str {
        match self {
            Shape::List | Shape::Sentence | Shape::CodeBlock => "scope list",
            Shape::Table => "scope table",
            Shape::Url => "`scope=` parameter",
        }
    }
}

/// One scope as written in a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeItem {
    /// The scope (`r_ads`), decoded.
    pub scope: String,
    /// Where it is written (the inline code with its backticks, the cell, or the URL value).
    pub span: Span,
}

/// A scope list found in a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeList {
    /// How it is written.
    pub shape: Shape,
    /// The whole list, sentence, table or URL.
    pub span: Span,
    /// The list's first line (where scope-missing points).
    pub first_line: Span,
    /// Its scopes, in order (repeats kept).
    pub items: Vec<ScopeItem>,
    /// Index into [`Page::headings`] of the heading before it.
    pub heading: Option<usize>,
    /// True when it was found inside an accidental indented code block.
    pub in_accidental_code: bool,
}

impl ScopeList {
    /// The scopes, without repeats, in order.
    pub fn scopes(&self) -> Vec<&str> {
        let mut seen = rustc_hash::FxHashSet::default();
        self.items
            .iter()
            .map(|i| i.scope.as_str())
            .filter(|s| seen.insert(*s))
            .collect()
    }
}

/// The scope lists of `page`, in document order. `known` says whether a scope is known to a
/// source or to the registry (used for lists whose context does not speak of scopes).
pub fn scope_lists(page: &Page, known: &dyn Fn(&str) -> bool) -> Vec<ScopeList> {
    let mut out: Vec<ScopeList> = Vec::new();
    // Item spans already in a list, so one inline code never counts in two shapes.
    let mut claimed: rustc_hash::FxHashSet<Span> = Default::default();
    let push =
        |out: &mut Vec<ScopeList>, list: ScopeList, claimed: &mut rustc_hash::FxHashSet<Span>| {
            if list.items.is_empty() || list.items.iter().all(|i| claimed.contains(&i.span)) {
                return;
            }
            claimed.extend(list.items.iter().map(|i| i.span));
            out.push(list);
        };

    for list in &page.lists {
        let heading = page.heading_before(list.span.start);
        let mut items = Vec::new();
        let mut scope_items = 0;
        for item in &list.items {
            if item.text.trim_start().starts_with(CODE) {
                scope_items += 1;
                items.extend(leading_codes(&item.text, &item.codes));
            }
        }
        if items.is_empty() || scope_items * 2 < list.items.len() {
            continue;
        }
        let by_context = match &list.lead {
            Some(lead) => SCOPE_WORD.is_match(lead) && !FIELD_WORD.is_match(lead),
            None => heading.is_some_and(|h| SCOPE_WORD.is_match(&page.headings[h].text)),
        };
        let known_count = items.iter().filter(|i| known(&i.scope)).count();
        if !by_context && known_count * 2 <= items.len() {
            continue;
        }
        let l = ScopeList {
            shape: Shape::List,
            span: list.span,
            first_line: first_line(page, list.span),
            items,
            heading,
            in_accidental_code: list.in_accidental_code,
        };
        push(&mut out, l, &mut claimed);
    }

    for table in &page.tables {
        let Some(col) = table
            .header
            .iter()
            .position(|c| SCOPE_HEADER.is_match(c.text.trim()))
        else {
            continue;
        };
        let mut items = Vec::new();
        for row in &table.rows {
            let Some(cell) = row.get(col) else { continue };
            if cell.codes.is_empty() {
                let t = cell.text.trim();
                if scope_like(t) {
                    items.push(ScopeItem {
                        scope: t.to_string(),
                        span: cell.span,
                    });
                }
            } else {
                // The codes at the start of the cell; a code further on in prose
                // ("`ads_read` (for `business_name`)") is a field or a note, not a scope.
                items.extend(leading_codes(&cell.text, &cell.codes));
            }
        }
        let l = ScopeList {
            shape: Shape::Table,
            span: table.span,
            first_line: first_line(page, table.span),
            items,
            heading: page.heading_before(table.span.start),
            in_accidental_code: false,
        };
        push(&mut out, l, &mut claimed);
    }

    // Sentences in paragraphs, then in tight list items (which have no paragraph of their own).
    let sentences = page
        .paragraphs
        .iter()
        .map(|p| (&p.text, &p.codes, p.span, p.in_accidental_code))
        .chain(page.lists.iter().flat_map(|list| {
            list.items
                .iter()
                .map(|i| (&i.text, &i.codes, i.span, list.in_accidental_code))
        }));
    for (text, codes, span, in_accidental_code) in sentences {
        for items in sentence_lists(text, codes) {
            let l = ScopeList {
                shape: Shape::Sentence,
                span,
                first_line: first_line(page, span),
                items,
                heading: page.heading_before(span.start),
                in_accidental_code,
            };
            push(&mut out, l, &mut claimed);
        }
    }

    // `scope=` in URLs: links first, then code blocks, then prose and inline code.
    let mut url_spans: Vec<Span> = Vec::new();
    for link in &page.links {
        for (_, rel) in scope_params(&link.dest) {
            let raw = &link.dest[rel];
            let span = locate(page, link.span, &format!("scope={raw}")).unwrap_or(link.span);
            url_spans.push(span);
            let l = url_list(page, span, raw, link.in_accidental_code);
            push(&mut out, l, &mut claimed);
        }
    }
    for block in &page.code_blocks {
        if block.kind == CodeKind::Indented && !block.markdown.is_empty() {
            // An accidental code block: its links and prose are in the model already.
            continue;
        }
        let mut from = block.span.start;
        for (_, rel) in code_scope_params(&block.content) {
            let raw = &block.content[rel];
            let needle = format!("scope={raw}");
            let within = Span::new(from, block.span.end);
            let span = locate(page, within, &needle).unwrap_or(block.span);
            from = span.end.min(block.span.end);
            let l = url_list(page, span, raw, false);
            push(&mut out, l, &mut claimed);
        }
    }
    for para in &page.paragraphs {
        let texts = std::iter::once((para.text.as_str(), false))
            .chain(para.codes.iter().map(|c| (c.text.as_str(), true)));
        for (text, is_code) in texts {
            for (_, rel) in params(text, is_code) {
                let raw = &text[rel];
                let needle = format!("scope={raw}");
                let span = locate(page, para.span, &needle).unwrap_or(para.span);
                if url_spans.iter().any(|u| overlaps(*u, span)) {
                    continue;
                }
                url_spans.push(span);
                let l = url_list(page, span, raw, para.in_accidental_code);
                push(&mut out, l, &mut claimed);
            }
        }
    }

    // Fenced blocks that hold nothing but scopes.
    let mut leads: Option<Leads<'_>> = None;
    for block in &page.code_blocks {
        if !matches!(block.kind, CodeKind::Fenced(_)) {
            continue;
        }
        let Some(tokens) = block_scopes(&block.content, known) else {
            continue;
        };
        let heading = page.heading_before(block.span.start);
        let lead = leads
            .get_or_insert_with(|| Leads::new(page))
            .before(block.span.start);
        let by_context = match lead {
            Some(lead) => SCOPE_WORD.is_match(lead) && !FIELD_WORD.is_match(lead),
            None => heading.is_some_and(|h| SCOPE_WORD.is_match(&page.headings[h].text)),
        };
        let known_count = tokens.iter().filter(|t| known(t)).count();
        if !by_context && known_count * 2 <= tokens.len() {
            continue;
        }
        let mut from = block.span.start;
        let mut items = Vec::new();
        for scope in tokens {
            let within = Span::new(from, block.span.end);
            let span = locate_word(page, within, &scope).unwrap_or(block.span);
            from = span.end.min(block.span.end);
            items.push(ScopeItem { scope, span });
        }
        let first = items.first().map_or(block.span, |i| i.span);
        let l = ScopeList {
            shape: Shape::CodeBlock,
            span: block.span,
            first_line: first_line(page, Span::new(first.start, block.span.end)),
            items,
            heading,
            in_accidental_code: false,
        };
        push(&mut out, l, &mut claimed);
    }

    out.sort_by_key(|l| (l.span.start, l.span.end));
    out
}

/// The scopes of a code block that holds nothing else: one scope-like token per line (a
/// trailing comma allowed), or a single line of comma-separated tokens. A single line of
/// space-separated words (`openid email profile`) counts only when most words are `known`
/// scopes, since `gcloud auth list` has the same shape. `None` for anything else.
fn block_scopes(content: &str, known: &dyn Fn(&str) -> bool) -> Option<Vec<String>> {
    let lines: Vec<&str> = content
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let tokens: Vec<String> = match lines.as_slice() {
        [] => return None,
        [line] => {
            let tokens = split_scopes(line);
            let spaced_only = tokens.len() > 1 && !line.contains(',') && !line.contains('+');
            if spaced_only && tokens.iter().filter(|t| known(t)).count() * 2 <= tokens.len() {
                return None;
            }
            tokens
        }
        lines => {
            let mut tokens = Vec::new();
            for line in lines {
                let t = line.trim_end_matches(',').trim();
                if t.contains(char::is_whitespace) {
                    return None;
                }
                tokens.push(t.to_string());
            }
            tokens
        }
    };
    (!tokens.is_empty() && tokens.iter().all(|t| scope_like(t))).then_some(tokens)
}

/// The prose blocks of a page (paragraphs and tight list items' own text) by where they end,
/// to find the prose just before a code block in O(log n).
struct Leads<'p> {
    /// `(end, length, text)`, sorted by end and, for one end, longest first, so that the
    /// innermost (shortest) block of those ending there comes last.
    ends: Vec<(usize, std::cmp::Reverse<usize>, &'p str)>,
    source: &'p str,
}

impl<'p> Leads<'p> {
    fn new(page: &'p Page) -> Self {
        let len = |s: Span| std::cmp::Reverse(s.end - s.start);
        let mut ends: Vec<(usize, std::cmp::Reverse<usize>, &str)> = page
            .paragraphs
            .iter()
            .map(|p| (p.span.end, len(p.span), p.text.as_str()))
            .chain(
                page.lists
                    .iter()
                    .flat_map(|l| l.items.iter())
                    .filter(|i| !i.text.is_empty())
                    .map(|i| (i.span.end, len(i.span), i.text.as_str())),
            )
            .collect();
        ends.sort_by_key(|&(end, len, _)| (end, len));
        Leads {
            ends,
            source: &page.source,
        }
    }

    /// The prose just before byte `offset`: the paragraph or list item that ends last before
    /// it (the innermost one when several end there), when only white space (or blockquote
    /// markers) lies between.
    fn before(&self, offset: usize) -> Option<&'p str> {
        let n = self.ends.partition_point(|&(end, _, _)| end <= offset);
        let &(end, _, text) = self.ends.get(n.checked_sub(1)?)?;
        let gap = self.source.get(end..offset)?;
        gap.chars()
            .all(|c| c.is_whitespace() || c == '>')
            .then_some(text)
    }
}

/// Where `word` first occurs as a whole word within `within` of the page's source.
fn locate_word(page: &Page, within: Span, word: &str) -> Option<Span> {
    let src = page.source.get(within.start..within.end)?;
    let is_word = |c: char| c.is_alphanumeric() || "_.:/-".contains(c);
    let mut from = 0;
    while let Some(i) = src[from..].find(word) {
        let start = from + i;
        let end = start + word.len();
        let before_ok = !src[..start].chars().next_back().is_some_and(is_word);
        let after_ok = !src[end..].chars().next().is_some_and(is_word);
        if before_ok && after_ok {
            return Some(Span::new(within.start + start, within.start + end));
        }
        from = end;
    }
    None
}

/// The codes at the start of a list item's text: the first code and those that follow it with
/// only separators between (`` `r_ads`, `rw_ads` — read and write ads `` gives two).
fn leading_codes(text: &str, codes: &[InlineCode]) -> Vec<ScopeItem> {
    let mut out = Vec::new();
    let mut rest = text.trim_start();
    let mut idx = 0;
    while let Some(after) = rest.strip_prefix(CODE) {
        let Some(code) = codes.get(idx) else { break };
        if named_as_other(after) {
            break;
        }
        let pieces = split_scopes(&code.text);
        if pieces.is_empty() || !pieces.iter().all(|p| scope_like(p)) {
            break;
        }
        out.extend(pieces.into_iter().map(|scope| ScopeItem {
            scope,
            span: code.span,
        }));
        idx += 1;
        match after.find(CODE) {
            Some(next) if SEPARATOR.is_match(&after[..next]) => rest = &after[next..],
            _ => break,
        }
    }
    out
}

/// Runs of inline codes that follow "scope(s)"/"permission(s)" in `text` (prose with
/// [`CODE`] placeholders; `codes` in the same order).
fn sentence_lists(text: &str, codes: &[InlineCode]) -> Vec<Vec<ScopeItem>> {
    let mut out = Vec::new();
    // A run needs an inline code after the word.
    if !text.contains(CODE) {
        return out;
    }
    let mut used_until = 0; // placeholder index already taken
    for m in SCOPE_WORD.find_iter(text) {
        let after = &text[m.end()..];
        let Some(first) = after.find(CODE) else { break };
        let gap = &after[..first];
        if gap.chars().count() > 40 || ends_sentence(gap) {
            continue;
        }
        let mut idx = text[..m.end() + first].matches(CODE).count();
        if idx < used_until {
            continue;
        }
        let mut items = Vec::new();
        let mut pos = m.end() + first;
        while let Some(code) = codes.get(idx) {
            // A sentence's code that is not one scope-like token (`Company Page`), or that is
            // named as a parameter or field ("in the `scope` parameter"), ends the run.
            let after_code = &text[pos + CODE.len_utf8()..];
            if !scope_like(code.text.trim()) || named_as_other(after_code) {
                break;
            }
            items.extend(split_scopes(&code.text).into_iter().map(|scope| ScopeItem {
                scope,
                span: code.span,
            }));
            idx += 1;
            let rest = &text[pos + CODE.len_utf8()..];
            match rest.find(CODE) {
                Some(next) if SEPARATOR.is_match(&rest[..next]) => {
                    pos = pos + CODE.len_utf8() + next;
                }
                _ => break,
            }
        }
        used_until = idx;
        if !items.is_empty() {
            out.push(items);
        }
    }
    out
}

/// True when `gap` holds the end of a sentence (`.`, `!` or `?` followed by a space).
fn ends_sentence(gap: &str) -> bool {
    let b = gap.as_bytes();
    b.windows(2)
        .any(|w| matches!(w[0], b'.' | b'!' | b'?') && w[1].is_ascii_whitespace())
}

/// Where `needle` first occurs within `within` of the page's source.
fn locate(page: &Page, within: Span, needle: &str) -> Option<Span> {
    let src = page.source.get(within.start..within.end)?;
    src.find(needle)
        .map(|i| Span::new(within.start + i, within.start + i + needle.len()))
}

fn overlaps(a: Span, b: Span) -> bool {
    a.start < b.end && b.start < a.end
}

/// From `span.start` to the end of its line (without the line ending), within `span`.
fn first_line(page: &Page, span: Span) -> Span {
    let src = &page.source;
    let start = span.start.min(src.len());
    let end = src[start..]
        .find('\n')
        .map(|i| start + i)
        .unwrap_or(src.len())
        .min(span.end.max(start));
    let end = if src[start..end].ends_with('\r') {
        end - 1
    } else {
        end
    };
    Span::new(start, end)
}
