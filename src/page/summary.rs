//! SUMMARY.md in mdBook's format (<https://rust-lang.github.io/mdBook/format/summary.html>):
//! an optional `# Title` (ignored), prefix chapters (links in paragraphs before the first list),
//! numbered chapters (nested list items, numbered `1.`, `1.2.` …, the numbering running on
//! across parts), part titles (`# Part` between lists), draft chapters (`[Title]()`), separators
//! (`---`) and suffix chapters (links after the lists). SUMMARY.md is not a page: it is read
//! here, once per build, and the sidebar ([`crate::render::nav`]) turns it into entries.
//!
//! Nesting is capped at [`MAX_NESTING`] lists: chapters of deeper lists are kept, in reading
//! order, as a flat list of children of the chapter at the deepest allowed level, and
//! [`Summary::too_deep`] says where the cap was first reached (the `summary-too-deep` rule reports
//! it). The parse is one loop over pulldown-cmark's events, and section numbers cost at most
//! `MAX_NESTING` per item, so a hostile SUMMARY.md (thousands of nested items) is read in linear
//! time and builds a tree no deeper than the cap (issue 8: 15,000 nested items overflowed the
//! stack).

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use crate::resolve::{decode, is_external, join, split_fragment};
use crate::source::Span;

/// How many nested lists SUMMARY.md may have; chapters of deeper lists are listed flat under the
/// chapter at this depth.
pub const MAX_NESTING: usize = 16;

/// SUMMARY.md as read: its entries, and where its lists nest deeper than [`MAX_NESTING`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// The entries, no deeper than [`MAX_NESTING`] + 1 levels.
    pub entries: Vec<SummaryEntry>,
    /// The first list item nested deeper than [`MAX_NESTING`] lists (bytes of SUMMARY.md), and
    /// the deepest nesting found.
    pub too_deep: Option<(Span, usize)>,
}

/// One entry of SUMMARY.md.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SummaryEntry {
    /// A part title (`# Part`).
    Part(String),
    /// A separator (`---`).
    Separator,
    /// A chapter link, or a draft (`dest` empty or `None`).
    Chapter(SummaryChapter),
}

/// A chapter of SUMMARY.md.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryChapter {
    /// The link text.
    pub title: String,
    /// The link destination as written (relative to SUMMARY.md); `None` or empty for a draft.
    pub dest: Option<String>,
    /// Section number of a numbered chapter (`1.2.`); `None` for prefix and suffix chapters.
    pub number: Option<String>,
    /// Nested chapters.
    pub children: Vec<SummaryEntry>,
    /// Where the chapter's link (or, for a draft without one, its item) sits in SUMMARY.md.
    pub span: Span,
}

impl SummaryChapter {
    /// The content-relative page the chapter links to (`guide/README.md` for a folder link
    /// `guide/`); `None` for a draft or an external link.
    pub fn rel(&self) -> Option<String> {
        chapter_rel(self.dest.as_deref()?)
    }
}

/// The content-relative page a SUMMARY.md destination names: percent-decoded, fragment dropped,
/// relative to the content root; a folder link names the folder's README.md. `None` for an
/// empty (draft) or external destination, or one that leaves the content root.
pub fn chapter_rel(dest: &str) -> Option<String> {
    let d = dest.trim();
    if d.is_empty() || is_external(d) {
        return None;
    }
    let (path, _) = split_fragment(d);
    let rel = join("SUMMARY.md", &decode(path))?;
    Some(if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}README.md")
    } else {
        rel
    })
}

/// The existing page a chapter's `rel` ([`chapter_rel`]) stands for: the page itself, else, for
/// a folder link, the folder's README.md or index.md; `exists` says whether a page exists.
pub fn resolve(rel: &str, exists: impl Fn(&str) -> bool) -> Option<String> {
    let folder = rel
        .strip_suffix("README.md")
        .filter(|f| f.is_empty() || f.ends_with('/'))
        .map(str::to_string)
        .unwrap_or_else(|| format!("{rel}/"));
    [
        rel.to_string(),
        format!("{folder}README.md"),
        format!("{folder}index.md"),
    ]
    .into_iter()
    .find(|r| exists(r))
}

/// The existing pages SUMMARY.md `text` lists as chapters (content-relative, as
/// [`resolve`] finds them; `exists` says whether a page exists): what mdBook builds.
pub fn listed_pages(
    text: &str,
    exists: impl Fn(&str) -> bool,
) -> std::collections::HashSet<String> {
    chapters(&parse(text))
        .into_iter()
        .filter_map(|c| c.rel())
        .filter_map(|rel| resolve(&rel, &exists))
        .collect()
}

/// Every chapter of `entries`, depth first.
pub fn chapters(entries: &[SummaryEntry]) -> Vec<&SummaryChapter> {
    let mut out = Vec::new();
    let mut stack: Vec<std::slice::Iter<'_, SummaryEntry>> = vec![entries.iter()];
    while let Some(top) = stack.last_mut() {
        match top.next() {
            Some(SummaryEntry::Chapter(c)) => {
                out.push(c);
                stack.push(c.children.iter());
            }
            Some(_) => {}
            None => {
                stack.pop();
            }
        }
    }
    out
}

/// An item of a numbered list being read.
#[derive(Default)]
struct Item {
    title: String,
    dest: Option<String>,
    in_link: bool,
    number: String,
    children: Vec<SummaryEntry>,
    span: Span,
    /// For an item of a list nested deeper than [`MAX_NESTING`]: its index in the children of
    /// the chapter at the deepest allowed level, where a placeholder holds its place.
    flat_at: Option<usize>,
}

/// Parses SUMMARY.md in mdBook's format (see the module docs) and returns its entries.
pub fn parse(text: &str) -> Vec<SummaryEntry> {
    read(text).entries
}

/// Parses SUMMARY.md in mdBook's format (see the module docs). Lenient: a list item without a
/// link becomes a draft chapter titled by its text; other blocks are ignored. Lists nested deeper
/// than [`MAX_NESTING`] are flattened and reported in [`Summary::too_deep`].
pub fn read(text: &str) -> Summary {
    let mut top: Vec<SummaryEntry> = Vec::new();
    // Entries of the lists being read; the first is the top-level numbered list's target.
    let mut lists: Vec<Vec<SummaryEntry>> = Vec::new();
    let mut items: Vec<Item> = Vec::new();
    let mut counters: Vec<u32> = vec![0];
    let mut heading: Option<(HeadingLevel, String)> = None;
    // A link of a prefix or suffix paragraph: (dest, title).
    let mut para_link: Option<(String, String, Span)> = None;
    let mut seen_content = false;
    // Lists open beyond MAX_NESTING, and the index in `items` of the chapter their items are
    // flattened under.
    let mut overflow = 0usize;
    let mut flat_parent = 0usize;
    let mut too_deep: Option<(Span, usize)> = None;
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => heading = Some((level, String::new())),
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, title)) = heading.take() {
                    // The first H1 before any chapter is the book's title, which mdBook ignores.
                    if level == HeadingLevel::H1 && seen_content {
                        top.push(SummaryEntry::Part(title.trim().to_string()));
                    }
                    seen_content = true;
                }
            }
            Event::Start(Tag::List(_)) if lists.len() >= MAX_NESTING || overflow > 0 => {
                if overflow == 0 {
                    // Items of this list and of every list inside it become flat children of
                    // the item that holds it.
                    counters.push(0);
                    flat_parent = items.len().saturating_sub(1);
                }
                overflow += 1;
                let depth = lists.len() + overflow;
                match &mut too_deep {
                    Some((_, deepest)) => *deepest = (*deepest).max(depth),
                    None => too_deep = Some((Span::from(range), depth)),
                }
            }
            Event::End(TagEnd::List(_)) if overflow > 0 => {
                overflow -= 1;
                if overflow == 0 {
                    counters.pop();
                }
            }
            Event::Start(Tag::List(_)) => {
                if !lists.is_empty() {
                    counters.push(0);
                }
                lists.push(Vec::new());
                seen_content = true;
            }
            Event::End(TagEnd::List(_)) => {
                let done = lists.pop().unwrap_or_default();
                if lists.is_empty() {
                    top.extend(done);
                } else {
                    counters.pop();
                    if let Some(item) = items.last_mut() {
                        item.children.extend(done);
                    }
                }
            }
            Event::Start(Tag::Item) => {
                if let Some(c) = counters.last_mut() {
                    *c += 1;
                }
                // At most MAX_NESTING + 1 counters: bounded work per item.
                let number: String = counters.iter().map(|n| format!("{n}.")).collect();
                // A flattened item keeps its place (reading order) among its flat siblings.
                let flat_at = match items.get_mut(flat_parent) {
                    Some(parent) if overflow > 0 => {
                        parent.children.push(SummaryEntry::Separator);
                        Some(parent.children.len() - 1)
                    }
                    _ => None,
                };
                items.push(Item {
                    number,
                    span: Span::new(range.start, range.end),
                    flat_at,
                    ..Item::default()
                });
            }
            Event::End(TagEnd::Item) => {
                if let Some(item) = items.pop() {
                    let ch = SummaryEntry::Chapter(SummaryChapter {
                        title: item.title.trim().to_string(),
                        dest: item.dest,
                        number: Some(item.number),
                        children: item.children,
                        span: item.span,
                    });
                    match item.flat_at {
                        Some(i) => {
                            if let Some(slot) = items
                                .get_mut(flat_parent)
                                .and_then(|p| p.children.get_mut(i))
                            {
                                *slot = ch;
                            }
                        }
                        None => {
                            if let Some(list) = lists.last_mut() {
                                list.push(ch);
                            }
                        }
                    }
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                seen_content = true;
                if let Some(item) = items.last_mut() {
                    if item.dest.is_none() {
                        item.dest = Some(dest_url.to_string());
                        item.span = Span::new(range.start, range.end);
                        item.title.clear();
                        item.in_link = true;
                    }
                } else if heading.is_none() {
                    para_link = Some((
                        dest_url.to_string(),
                        String::new(),
                        Span::new(range.start, range.end),
                    ));
                }
            }
            Event::End(TagEnd::Link) => {
                if let Some(item) = items.last_mut() {
                    item.in_link = false;
                } else if let Some((dest, title, span)) = para_link.take() {
                    top.push(SummaryEntry::Chapter(SummaryChapter {
                        title: title.trim().to_string(),
                        dest: Some(dest),
                        number: None,
                        children: Vec::new(),
                        span,
                    }));
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, h)) = heading.as_mut() {
                    h.push_str(&t);
                } else if let Some(item) = items.last_mut() {
                    // Keep the link text once a link was seen; before it, collect plain text.
                    if item.in_link || item.dest.is_none() {
                        item.title.push_str(&t);
                    }
                } else if let Some((_, title, _)) = para_link.as_mut() {
                    title.push_str(&t);
                }
            }
            Event::Rule if lists.is_empty() => {
                top.push(SummaryEntry::Separator);
                seen_content = true;
            }
            _ => {}
        }
    }
    Summary {
        entries: top,
        too_deep,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth(entries: &[SummaryEntry]) -> usize {
        let mut stack: Vec<(&SummaryEntry, usize)> = entries.iter().map(|e| (e, 1)).collect();
        let mut max = 0;
        while let Some((e, d)) = stack.pop() {
            max = max.max(d);
            if let SummaryEntry::Chapter(c) = e {
                stack.extend(c.children.iter().map(|c| (c, d + 1)));
            }
        }
        max
    }

    fn titles(entries: &[SummaryEntry]) -> Vec<String> {
        let mut out = Vec::new();
        let mut stack: Vec<&SummaryEntry> = entries.iter().rev().collect();
        while let Some(e) = stack.pop() {
            if let SummaryEntry::Chapter(c) = e {
                out.push(format!("{} {}", c.number.as_deref().unwrap_or(""), c.title));
                stack.extend(c.children.iter().rev());
            }
        }
        out
    }

    #[test]
    fn nesting_past_the_cap_is_flattened_in_reading_order_and_reported() {
        let mut text = String::from("# Summary\n\n");
        for i in 0..MAX_NESTING + 3 {
            text.push_str(&format!("{}- [C{i}](c{i}.md)\n", "  ".repeat(i)));
        }
        text.push_str("- [Last](last.md)\n");
        let s = read(&text);
        assert_eq!(depth(&s.entries), MAX_NESTING + 1);
        let (span, deepest) = s.too_deep.expect("reported");
        assert_eq!(deepest, MAX_NESTING + 3);
        assert!(
            text[span.start..].starts_with("- [C16]"),
            "{}",
            &text[span.start..]
        );
        let t = titles(&s.entries);
        assert_eq!(t.len(), MAX_NESTING + 4);
        assert_eq!(t[15], "1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1. C15");
        assert_eq!(t[16], "1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1. C16");
        assert_eq!(t[17], "1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.2. C17");
        assert_eq!(t[18], "1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.3. C18");
        assert_eq!(t[19], "2. Last");
    }

    #[test]
    fn fifteen_thousand_items_on_one_line_stay_shallow() {
        let text = format!("{}[Deep](a.md)\n", "- ".repeat(15_000));
        let s = read(&text);
        assert_eq!(s.too_deep.map(|(_, d)| d), Some(15_000));
        assert!(depth(&s.entries) <= MAX_NESTING + 1);
        assert_eq!(titles(&s.entries).len(), 15_000);
    }
}
